from django.conf import settings

from .models import TWO_FACTOR_ROLES, ApiToken, Enterprise, RecoveryCode, RoleAssignment, TotpDevice


def roles_of(*, user):
    return RoleAssignment.objects.filter(user=user).select_related("unit", "enterprise").order_by("role")


def tokens_of(*, user):
    return ApiToken.objects.filter(user=user)


def enterprise_with_users(*, enterprise_id: int) -> Enterprise:
    return Enterprise.objects.select_related("home_unit").prefetch_related("role_assignments__user").get(pk=enterprise_id)


def enterprises_of(*, user):
    return Enterprise.objects.filter(role_assignments__user=user).distinct()


def staff_of_unit(*, unit):
    return (RoleAssignment.objects.filter(unit=unit, user__is_active=True)
            .select_related("user").order_by("-role", "user__full_name"))


def is_staff_for_sign_in(*, user) -> bool:
    """Whether `user` works inside the department or administers it (TWO_FACTOR_ROLES, or the
    flags of the admin site): second factor, shorter sessions, new-browser e-mails."""
    if user.is_staff or user.is_superuser:
        return True
    return RoleAssignment.objects.filter(user=user, role__in=TWO_FACTOR_ROLES).exists()


def two_factor_required(*, user) -> bool:
    return settings.KETNOI_STAFF_2FA != "off" and is_staff_for_sign_in(user=user)


def totp_device_confirmed(*, user) -> bool:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def recovery_codes_left(*, user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
