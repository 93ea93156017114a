from .models import ApiToken, Enterprise, RoleAssignment


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
