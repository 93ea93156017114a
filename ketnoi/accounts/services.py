"""Writes to users, enterprises, roles and API tokens. Each runs in one transaction and records
an audit event."""

import hashlib
import hmac
import secrets
from datetime import timedelta
from zoneinfo import ZoneInfo

import pyotp

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.audit.models import AuditEvent
from ketnoi.audit.services import audit_record, snapshot
from ketnoi.lib.user_agent import describe as user_agent_describe
from ketnoi.lib.user_agent import shown as user_agent_shown
from ketnoi.notifications.services import notify

from .models import (
    ENTERPRISE_ROLES, UNIT_ROLES, ApiToken, Enterprise, RecoveryCode, Role, RoleAssignment, TotpDevice, User,
    clean_tax_code, hash_token,
)

CONFIRM_SALT = "ketnoi.accounts.confirm-email"


# --- business registration ------------------------------------------------------------------

@transaction.atomic
def business_register(
    *, tax_code: str, enterprise_name: str, full_name: str, email: str, phone: str, password: str,
    language: str = "vi",
) -> User:
    """A business user registers with the enterprise's tax code. The account stays inactive
    until the e-mail address is confirmed through the link we send.

    An enterprise that already has an active user cannot be joined this way (anyone who knows a
    tax code could otherwise read that enterprise's cases); those users add their colleagues.
    """
    try:
        code = clean_tax_code(tax_code)
    except ValidationError as error:
        raise ValidationError({"tax_code": error.messages}) from error
    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email__iexact=email).exists() or User.objects.filter(username__iexact=email).exists():
        raise ValidationError({"email": _("This e-mail address already has an account. Log in, or reset your password.")})
    enterprise = Enterprise.objects.select_for_update().filter(tax_code=code).first()
    if enterprise and enterprise.role_assignments.filter(user__is_active=True).exists():
        raise ValidationError({"tax_code": _(
            "This enterprise already has an account on ketnoi. Ask a colleague who uses it to add "
            "you, or contact the customs unit where you do your procedures."
        )})
    if enterprise is None:
        enterprise = Enterprise(tax_code=code, name=enterprise_name.strip(), email=email, phone=phone.strip())
        enterprise.full_clean()
        enterprise.save()
        audit_record(actor=None, action="enterprise.register", obj=enterprise, after=snapshot(enterprise))
    user = User(username=email, email=email, full_name=full_name.strip(), phone=phone.strip(),
                language=language, is_active=False)
    user.set_password(password)
    user.full_clean()
    user.save()
    RoleAssignment.objects.create(user=user, role=Role.BUSINESS, enterprise=enterprise)
    audit_record(actor=None, action="user.register", obj=user, after=snapshot(user))
    token = signing.dumps({"u": user.pk, "e": email}, salt=CONFIRM_SALT)
    link = settings.KETNOI_BASE_URL + reverse("accounts:confirm", args=[token])
    notify(user=user, template="accounts/confirm_email", context={"link": link, "enterprise": enterprise},
           in_app=False)
    return user


@transaction.atomic
def business_confirm_email(*, token: str) -> User:
    """Activates the account whose confirmation link this is. Safe to follow twice."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=settings.PASSWORD_RESET_TIMEOUT)
    except signing.SignatureExpired as error:
        raise ValidationError(_("This confirmation link has expired. Register again to get a new one.")) from error
    except signing.BadSignature as error:
        raise ValidationError(_("This confirmation link is not valid. Copy the whole link from the e-mail.")) from error
    user = User.objects.select_for_update().filter(pk=data.get("u"), email=data.get("e")).first()
    if user is None:
        raise ValidationError(_("This confirmation link is not valid. Copy the whole link from the e-mail."))
    if not user.is_active and user.last_login is not None:
        # Used, then closed by an administrator: the old link must not reopen it.
        raise ValidationError(_("This account has been closed. Contact the customs unit where you do your procedures."))
    if not user.is_active:
        before = snapshot(user)
        user.is_active = True
        user.save(update_fields=["is_active"])
        audit_record(actor=user, action="user.confirm_email", obj=user, before=before, after=snapshot(user))
    return user


@transaction.atomic
def registrations_purge_unconfirmed(*, now=None) -> int:
    """Remove registrations whose confirmation link has expired (a `ketnoi tick` job), so that
    a mistyped address does not hold an enterprise's tax code forever."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    stale = (User.objects.filter(is_active=False, last_login__isnull=True, date_joined__lt=cutoff,
                                 role_assignments__role=Role.BUSINESS)
             # Someone the audit trail names as actor (who confirmed, then was deactivated) is kept.
             .exclude(Exists(AuditEvent.objects.filter(actor=OuterRef("pk"))))
             .distinct())
    count = 0
    for user in stale:
        enterprises = [ra.enterprise for ra in user.role_assignments.all() if ra.enterprise_id]
        audit_record(actor=None, action="user.purge_unconfirmed", obj=user, before=snapshot(user))
        user.delete()
        count += 1
        for enterprise in enterprises:
            # An enterprise created by this registration alone goes with it.
            if not enterprise.role_assignments.exists() and enterprise.email == user.email:
                audit_record(actor=None, action="enterprise.purge_unconfirmed", obj=enterprise, before=snapshot(enterprise))
                enterprise.delete()
    return count


# --- staff accounts and roles ---------------------------------------------------------------

@transaction.atomic
def role_assign(*, user: User, role: str, unit=None, enterprise=None, by) -> RoleAssignment:
    if role not in Role.values:
        raise ValidationError(_("Choose a role from the list."))
    if role in UNIT_ROLES and unit is None:
        raise ValidationError(_("An officer or unit leader belongs to a unit: choose one."))
    if role in ENTERPRISE_ROLES and enterprise is None:
        raise ValidationError(_("A business or operator user belongs to an enterprise: choose one."))
    if role not in UNIT_ROLES:
        unit = None
    if role not in ENTERPRISE_ROLES:
        enterprise = None
    assignment, created = RoleAssignment.objects.get_or_create(user=user, role=role, unit=unit, enterprise=enterprise)
    if role == Role.ADMIN and not (user.is_staff and user.is_superuser):
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    if created:
        audit_record(actor=by, action="role.assign", obj=assignment, after=snapshot(assignment))
    return assignment


@transaction.atomic
def user_create(*, username: str, full_name: str, email: str, role: str, unit=None, enterprise=None, by,
                password: str | None = None, position: str = "") -> User:
    """Accounts are created by administrators (and the demo); the person sets a password through
    the password-reset e-mail unless one is given."""
    user = User(username=username.strip(), full_name=full_name.strip(), email=email.strip().lower(),
                position=position.strip())
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    audit_record(actor=by, action="user.create", obj=user, after=snapshot(user))
    role_assign(user=user, role=role, unit=unit, enterprise=enterprise, by=by)
    return user


@transaction.atomic
def user_set_language(*, user: User, language: str) -> None:
    if language not in dict(settings.LANGUAGES) or user.language == language:
        return
    before = snapshot(user)
    user.language = language
    user.save(update_fields=["language"])
    audit_record(actor=user, action="user.set_language", obj=user, before=before, after=snapshot(user))


# --- API tokens -----------------------------------------------------------------------------

TOKEN_PREFIX = "kn_"


@transaction.atomic
def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token and its key; the key is never stored and cannot be shown again."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, for example the program that will use it.")})
    if len(name) > 80:
        raise ValidationError({"name": _("The name can have at most 80 characters.")})
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=key[:10], key_hash=hash_token(key))
    audit_record(actor=user, action="token.create", obj=token, after=snapshot(token))
    return token, key


@transaction.atomic
def token_revoke(*, token: ApiToken, by: User) -> None:
    if token.revoked_at is not None:
        return
    before = snapshot(token)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=by, action="token.revoke", obj=token, before=before, after=snapshot(token))


def token_authenticate(key: str) -> User | None:
    """The active user a bearer key belongs to, or None. Marks the token used (at most once a
    minute, so that reads do not turn into writes on every request)."""
    if not key or not key.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(key), revoked_at__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def enterprise_create(*, tax_code: str, name: str, by, address: str = "", email: str = "", phone: str = "",
                      short_name: str = "", is_priority: bool = False, home_unit=None) -> Enterprise:
    enterprise = Enterprise(tax_code=clean_tax_code(tax_code), name=name.strip(), short_name=short_name.strip(),
                            address=address.strip(), email=email.strip().lower(), phone=phone.strip(),
                            is_priority=is_priority, home_unit=home_unit)
    enterprise.full_clean()
    enterprise.save()
    audit_record(actor=by, action="enterprise.create", obj=enterprise, after=snapshot(enterprise))
    return enterprise


# --- two-factor sign-in (TOTP, RFC 6238) -----------------------------------------------------

TOTP_ISSUER = "ketnoi"
# One step either side of now: a phone clock 30 seconds off still works (RFC 6238 section 5.2).
TOTP_DRIFT_STEPS = 1
RECOVERY_CODES = 10
# Letters and digits that cannot be mistaken for one another when read off paper.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret)


def totp_uri(device: TotpDevice) -> str:
    """The otpauth:// address the QR code holds (Key Uri Format of Google Authenticator)."""
    return _totp(device.secret).provisioning_uri(name=device.user.get_username(), issuer_name=TOTP_ISSUER)


def _matching_step(secret: str, code: str, *, after: int) -> int | None:
    """The time step (now ±1) whose code is `code` and that is later than `after`, or None."""
    code = "".join(code.split())
    if len(code) != 6 or not code.isdigit():
        return None
    totp = _totp(secret)
    now = totp.timecode(timezone.now())
    for step in range(now - TOTP_DRIFT_STEPS, now + TOTP_DRIFT_STEPS + 1):
        if step > after and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _recovery_hash(code: str) -> str:
    return hashlib.sha256("".join(ch for ch in code.lower() if ch.isalnum()).encode()).hexdigest()


def _recovery_codes_new(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = []
    for _i in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _j in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    RecoveryCode.objects.bulk_create([RecoveryCode(user=user, code_hash=_recovery_hash(code)) for code in codes])
    return codes


@transaction.atomic
def totp_enrol_start(*, user: User, secret: str | None = None) -> TotpDevice:
    """The authenticator the user is about to add: the one not yet confirmed (so that reloading
    the page shows the same QR code), or a new secret."""
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    if device is not None and device.confirmed_at is not None:
        raise ValidationError(_("You already have an authenticator. Ask an administrator to reset it if you lost it."))
    if device is None:
        device = TotpDevice.objects.create(user=user, secret=secret or pyotp.random_base32())
    return device


@transaction.atomic
def totp_enrol_confirm(*, user: User, code: str) -> list[str]:
    """Confirm the authenticator with a code it shows; returns the 10 recovery codes, which are
    shown once and stored hashed."""
    device = TotpDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=True).first()
    step = _matching_step(device.secret, code, after=device.last_step) if device else None
    if step is None:
        raise ValidationError({"code": _(
            "This code is not right. Type the 6 digits your authenticator app shows now for ketnoi; "
            "if it does not work, check that your phone's clock is set automatically.")})
    device.confirmed_at = timezone.now()
    device.last_step = step
    device.save(update_fields=["confirmed_at", "last_step"])
    codes = _recovery_codes_new(user)
    audit_record(actor=user, action="user.two_factor_enrol", obj=device, after=snapshot(device))
    return codes


def totp_verify(*, user: User, code: str) -> bool:
    """Whether `code` is the user's current authenticator code and was not used before. The
    step is taken with a conditional UPDATE, so two app servers cannot both accept one code."""
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        return False
    step = _matching_step(device.secret, code, after=device.last_step)
    if step is None:
        return False
    return TotpDevice.objects.filter(pk=device.pk, last_step__lt=step).update(last_step=step) == 1


@transaction.atomic
def recovery_code_use(*, user: User, code: str) -> bool:
    """Sign in with a recovery code instead of the authenticator: each works once."""
    used = RecoveryCode.objects.filter(user=user, code_hash=_recovery_hash(code), used_at__isnull=True).update(
        used_at=timezone.now())
    if used:
        left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
        audit_record(actor=user, action="user.recovery_code_use", obj=user, after={"recovery_codes_left": left})
    return bool(used)


@transaction.atomic
def two_factor_reset(*, user: User, by) -> bool:
    """An administrator removes a user's authenticator and recovery codes (a lost phone): at the
    next sign-in the user adds a new one. False when there was nothing to reset."""
    device = TotpDevice.objects.filter(user=user).first()
    RecoveryCode.objects.filter(user=user).delete()
    if device is None:
        return False
    before = snapshot(device)
    device.delete()
    audit_record(actor=by, action="user.two_factor_reset", obj=user, before=before)
    return True


# --- signing in --------------------------------------------------------------------------------

@transaction.atomic
def password_change_record(*, user: User) -> None:
    """The audit event of a password changed by its owner (Django's view sets it)."""
    audit_record(actor=user, action="user.password_change", obj=user)


@transaction.atomic
def new_device_notify(*, user: User, at, ip: str | None, user_agent: str) -> None:
    """E-mail a staff member that their account was just signed in to from a browser it had not
    been used from: when (Ho Chi Minh City time), from where, with what, and what to do if it
    was not them."""
    browser, system = user_agent_describe(user_agent)
    if browser and system:
        device = _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    else:
        device = browser or system or user_agent_shown(user_agent) or _("unknown browser")
    notify(user=user, template="accounts/new_sign_in", in_app=False, context={
        "when": timezone.localtime(at, ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%d/%m/%Y %H:%M"),
        "ip": ip or _("unknown"), "device": device,
        "reset_link": settings.KETNOI_BASE_URL + reverse("accounts:password_reset"),
    })
