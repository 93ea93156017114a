"""Reads of the directives capability: what is in force for a unit on a day, what changed, the
versions of a chain, the department's follow-up matrix and search."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.accounts.models import Role, User
from ketnoi.lib import directive_status, textdiff, vnquery
from ketnoi.org.models import Unit

from .access import units_with_ancestors
from .models import Delegate, Directive, Recipient


def in_force(*, day: date, units=None, qs: QuerySet[Directive] | None = None,
             known_at: datetime | None = None) -> QuerySet[Directive]:
    """The versions in force on ``day`` (one per chain: a version stops the day the next one
    takes effect), sent to any of ``units`` or a unit above them when given. With ``known_at``:
    as it stood at that moment, before the versions issued since."""
    qs = Directive.objects.all() if qs is None else qs
    current = Q(superseded_from__isnull=True) | Q(superseded_from__gt=day)
    if known_at is not None:
        qs = qs.filter(issued_at__lt=known_at)
        current |= Q(next_version__issued_at__gte=known_at)
    qs = qs.filter(effective_from__lte=day).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day), current)
    if units is not None:
        ids = units_with_ancestors([u.pk if isinstance(u, Unit) else u for u in units])
        qs = qs.filter(pk__in=Recipient.objects.filter(unit_id__in=ids).values("directive_id"))
    return qs


@dataclass
class Changes:
    """What changed in force between the day before and ``day``."""

    day: date
    added: list[Directive] = field(default_factory=list)
    replaced: list[tuple[Directive, Directive]] = field(default_factory=list)  # (before, now)
    ended: list[Directive] = field(default_factory=list)

    def __bool__(self):
        return bool(self.added or self.replaced or self.ended)


def changes_for(*, unit: Unit | None, day: date, qs: QuerySet[Directive] | None = None,
                since: datetime | None = None) -> Changes:
    """What changed in force between the day before and ``day``. With ``since``, the day before
    is taken as it stood at that moment, so that a version issued later that day and already in
    force then (most crisis directives take effect when signed) counts as a change."""
    units = None if unit is None else [unit]
    before = {d.chain: d for d in in_force(day=day - timedelta(days=1), units=units, qs=qs, known_at=since)}
    after = {d.chain: d for d in in_force(day=day, units=units, qs=qs)}
    added, replaced, ended = directive_status.changes(
        {c: d.pk for c, d in before.items()}, {c: d.pk for c, d in after.items()})
    by_id = {d.pk: d for d in [*before.values(), *after.values()]}
    return Changes(day=day, added=[by_id[pk] for pk in added],
                   replaced=[(by_id[old], by_id[new]) for old, new in replaced], ended=[by_id[pk] for pk in ended])


def awaiting_acknowledgement(*, unit: Unit) -> QuerySet[Recipient]:
    """The latest versions ``unit`` has been asked to acknowledge and has not, while in force or to come."""
    today = timezone.localdate()
    return (Recipient.objects.filter(unit=unit, acknowledged_at__isnull=True, ack_due_at__isnull=False,
                                     directive__next_version__isnull=True)
            # A directive no longer in force is no longer waited on (nor put in every digest).
            .filter(Q(directive__effective_to__isnull=True) | Q(directive__effective_to__gte=today))
            .select_related("directive").order_by("ack_due_at"))


def delegation(*, unit: Unit) -> dict:
    """A unit's delegates, and the officers of the unit who could be named."""
    delegates = list(Delegate.objects.filter(unit=unit).select_related("user").order_by("user__full_name"))
    taken = {d.user_id for d in delegates}
    officers = (User.objects.filter(role_assignments__unit=unit, role_assignments__role=Role.OFFICER, is_active=True)
                .distinct().order_by("full_name"))
    return {"delegates": delegates, "officers": [u for u in officers if u.pk not in taken]}


def versions(directive: Directive) -> list[Directive]:
    return list(Directive.objects.filter(chain=directive.chain).order_by("version"))


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


def compare(old: Directive, new: Directive) -> tuple[list[FieldChange], list[textdiff.Paragraph]]:
    """What differs between two versions: the particulars that changed, and the text."""
    def dates(d):
        start = f"{d.effective_from:%d/%m/%Y}"
        return f"{start} – {d.effective_to:%d/%m/%Y}" if d.effective_to else start

    def targets(d):
        return ", ".join(r.unit.short_name for r in d.recipients.select_related("unit").order_by("unit__code", "unit__name_vi"))

    particulars = [
        (_("Number"), lambda d: d.number),
        (_("Title"), lambda d: d.title),
        (_("In force"), dates),
        (_("Urgency"), lambda d: d.get_urgency_display()),
        (_("Acknowledge within"), lambda d: _("%(n)d hours") % {"n": d.ack_within_hours} if d.ack_within_hours else "—"),
        (_("Implementation report due"), lambda d: f"{d.report_due:%d/%m/%Y}" if d.report_due else "—"),
        (_("Sent to"), targets),
    ]
    changed = []
    for label, read in particulars:
        before, after = str(read(old)), str(read(new))
        if before != after:
            changed.append(FieldChange(label=label, before=before, after=after))
    return changed, textdiff.diff(old.body, new.body)


@dataclass(frozen=True)
class Cell:
    recipient: Recipient | None
    acknowledgement: str = directive_status.NOT_REQUIRED
    report: str = directive_status.NOT_REQUIRED

    @property
    def late(self) -> bool:
        return self.acknowledgement in directive_status.LATE_STATES or self.report in directive_status.LATE_STATES


@dataclass
class Matrix:
    directives: list[Directive]
    units: list[Unit]
    cells: dict[tuple[int, int], Cell]

    def row(self, directive: Directive) -> list[Cell | None]:
        return [self.cells.get((directive.pk, unit.pk)) for unit in self.units]

    @property
    def late(self) -> int:
        return sum(1 for cell in self.cells.values() if cell.late)


def cell_for(recipient: Recipient, *, now: datetime) -> Cell:
    return Cell(
        recipient=recipient,
        acknowledgement=directive_status.acknowledgement(
            due_at=recipient.ack_due_at, acknowledged_at=recipient.acknowledged_at, now=now),
        report=directive_status.report(
            due=recipient.directive.report_due,
            reported_on=timezone.localtime(recipient.reported_at).date() if recipient.reported_at else None,
            today=timezone.localtime(now).date()),
    )


def cells_of(*, unit: Unit, directives: list[Directive], now: datetime) -> dict[int, Cell]:
    """Where ``unit`` stands with each of ``directives`` it was sent to, by directive id."""
    return {r.directive_id: cell_for(r, now=now) for r in
            Recipient.objects.filter(unit=unit, directive__in=[d.pk for d in directives]).select_related("directive")}


def matrix(*, directives: list[Directive], now: datetime | None = None) -> Matrix:
    """Each directive × each unit it was sent to, with the status of acknowledgement and report."""
    now = now or timezone.now()
    recipients = (Recipient.objects.filter(directive__in=[d.pk for d in directives])
                  .select_related("unit", "directive", "acknowledged_by"))
    cells, units = {}, {}
    for recipient in recipients:
        cells[(recipient.directive_id, recipient.unit_id)] = cell_for(recipient, now=now)
        units[recipient.unit_id] = recipient.unit
    ordered = sorted(units.values(), key=lambda u: (u.kind != Unit.Kind.BRANCH, u.kind, u.code, u.name_vi))
    return Matrix(directives=directives, units=ordered, cells=cells)


def latest_versions(qs: QuerySet[Directive]) -> QuerySet[Directive]:
    return qs.filter(next_version__isnull=True)


# --- search --------------------------------------------------------------------------------

SEARCH_LIMIT = 500


def search(*, text: str, qs: QuerySet[Directive]) -> tuple[list[Directive], vnquery.Query]:
    """Directives matching what was typed, as the Q&A's search reads it (ketnoi.lib.vnquery:
    with or without diacritics, the trade's abbreviations, informal words dropped): first those
    holding the words as a phrase, then those holding every word, then any of them; each group
    best first by the engine's own rank. Directives are counted in thousands, not millions, so
    the engine ranks every match."""
    query = vnquery.analyse(text)
    if not query.terms:
        return [], query
    engine = connection.vendor
    matches = [vnquery.pairs(query.terms, engine) or _expression(query.terms, "phrase"),
               _expression(query.terms, "all"), _expression(query.terms, "any")]
    ids: list[int] = []
    for match in matches:
        for pk in _ranked(match, qs):
            if pk not in ids:
                ids.append(pk)
        if len(ids) >= SEARCH_LIMIT:
            break
    allowed = {d.pk: d for d in qs.filter(pk__in=ids[:SEARCH_LIMIT]).select_related("issuing_unit")}
    return [allowed[pk] for pk in ids[:SEARCH_LIMIT] if pk in allowed], query


def _expression(terms, mode: str) -> str:
    return vnquery.fts5(terms, mode) if connection.vendor == "sqlite" else vnquery.tsquery(terms, mode)


def _ranked(match: str, qs: QuerySet[Directive]) -> list[int]:
    """The best SEARCH_LIMIT of ``qs`` for ``match``: ranked within what the reader may see, so
    that the directives of other units do not take up the limit."""
    if not match:
        return []
    try:
        allowed, allowed_params = qs.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # qs.none(): the reader may see no directive
        return []
    if connection.vendor == "sqlite":
        sql = ("SELECT rowid FROM directives_directive_fts WHERE directives_directive_fts MATCH %s "
               f"AND rowid IN ({allowed}) ORDER BY bm25(directives_directive_fts), rowid DESC LIMIT %s")
        params = [match, *allowed_params, SEARCH_LIMIT]
    else:
        sql = (f"SELECT id FROM directives_directive WHERE search_vector @@ %s::tsquery AND id IN ({allowed}) "
               "ORDER BY ts_rank(search_vector, %s::tsquery) DESC, id DESC LIMIT %s")
        params = [match, *allowed_params, match, SEARCH_LIMIT]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]
