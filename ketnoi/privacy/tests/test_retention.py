"""The retention tick job: what is older than its KETNOI_RETAIN_* setting is removed, in batches,
the rest kept; running it twice removes nothing more; audit events are never removed."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ketnoi.accounts.access import principal_for
from ketnoi.audit.models import AuditEvent
from ketnoi.audit.services import audit_record
from ketnoi.background.models import Job
from ketnoi.jobs import JOBS
from ketnoi.notifications.models import Email, EmailDelivery
from ketnoi.party import selectors
from ketnoi.party.models import MemberRead
from ketnoi.party.tests.helpers import build_register
from ketnoi.privacy import retention

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def days_ago(n: int):
    return NOW - timedelta(days=n)


def read_at(r, when) -> MemberRead:
    read = selectors.log_read(principal_for(r.office), channel="page", member=r.cat_lai_members[0])
    with connection.cursor() as cursor:  # the log is append-only: its time is moved in SQL
        cursor.execute(f"UPDATE {MemberRead._meta.db_table} SET at = %s WHERE id = %s", [when, read.pk])
    return read


def email_at(when, state=EmailDelivery.State.SENT) -> Email:
    email = Email.objects.create(template="cases/filed", language="vi", subject="Đã nhận vướng mắc HQ-2026-000123",
                                 text="Kính gửi Công ty TNHH Thương mại Phú Thịnh")
    EmailDelivery.objects.create(email=email, to="ketoan@phuthinh.example.vn", state=state)
    Email.objects.filter(pk=email.pk).update(created_at=when)
    EmailDelivery.objects.filter(email=email).update(created_at=when)
    return email


def task_at(when, status=TaskResultStatus.SUCCESSFUL) -> DBTaskResult:
    return DBTaskResult.objects.create(task_path="ketnoi.background.tasks.run_job", args_kwargs={"args": [1], "kwargs": {}},
                                       status=status, finished_at=when if status != TaskResultStatus.READY else None,
                                       queue_name="default", backend_name="default")


def job_at(when, state=Job.State.DONE) -> Job:
    job = Job.objects.create(kind="year_end", state=state, finished_at=when if state == Job.State.DONE else None)
    job.result.save("bao-cao-tong-ket-nam-2020.docx", ContentFile(b"PK docx"), save=True)
    return job


def test_it_removes_party_reads_older_than_the_setting(settings):
    settings.KETNOI_RETAIN_PARTY_READS_DAYS = 365
    r = build_register()
    old, recent = read_at(r, days_ago(400)), read_at(r, days_ago(300))
    retention.retention_prune(now=NOW)
    assert list(MemberRead.objects.filter(pk__in=[old.pk, recent.pk])) == [recent]


def test_it_removes_finished_emails_older_than_the_setting_and_keeps_those_waiting(settings):
    settings.KETNOI_RETAIN_EMAILS_DAYS = 180
    old, failed, waiting, recent = (email_at(days_ago(200)), email_at(days_ago(200), EmailDelivery.State.FAILED),
                                    email_at(days_ago(200), EmailDelivery.State.QUEUED), email_at(days_ago(10)))
    pruned = retention.retention_prune(now=NOW)
    assert set(Email.objects.all()) == {waiting, recent}
    assert (pruned.emails, pruned.deliveries) == (2, 2)
    assert not EmailDelivery.objects.filter(email_id__in=[old.pk, failed.pk]).exists()


def test_it_removes_finished_task_results_older_than_the_setting(settings):
    settings.KETNOI_RETAIN_TASK_RESULTS_DAYS = 30
    old, failed, recent = task_at(days_ago(40)), task_at(days_ago(40), TaskResultStatus.FAILED), task_at(days_ago(5))
    ready = task_at(None, TaskResultStatus.READY)
    retention.retention_prune(now=NOW)
    assert set(DBTaskResult.objects.all()) == {recent, ready}
    assert old.pk and failed.pk


def test_it_removes_finished_jobs_with_their_files(settings):
    settings.KETNOI_RETAIN_JOBS_DAYS = 90
    old, recent = job_at(days_ago(100)), job_at(days_ago(20))
    running = job_at(None, Job.State.RUNNING)
    path = old.result.path
    retention.retention_prune(now=NOW)
    assert set(Job.objects.all()) == {recent, running}
    assert not (settings.MEDIA_ROOT / path).exists()
    assert recent.result.storage.exists(recent.result.name)


def test_a_setting_of_zero_keeps_for_ever(settings):
    settings.KETNOI_RETAIN_EMAILS_DAYS = 0
    settings.KETNOI_RETAIN_JOBS_DAYS = 0
    email, job = email_at(days_ago(5000)), job_at(days_ago(5000))
    retention.retention_prune(now=NOW)
    assert Email.objects.filter(pk=email.pk).exists() and Job.objects.filter(pk=job.pk).exists()


def test_it_works_in_batches_and_twice_removes_nothing_more(settings, monkeypatch):
    settings.KETNOI_RETAIN_EMAILS_DAYS = 180
    monkeypatch.setattr(retention, "BATCH", 2)
    for _ in range(5):
        email_at(days_ago(200))
    assert retention.retention_prune(now=NOW).emails == 5
    assert retention.retention_prune(now=NOW).total == 0
    assert not Email.objects.exists()


def test_it_records_what_it_removed_and_never_removes_audit_events(settings):
    settings.KETNOI_RETAIN_EMAILS_DAYS = 1
    event = audit_record(actor=None, action="case.file", object_type="cases.case", object_id="1")
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AuditEvent._meta.db_table} SET at = %s WHERE id = %s", [days_ago(9000), event.pk])
    email_at(days_ago(30))
    retention.retention_prune(now=NOW)
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    record = AuditEvent.objects.get(action="retention.prune")
    assert record.after["emails"] == 1 and record.after["deliveries"] == 1


def test_it_is_a_tick_job():
    assert "privacy.retention" in [name for name, _job in JOBS]
