from django.contrib.auth import authenticate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from ketnoi.lib.login_throttle import minutes_left

from . import selectors, services, throttle
from .network import client_ip

router = Router(tags=["accounts"])


class TokenIn(Schema):
    username: str
    password: str
    name: str = "API"
    # Staff accounts sign in with a second factor: the authenticator's current code.
    code: str = ""


class TokenOut(Schema):
    token: str
    id: int
    name: str
    prefix: str


class RoleOut(Schema):
    role: str
    unit_id: int | None
    enterprise_id: int | None


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    email: str
    language: str
    roles: list[RoleOut]


@router.post("/auth/token", auth=None, response={201: TokenOut}, summary="Exchange a username and password for a token")
def auth_token(request, payload: TokenIn):
    """Throttled like the login page (the same counters): too many failures answer 429 with
    Retry-After. A staff account must add the `code` of its authenticator app."""
    key, ip = throttle.login_key(payload.username), client_ip(request)
    block = throttle.login_blocked(key=key, ip=ip)
    if block is not None:
        return _too_many(request, block)
    user = authenticate(request, username=payload.username.strip(), password=payload.password)
    step = "password"
    if user is not None and selectors.two_factor_required(user=user):
        step = "code"
        if not services.totp_verify(user=user, code=payload.code):
            user = None
    if user is None:
        block = throttle.login_failure_record(key=key, ip=ip, step=step)
        if block is not None:
            return _too_many(request, block)
        if step == "code":
            raise HttpError(401, _("This account signs in with a second factor: send the 6-digit code of its "
                                   "authenticator app as “code” (add the app on the sign-in page first)."))
        raise HttpError(401, _("The username or password is not right."))
    throttle.login_failures_clear(key=key)
    token, key = services.token_create(user=user, name=payload.name or "API")
    return Status(201, {"token": key, "id": token.pk, "name": token.name, "prefix": token.prefix})


@router.get("/me", response=MeOut, summary="The signed-in user and their roles")
def me(request):
    user = request.auth
    return {
        "id": user.pk, "username": user.get_username(), "full_name": user.full_name,
        "email": user.email, "language": user.language,
        "roles": [
            {"role": ra.role, "unit_id": ra.unit_id, "enterprise_id": ra.enterprise_id}
            for ra in selectors.roles_of(user=user)
        ],
    }


def _too_many(request, block):
    from ketnoi.api import error_response

    now = timezone.now()
    minutes = minutes_left(block.until, now=now)
    response = error_response(request, 429, "too_many_requests", ngettext(
        "Too many unsuccessful sign-in attempts. Try again in %(minutes)s minute, or reset the password on "
        "the sign-in page.",
        "Too many unsuccessful sign-in attempts. Try again in %(minutes)s minutes, or reset the password on "
        "the sign-in page.", minutes) % {"minutes": minutes})
    response["Retry-After"] = str(max(1, int((block.until - now).total_seconds())))
    return response
