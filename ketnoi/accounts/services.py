"""Writes to users, enterprises, roles and API tokens. Each runs in one transaction and records
an audit event."""

import secrets
from datetime import timedelta

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
from ketnoi.notifications.services import notify

from .models import (
    ENTERPRISE_ROLES, UNIT_ROLES, ApiToken, Enterprise, Role, RoleAssignment, User, clean_tax_code, hash_token,
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
