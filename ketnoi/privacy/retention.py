"""How long records about people are kept: a `ketnoi tick` job removes what is older than the
KETNOI_RETAIN_* settings (settings.py, "operations"), in batches, each in a transaction of its
own; safe to run twice, or at the same time on two machines (a row already removed is simply
not found again).

Not removed here:
- audit events: each is a link of the hash chain (ketnoi/audit): removing old ones would break
  the chain for every event after them, and the trail is the evidence of who changed what
  (cases, the party register, prices) that an inspection asks for years later;
- login failures: the sign-in throttle prunes its own (accounts.throttle.login_failures_prune);
- unconfirmed registrations: removed when their confirmation link expires
  (accounts.services.registrations_purge_unconfirmed).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from ketnoi.audit.services import audit_record

BATCH = 1000


@dataclass(frozen=True)
class Pruned:
    party_reads: int = 0
    emails: int = 0
    deliveries: int = 0
    task_results: int = 0
    jobs: int = 0

    @property
    def total(self) -> int:
        return self.party_reads + self.emails + self.deliveries + self.task_results + self.jobs


def _cutoff(now: datetime, days: int) -> datetime | None:
    """None keeps for ever (a setting of 0)."""
    return now - timedelta(days=days) if days > 0 else None


def _in_batches(queryset, delete) -> int:
    """Remove the rows of ``queryset`` BATCH at a time, each batch its own transaction (a long
    backlog never holds one long lock)."""
    removed = 0
    while True:
        ids = list(queryset.order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not ids:
            return removed
        with transaction.atomic():
            removed += delete(ids)


def _raw_delete(model):
    """DELETE by id in SQL: the append-only models refuse a QuerySet delete, on purpose; this
    is the one path that removes their rows, once their retention has passed."""
    def delete(ids) -> int:
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE id IN ({', '.join(['%s'] * len(ids))})", ids)
            return cursor.rowcount
    return delete


def _orm_delete(model):
    def delete(ids) -> int:
        return model.objects.filter(pk__in=ids).delete()[1].get(model._meta.label, 0)
    return delete


def prune_party_reads(now: datetime) -> int:
    from ketnoi.party.models import MemberRead

    cutoff = _cutoff(now, settings.KETNOI_RETAIN_PARTY_READS_DAYS)
    if cutoff is None:
        return 0
    return _in_batches(MemberRead.objects.filter(at__lt=cutoff), _raw_delete(MemberRead))


def prune_emails(now: datetime) -> tuple[int, int]:
    """Deliveries sent or given up on before the cutoff, then the e-mails left with none (an
    e-mail still waiting for one of its recipients stays)."""
    from ketnoi.notifications.models import Email, EmailDelivery

    cutoff = _cutoff(now, settings.KETNOI_RETAIN_EMAILS_DAYS)
    if cutoff is None:
        return 0, 0
    finished = [EmailDelivery.State.SENT, EmailDelivery.State.FAILED]
    deliveries = _in_batches(EmailDelivery.objects.filter(state__in=finished, created_at__lt=cutoff),
                             _orm_delete(EmailDelivery))
    emails = _in_batches(Email.objects.filter(created_at__lt=cutoff, deliveries__isnull=True), _orm_delete(Email))
    return emails, deliveries


def prune_task_results(now: datetime) -> int:
    """django-tasks-db's results of finished tasks (their arguments name people: e-mail batches,
    imports)."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    cutoff = _cutoff(now, settings.KETNOI_RETAIN_TASK_RESULTS_DAYS)
    if cutoff is None:
        return 0
    finished = [TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED]
    return _in_batches(DBTaskResult.objects.filter(status__in=finished, finished_at__lt=cutoff),
                       _orm_delete(DBTaskResult))


def prune_jobs(now: datetime) -> int:
    """Finished background jobs, with their result files (a year-end review, a business's data
    export): the file first, then the row, so that no row points at a file gone."""
    from ketnoi.background.models import Job

    cutoff = _cutoff(now, settings.KETNOI_RETAIN_JOBS_DAYS)
    if cutoff is None:
        return 0

    def delete(ids) -> int:
        for job in Job.objects.filter(pk__in=ids).exclude(result=""):
            job.result.delete(save=False)
        return Job.objects.filter(pk__in=ids).delete()[1].get(Job._meta.label, 0)

    return _in_batches(Job.objects.filter(state__in=[Job.State.DONE, Job.State.FAILED], finished_at__lt=cutoff),
                       delete)


def retention_prune(*, now: datetime | None = None) -> Pruned:
    """The tick job: everything past its retention removed; one audit event says how much."""
    now = now or timezone.now()
    emails, deliveries = prune_emails(now)
    pruned = Pruned(party_reads=prune_party_reads(now), emails=emails, deliveries=deliveries,
                    task_results=prune_task_results(now), jobs=prune_jobs(now))
    if pruned.total:
        audit_record(actor=None, action="retention.prune", object_type="privacy.retention",
                     object_repr=f"{timezone.localtime(now):%d/%m/%Y %H:%M}", after=vars(pruned))
    return pruned
