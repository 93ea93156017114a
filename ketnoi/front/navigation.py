"""The navigation bar: what each role is offered. Only pages the user may open are listed."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ketnoi.accounts import access
from ketnoi.accounts.access import Principal
from ketnoi.accounts.models import Role
from ketnoi.cases import access as cases_access
from ketnoi.directives import access as directives_access
from ketnoi.knowledge import access as knowledge_access
from ketnoi.party import access as party_access


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool = False


def navigation(p: Principal, path: str = "") -> list[NavItem]:
    items = [(_("Home"), reverse("front:home")), (_("Customs units"), reverse("front:units")),
             (_("Q&A"), reverse("knowledge:search")), (_("Prices"), reverse("prices:board")),
             # The calendar of the dialogue sessions; staff reach the programmes they run from it.
             (_("Dialogue"), reverse("dialogue:calendar"))]
    if p.is_authenticated:
        for enterprise_id in sorted(p.enterprises()):
            items.append((_("My enterprise"), reverse("accounts:enterprise", args=[enterprise_id])))
            break
        if p.enterprises(Role.BUSINESS):
            items.append((_("My difficulties"), reverse("cases:mine")))
        if p.enterprises(Role.OPERATOR):
            items.append((_("My prices"), reverse("prices:mine")))
        if p.is_staff_member:
            for unit_id in sorted(p.units()):
                items.append((_("My unit"), reverse("front:unit", args=[unit_id])))
                break
            items.append((_("Cases"), reverse("cases:queue")))
        if directives_access.may_read(p):
            items.append((_("Directives"), reverse("directives:in_force")))
        if cases_access.may_manage_routing(p):
            items.append((_("Routing"), reverse("cases:routing")))
        if knowledge_access.may_edit_articles(p):
            items.append((_("Manage the Q&A"), reverse("knowledge:manage")))
        # The party office and the secretaries only: nobody else learns the register is here.
        if party_access.may_read_register(p):
            items.append((_("Party work"), reverse("party:home")))
        items.append((_("Notifications"), reverse("notifications:list")))
        items.append((_("Account"), reverse("accounts:account")))
        if access.may_use_admin_site(p):
            items.append((_("Administration"), reverse("admin:index")))
    items.append((_("API"), "/api/v1/docs"))
    home = reverse("front:home")
    return [
        NavItem(str(label), url, current=(path == url) if url == home else path.startswith(url))
        for label, url in items
    ]
