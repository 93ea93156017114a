"""Django's database sessions, with a lifetime of their own for staff sessions.

A staff member's session (marked at sign-in by `mark_staff_session`) ends when the browser
closes (its cookie has no expiry) and, whatever the browser does, KETNOI_STAFF_SESSION_HOURS after
sign-in: a shared office computer left signed in does not stay signed in overnight. The deadline
is checked where the session is read, so no middleware has to look at every request.

The deadline is wall-clock time (time.time()), and the database row keeps Django's expiry date
(`clearsessions` removes it two weeks on): a test that moves `timezone.now()` days ahead keeps
its signed-in browsers, as before staff sessions were shortened.
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
