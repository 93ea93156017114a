"""Who may see and do what with prices. The board (facilities, current prices, commitment status,
history) is public; operators file their own facilities' lists; coordinators record commitments
and follow breaches up; customs staff may file a list on an operator's behalf."""

from ketnoi.accounts.access import Principal
from ketnoi.accounts.models import Role

from .models import Facility


def may_manage(p: Principal) -> bool:
    """Facilities, commitments and the follow-up of breaches (DESIGN.md: manage commitments)."""
    return p.has(Role.COORDINATOR)


def may_file_for(p: Principal, facility: Facility) -> bool:
    return (facility.operator_id in p.enterprises(Role.OPERATOR) or p.has(Role.COORDINATOR)
            or facility.unit_id in p.units())


def may_see_follow_up(p: Principal) -> bool:
    """Breaches' follow-up (status and notes) is internal to customs: any staff member sees it,
    on the pages and through the API; coordinators alone record it."""
    return p.is_staff_member
