"""`ketnoi tick`: every periodic job runs once per call, and running it twice is harmless."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from ketnoi.accounts import services as accounts
from ketnoi.accounts.models import Enterprise, User
from ketnoi.jobs import JOBS

pytestmark = pytest.mark.django_db


def tick() -> str:
    out = StringIO()
    call_command("tick", stdout=out)
    return out.getvalue()


def results(output: str) -> list[tuple[str, str]]:
    return re.findall(r"^(\S+): (.*) \(\d+\.\d\d s\)$", output, flags=re.M)


def stale_registration() -> User:
    user = accounts.business_register(tax_code="0314409058", enterprise_name="Công ty TNHH Thương mại Hoàng Gia Phát",
                                      full_name="Trần Thị Mỹ Duyên", email="duyen@hoanggiaphat.example.vn",
                                      phone="", password="Một-mật-khẩu-dài-2026")
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=4))
    return user


def test_it_runs_every_job_and_prints_its_name():
    output = tick()
    assert JOBS, "ketnoi/jobs.py lists no job"
    assert [name for name, _result in results(output)] == [name for name, _job in JOBS]


def test_it_does_the_jobs_work():
    user = stale_registration()
    output = tick()
    assert ("accounts.purge_unconfirmed_registrations", "1") in results(output)
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Enterprise.objects.filter(tax_code="0314409058").exists()


def test_running_it_twice_is_harmless():
    user = stale_registration()
    first, second = tick(), tick()
    assert ("accounts.purge_unconfirmed_registrations", "1") in results(first)
    assert ("accounts.purge_unconfirmed_registrations", "0") in results(second)
    assert [name for name, _ in results(second)] == [name for name, _job in JOBS]
    assert not User.objects.filter(pk=user.pk).exists()


def test_it_leaves_a_fresh_registration_alone():
    user = stale_registration()
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=1))
    assert ("accounts.purge_unconfirmed_registrations", "0") in results(tick())
    assert User.objects.filter(pk=user.pk).exists()
