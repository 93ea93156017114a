"""Reads of the party register: the organisation tree with its sizes, member lists and a
member's record, and the log of who read what.

Every function starts from a Principal and shows only what access.py lets it see. Reading
members leaves a ``MemberRead`` row (Decree 13/2023/NĐ-CP: the processing of sensitive personal
data is recorded): one per record opened, one per list with the number of members it showed.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from ketnoi.accounts.access import Principal, may_see_party_register
from ketnoi.lib import party_age, party_org, vntext

from . import access
from .models import Member, MemberRead, Organisation


class Channel:
    """How a member was read (``MemberRead.channel``)."""

    PAGE = "page"
    API = "api"
    EXPORT = "export"
    SEARCH = "search"


CHANNELS = frozenset({Channel.PAGE, Channel.API, Channel.EXPORT, Channel.SEARCH})


def log_read(p: Principal, *, channel: str, member: Member | None = None, count: int | None = None,
             detail: str = "") -> MemberRead:
    """One row of the read log: a member's record (``member``) or a list of ``count`` members."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    if count is not None:
        detail = f"{detail or 'members'}: {count}"
    return MemberRead.objects.create(user_id=p.user_id, member=member, channel=channel, detail=detail[:300])


# --- the organisation tree --------------------------------------------------------------------

@dataclass
class OrganisationNode:
    organisation: Organisation
    depth: int
    own_members: int  # active members registered in this organisation itself
    members: int  # active members here and in every organisation below (what Art. 21 counts)
    full_members: int
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (code of lib.party_org, message)

    @property
    def probationary_members(self) -> int:
        return self.members - self.full_members


def organisation_tree(p: Principal, *, on: date | None = None, include_closed: bool = False) -> list[OrganisationNode]:
    """The organisations ``p`` may see, depth first (children by name under their parent), each
    with its active members counted (full: confirmed on or before ``on``, default today) and the
    warnings of lib.party_org when its size no longer fits its kind. No member is named, so no
    read is logged."""
    on = on or timezone.localdate()
    organisations = access.visible_organisations(p).select_related("parent", "unit", "successor")
    if not include_closed:
        organisations = organisations.filter(dissolved_on__isnull=True)
    organisations = list(organisations.annotate(
        n_members=Count("members", filter=Q(members__status=Member.Status.ACTIVE)),
        n_full=Count("members", filter=Q(members__status=Member.Status.ACTIVE, members__full_member_on__lte=on)),
    ))
    by_id = {o.pk: o for o in organisations}
    children: dict[int | None, list[Organisation]] = {}
    for organisation in organisations:
        parent = organisation.parent_id if organisation.parent_id in by_id else None
        children.setdefault(parent, []).append(organisation)
    language = get_language()
    nodes: list[OrganisationNode] = []

    def visit(organisation: Organisation, depth: int) -> tuple[int, int]:
        node = OrganisationNode(organisation, depth, organisation.n_members, 0, 0)
        nodes.append(node)
        members, full = organisation.n_members, organisation.n_full
        for child in children.get(organisation.pk, []):
            child_members, child_full = visit(child, depth + 1)
            members, full = members + child_members, full + child_full
        node.members, node.full_members = members, full
        if organisation.dissolved_on is None:
            node.warnings = [(code, party_org.warning_message(code, language))
                             for code in party_org.size_warnings(organisation.kind, full, members)]
        return members, full

    for root in children.get(None, []):
        visit(root, 0)
    return nodes


# --- members ----------------------------------------------------------------------------------

def members(p: Principal, *, channel: str, organisation: Organisation | None = None, status: str | None = None,
            q: str | None = None) -> QuerySet:
    """The members ``p`` may see: of ``organisation`` and those below it, with ``status``, whose
    name matches ``q`` without regard to accents ("nguyen van hung" finds "Nguyễn Văn Hùng").
    Logs one read of the list, with its size, on ``channel``."""
    qs = access.visible_members(p).select_related("organisation")
    if not access.may_read_register(p):
        return qs.none()
    if organisation is not None:
        qs = qs.filter(organisation_id__in=access.subtree_ids([organisation.pk]))
    if status:
        qs = qs.filter(status=status)
    needle = vntext.fold(vntext.normalize(q or ""))
    if needle:
        qs = qs.filter(name_folded__contains=needle)
    filters = [f"{name}={value}" for name, value in (("organisation", organisation and organisation.pk),
                                                     ("status", status), ("q", q)) if value]
    log_read(p, channel=channel, count=qs.count(),
             detail="members" + (f" ({', '.join(filters)})" if filters else ""))
    return qs


@dataclass
class MemberDetail:
    member: Member
    on: date  # the day party age is counted to: today, or the day of death
    party_age: tuple[int, int] | None  # (years, months); None when the record's dates do not add up
    party_age_months: int | None
    outside: bool  # in a period outside party activity on ``on``
    gaps: list
    transfers: list
    badges: list
    ratings: list
    commendations: list


def member_detail(p: Principal, member: Member, *, channel: str, on: date | None = None) -> MemberDetail:
    """A member's whole record, and its read logged. PermissionDenied for anyone who may not see
    the member (nothing logged: nothing was read)."""
    if not access.may_see_member(p, member):
        raise PermissionDenied
    member = Member.objects.select_related("organisation").get(pk=member.pk)
    on = on or timezone.localdate()
    if member.died_on is not None:
        on = min(on, member.died_on)
    gaps = list(member.gaps.all())
    rules = [gap.as_rule() for gap in gaps]
    try:
        months = party_age.party_age_months(member.admitted_on, on, rules)
        outside = party_age.outside_on(member.admitted_on, on, rules)
    except ValueError:  # a gap before the admission, or a day before it: shown as unknown
        months, outside = None, False
    detail = MemberDetail(
        member=member, on=on, party_age=divmod(months, 12) if months is not None else None, party_age_months=months,
        outside=outside, gaps=gaps,
        transfers=list(member.transfers.select_related("from_organisation", "to_organisation")),
        badges=list(member.badges.select_related("event").order_by("threshold")),
        ratings=list(member.ratings.order_by("-year")),
        commendations=list(member.commendations.select_related("event").order_by("-year", "-decided_on")),
    )
    log_read(p, channel=channel, member=member)
    return detail


# --- the read log -----------------------------------------------------------------------------

def member_reads(p: Principal, *, member: Member | None = None, user=None) -> QuerySet:
    """Who read the register, newest first: the party office's to read (a secretary or an
    administrator sees none of it, as it names members)."""
    qs = MemberRead.objects.select_related("user", "member")
    if not may_see_party_register(p):
        return qs.none()
    if member is not None:
        qs = qs.filter(member=member)
    if user is not None:
        qs = qs.filter(user=user)
    return qs


def members_export(p: Principal, *, organisation: Organisation | None = None, status: str | None = None,
                   q: str | None = None) -> bytes:
    """The members ``p`` may see (filtered as ``members``) as an XLSX workbook; the export is
    logged as one read of the list, on the channel ``export``."""
    from . import xlsx

    if not access.may_read_register(p):
        raise PermissionDenied
    return xlsx.write_members(members(p, channel=Channel.EXPORT, organisation=organisation, status=status, q=q))


# --- the year in figures (the year-end review) --------------------------------------------------

@dataclass(frozen=True)
class CommendationCount:
    subject: str  # "member" or "organisation" (lib.commendation.Subject)
    form: str  # lib.commendation.Form
    issuer: str  # lib.commendation.Issuer
    five_years: bool
    count: int


@dataclass(frozen=True)
class PartyYearFigures:
    """The party committee's year as counts only: no member is named, so no read is logged and
    the figures may appear in a report read outside the party office (the year-end review)."""

    year: int
    organisations_by_kind: dict[str, int]  # kind (lib.party_org.Kind) → open on 31/12
    members_start: int  # in the register on 31/12 of the year before
    members_end: int  # in the register on 31/12
    full_members_end: int  # of them, full (chính thức) members on 31/12
    admitted: int  # kết nạp: admission decisions of the year
    deceased: int
    transferred_out: int  # registrations moved out of the committee
    removed: int  # expelled or struck off the rolls
    moved_within: int  # moved between the committee's own organisations (rotations, mergers)
    member_ratings: dict[str, int]  # rating code → members rated so for the year
    organisation_ratings: dict[str, int]  # rating code → organisations
    commendations: list[CommendationCount]  # decided for the year
    badges: dict[int, int]  # threshold (years) → badges awarded at the year's occasions

    @property
    def grassroots(self) -> int:
        return sum(self.organisations_by_kind.get(kind, 0) for kind in party_org.GRASSROOTS_KINDS)


def _in_register_on(day: date) -> QuerySet:
    """Members admitted by ``day`` and not gone by then (died, transferred out, left the Party).
    The register keeps only a member's current status and its date: a member who left and came
    back counts as if never gone."""
    gone = (Q(status=Member.Status.DECEASED) & (Q(died_on__isnull=True) | Q(died_on__lte=day))) | (
        Q(status__in=[Member.Status.TRANSFERRED_OUT, Member.Status.REMOVED])
        & (Q(status_on__isnull=True) | Q(status_on__lte=day)))
    return Member.objects.filter(admitted_on__lte=day).exclude(gone)


def year_figures(*, year: int) -> PartyYearFigures:
    """The committee's organisations, members, ratings, commendations and badges of ``year``,
    counted (a dozen aggregate queries). Who may read them is the caller's to check
    (reports.access.may_render_year_end)."""
    from .models import BadgeAward, Commendation, Gap, Rating, Transfer

    end, before = date(year, 12, 31), date(year - 1, 12, 31)
    open_on_end = Organisation.objects.filter(Q(founded_on__isnull=True) | Q(founded_on__lte=end)).filter(
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=end))
    members_end = _in_register_on(end)

    def grouped(qs, key) -> dict:
        return dict(qs.values_list(key).annotate(n=Count("id")).order_by())

    commendations = [
        CommendationCount(subject=subject, form=form, issuer=issuer, five_years=five_years, count=n)
        for subject in ("member", "organisation")
        for form, issuer, five_years, n in (
            Commendation.objects.filter(year=year, **{f"{subject}__isnull": False})
            .values_list("form", "issuer", "five_years").annotate(n=Count("id"))
            .order_by("five_years", "form", "issuer"))]
    return PartyYearFigures(
        year=year,
        organisations_by_kind=grouped(open_on_end, "kind"),
        members_start=_in_register_on(before).count(),
        members_end=members_end.count(),
        full_members_end=members_end.filter(full_member_on__lte=end).count(),
        admitted=Member.objects.filter(admitted_on__year=year).count(),
        deceased=Member.objects.filter(status=Member.Status.DECEASED, died_on__year=year).count(),
        transferred_out=Transfer.objects.filter(to_organisation__isnull=True, on__year=year).count(),
        removed=Gap.objects.filter(reason__in=[party_age.GapReason.EXPELLED, party_age.GapReason.REMOVED],
                                   start__year=year).count(),
        moved_within=Transfer.objects.filter(from_organisation__isnull=False, to_organisation__isnull=False,
                                             on__year=year).count(),
        member_ratings=grouped(Rating.objects.filter(year=year, member__isnull=False), "level"),
        organisation_ratings=grouped(Rating.objects.filter(year=year, organisation__isnull=False), "level"),
        commendations=commendations,
        badges=grouped(BadgeAward.objects.filter(occasion__year=year), "threshold"),
    )
