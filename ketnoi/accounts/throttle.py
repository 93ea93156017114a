"""Login throttling and lockout, counted in the database so that every app server sees the same
failures (the rule itself: ketnoi/lib/login_throttle.py).

The page and the API say when to try again, never whether the username exists: an unknown
username is counted and locked exactly like a known one.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ketnoi.audit.services import audit_record
from ketnoi.lib.login_throttle import blocked_until

from .models import LoginFailure, User

# Failures older than this are of no use to any rule: `ketnoi tick` removes them.
KEPT_FOR = timedelta(days=1)


@dataclass(frozen=True)
class Block:
    until: datetime
    reason: str  # "username" or "ip"


def _window() -> timedelta:
    return timedelta(minutes=settings.KETNOI_LOGIN_WINDOW_MINUTES)


def _lock() -> timedelta:
    return timedelta(minutes=settings.KETNOI_LOGIN_LOCK_MINUTES)


def login_key(typed: str) -> str:
    """The counter a typed username or e-mail address counts on: the account's username when it
    names one (so "lan" and "LAN@example.vn" share one), otherwise the text folded."""
    typed = (typed or "").strip()[:150]
    user = None
    if "@" in typed:
        matches = list(User.objects.filter(email__iexact=typed)[:2])
        user = matches[0] if len(matches) == 1 else None
    if user is None:
        user = User.objects.filter(username=typed).first()
    return (user.get_username() if user else typed).casefold()[:150]


def _recent(qs, limit: int) -> list[datetime]:
    since = timezone.now() - _window() - _lock()
    return list(qs.filter(at__gt=since).order_by("-at").values_list("at", flat=True)[:limit])


def login_blocked(*, key: str, ip: str | None, now: datetime | None = None) -> Block | None:
    """The lock in force for this username key or this address, the later one first."""
    now = now or timezone.now()
    blocks = []
    limit = settings.KETNOI_LOGIN_USERNAME_FAILURES
    until = blocked_until(_recent(LoginFailure.objects.filter(username=key, cleared=False), limit),
                          limit=limit, window=_window(), lock=_lock(), now=now)
    if until:
        blocks.append(Block(until, "username"))
    if ip:
        limit = settings.KETNOI_LOGIN_IP_FAILURES
        until = blocked_until(_recent(LoginFailure.objects.filter(ip=ip), limit),
                              limit=limit, window=_window(), lock=_window(), now=now)
        if until:
            blocks.append(Block(until, "ip"))
    return max(blocks, key=lambda block: block.until) if blocks else None


@transaction.atomic
def login_failure_record(*, key: str, ip: str | None, step: str = "password") -> Block | None:
    """Count a failed sign-in (`step`: "password" or "code"); when it starts a lock, record the
    lockout as an audit event and return it."""
    now = timezone.now()
    LoginFailure.objects.create(username=key, ip=ip, at=now)
    block = login_blocked(key=key, ip=ip, now=now)
    if block is not None:
        user = User.objects.filter(username__iexact=key).first() if block.reason == "username" else None
        audit_record(
            actor=None, action="login.lockout", obj=user,
            object_type="accounts.user" if block.reason == "username" else "login.address",
            object_repr=key if block.reason == "username" else (ip or ""), ip=ip,
            after={"locked": block.reason, "until": block.until.isoformat(), "step": step,
                   "username": key},
        )
    return block


def login_failures_clear(*, key: str) -> None:
    """A successful sign-in (or a password reset) clears the username's count; the address's
    count keeps the failures."""
    LoginFailure.objects.filter(username=key, cleared=False).update(cleared=True)


def login_failures_prune(*, now: datetime | None = None) -> int:
    """Remove failures no rule looks at any more (a `ketnoi tick` job; safe to run twice)."""
    now = now or timezone.now()
    deleted, _ = LoginFailure.objects.filter(at__lt=now - max(KEPT_FOR, _window() + _lock())).delete()
    return deleted
