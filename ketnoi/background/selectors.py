"""Reads of the background app."""

from ketnoi.accounts.access import Principal

from .access import may_see_job
from .models import Job


def job_for(*, p: Principal, job_id: int) -> Job | None:
    """The job, if `p` may see it."""
    job = Job.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None or not may_see_job(p, job):
        return None
    return job


def jobs_requested(*, p: Principal, kind: str, limit: int = 10) -> list[Job]:
    """The latest jobs of `kind` that `p` asked for."""
    if not p.is_authenticated:
        return []
    return list(Job.objects.filter(requested_by_id=p.user_id, kind=kind).order_by("-created_at", "-pk")[:limit])
