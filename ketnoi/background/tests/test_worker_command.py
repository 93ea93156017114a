"""`ketnoi worker` is django-tasks-db's worker under the project's name: with --batch it runs
what is queued and stops (a cron line can do that instead of a resident worker)."""

import signal

import pytest
from django.core.management import call_command

from ketnoi.background import services
from ketnoi.background.models import Job

from .conftest import RENDER

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def signals_kept():
    # The worker takes over SIGINT and SIGTERM (to finish its job before stopping): give them back.
    kept = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for number, handler in kept.items():
        signal.signal(number, handler)


def test_it_runs_the_queued_jobs_and_stops(coordinator, signals_kept):
    jobs = [services.job_request(kind=RENDER, params={"title": title}, by=coordinator)
            for title in ("Quý I", "Quý II")]
    call_command("worker", "--batch", "--no-startup-delay", "--interval", "0", "--no-reload", "-v", "0")
    for job in jobs:
        job.refresh_from_db()
        assert job.state == Job.State.DONE
