"""The versioned REST API: each app's router assembled under /api/v1/.

Every error is JSON `{"error": {"code": "...", "message": "..."}}` with a 4xx status.
"""

import functools
import json
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.urls import URLPattern, re_path
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from ketnoi.accounts.services import token_authenticate
from ketnoi.lib import storable
from ketnoi.org.models import Unit

MAX_ID = 2**31 - 1  # the largest id a database integer holds: a larger one is simply not found


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = token_authenticate(token)
        if user is not None:
            request.user = user
            # The middleware ran before the token was read: answer in the user's language.
            translation.activate(user.language or settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = translation.get_language()
        return user


def optional_caller(request):
    """The token's user on a public endpoint, or None without a token (a token that is sent
    must be valid: a typing mistake is not silently read as anonymous)."""
    if not request.headers.get("Authorization"):
        return None
    user = BearerToken()(request)
    if not user:
        raise AuthenticationError
    return user


def unit_param(ref: str) -> Unit:
    """The customs unit a `unit` parameter names by office code (any case) or id."""
    ref = ref.strip()
    unit = Unit.objects.filter(code__iexact=ref).first()
    if unit is None and ref.isdecimal() and int(ref) <= MAX_ID:
        unit = Unit.objects.filter(pk=int(ref)).first()
    if unit is None:
        raise DjangoValidationError({"unit": _("No customs unit has the id or office code “%(unit)s”. Use one from "
                                               "GET /api/v1/units.") % {"unit": ref}})
    return unit


class KetnoiAPI(NinjaAPI):
    """Ninja answers a wrong method, its root URL and unknown paths outside its exception
    handlers (plain text or Django's HTML page); these give our JSON error too."""

    def _get_urls(self):
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                pattern.callback = _json_errors(pattern.callback)
        urls.append(re_path(r"", _not_found))  # anything no route matched
        return urls


# A JSON body can carry a NUL byte or an unpaired surrogate only as an escape: look inside
# only the bodies that have one (a 1 MB body without is not parsed twice).
_ESCAPED_UNSTORABLE = re.compile(rb"\\u(0000|d[89a-f])", re.IGNORECASE)


def _unstorable_field(request) -> tuple[str, str] | None:
    """(field, reason) of the first query parameter or JSON field whose text no database can
    store (ketnoi.lib.storable), before the operation parses it."""
    for key, values in request.GET.lists():
        for value in values:
            if reason := storable.unstorable(key) or storable.unstorable(value):
                return key, reason
    if request.content_type != "application/json":
        return None
    try:
        if not _ESCAPED_UNSTORABLE.search(request.body):
            return None
        found = storable.first_unstorable(json.loads(request.body))
    except (RequestDataTooBig, ValueError):
        return None  # too large or not JSON: the operation answers so
    if found:
        path, reason = found
        return ".".join(str(step) for step in path), reason
    return None


def _unstorable_response(request, field: str, reason: str):
    message = (_("This field holds a NUL character (\\0): remove it and send again.") if reason == storable.NUL
               else _("This field holds an unpaired UTF-16 surrogate, which is not a character: send the text "
                      "as valid UTF-8."))
    return error_response(request, 422, "invalid", _("Some fields are missing or not valid."),
                          [{"field": field, "message": message}])


def _json_errors(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if found := _unstorable_field(request):
            return _unstorable_response(request, *found)
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return on_not_found(request, None)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = error_response(request, 405, "method_not_allowed",
                                      _("This address does not accept %(method)s: use %(allowed)s.")
                                      % {"method": request.method, "allowed": allowed})
            response["Allow"] = allowed
        return response
    return wrapper


@csrf_exempt
def _not_found(request, *args, **kwargs):
    return on_not_found(request, None)


api = KetnoiAPI(
    title="ketnoi API",
    version="1",
    description="Kết nối Hải quan – Doanh nghiệp. Get a token with POST /api/v1/auth/token "
    "or on your account page, then send `Authorization: Bearer <token>`.",
    urls_namespace="api-v1",
    auth=BearerToken(),
)


def error_response(request, status: int, code: str, message: str, details=None):
    body = {"error": {"code": code, "message": message}}
    if details is not None:
        body["error"]["details"] = details
    return api.create_response(request, body, status=status)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc):
    def field(loc):
        # ("body", "payload", "subject") → "subject"; ("query", "on") → "on"
        parts = list(loc)[2:] if loc and loc[0] == "body" else list(loc)[1:]
        return ".".join(str(part) for part in parts)

    details = [{"field": field(e.get("loc", ())), "message": e.get("msg", "")} for e in exc.errors]
    return error_response(request, 422, "invalid", _("Some fields are missing or not valid."), details)


@api.exception_handler(DjangoValidationError)
def on_domain_error(request, exc):
    details = exc.message_dict if hasattr(exc, "error_dict") else None
    message = " ".join(exc.messages)
    return error_response(request, 400, "invalid", message, details)


@api.exception_handler(RequestDataTooBig)
def on_too_big(request, exc):
    return error_response(request, 413, "too_large", _("The request is too large."))


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return error_response(request, 401, "unauthenticated",
                          _("Send a valid token: Authorization: Bearer <token>."))


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return error_response(request, 403, "forbidden", _("You may not do this."))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error_response(request, 404, "not_found", _("Not found."))


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    codes = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
             405: "method_not_allowed", 409: "conflict", 429: "too_many_requests"}
    return error_response(request, exc.status_code, codes.get(exc.status_code, "error"), str(exc))


def _add_routers():
    from ketnoi.accounts.api import router as accounts_router
    from ketnoi.cases.api import router as cases_router
    from ketnoi.dialogue.api import router as dialogue_router
    from ketnoi.directives.api import router as directives_router
    from ketnoi.knowledge.api import router as knowledge_router
    from ketnoi.org.api import router as org_router
    from ketnoi.party.api import router as party_router
    from ketnoi.prices.api import router as prices_router
    from ketnoi.reports.api import router as reports_router

    api.add_router("/", accounts_router)
    api.add_router("/units", org_router)
    api.add_router("/", cases_router)
    api.add_router("/", knowledge_router)
    api.add_router("/", directives_router)
    api.add_router("/", prices_router)
    api.add_router("/", dialogue_router)
    api.add_router("/", party_router)
    api.add_router("/", reports_router)


_add_routers()
