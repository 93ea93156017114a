"""Who sees a background job and its result: the person who asked for it, and the
administrators (who also see every failure in the admin site). Anyone else gets a 404: job ids
are a sequence and must not tell what others asked for."""

from ketnoi.accounts.access import Principal
from ketnoi.accounts.models import Role


def may_see_job(p: Principal, job) -> bool:
    if not p.is_authenticated:
        return False
    if job.kind == "privacy.enterprise_export":
        # A business's copy of its own data: its requester alone, while still one of the
        # enterprise's users (not the administrators: it holds the enterprise's files).
        from ketnoi.privacy.export import may_export

        return job.requested_by_id == p.user_id and may_export(p, int(job.params.get("enterprise") or 0))
    return job.requested_by_id == p.user_id or p.has(Role.ADMIN)
