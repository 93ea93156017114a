"""Who may see and do what: every page and API endpoint asks here.

A `Principal` is what a user may act as: their roles and, for each, the units or enterprises it
covers. It is read once per request (or token) and cached on the user object. Capability apps
add their own rules on top of these, in their own `access.py`, always starting from a Principal.
"""

from dataclasses import dataclass, field

from .models import ENTERPRISE_ROLES, STAFF_ROLES, UNIT_ROLES, Role, RoleAssignment


@dataclass(frozen=True)
class Principal:
    user_id: int | None = None
    roles: frozenset[str] = frozenset()
    unit_ids: dict[str, frozenset[int]] = field(default_factory=dict)
    enterprise_ids: dict[str, frozenset[int]] = field(default_factory=dict)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    def has(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    def units(self, *roles: str) -> frozenset[int]:
        """The units the user acts for in any of `roles` (default: officer or leader)."""
        roles = roles or tuple(UNIT_ROLES)
        return frozenset().union(*(self.unit_ids.get(role, frozenset()) for role in roles))

    def enterprises(self, *roles: str) -> frozenset[int]:
        roles = roles or tuple(ENTERPRISE_ROLES)
        return frozenset().union(*(self.enterprise_ids.get(role, frozenset()) for role in roles))

    @property
    def is_staff_member(self) -> bool:
        """A customs officer, unit leader or department coordinator."""
        return self.has(*STAFF_ROLES)


ANONYMOUS = Principal()


def principal_for(user) -> Principal:
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_ketnoi_principal", None)
    if cached is not None:
        return cached
    units: dict[str, set[int]] = {}
    enterprises: dict[str, set[int]] = {}
    roles: set[str] = set()
    for role, unit_id, enterprise_id in RoleAssignment.objects.filter(user=user).values_list(
        "role", "unit_id", "enterprise_id"
    ):
        roles.add(role)
        if unit_id:
            units.setdefault(role, set()).add(unit_id)
        if enterprise_id:
            enterprises.setdefault(role, set()).add(enterprise_id)
    principal = Principal(
        user_id=user.pk,
        roles=frozenset(roles),
        unit_ids={role: frozenset(ids) for role, ids in units.items()},
        enterprise_ids={role: frozenset(ids) for role, ids in enterprises.items()},
    )
    user._ketnoi_principal = principal
    return principal


# --- questions the foundation answers --------------------------------------------------------

def may_manage_users(p: Principal) -> bool:
    return p.has(Role.ADMIN)


def may_use_admin_site(p: Principal) -> bool:
    return p.has(Role.ADMIN)


def may_see_all_units(p: Principal) -> bool:
    """Department-wide view of the work (dashboards, routing, escalations)."""
    return p.has(Role.COORDINATOR, Role.ADMIN)


def may_act_for_unit(p: Principal, unit_id: int) -> bool:
    return p.has(Role.COORDINATOR) or unit_id in p.units()


def may_lead_unit(p: Principal, unit_id: int) -> bool:
    return unit_id in p.units(Role.LEADER)


def may_act_for_enterprise(p: Principal, enterprise_id: int) -> bool:
    return enterprise_id in p.enterprises()


def may_see_party_register(p: Principal) -> bool:
    """Party data is sensitive personal data: the party office only (not even admins)."""
    return p.has(Role.PARTY_OFFICE)


def may_use_api(p: Principal) -> bool:
    return p.is_authenticated
