"""Who may see and do what with directives. Directives are internal to customs: staff only.

Coordinators issue them and follow every unit; an officer or leader sees those sent to their
units or to a unit above them (a team works under its branch's directives). A unit's leader,
or an officer the leader named as delegate, acknowledges and reports for the unit.
"""

from django.db.models import QuerySet

from ketnoi.accounts.access import Principal
from ketnoi.accounts.models import Role
from ketnoi.org.models import Unit

from .models import Delegate, Directive


def may_issue(p: Principal) -> bool:
    return p.has(Role.COORDINATOR)


def may_follow_all(p: Principal) -> bool:
    """The matrix of every directive × unit, every directive whatever it was sent to."""
    return p.has(Role.COORDINATOR)


def may_read(p: Principal) -> bool:
    return p.is_staff_member


def units_with_ancestors(unit_ids) -> set[int]:
    """The units and every unit above them (a handful of reads: the tree is four levels deep)."""
    found, frontier = set(), set(unit_ids)
    while frontier:
        found |= frontier
        frontier = set(Unit.objects.filter(pk__in=frontier, parent__isnull=False)
                       .values_list("parent_id", flat=True)) - found
    return found


def visible_directives(p: Principal, qs: QuerySet[Directive] | None = None) -> QuerySet[Directive]:
    qs = Directive.objects.all() if qs is None else qs
    if may_follow_all(p):
        return qs
    if not p.units():
        return qs.none()
    return qs.filter(recipients__unit_id__in=units_with_ancestors(p.units())).distinct()


def may_see(p: Principal, directive: Directive) -> bool:
    return visible_directives(p, Directive.objects.filter(pk=directive.pk)).exists()


def units_acting_for(p: Principal) -> set[int]:
    """The units `p` may acknowledge and report for: those it leads or is a delegate of."""
    if not p.is_authenticated:
        return set()
    delegated = set(Delegate.objects.filter(user_id=p.user_id).values_list("unit_id", flat=True))
    return set(p.units(Role.LEADER)) | (delegated & set(p.units()))


def may_acknowledge(p: Principal, unit_id: int) -> bool:
    return unit_id in units_acting_for(p)


def may_name_delegates(p: Principal, unit_id: int) -> bool:
    return unit_id in p.units(Role.LEADER)
