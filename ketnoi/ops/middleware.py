"""Each request gets an id, a log line and its place in the metrics.

The id is the one nginx sends in X-Request-ID (`proxy_set_header X-Request-ID $request_id;`)
when it looks like one, so that nginx's access log, ours and a person's report ("mã yêu cầu"
in the response header) name the same request; otherwise one is made here. It is returned in
the response's X-Request-ID header and written on every log line of the request.
"""

import logging
import re
import time
import uuid

from django.core.signals import request_finished
from django.dispatch import receiver
from django.utils.functional import empty

from . import logs, metrics
from .logs import REDACTED

logger = logging.getLogger("ketnoi.request")

# Letters, digits, dot, dash, underscore, colon: nginx's $request_id (32 hex digits), a UUID,
# a load balancer's trace id. Anything else (too long, spaces, quotes) is replaced.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")
# URL arguments that are secrets: a link's token (password reset, confirmation, rating,
# check-in, survey), the user id encoded beside a reset token.
SECRET_ARGUMENTS = frozenset({"token", "uidb64", "key", "signature", "secret"})
# Probes and scrapes, every few seconds: their lines at DEBUG, not INFO (still counted).
QUIET_PATHS = frozenset({"/healthz", "/metrics"})
MAX_PATH = 300


def request_id_from(header: str | None) -> str:
    if header and SANE_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def secrets_of(kwargs: dict | None) -> tuple[str, ...]:
    return tuple(value for name, value in (kwargs or {}).items()
                 if name in SECRET_ARGUMENTS and isinstance(value, str) and value)


def safe_path(path: str, kwargs: dict | None) -> str:
    """The path without the secrets its URL arguments carry."""
    for secret in secrets_of(kwargs):
        path = path.replace(secret, REDACTED)
    return path[:MAX_PATH]


def _user_id(request) -> int | None:
    """The user's id if the request looked at its user (never a query of its own for it)."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if getattr(user, "is_authenticated", False) else None


class RequestMiddleware:
    """First in MIDDLEWARE: it times everything the others do."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request_id = request_id_from(request.META.get("HTTP_X_REQUEST_ID"))
        request.request_id = request_id
        # Kept until the response is closed (request_finished), so that Django's own lines
        # written after the middleware ("Not Found: …") belong to the request too. The path
        # joins them once the URL is resolved (process_view): before, it may hold a token.
        logs.request_fields.set({"request_id": request_id, "method": request.method})
        logs.request_secrets.set(())
        response = self.get_response(request)
        seconds = time.perf_counter() - started
        match = getattr(request, "resolver_match", None)
        path = safe_path(request.path, match.kwargs if match else None)
        response["X-Request-ID"] = request_id
        status = response.status_code
        logger.log(logging.DEBUG if request.path in QUIET_PATHS else logging.INFO,
                   "%s %s %s %d ms", request.method, path, status, round(seconds * 1000),
                   extra={"path": path, "status": status, "duration_ms": round(seconds * 1000, 1),
                          "user_id": _user_id(request)})
        metrics.record_request(method=request.method, status=status, seconds=seconds)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        fields = logs.request_fields.get()
        if fields is not None:
            fields["path"] = safe_path(request.path, view_kwargs)
            logs.request_secrets.set(secrets_of(view_kwargs))
        return None


@receiver(request_finished, dispatch_uid="ketnoi.ops.forget_request")
def _forget_request(**kwargs):
    logs.request_fields.set(None)
    logs.request_secrets.set(())
