"""Who may see which report.

- The department's dashboard (every unit, with the unit filter): the coordinators, the
  department's leaders (leaders of the unit of kind "department") and the administrators.
- A unit's dashboard: those, and the leaders of the unit or of a unit above it (a branch's
  leaders see its teams). Officers do not: the figures compare the unit's people's work, which is
  the leaders' business; an officer follows the cases in the unit's queue.
- The year-end review: the coordinators (the department's report) and the party office (its
  party work part); it holds party data only as counts.
- The public scorecard and the open data: anyone (aggregates only, nothing identifying).

Party data never appears on a dashboard, so the party office has no dashboard here.
"""

from ketnoi.accounts.access import Principal
from ketnoi.accounts.models import Role
from ketnoi.org.models import Unit


def _units_and_above(unit_id: int) -> set[int]:
    """The unit and every unit above it (the tree is four levels deep: a few reads)."""
    found, current = set(), unit_id
    while current is not None and current not in found:
        found.add(current)
        current = Unit.objects.filter(pk=current).values_list("parent_id", flat=True).first()
    return found


def _leads_department(p: Principal) -> bool:
    led = p.units(Role.LEADER)
    return bool(led) and Unit.objects.filter(pk__in=led, kind=Unit.Kind.DEPARTMENT).exists()


def may_see_department_dashboard(p: Principal) -> bool:
    return p.has(Role.COORDINATOR, Role.ADMIN) or _leads_department(p)


def may_see_unit_dashboard(p: Principal, unit_id: int) -> bool:
    if may_see_department_dashboard(p):
        return True
    led = p.units(Role.LEADER)
    return bool(led) and bool(led & _units_and_above(unit_id))


def units_led(p: Principal) -> list[int]:
    """The units whose dashboard a leader may open from the navigation (those they lead)."""
    return sorted(p.units(Role.LEADER))


def may_render_year_end(p: Principal) -> bool:
    return p.has(Role.COORDINATOR, Role.PARTY_OFFICE)
