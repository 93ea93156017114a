"""Small builders shared by the accounts tests. They write straight to the database, not
through the services under test, so that a broken service cannot hide behind its own fixture."""

from ketnoi.accounts.models import ApiToken, Role, RoleAssignment, User, hash_token
from ketnoi.audit.models import AuditEvent

PASSWORD = "Sông-Sài-Gòn-2025"

ROLES = ["business", "operator", "officer", "leader", "coordinator", "party", "admin"]


def make_user(username: str, *, role: str | None = None, unit=None, enterprise=None,
              password: str = PASSWORD, is_active: bool = True, language: str = "en",
              email: str | None = None, full_name: str = "") -> User:
    """A user with at most one role. Users read pages in English unless told otherwise, so that
    assertions on English text do not depend on the state of the Vietnamese translation."""
    user = User(username=username, email=email if email is not None else f"{username}@example.vn",
                full_name=full_name or username.title(), is_active=is_active, language=language)
    user.set_password(password)
    if role == Role.ADMIN:
        user.is_staff = user.is_superuser = True
    user.save()
    if role is not None:
        RoleAssignment.objects.create(
            user=user, role=role,
            unit=unit if role in ("officer", "leader") else None,
            enterprise=enterprise if role in ("business", "operator") else None,
        )
    return user


def make_token(user: User, *, key: str, name: str = "Kế toán", revoked: bool = False) -> ApiToken:
    from django.utils import timezone

    return ApiToken.objects.create(
        user=user, name=name, prefix=key[:10], key_hash=hash_token(key),
        revoked_at=timezone.now() if revoked else None,
    )


def counts() -> dict[str, int]:
    """How many rows the registration flow could write; compare before and after."""
    from ketnoi.accounts.models import Enterprise
    from ketnoi.notifications.models import Notification

    return {
        "users": User.objects.count(),
        "enterprises": Enterprise.objects.count(),
        "roles": RoleAssignment.objects.count(),
        "tokens": ApiToken.objects.count(),
        "audit": AuditEvent.objects.count(),
        "notifications": Notification.objects.count(),
    }


def actions(**filters) -> list[str]:
    """The audit actions recorded, oldest first."""
    return list(AuditEvent.objects.filter(**filters).order_by("at", "id").values_list("action", flat=True))
