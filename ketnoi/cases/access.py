"""Who may see and act on which case. A case someone may not see answers 404, so that
references cannot be probed."""

from django.db.models import Q, QuerySet

from ketnoi.accounts.access import Principal
from ketnoi.accounts.models import Role

from .models import Case, Level


def may_file_for_enterprise(p: Principal, enterprise_id: int) -> bool:
    return enterprise_id in p.enterprises(Role.BUSINESS)


def may_file_on_behalf(p: Principal) -> bool:
    """Staff enter cases received by phone, letter, e-mail or at a dialogue session."""
    return p.is_staff_member


def may_manage_routing(p: Principal) -> bool:
    return p.has(Role.COORDINATOR)


def visible_cases(p: Principal, qs: QuerySet[Case] | None = None) -> QuerySet[Case]:
    """The cases `p` may see: its enterprises' cases for a business; its units' cases and the
    cases shared with them for officers and leaders; everything for coordinators."""
    qs = Case.objects.all() if qs is None else qs
    if p.has(Role.COORDINATOR):
        return qs
    conditions = []
    if p.enterprises(Role.BUSINESS):
        conditions.append(Q(enterprise_id__in=p.enterprises(Role.BUSINESS)))
    units = p.units()
    if units:
        # A short list read first, not a subquery: an OR with a subquery keeps the databases
        # off the queue index (bench/RESULTS.md).
        shared = list(Case.shared_with.through.objects.filter(unit_id__in=units).values_list("case_id", flat=True))
        conditions.append(Q(unit_id__in=units) | Q(pk__in=shared) if shared else Q(unit_id__in=units))
    if not conditions:
        return qs.none()
    condition = conditions[0]
    for extra in conditions[1:]:
        condition |= extra
    return qs.filter(condition)


def is_business_party(p: Principal, case: Case) -> bool:
    return case.enterprise_id in p.enterprises(Role.BUSINESS)


def may_view(p: Principal, case: Case) -> bool:
    if p.has(Role.COORDINATOR) or is_business_party(p, case):
        return True
    units = p.units()
    return bool(units) and (case.unit_id in units or any(u.pk in units for u in case.shared_with.all()))


def may_handle(p: Principal, case: Case) -> bool:
    """Write to the business, take, answer: the handling unit's staff, and coordinators."""
    return p.has(Role.COORDINATOR) or (case.unit_id is not None and case.unit_id in p.units())


def may_add_note(p: Principal, case: Case) -> bool:
    """Internal notes: anyone on the staff side who may see the case (shared units included)."""
    return p.is_staff_member and may_view(p, case) and not is_business_party(p, case)


def may_lead(p: Principal, case: Case) -> bool:
    """Approve answers, reassign, escalate by hand, review a low rating."""
    if p.has(Role.COORDINATOR):
        return True
    return case.level == Level.UNIT and case.unit_id is not None and case.unit_id in p.units(Role.LEADER)


def answer_needs_approval(p: Principal, case: Case) -> bool:
    """Answers written by a unit leader or a coordinator need no approval (issue #3)."""
    return case.topic.requires_approval and not may_lead(p, case)
