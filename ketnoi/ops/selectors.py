"""Reads of the operations app: what /metrics and `ketnoi doctor` report."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ketnoi.background.models import Job
from ketnoi.cases.models import Case
from ketnoi.cases.selectors import _open

from .models import Heartbeat, MetricTotal


def heartbeat_at(*, name: str) -> datetime | None:
    return Heartbeat.objects.filter(name=name).values_list("at", flat=True).first()


def metric_totals() -> dict[str, float]:
    return dict(MetricTotal.objects.values_list("series", "value"))


def jobs_by_state() -> dict[str, int]:
    """The background jobs waiting, running and failed (done ones are history, not depth)."""
    counts = dict.fromkeys((Job.State.QUEUED, Job.State.RUNNING, Job.State.FAILED), 0)
    for state, n in (Job.objects.filter(state__in=list(counts)).values_list("state").order_by()
                     .annotate(n=Count("pk"))):
        counts[state] = n
    return {str(state): n for state, n in counts.items()}


@dataclass(frozen=True)
class TaskQueue:
    ready: int  # waiting, due now (a retry waiting for its time is not counted)
    waiting_later: int  # a retry waiting for its time
    running: int
    failed: int  # attempts that raised (kept by django-tasks-db)
    oldest_ready_at: datetime | None  # when the longest-waiting due task was queued


def task_queue(*, now: datetime | None = None) -> TaskQueue:
    """django-tasks-db's queue, as the worker sees it."""
    now = now or timezone.now()
    results = DBTaskResult.objects.order_by()
    ready = results.filter(status=TaskResultStatus.READY)
    due = ready.ready()  # the package's own rule for a task a worker may take now
    counts = results.aggregate(
        running=Count("pk", filter=Q(status=TaskResultStatus.RUNNING)),
        failed=Count("pk", filter=Q(status=TaskResultStatus.FAILED)),
    )
    n_ready = due.count()
    return TaskQueue(
        ready=n_ready, waiting_later=ready.count() - n_ready, running=counts["running"], failed=counts["failed"],
        oldest_ready_at=due.aggregate(oldest=Min("enqueued_at"))["oldest"],
    )


def task_last_started() -> datetime | None:
    """When a worker last took a task (the package keeps no index on it: a scan, for the doctor)."""
    return DBTaskResult.objects.aggregate(last=Max("started_at"))["last"]


@dataclass(frozen=True)
class OpenCases:
    open: int
    overdue: int  # open, not paused, past the moment the answer was due


def open_cases(*, now: datetime | None = None) -> OpenCases:
    """Read through the partial index of open cases (cases.selectors._open)."""
    now = now or timezone.now()
    counts = Case.objects.filter(_open()).order_by().aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(paused_at__isnull=True, due_at__lt=now)))
    return OpenCases(open=counts["open"], overdue=counts["overdue"])
