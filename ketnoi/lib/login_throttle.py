"""When a login is refused for too many failures: the rule, without the database.

OWASP's Authentication Cheat Sheet ("Account lockout") asks for a lockout after a few failed
attempts that lasts long enough to stop guessing and short enough not to be a denial of service;
Decree 13/2023/NĐ-CP art. 26 asks the controller of personal data for measures against
unauthorised access. The numbers are settings (KETNOI_LOGIN_*).

Failures are not recorded while a lock is in force (the password is not even checked), so a lock
ends `lock` after the failure that started it, and the failures before it no longer count.
"""

from datetime import datetime, timedelta


def blocked_until(failures: list[datetime], *, limit: int, window: timedelta, lock: timedelta,
                  now: datetime) -> datetime | None:
    """The end of the lock in force at `now`, or None.

    `failures` are the times of the most recent failures (at least `limit` of them when there
    are that many). A lock starts at a failure that makes `limit` failures within `window`.
    """
    if limit <= 0 or len(failures) < limit:
        return None
    recent = sorted(failures)[-limit:]
    if recent[-1] - recent[0] >= window:
        return None
    until = recent[-1] + lock
    return until if until > now else None


def minutes_left(until: datetime, *, now: datetime) -> int:
    """Whole minutes to wait, rounded up, at least 1 (what the page says)."""
    seconds = (until - now).total_seconds()
    return max(1, int(-(-seconds // 60)))
