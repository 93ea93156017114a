"""Reads of dashboards and reports from a read replica, when DATABASE_REPLICA_URL is set.

A replica is a copy of the database that follows the primary a moment behind. A read that must
see a write just made may not go there, so nothing goes there unless the code asks for it:

    @reading_from_replica()          # or: with reading_from_replica(): ...
    def dashboard(request): ...

Inside such a block a read goes to the replica, except
- when the request is pinned to the primary: it is not a GET/HEAD/OPTIONS, or the same browser
  made such a request in the last KETNOI_REPLICA_PIN_SECONDS (the `ketnoi_primary` cookie that
  `ReplicaPinMiddleware` sets), so that a person sees what they have just done;
- once the request (or the block, outside a request: the worker) wrote something through the
  ORM: from then on it reads its own writes on the primary;
- inside a transaction on the primary (what a transaction reads must be what it writes on);
- inside a `reading_from_primary()` block: the code of a write (reports_refresh folds cases
  into sums it reads back) declares that it reads and writes the primary; its writes are its
  own and do not pin the block around it, so the dashboard that refreshed its sums still reads
  them from the replica, a moment behind;
- when the replica could not be reached: it is left alone for REPLICA_RETRY_SECONDS and the
  primary answers.
Writes always go to the primary, and migrations run on it only. Without DATABASE_REPLICA_URL
every read goes to the primary and no cookie is set.

The state is held in context variables: each thread (a gunicorn worker's request, the
background worker's job) has its own.
"""

import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import ContextDecorator
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connections

DEFAULT = "default"
REPLICA = "replica"
PIN_COOKIE = "ketnoi_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# How long an unreachable replica is left alone before it is tried again.
REPLICA_RETRY_SECONDS = 30.0

logger = logging.getLogger("ketnoi.ops.replica")


@dataclass
class _Block:
    replica: bool  # reads may go to the replica (else: the primary)
    wrote: bool = False


@dataclass
class RequestState:
    pinned: bool  # the whole request reads from the primary
    wrote: bool = False  # it wrote through the ORM (outside a reading_from_primary block)


_block: ContextVar[_Block | None] = ContextVar("ketnoi_database_block", default=None)
_request: ContextVar[RequestState | None] = ContextVar("ketnoi_database_request", default=None)
_replica_down_until = 0.0


def replica_configured() -> bool:
    return REPLICA in connections.settings


class reading_from_replica(ContextDecorator):
    """Reads inside go to the replica when one is configured (see the module's rules). Inside a
    `reading_from_primary()` block it changes nothing."""

    def __init__(self):
        self._token = None

    def _recreate_cm(self):
        return type(self)()  # one per call: a decorated view may run in several threads at once

    def __enter__(self):
        if _block.get() is None:
            self._token = _block.set(_Block(replica=True))
        return self

    def __exit__(self, *exc):
        if self._token is not None:
            _block.reset(self._token)
            self._token = None
        return False


class reading_from_primary(ContextDecorator):
    """Reads and writes inside go to the primary; the writes do not pin the block or request
    around it (the code inside reads back what it writes, on the primary)."""

    def __init__(self):
        self._token = None

    def _recreate_cm(self):
        return type(self)()

    def __enter__(self):
        self._token = _block.set(_Block(replica=False))
        return self

    def __exit__(self, *exc):
        _block.reset(self._token)
        self._token = None
        return False


def replica_stream(iterable: Iterable) -> Iterator:
    """`iterable` read inside reading_from_replica() as it is consumed: for a streamed
    response, which is read after the view (and its blocks) returned. The request's pin, as it
    stands now, goes with it."""
    request = _request.get()

    def stream():
        token = _request.set(request)
        try:
            with reading_from_replica():
                yield from iterable
        finally:
            _request.reset(token)

    return stream()


def _replica_usable() -> bool:
    """Whether the replica answers: connected now, or connects now. One that does not is left
    alone for REPLICA_RETRY_SECONDS."""
    global _replica_down_until
    if time.monotonic() < _replica_down_until:
        return False
    connection = connections[REPLICA]
    if connection.connection is not None:
        return True
    try:
        connection.ensure_connection()
    except DatabaseError as error:
        _replica_down_until = time.monotonic() + REPLICA_RETRY_SECONDS
        logger.warning("the read replica cannot be reached, reading from the primary for %d s: %s",
                       REPLICA_RETRY_SECONDS, error)
        return False
    return True


def reading_database() -> str:
    """The alias a read made here and now goes to."""
    block = _block.get()
    if block is None or not block.replica or block.wrote:
        return DEFAULT
    request = _request.get()
    if request is not None and (request.pinned or request.wrote):
        return DEFAULT
    if not replica_configured() or connections[DEFAULT].in_atomic_block:
        return DEFAULT
    return REPLICA if _replica_usable() else DEFAULT


class ReplicaRouter:
    """DATABASE_ROUTERS: reads by `reading_database()`, writes and migrations on the primary."""

    def db_for_read(self, model, **hints):
        return reading_database()

    def db_for_write(self, model, **hints):
        block = _block.get()
        if block is None or block.replica:
            if block is not None:
                block.wrote = True
            request = _request.get()
            if request is not None:
                request.wrote = True
        return DEFAULT

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT


def _pin_seconds() -> int:
    return int(getattr(settings, "KETNOI_REPLICA_PIN_SECONDS", 10))


def _pinned_by_cookie(value: str | None, now: float) -> bool:
    try:
        wrote_at = int(value or "")
    except ValueError:
        return False
    return now - _pin_seconds() < wrote_at <= now + 60  # a time far ahead is not ours


class ReplicaPinMiddleware:
    """Pins to the primary a request that may write (not GET/HEAD/OPTIONS) and the browser's
    requests for KETNOI_REPLICA_PIN_SECONDS after a request that wrote. Last in MIDDLEWARE: what
    the middleware around the view writes (the session) does not count."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        now = time.time()
        unsafe = request.method not in SAFE_METHODS
        state = RequestState(pinned=unsafe or _pinned_by_cookie(request.COOKIES.get(PIN_COOKIE), now))
        token = _request.set(state)
        try:
            response = self.get_response(request)
        finally:
            _request.reset(token)
        if unsafe or state.wrote:
            response.set_cookie(PIN_COOKIE, str(int(now)), max_age=_pin_seconds(), httponly=True, samesite="Lax",
                                secure=settings.SESSION_COOKIE_SECURE)
        return response
