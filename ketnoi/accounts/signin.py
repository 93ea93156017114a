"""The steps of signing in through the pages: password, then (for staff) the second factor,
then the session.

After the password a staff member is not signed in yet: the session only remembers, for a few
minutes, who passed the password step ("second factor pending"). `request.user` stays anonymous
until the code is given, so no page, whatever rule it checks, can be reached with the password
alone, and nothing has to inspect every request.
"""

import secrets
import time

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth import login as auth_login
from django.core import signing
from django.db import transaction
from django.utils import timezone

from . import selectors, services, throttle
from .models import User
from .network import client_ip
from .sessions import mark_staff_session

PENDING_KEY = "ketnoi_2fa_pending"
# How long the code page waits after the password: enough to find the phone.
PENDING_SECONDS = 10 * 60
DEVICE_SALT = "ketnoi.accounts.device"
# A browser shared by a few colleagues remembers this many of them.
DEVICE_USERS_KEPT = 20


def pending_start(request, user, *, next_url: str) -> None:
    request.session.cycle_key()  # a new session key once the password is known (fixation)
    request.session[PENDING_KEY] = {"user": user.pk, "backend": user.backend, "at": time.time(),
                                    "next": next_url}


def pending_user(request) -> tuple[User | None, dict]:
    """The user waiting for their second factor in this session, and the pending record."""
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None, {}
    user = User.objects.filter(pk=pending.get("user"), is_active=True).first()
    if user is not None:
        user.backend = pending.get("backend")
    return user, pending


def pending_end(request) -> None:
    request.session.pop(PENDING_KEY, None)


def sign_in(request, user) -> None:
    """The user passed every step: log in (Django rotates the session key), clear the failures,
    and for staff shorten the session and look at the browser (the view then calls
    `device_cookie_set` on its response)."""
    pending_end(request)
    auth_login(request, user, backend=getattr(user, "backend", None) or request.session.get(BACKEND_SESSION_KEY))
    throttle.login_failures_clear(key=throttle.login_key(user.get_username()))
    request.ketnoi_device_users = None
    if selectors.is_staff_for_sign_in(user=user):
        mark_staff_session(request.session)
        request.ketnoi_device_users = _device_check(request, user)


def _device_users(request) -> tuple[str, list[int]]:
    try:
        data = signing.loads(request.COOKIES.get(settings.KETNOI_DEVICE_COOKIE, ""), salt=DEVICE_SALT)
        return str(data["d"]), [int(pk) for pk in data["u"]]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return secrets.token_urlsafe(16), []


def _device_check(request, user) -> tuple[str, list[int]]:
    device, users = _device_users(request)
    if user.pk not in users:
        with transaction.atomic():
            services.new_device_notify(user=user, at=timezone.now(), ip=client_ip(request),
                                       user_agent=request.META.get("HTTP_USER_AGENT", ""))
        users = [*users, user.pk][-DEVICE_USERS_KEPT:]
    return device, users


def device_cookie_set(request, response) -> None:
    """Remember that the signed-in staff member used this browser (signed, HttpOnly, 400 days)."""
    known = getattr(request, "ketnoi_device_users", None)
    if not known:
        return
    device, users = known
    response.set_cookie(
        settings.KETNOI_DEVICE_COOKIE, signing.dumps({"d": device, "u": users}, salt=DEVICE_SALT),
        max_age=settings.KETNOI_DEVICE_COOKIE_DAYS * 24 * 3600, secure=settings.SESSION_COOKIE_SECURE,
        httponly=True, samesite="Lax",
    )
