"""Who may do what with the Q&A. Reading published articles and searching are public."""

from ketnoi.accounts.access import Principal
from ketnoi.accounts.models import Role


def may_edit_articles(p: Principal) -> bool:
    """Coordinators write, publish and review articles (DESIGN.md: publish to the Q&A)."""
    return p.has(Role.COORDINATOR)


def may_manage_documents(p: Principal) -> bool:
    return p.has(Role.COORDINATOR)


def may_see_drafts(p: Principal) -> bool:
    return p.has(Role.COORDINATOR)
