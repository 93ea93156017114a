"""Who may see and do what in the dialogue programmes (“Cà phê sáng cùng doanh nghiệp”).

- Anyone: the calendar, a programme's and a session's public page, the .ics files and feeds.
  No registrant's name is public, only counts.
- A business user: registers its own enterprise, cancels and sees its own registrations, and
  answers the survey of a session it attended (by the signed link, no login).
- The staff of the programme's unit (officers and leaders; of the units above it too), the
  programme's hosts and the coordinators run a session: registrations, agenda, check-in, the
  outcome of each question, the draft minutes.
- A leader of the programme's unit and the coordinators lead it: create and edit the programme,
  move or cancel a session, reorder the agenda, issue the minutes, close the session.
- Operators, the party office, administrators (as such) and officers of other units: nothing
  beyond the public pages.
"""

from django.db.models import Q, QuerySet

from ketnoi.accounts.access import Principal
from ketnoi.accounts.models import Role
from ketnoi.org.models import Unit

from .models import Programme, Registration, Session


def _unit_and_above(unit_id: int) -> set[int]:
    """The unit and every unit above it (the tree is four levels deep: a few reads)."""
    found, current = set(), unit_id
    while current is not None and current not in found:
        found.add(current)
        current = Unit.objects.filter(pk=current).values_list("parent_id", flat=True).first()
    return found


def _units_and_below(unit_ids) -> set[int]:
    found, frontier = set(), set(unit_ids)
    while frontier:
        found |= frontier
        frontier = set(Unit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - found
    return found


def _is_host(p: Principal, programme: Programme) -> bool:
    if not p.is_staff_member:
        return False  # a host who left the staff side keeps no access through the programme
    return programme.hosts.filter(pk=p.user_id).exists()


def may_create_programme(p: Principal, unit) -> bool:
    unit_id = getattr(unit, "pk", unit)
    return p.has(Role.COORDINATOR) or unit_id in p.units(Role.LEADER)


def may_manage_programme(p: Principal, programme: Programme) -> bool:
    """Edit the programme and lead its sessions: the unit's leaders and the coordinators."""
    return may_create_programme(p, programme.unit_id)


def may_run_session(p: Principal, session: Session) -> bool:
    """The staff side of a session: registrations, agenda, check-in, outcomes, draft minutes."""
    if p.has(Role.COORDINATOR):
        return True
    programme = session.programme
    units = p.units()
    if units and units & _unit_and_above(programme.unit_id):
        return True
    return _is_host(p, programme)


def may_lead_session(p: Principal, session: Session) -> bool:
    """Move or cancel the session, reorder the agenda, issue the minutes, close it."""
    return may_manage_programme(p, session.programme)


def may_register(p: Principal, enterprise) -> bool:
    enterprise_id = getattr(enterprise, "pk", enterprise)
    return enterprise_id in p.enterprises(Role.BUSINESS)


def may_see_registration(p: Principal, registration: Registration) -> bool:
    return may_register(p, registration.enterprise_id) or may_run_session(p, registration.session)


def may_cancel_registration(p: Principal, registration: Registration) -> bool:
    """The business itself; the staff who run the session too (a business that phoned in)."""
    return may_see_registration(p, registration)


def sessions_run_by(p: Principal, qs: QuerySet[Session] | None = None) -> QuerySet[Session]:
    """The sessions `p` may run: those of its units and the units below them, of the
    programmes it hosts; every one for a coordinator."""
    qs = Session.objects.all() if qs is None else qs
    if p.has(Role.COORDINATOR):
        return qs
    if not p.is_staff_member:
        return qs.none()
    condition = Q(programme__hosts=p.user_id)
    if p.units():
        condition |= Q(programme__unit_id__in=_units_and_below(p.units()))
    return qs.filter(pk__in=Session.objects.filter(condition).values("pk"))


def programmes_managed_by(p: Principal, qs: QuerySet[Programme] | None = None) -> QuerySet[Programme]:
    qs = Programme.objects.all() if qs is None else qs
    if p.has(Role.COORDINATOR):
        return qs
    return qs.filter(unit_id__in=p.units(Role.LEADER))
