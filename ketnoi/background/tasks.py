"""The tasks the worker runs (django-tasks, database backend). A task's arguments are stored as
JSON in the queue table, so they are ids, never objects."""

from django_tasks import task


@task()
def run_job(job_id: int) -> str:
    """One attempt at a background job (a retry is a new task, queued with a later start)."""
    from .services import job_run

    return job_run(job_id=job_id)
