"""A transient failure (the database is locked) is tried again after a delay that doubles each
time, up to the attempts allowed; a bug (a ValueError in the renderer) fails at once, and the
administrators see it, with who asked, in the admin site."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ketnoi.background import services
from ketnoi.background.models import Job

from .conftest import BUG, FLAKY, flaky_calls

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _retry_policy(settings):
    settings.KETNOI_JOB_ATTEMPTS = 4
    settings.KETNOI_JOB_RETRY_SECONDS = 30


def _waiting_task():
    return DBTaskResult.objects.get(status=TaskResultStatus.READY)


def _let_time_pass(task):
    """The retry's start moved to now, as if its delay had passed."""
    DBTaskResult.objects.filter(pk=task.pk).update(run_after=timezone.now() - timedelta(seconds=1))


def test_it_tries_a_transient_failure_again_later_and_later(coordinator, worker):
    job = services.job_request(kind=FLAKY, params={"fail_times": 3}, by=coordinator)
    delays = []
    for attempt in (1, 2, 3):
        failed_at = timezone.now()
        assert worker() == 1
        job.refresh_from_db()
        assert (job.state, job.attempts) == (Job.State.QUEUED, attempt)
        assert "database is locked" in job.error_detail
        task = _waiting_task()
        assert str(task.pk) == job.task_id and task.run_after == job.next_attempt_at
        delays.append((task.run_after - failed_at).total_seconds())
        # Not due yet: the worker leaves it alone.
        assert worker() == 0
        _let_time_pass(task)
    assert [round(d) for d in delays] == [30, 60, 120]
    assert worker() == 1
    job.refresh_from_db()
    assert (job.state, job.attempts, job.error) == (Job.State.DONE, 4, "")
    assert len(flaky_calls) == 4
    # Each failed attempt stays in the package's results with its traceback.
    statuses = sorted(DBTaskResult.objects.values_list("status", flat=True))
    assert statuses == ["FAILED", "FAILED", "FAILED", "SUCCESSFUL"]
    assert all("OperationalError" in t.exception_class_path for t in DBTaskResult.objects.failed())


def test_it_gives_up_after_the_attempts_allowed(coordinator, worker, settings):
    settings.KETNOI_JOB_ATTEMPTS = 2
    job = services.job_request(kind=FLAKY, params={"fail_times": 5}, by=coordinator)
    worker()
    _let_time_pass(_waiting_task())
    worker()
    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.FAILED, 2)
    assert "2" in job.error
    assert not DBTaskResult.objects.ready().exists()
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()


def test_a_bug_fails_at_once(coordinator, worker):
    job = services.job_request(kind=BUG, params={}, by=coordinator)
    assert worker() == 1
    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.FAILED, 1)
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()
    assert "ValueError: Bảng số liệu năm 2020 thiếu cột 'đã giải quyết'" in job.error_detail
    # The requester is told in plain words, without the program's details.
    assert job.error and "ValueError" not in job.error and "Bảng số liệu" not in job.error
    assert DBTaskResult.objects.get().status == TaskResultStatus.FAILED


def test_the_administrators_see_the_failure_and_who_asked(client, coordinator, administrator, worker):
    failed = services.job_request(kind=BUG, params={}, by=coordinator)
    done = services.job_request(kind=FLAKY, params={}, by=coordinator)
    worker()
    client.force_login(administrator)
    page = client.get("/admin/background/job/?state__exact=failed").content.decode()
    assert f"/admin/background/job/{failed.pk}/change/" in page
    assert f"/admin/background/job/{done.pk}/change/" not in page
    assert "Võ Thị Mai" in page or coordinator.username in page
    assert "ValueError: Bảng số liệu năm 2020 thiếu cột &#x27;đã giải quyết&#x27;" in page
    detail = client.get(f"/admin/background/job/{failed.pk}/change/").content.decode()
    assert "Traceback" in detail and "_bug" in detail
    # The package's own task results are in the admin too.
    tasks = client.get("/admin/django_tasks_database/dbtaskresult/?status__exact=FAILED").content.decode()
    assert "run_job" in tasks


def test_an_administrator_queues_a_failed_job_again(client, coordinator, administrator, worker):
    job = services.job_request(kind=BUG, params={}, by=coordinator)
    worker()
    client.force_login(administrator)
    response = client.post("/admin/background/job/", {"action": "try_again", "_selected_action": [job.pk]})
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.state, job.error) == (Job.State.QUEUED, "")
    assert str(_waiting_task().pk) == job.task_id
    worker()
    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.FAILED, 2)
