"""Writes of the background app: asking for a job, running one attempt of it, trying it again.

The queue is django-tasks-db's table in our own database, so a job and its task are written in
one transaction: a job is never left without its task, nor a task without its job.

django-tasks-db runs a task once: a task that raises is marked failed and stays so. Retries are
ours: a transient failure (the database, the disk) queues a new task that starts after a delay
that doubles with each attempt; a bug (anything else: a ValueError in a renderer) fails the job
at once, because running the same code on the same data again gives the same error."""

import logging
import traceback
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ketnoi.accounts.access import principal_for

from .kinds import Output, kind_for
from .models import Job
from .tasks import run_job

logger = logging.getLogger("ketnoi.background")

# A lost or locked connection, a deadlock or serialisation failure (OperationalError), a
# connection in a bad state (InterfaceError), a full or unreachable disk (OSError) may pass.
# An IntegrityError, DataError or ProgrammingError is the code's fault and would happen again.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, OSError)
RETRY_DELAY_CAP = timedelta(hours=1)


def retry_delay(*, attempt: int, base_seconds: float) -> timedelta:
    """The wait before the attempt after `attempt` (1, 2 …): base, 2 × base, 4 × base … at most an hour."""
    return min(timedelta(seconds=base_seconds * 2 ** (attempt - 1)), RETRY_DELAY_CAP)


def job_request(*, kind: str, params: dict, by, language: str | None = None) -> Job:
    """Queue a job of `kind` for `by`. Bad parameters raise ValidationError and queue nothing."""
    found = kind_for(kind)
    if found is None:
        raise ValidationError(_("This kind of work does not exist."))
    if not found.may_request(principal_for(by)):
        raise PermissionDenied
    cleaned = found.clean(dict(params))
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind, params=cleaned, requested_by=by,
            language=language or getattr(by, "language", "") or settings.LANGUAGE_CODE,
            max_attempts=max(1, settings.KETNOI_JOB_ATTEMPTS),
        )
        job.task_id = run_job.enqueue(job.pk).id
        job.save(update_fields=["task_id"])
    return job


def job_retry(*, job: Job) -> Job:
    """An administrator queues a failed job again, with a fresh allowance of attempts."""
    if job.state != Job.State.FAILED:
        raise ValidationError(_("Only a failed job can be tried again."))
    with transaction.atomic():
        task_id = run_job.enqueue(job.pk).id
        Job.objects.filter(pk=job.pk, state=Job.State.FAILED).update(
            state=Job.State.QUEUED, error="", finished_at=None, next_attempt_at=None, task_id=task_id,
            max_attempts=job.attempts + max(1, settings.KETNOI_JOB_ATTEMPTS), updated_at=timezone.now(),
        )
    job.refresh_from_db()
    return job


def job_run(*, job_id: int) -> str:
    """One attempt, run by the worker. Safe to run twice: only a queued job is taken."""
    now = timezone.now()
    taken = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING, attempts=F("attempts") + 1, started_at=now, next_attempt_at=None,
        progress_done=0, progress_total=0, step="", updated_at=now,
    )
    if not taken:
        return "not queued"
    job = Job.objects.get(pk=job_id)
    with translation.override(job.language):
        try:
            kind = kind_for(job.kind)
            if kind is None:
                raise LookupError(f"no job kind {job.kind!r} is registered")
            output = kind.run(dict(job.params), _progress_of(job.pk))
            _finish(job, output)
        except Exception as error:
            _after_failure(job, error)
            # Raised again: the attempt is also marked failed, with its traceback, in the
            # package's own task results (admin: Tasks Database Backend).
            raise
    return "done"


def _progress_of(job_id: int):
    def progress(done: int, total: int, label="") -> None:
        total = max(0, int(total))
        done = max(0, int(done))
        if total:
            done = min(done, total)
        Job.objects.filter(pk=job_id, state=Job.State.RUNNING).update(
            progress_done=done, progress_total=total, step=str(label)[:200], updated_at=timezone.now())

    return progress


def _finish(job: Job, output: Output) -> None:
    if not isinstance(output, Output) or not isinstance(output.content, bytes):
        raise TypeError(f"job kind {job.kind!r} returned {type(output).__name__}, not an Output")
    job.result.save("result", ContentFile(output.content), save=False)
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.DONE, result=job.result.name, result_name=output.filename[:200],
        result_content_type=output.content_type[:120], progress_done=F("progress_total"), step="",
        error="", finished_at=timezone.now(), updated_at=timezone.now(),
    )


def _describe(error: BaseException) -> str:
    return "".join(traceback.format_exception(error)).strip()


def _after_failure(job: Job, error: Exception) -> None:
    if isinstance(error, ValidationError):
        # The work refused what it was given (an import with rows to correct): the requester
        # reads why in the kind's own words; no fault of the program, and the same input would
        # be refused again.
        message = " ".join(str(m) for m in error.messages)
        now = timezone.now()
        Job.objects.filter(pk=job.pk).update(
            state=Job.State.FAILED, error=message, error_detail=message, next_attempt_at=None, finished_at=now,
            updated_at=now)
        logger.info("background job %s (%s) refused its input: %s", job.pk, job.kind, message)
        return
    transient = isinstance(error, TRANSIENT_ERRORS)
    if isinstance(error, (OperationalError, InterfaceError)) and not connection.in_atomic_block:
        # A dropped connection is replaced before the job's state is written.
        connection.close_if_unusable_or_obsolete()
    now = timezone.now()
    if transient and job.attempts < job.max_attempts:
        when = now + retry_delay(attempt=job.attempts, base_seconds=settings.KETNOI_JOB_RETRY_SECONDS)
        with transaction.atomic():
            task_id = run_job.using(run_after=when).enqueue(job.pk).id
            Job.objects.filter(pk=job.pk).update(
                state=Job.State.QUEUED, next_attempt_at=when, task_id=task_id, step="",
                error_detail=_describe(error), updated_at=now,
            )
        logger.warning("background job %s (%s) attempt %s failed, next at %s: %r",
                       job.pk, job.kind, job.attempts, when.isoformat(), error)
        return
    if transient:
        message = _("The work could not be finished after %(attempts)d attempts. Please ask again later; "
                    "the administrators can see what went wrong.") % {"attempts": job.attempts}
    else:
        message = _("The work stopped because of an error in the program. The administrators can see "
                    "what went wrong; please tell them if you need the result soon.")
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.FAILED, error=message, error_detail=_describe(error), next_attempt_at=None,
        finished_at=now, updated_at=now,
    )
    logger.error("background job %s (%s) failed after %s attempt(s): %r", job.pk, job.kind, job.attempts, error)
