"""Who may read and write the party register.

Party membership is sensitive personal data (Decree 13/2023/NĐ-CP, Art. 2.4): the party office
reads and keeps the whole register; a grassroots organisation's secretaries read the members of
the organisations they are secretary of and of those below them; nobody else — staff,
coordinators, administrators, superusers included — reads any of it, through pages, API,
exports or search. Every question here starts from a Principal (roles come from RoleAssignment,
never from ``is_superuser``), and the secretaries come from ``Organisation.secretaries``.
"""

from django.db.models import QuerySet

from ketnoi.accounts.access import Principal, may_see_party_register

from .models import Member, Organisation


def may_edit_register(p: Principal) -> bool:
    """Organisations, members, gaps, transfers, imports: the party office only."""
    return may_see_party_register(p)


def secretary_of(p: Principal) -> frozenset[int]:
    """The ids of the organisations ``p`` is secretary of and of every organisation below them."""
    if not p.is_authenticated:
        return frozenset()
    return subtree_ids(Organisation.objects.filter(secretaries__id=p.user_id).values_list("id", flat=True))


def subtree_ids(ids) -> frozenset[int]:
    """``ids`` and the ids of every organisation below them."""
    found = set(ids)
    frontier = set(found)
    # The tree is a few levels deep (committee → sub-committee → cell → group): one query a level.
    while frontier:
        frontier = set(Organisation.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - found
        found |= frontier
    return frozenset(found)


def may_read_register(p: Principal) -> bool:
    """The party office, or the secretary of at least one organisation."""
    if may_see_party_register(p):
        return True
    return p.is_authenticated and Organisation.objects.filter(secretaries__id=p.user_id).exists()


def visible_organisations(p: Principal, qs: QuerySet | None = None) -> QuerySet:
    qs = Organisation.objects.all() if qs is None else qs
    if may_see_party_register(p):
        return qs
    ids = secretary_of(p)
    return qs.filter(id__in=ids) if ids else qs.none()


def visible_members(p: Principal, qs: QuerySet | None = None) -> QuerySet:
    qs = Member.objects.all() if qs is None else qs
    if may_see_party_register(p):
        return qs
    ids = secretary_of(p)
    return qs.filter(organisation_id__in=ids) if ids else qs.none()


def may_see_member(p: Principal, member: Member) -> bool:
    if may_see_party_register(p):
        return True
    return member.organisation_id in secretary_of(p)


def may_see_organisation(p: Principal, organisation: Organisation) -> bool:
    if may_see_party_register(p):
        return True
    return organisation.pk in secretary_of(p)
