"""Django's database sessions, with a lifetime of their own for staff sessions.

A staff member's session (marked at sign-in by `mark_staff_session`) ends when the browser
closes (its cookie has no expiry) and, whatever the browser does, KETNOI_STAFF_SESSION_HOURS after
sign-in: a shared office computer left signed in does not stay signed in overnight. The deadline
is checked where the session is read, so no middleware has to look at every request.
"""

import time

from django.conf import settings
from django.contrib.sessions.backends import db

DEADLINE_KEY = "ketnoi_deadline"


def mark_staff_session(session) -> None:
    """Called at sign-in, after the session key was rotated."""
    session[DEADLINE_KEY] = time.time() + settings.KETNOI_STAFF_SESSION_HOURS * 3600
    session.set_expiry(0)  # the cookie ends with the browser


class SessionStore(db.SessionStore):
    def load(self):
        data = super().load()
        deadline = data.get(DEADLINE_KEY)
        if deadline is not None and deadline <= time.time():
            # As Django does with a session past its expiry date: a new, empty session.
            self._session_key = None
            return {}
        return data

    def get_session_cookie_age(self):
        # The database row of a staff session expires with its deadline (`clearsessions`
        # removes it), not two weeks later.
        deadline = self._session_cache.get(DEADLINE_KEY) if hasattr(self, "_session_cache") else None
        if deadline is not None:
            return max(0, int(deadline - time.time()))
        return super().get_session_cookie_age()
