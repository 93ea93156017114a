"""Badges, ratings, commendations, events and creative models: the reads (selectors) and writes
(services) of the party committee's awards work.

The rules are ``ketnoi.lib.badges``, ``party_rating`` and ``commendation``; this module only
finds, set-based, the members and organisations they apply to, and records the decisions. Every
read starts from a Principal and goes through ``access.visible_members`` /
``visible_organisations``; every write is the party office's, in one transaction, audited.
"""

import functools
import operator
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import BooleanField, Case, Count, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ketnoi.accounts.access import Principal, principal_for
from ketnoi.audit.services import audit_record, snapshot
from ketnoi.lib import badges as badge_rules
from ketnoi.lib import commendation as commendation_rules
from ketnoi.lib import party_org
from ketnoi.lib import party_rating as rating_rules
from ketnoi.lib.party_age import add_months
from ketnoi.lib.vntext import fold

from . import access
from .services import audit_personal
from .models import (
    EXCELLENT_MEMBER_CODES, BadgeAward, Commendation, Contribution, Event, Gap, Initiative, Member, Organisation, Rating,
)

# A deceased member stays in the register for good; a posthumous badge (truy tặng) is proposed
# at the occasions that follow the death, not decades later. UNCONFIRMED: no text fixes how long
# after a death the committee still proposes one; a year covers the four occasions after it.
DECEASED_LOOKBACK_MONTHS = 12

# The widest early window (ill, 70-90 years): no one further from the lowest badge can be due.
_WIDEST_EARLY_MONTHS = max(max(badge_rules.ILL_EARLY_MONTHS.values()),
                           max(badge_rules.POSTHUMOUS_EARLY_MONTHS.values()))

# Rating codes that count as Xuất sắc (legacy labels mapped by lib.party_rating.current_level):
# the IN lists of the set-based queries.
EXEMPLARY_ORGANISATION_CODES: tuple[str, ...] = tuple(sorted(
    str(code) for code in rating_rules.ORGANISATION_CODES if rating_rules.is_exemplary(code)))

# QĐ 132-QĐ/TW applied from 8/3/2018: the ratings of 2017 and before were made under the old labels.
LEGACY_UNTIL_YEAR = rating_rules.REGULATIONS[0].applies_from.year - 1
LEGACY_CODES: frozenset[str] = frozenset({*rating_rules.LegacyOrgLabel, *rating_rules.LegacyMemberLabel})
FIRST_YEAR = 1930  # the Party's founding: no rating, commendation or event before it


def _lang() -> str:
    return "en" if (get_language() or "").startswith("en") else "vi"


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _may_edit(by) -> bool:
    return access.may_edit_register(principal_for(by))


def _text(value, field_name: str, message: str, max_length: int, *, required: bool = True) -> str:
    value = " ".join(str(value or "").split())
    if required and not value:
        raise ValidationError({field_name: message})
    if len(value) > max_length:
        raise ValidationError({field_name: _("Write at most %(n)d characters.") % {"n": max_length}})
    return value


def _year(value, field_name: str = "year") -> int:
    latest = timezone.localdate().year + 1
    if isinstance(value, bool) or not isinstance(value, int) or not FIRST_YEAR <= value <= latest:
        raise ValidationError({field_name: _("Give a year between %(first)d and %(last)d.")
                               % {"first": FIRST_YEAR, "last": latest}})
    return value



def grassroots_of_all() -> dict[int, int | None]:
    """Each organisation's grassroots organisation (itself when it is one; None above them): the
    tree is small, read once and walked in memory."""
    rows = {pk: (kind, parent) for pk, kind, parent in Organisation.objects.values_list("id", "kind", "parent_id")}
    found: dict[int, int | None] = {}
    for pk in rows:
        current, seen = pk, set()
        while current is not None and current not in seen:
            seen.add(current)
            kind, parent = rows[current]
            if kind in party_org.GRASSROOTS_KINDS:
                break
            current = parent
        found[pk] = current if current is not None and rows[current][0] in party_org.GRASSROOTS_KINDS else None
    return found


# --- badges ----------------------------------------------------------------------------------

@dataclass(slots=True)  # hundreds of thousands at national scale: no frozen-dataclass overhead
class BadgeRow:
    """A member proposed for a badge on the day asked about: due (``early_ground`` empty) or
    within an early window (ill, posthumous), for the committee to decide."""

    member_id: int
    full_name: str
    organisation_id: int
    organisation: str
    admitted_on: date
    status: str
    died_on: date | None
    name_folded: str  # the order of the list (lib.vntext.fold)
    threshold: int
    reaches_on: date | None  # the day the threshold is (or would have been) reached
    early_ground: str = ""  # lib.badges.EarlyGround, "" when the badge is due
    months_early: int = 0
    gift_amount: int | None = None  # đồng; None where the multiple is UNCONFIRMED

    @property
    def early_label(self) -> str:
        return badge_rules.EARLY_GROUND_LABELS[self.early_ground][_lang()] if self.early_ground else ""


def _top_reached(reached, excluded_45: Q) -> Case:
    """The highest threshold reached (``reached(t)``: the condition that ``t`` years are), with
    the 45-year badge left out where the transitional rule of QĐ 29-QĐ/TW 2016 excludes it
    (``excluded_45``: 50 years on 25/7/2016; such a member falls back to 40, and one who holds
    a higher badge is dropped by the anti-join anyway)."""
    whens = []
    for threshold in sorted(badge_rules.THRESHOLDS, reverse=True):
        condition = reached(threshold)
        if threshold == badge_rules.FORTY_FIVE:
            condition &= ~excluded_45
        whens.append(When(condition, then=Value(threshold)))
    return Case(*whens, default=None, output_field=IntegerField())


def _reached_by_admission(on: date) -> Case:
    """The badge admission date alone would give: for members with gaps, an upper bound."""
    return _top_reached(
        lambda threshold: Q(admitted_on__lte=badge_rules.threshold_cutoff(on, threshold)),
        Q(admitted_on__lte=badge_rules.threshold_cutoff(badge_rules.FORTY_FIVE_INTRODUCED_ON,
                                                        badge_rules.FORTY_FIVE_EXCLUDED_FROM_YEARS)))


def _years_reached(day: date, years: int) -> Q:
    """``years`` of party age reached by ``day``, for a member with a ``badge_key``."""
    return Q(badge_key__lte=badge_rules.reached_key(day) - 32 * 12 * years)


_ROW_FIELDS = ("id", "full_name", "organisation_id", "organisation__name", "admitted_on", "status", "died_on",
               "name_folded")


def _keyed_rows(members, on: date) -> list[tuple]:
    """One range of an index: the active members who are not ill and whose badges one number
    decides (``Member.badge_key``: no gap, or gaps that only delay) and who have reached the
    badge after the highest they hold (``Member.next_badge_key``), with the highest badge
    reached. Each row ends with that badge and the delay."""
    due = _top_reached(lambda threshold: _years_reached(on, threshold),
                       _years_reached(badge_rules.FORTY_FIVE_INTRODUCED_ON, badge_rules.FORTY_FIVE_EXCLUDED_FROM_YEARS))
    return list(
        members.filter(next_badge_key__lte=badge_rules.reached_key(on), status=Member.Status.ACTIVE,
                       seriously_ill=False)
        .annotate(due=due)
        .filter(due__gt=F("badge_held"))  # holds neither that badge nor a higher one
        .order_by()  # sorted once, with the exact few, below
        .values_list(*_ROW_FIELDS, "due", "badge_delay_months")
    )


# The condition of the index member_badge_one_by_one (Member.Meta), written as the index writes
# it: SQLite uses a partial index only when the query repeats its condition literally (5.6 M
# members: 44 s without it, 0.5 s with it). Implied by the query's own conditions.
_ONE_BY_ONE = RawSQL("""("party_member"."badge_key" IS NULL OR "party_member"."seriously_ill"
                         OR "party_member"."status" = 'deceased')""", [], output_field=BooleanField())


def _exact_candidates(members, on: date) -> list[tuple[tuple, list, list[int]]]:
    """The few members a date comparison cannot decide: with a gap still open or begun late
    (no ``badge_key``), seriously ill (early window), or deceased (posthumous window;
    party age stops at death), with their gaps and the badges they hold (fetched by slices of
    ids: the members' query runs once).

    Pre-filtered in SQL: by the loosest possible cutoff; and a member with gaps who is neither
    ill nor deceased and already holds the badge that admission date alone would give is left
    out (gaps never add party age, so nothing higher can be due)."""
    loosest = badge_rules.threshold_cutoff_months(on, 12 * min(badge_rules.THRESHOLDS) - _WIDEST_EARLY_MONTHS)
    lowest = badge_rules.threshold_cutoff(on, min(badge_rules.THRESHOLDS))
    lookback = add_months(on, -DECEASED_LOOKBACK_MONTHS)
    # A member who died after ``on`` was alive that day; one with no date of death cannot be reckoned.
    early = Q(status=Member.Status.ACTIVE, seriously_ill=True) | Q(status=Member.Status.DECEASED, died_on__gte=lookback)
    gaps_only = Q(status=Member.Status.ACTIVE, badge_key__isnull=True, seriously_ill=False,
                  admitted_on__lte=lowest, due__gt=F("badge_held"))
    exact = (members.filter(_ONE_BY_ONE, admitted_on__lte=loosest).annotate(due=_reached_by_admission(on))
             .filter(early | gaps_only).order_by())
    found = list(exact.values_list(*_ROW_FIELDS, "seriously_ill"))
    # Their gaps and badges through the same condition as a subquery (not tens of thousands of
    # ids), compiled once: compiling its CASE costs more than running it for a department.
    same = RawSQL(*exact.values("pk").query.sql_with_params())
    gaps, badges = defaultdict(list), defaultdict(list)
    for gap in Gap.objects.filter(member_id__in=same).order_by():
        gaps[gap.member_id].append(gap.as_rule())
    for member_id, threshold in BadgeAward.objects.filter(member_id__in=same).values_list("member_id", "threshold"):
        badges[member_id].append(threshold)
    return [(values, gaps[values[0]], badges[values[0]]) for values in found]


def _row(member_values: tuple, threshold: int, reaches_on, gifts: dict[int, int | None], *, ground: str = "",
         months_early: int = 0) -> BadgeRow:
    # Positional: the member's values are BadgeRow's first fields, in _ROW_FIELDS order (hundreds
    # of thousands of rows at national scale; keywords cost twice as much).
    return BadgeRow(*member_values, threshold, reaches_on, str(ground), months_early, gifts[threshold])


def _base_salary(on: date) -> int:
    try:
        return badge_rules.base_salary_on(on)
    except ValueError:
        return badge_rules.BASE_SALARY[0][1]  # before the first known figure: the earliest one


def badge_eligibility(p: Principal, *, on: date, organisation: Organisation | None = None) -> list[BadgeRow]:
    """The members proposed for a badge on ``on`` (an occasion, or any date the committee
    chooses): every visible active member who has reached a threshold without holding that badge
    or a higher one (``lib.badges.badge_due``), and the seriously ill and recently deceased
    members within an early window (``lib.badges.early_window``), flagged.

    Set-based: one query decides the members without gaps and those whose gaps only delay every
    badge by one number (``lib.badges.badge_key``); only the few with a gap still open or begun
    late, ill or deceased are reckoned one by one, exactly, in Python.
    """
    _require(access.may_read_register(p))
    members = access.visible_members(p)
    if organisation is not None:
        members = members.filter(organisation_id__in=access.subtree_ids([organisation.pk]))
    base_salary = _base_salary(on)
    gifts = {threshold: badge_rules.cash_gift(threshold, base_salary) for threshold in badge_rules.THRESHOLDS}
    # Many members share an admission day: each anniversary is computed once.
    anniversary = functools.lru_cache(maxsize=None)(add_months)
    rows = []
    for *values, due, delay in _keyed_rows(members, on):  # as _row, without its call: 364,000 rows nationally
        rows.append(BadgeRow(*values, due, anniversary(values[4], 12 * due + delay), "", 0, gifts[due]))
    for (*values, seriously_ill), gaps, held in _exact_candidates(members, on):
        admitted_on, status = values[4], values[5]
        died_on = values[6] if status == Member.Status.DECEASED else None
        due = badge_rules.badge_due(admitted_on=admitted_on, gaps=gaps, on=on, held=held, died_on=died_on)
        if due is not None:
            reaches_on = badge_rules.date_reaching(admitted_on, due, gaps)
            rows.append(_row(values, due, reaches_on, gifts))
        early = badge_rules.early_window(admitted_on=admitted_on, gaps=gaps, on=on, held=held,
                                         seriously_ill=seriously_ill, died_on=died_on)
        if early is not None:
            rows.append(_row(values, early.threshold, early.reaches_on, gifts, ground=early.ground,
                             months_early=early.months_early))
    rows.sort(key=operator.attrgetter("organisation", "name_folded", "member_id", "threshold"))
    return rows


@transaction.atomic
def badge_award(*, member: Member, threshold: int, decision_number: str, decided_on: date, occasion: date, by,
                early_ground: str = "", event: Event | None = None, gift_amount: int | None = None) -> BadgeAward:
    """Record the decision awarding ``member`` the badge of ``threshold`` years, presented on
    ``occasion`` (at ``event`` when given). Refused when the badge is not due on the occasion
    (unless it is within the early window of ``early_ground``), or when the member already holds
    it or a higher one. The cash gift defaults to the multiple of the base salary in force."""
    _require(_may_edit(by))
    member = Member.objects.select_for_update().get(pk=member.pk)
    if threshold not in badge_rules.THRESHOLDS:
        raise ValidationError({"threshold": _("Choose one of the badges: %(list)s years.")
                               % {"list": ", ".join(map(str, badge_rules.THRESHOLDS))}})
    decision_number = _text(decision_number, "decision_number", _("Write the number of the award decision."), 60)
    if not isinstance(decided_on, date):
        raise ValidationError({"decided_on": _("Give the date of the decision.")})
    if not isinstance(occasion, date):
        raise ValidationError({"occasion": _("Give the day the badge is presented.")})
    if member.status in (Member.Status.REMOVED, Member.Status.TRANSFERRED_OUT):
        raise ValidationError({"member": _("%(name)s is no longer a member of this committee.")
                               % {"name": member.full_name}})
    held = list(member.badges.values_list("threshold", flat=True))
    if any(badge >= threshold for badge in held):
        raise ValidationError({"threshold": _("%(name)s already holds the %(held)d-year badge.")
                               % {"name": member.full_name, "held": max(held)}})
    gaps = [gap.as_rule() for gap in member.gaps.all()]
    died_on = member.died_on if member.status == Member.Status.DECEASED else None
    if early_ground:
        if early_ground not in badge_rules.EarlyGround.__members__.values():
            raise ValidationError({"early_ground": _("Choose why the badge is awarded early.")})
        window = badge_rules.early_window(admitted_on=member.admitted_on, gaps=gaps, on=occasion, held=held,
                                          seriously_ill=member.seriously_ill, died_on=died_on)
        if window is None or window.threshold != threshold or window.ground != early_ground:
            raise ValidationError({"early_ground": _("The %(years)d-year badge is not within the early-award "
                                                     "window for this member on %(day)s.")
                                   % {"years": threshold, "day": f"{occasion:%d/%m/%Y}"}})
    else:
        due = badge_rules.badge_due(admitted_on=member.admitted_on, gaps=gaps, on=occasion, held=held,
                                    died_on=died_on)
        if due != threshold:
            raise ValidationError({"threshold": _("The %(years)d-year badge is not due to %(name)s on %(day)s.")
                                   % {"years": threshold, "name": member.full_name,
                                      "day": f"{occasion:%d/%m/%Y}"}})
    if gift_amount is None:
        gift_amount = badge_rules.cash_gift(threshold, _base_salary(decided_on))
    award = BadgeAward.objects.create(member=member, threshold=threshold, decision_number=decision_number,
                                      decided_on=decided_on, occasion=occasion, early_ground=early_ground,
                                      gift_amount=gift_amount, event=event)
    audit_personal(by, "party.badge_awarded", award, ["threshold", "decision_number", "decided_on", "occasion",
                                                       "early_ground", "gift_amount", "event"], member=member.pk)
    return award


# --- ratings ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class QuotaRow:
    organisation_id: int
    organisation: str
    counts: dict[str, int]
    result: rating_rules.QuotaResult

    @property
    def message(self) -> str:
        return self.result.message(_lang())


@dataclass
class RatingOutcome:
    rating: Rating
    created: bool
    quota: QuotaRow | None = None  # the member's grassroots organisation's quota after the change

    @property
    def warnings(self) -> list[str]:
        return [self.quota.message] if self.quota is not None and self.quota.result.broken else []


def _check_level(level: str, year: int, *, of_member: bool) -> str:
    allowed = rating_rules.MEMBER_CODES if of_member else rating_rules.ORGANISATION_CODES
    if level not in allowed:
        raise ValidationError({"level": _("Choose one of the rating levels.")})
    if level in LEGACY_CODES and year > LEGACY_UNTIL_YEAR:
        raise ValidationError({"level": _("The labels used before 2018 are for the ratings of %(year)d and "
                                          "earlier; choose one of the four levels.") % {"year": LEGACY_UNTIL_YEAR}})
    return level


def _check_score(score, year: int):
    if score is None or score == "":
        return None
    if year < rating_rules.SCORE_SCALE_FROM.year:
        raise ValidationError({"score": _("Scores on the 100-point scale are for the ratings of %(year)d and later.")
                               % {"year": rating_rules.SCORE_SCALE_FROM.year}})
    try:
        score = Decimal(str(score))
    except InvalidOperation:
        raise ValidationError({"score": _("Give the score as a number between 0 and 100.")}) from None
    if not score.is_finite() or not 0 <= score <= 100:
        raise ValidationError({"score": _("Give the score as a number between 0 and 100.")})
    return score.quantize(Decimal("0.01"))


def _upsert_rating(*, year: int, level: str, member, organisation, score, note: str, by) -> tuple[Rating, bool]:
    subject = {"member": member} if member is not None else {"organisation": organisation}
    rating = Rating.objects.select_for_update().filter(year=year, **subject).first()
    before = snapshot(rating)
    created = rating is None
    if created:
        rating = Rating(year=year, **subject)
    rating.level, rating.score, rating.note = level, score, note
    rating.save()
    if member is not None:
        audit_personal(by, "party.rating_set", rating, ["level", "score", "note"], member=member.pk, year=year)
    else:
        audit_record(actor=by, action="party.rating_set", obj=rating, object_repr=f"{organisation} – {year}",
                     before=before, after=snapshot(rating))
    return rating, created


@transaction.atomic
def rating_set(*, year: int, level: str, by, member: Member | None = None, organisation: Organisation | None = None,
               score=None, note: str = "") -> RatingOutcome:
    """Enter (or correct) the rating of a member or an organisation for ``year``. A member's
    rating comes back with the Xuất sắc quota of their grassroots organisation: a warning with
    the numbers when it is broken, never a refusal (the committee may still decide)."""
    _require(_may_edit(by))
    if (member is None) == (organisation is None):
        raise ValidationError({"member": _("Rate either a member or an organisation.")})
    year = _year(year)
    level = _check_level(level, year, of_member=member is not None)
    score = _check_score(score, year)
    note = _text(note, "note", "", 300, required=False)
    rating, created = _upsert_rating(year=year, level=level, member=member, organisation=organisation, score=score,
                                     note=note, by=by)
    quota = None
    if member is not None:
        grassroots = grassroots_of_all().get(member.organisation_id)
        if grassroots is not None:
            quota = quota_by_organisation(year, organisations=[grassroots]).get(grassroots)
    return RatingOutcome(rating=rating, created=created, quota=quota)


def quota_by_organisation(year: int, *, organisations=None) -> dict[int, QuotaRow]:
    """The Xuất sắc quota of every grassroots organisation for ``year`` (or of ``organisations``,
    ids of grassroots organisations): one aggregate query over the year's member ratings, summed
    up the small organisation tree in memory."""
    grassroots = grassroots_of_all()
    ratings = Rating.objects.filter(year=year, member__isnull=False)
    if organisations is not None:
        wanted = set(organisations)
        ratings = ratings.filter(member__organisation_id__in=[pk for pk, g in grassroots.items() if g in wanted])
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for organisation_id, level, n in (ratings.values_list("member__organisation_id", "level")
                                      .annotate(n=Count("id")).order_by()):
        top = grassroots.get(organisation_id)
        if top is not None:
            counts[top][level] = counts[top].get(level, 0) + n
    names = dict(Organisation.objects.filter(pk__in=counts).values_list("id", "name"))
    return {pk: QuotaRow(organisation_id=pk, organisation=names[pk], counts=dict(by_level),
                         result=rating_rules.quota_check(by_level))
            for pk, by_level in sorted(counts.items(), key=lambda item: names[item[0]])}


@dataclass(frozen=True)
class RatingHistoryRow:
    year: int
    level: str
    label: str
    current_level: str
    score: Decimal | None
    note: str


def rating_history(member: Member) -> list[RatingHistoryRow]:
    """A member's ratings, oldest first, with the level a legacy label counts as."""
    language = _lang()
    return [RatingHistoryRow(year=r.year, level=r.level, label=rating_rules.label(r.level, language),
                             current_level=str(rating_rules.current_level(r.level)), score=r.score, note=r.note)
            for r in member.ratings.order_by("year")]


# The columns of the ratings workbook, folded (either language).
RATING_COLUMNS = {
    "name": ("ho va ten", "full name", "name"),
    "card": ("so the dang", "so the", "party card number", "card number"),
    "level": ("xep loai", "rating", "level"),
}
MAX_IMPORT_ROWS = 20_000
MAX_IMPORT_BYTES = 5 * 1024 * 1024


def _level_from_text(text: str) -> str | None:
    """A rating cell: a code or a label (Vietnamese or English, with or without diacritics)."""
    wanted = fold(text)
    for code in rating_rules.MEMBER_CODES:
        if wanted == fold(code) or wanted in (fold(rating_rules.label(code, "vi")), fold(rating_rules.label(code, "en"))):
            return code
    return None


def _rows_from_file(file) -> list[dict]:
    from openpyxl import load_workbook

    from ketnoi.cases import filetypes

    if hasattr(file, "read"):
        if getattr(file, "size", 0) > MAX_IMPORT_BYTES:  # before reading it into memory
            raise ValidationError({"file": _("The file is larger than 5 MB.")})
        data = file.read(MAX_IMPORT_BYTES + 1)
    else:
        data = bytes(file)
    if len(data) > MAX_IMPORT_BYTES:
        raise ValidationError({"file": _("The file is larger than 5 MB.")})
    import io
    if not filetypes.is_workbook(io.BytesIO(data)):  # from its bytes, before the XLSX reader opens it
        raise ValidationError({"file": _("This is not an Excel workbook (.xlsx).")})
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception:
        raise ValidationError({"file": _("This is not an Excel workbook (.xlsx).")}) from None
    rows = iter(sheet.iter_rows(values_only=True))
    columns = None
    for header in rows:
        cells = [fold(str(cell or "")) for cell in header]
        found = {key: next((i for i, cell in enumerate(cells) if cell in names), None)
                 for key, names in RATING_COLUMNS.items()}
        if found["level"] is not None and (found["card"] is not None or found["name"] is not None):
            columns = found
            break
    if columns is None:
        raise ValidationError({"file": _("The workbook has no header row with the columns “Họ và tên”, "
                                         "“Số thẻ đảng” and “Xếp loại”.")})
    out = []
    for values in rows:
        cell = lambda key: "" if columns[key] is None or columns[key] >= len(values) else str(values[columns[key]] or "").strip()  # noqa: E731
        row = {key: cell(key) for key in RATING_COLUMNS}
        if any(row.values()):
            out.append(row)
    return out


def _write_imported(year: int, planned: list, by) -> None:
    """Write an import's ratings in bulk (a department's 1,000 rows one by one took 1.6 s; the
    limit is 20,000) with one audit event naming the ratings by id and the levels they had, not
    the members (administrators read the audit trail; see services.py)."""
    existing = {rating.member_id: rating for rating in Rating.objects.select_for_update().filter(
        year=year, member_id__in=[member.pk for member, _level in planned])}
    new, changed = [], []
    for member, level in planned:
        rating = existing.get(member.pk)
        if rating is None:
            new.append(Rating(year=year, member=member, level=level))
        elif (rating.level, rating.score, rating.note) != (level, None, ""):
            changed.append(rating)
            rating.level, rating.score, rating.note = level, None, ""
    Rating.objects.bulk_create(new, batch_size=500)
    Rating.objects.bulk_update(changed, ["level", "score", "note"], batch_size=500)
    audit_record(actor=by, action="party.ratings_imported", object_type="party.rating", object_repr=str(year),
                 after={"year": year, "created": [rating.pk for rating in new],  # ids only: members' ratings
                        "changed": [rating.pk for rating in changed]})


@transaction.atomic
def ratings_import(*, year: int, by, rows=None, file=None) -> dict:
    """Import the members' ratings of ``year`` from rows (``{"name", "card", "level"}``, or the
    Vietnamese headers) or an XLSX file with the columns Họ và tên, Số thẻ đảng, Xếp loại. All or
    nothing: a file with one bad row changes nothing and names every bad row. Returns the count
    written and the quota of every grassroots organisation touched (warnings, not refusals)."""
    _require(_may_edit(by))
    year = _year(year)
    if (rows is None) == (file is None):
        raise ValidationError({"file": _("Send either rows or a file.")})
    if file is not None:
        rows = _rows_from_file(file)
    aliases = {"họ và tên": "name", "số thẻ đảng": "card", "xếp loại": "level"}
    rows = [{aliases.get(str(key).strip().lower(), key): str(value or "").strip() for key, value in row.items()}
            for row in rows]
    if not rows:
        raise ValidationError({"file": _("There is no rating to import.")})
    if len(rows) > MAX_IMPORT_ROWS:
        raise ValidationError({"file": _("Import at most %(n)d rows at a time.") % {"n": MAX_IMPORT_ROWS}})
    cards = {row.get("card", "") for row in rows if row.get("card")}
    by_card = {m.card_number: m for m in Member.objects.filter(card_number__in=cards)}
    errors, seen, planned = [], set(), []
    for number, row in enumerate(rows, start=1):
        member = by_card.get(row.get("card", ""))
        level = _level_from_text(row.get("level", ""))
        if not row.get("card"):
            errors.append(_("Row %(n)d: write the party card number.") % {"n": number})
        elif member is None:
            errors.append(_("Row %(n)d: no member has the party card number %(card)s.")
                          % {"n": number, "card": row["card"]})
        elif row.get("name") and fold(row["name"]) != fold(member.full_name):
            errors.append(_("Row %(n)d: the card %(card)s is %(name)s's, not %(given)s's.")
                          % {"n": number, "card": row["card"], "name": member.full_name, "given": row["name"]})
        elif member.pk in seen:
            errors.append(_("Row %(n)d: %(name)s is rated twice in the file.") % {"n": number, "name": member.full_name})
        elif level is None:
            errors.append(_("Row %(n)d: “%(level)s” is not a rating level.") % {"n": number, "level": row.get("level", "")})
        else:
            try:
                _check_level(level, year, of_member=True)
            except ValidationError as error:
                errors.append(_("Row %(n)d: %(message)s") % {"n": number, "message": " ".join(error.messages)})
                continue
            seen.add(member.pk)
            planned.append((member, level))
    if errors:
        raise ValidationError({"file": errors})
    _write_imported(year, planned, by)
    grassroots = grassroots_of_all()
    touched = {grassroots.get(member.organisation_id) for member, _level in planned} - {None}
    quotas = quota_by_organisation(year, organisations=touched)
    return {"count": len(planned), "quotas": quotas,
            "warnings": [row.message for row in quotas.values() if row.result.broken]}


# --- commendations ---------------------------------------------------------------------------

@dataclass(frozen=True)
class CommendationCandidate:
    subject: str  # lib.commendation.Subject
    subject_id: int
    name: str
    organisation_id: int | None  # the member's organisation; the organisation's parent
    organisation: str
    candidate: commendation_rules.Candidate

    @property
    def basis(self) -> str:
        return str(self.candidate.basis)

    @property
    def label(self) -> str:
        return self.candidate.label(_lang())


def _five_year_runs(ratings, codes, key: str, year: int) -> set[int]:
    """The subjects rated with one of ``codes`` in each of the five years ending with ``year``,
    less those whose last five-year commendation falls in those years (lib.commendation: years
    already rewarded do not count again): one aggregate query."""
    first = year - commendation_rules.FIVE_YEARS + 1
    rewarded = Commendation.objects.filter(**{key: OuterRef(key)}, five_years=True, year__gte=first, year__lte=year)
    return set(ratings.filter(~Exists(rewarded), year__gte=first, year__lte=year, level__in=codes,
                              **{f"{key}__isnull": False})
               .values(key).annotate(years=Count("*")).filter(years=commendation_rules.FIVE_YEARS)
               .values_list(key, flat=True))


def _candidate_rows(subject, rows, five_years: set[int], year: int) -> list[CommendationCandidate]:
    out = []
    for subject_id, name, organisation_id, organisation in rows:
        bases = [commendation_rules.Basis.YEAR] + ([commendation_rules.Basis.FIVE_YEARS]
                                                   if subject_id in five_years else [])
        for basis in bases:
            first = year if basis == commendation_rules.Basis.YEAR else year - commendation_rules.FIVE_YEARS + 1
            for award in commendation_rules.AWARDS[(subject, basis)]:
                out.append(CommendationCandidate(
                    subject=str(subject), subject_id=subject_id, name=name, organisation_id=organisation_id,
                    organisation=organisation or "",
                    candidate=commendation_rules.Candidate(subject, basis, award.form, award.issuer, first, year)))
    return out


def commendation_candidates(p: Principal, *, year: int) -> list[CommendationCandidate]:
    """The members rated Xuất sắc in ``year`` (Giấy khen of the grassroots committee) and five
    years running (Giấy khen of the upper-grassroots standing committee, or Bằng khen of the
    city), and the organisations rated "tiêu biểu" likewise (lib.commendation). Legacy labels
    count through lib.party_rating.current_level, mapped into the queries' IN lists."""
    _require(access.may_read_register(p))
    year = _year(year)
    # A member removed from the Party is no one's candidate.
    members = access.visible_members(p).exclude(status=Member.Status.REMOVED)
    member_ratings = Rating.objects.filter(member__in=members)
    this_year = (members.filter(ratings__year=year, ratings__level__in=EXCELLENT_MEMBER_CODES)
                 .values_list("id", "full_name", "organisation_id", "organisation__name").order_by())
    five = _five_year_runs(member_ratings, EXCELLENT_MEMBER_CODES, "member", year)
    found = _candidate_rows(commendation_rules.Subject.MEMBER, this_year, five, year)
    organisations = access.visible_organisations(p)
    org_ratings = Rating.objects.filter(organisation__in=organisations)
    org_this_year = (organisations.filter(ratings__year=year, ratings__level__in=EXEMPLARY_ORGANISATION_CODES)
                     .values_list("id", "name", "parent_id", "parent__name").order_by())
    org_five = _five_year_runs(org_ratings, EXEMPLARY_ORGANISATION_CODES, "organisation", year)
    found += _candidate_rows(commendation_rules.Subject.ORGANISATION, org_this_year, org_five, year)
    # Stable: the forms of one subject stay in lib.commendation.AWARDS's order.
    found.sort(key=lambda c: (c.subject != "member", c.basis != "five_years", c.organisation, fold(c.name),
                              c.subject_id))
    return found


@transaction.atomic
def commendation_record(*, year: int, form: str, issuer: str, issuer_name: str, decision_number: str,
                        decided_on: date, by, member: Member | None = None, organisation: Organisation | None = None,
                        reason: str = "", five_years: bool = False, event: Event | None = None) -> Commendation:
    """Record a commendation decided for a member or an organisation."""
    _require(_may_edit(by))
    if (member is None) == (organisation is None):
        raise ValidationError({"member": _("Commend either a member or an organisation.")})
    year = _year(year)
    if form not in commendation_rules.Form.__members__.values():
        raise ValidationError({"form": _("Choose Giấy khen or Bằng khen.")})
    if issuer not in commendation_rules.Issuer.__members__.values():
        raise ValidationError({"issuer": _("Choose the level that issued it.")})
    issuer_name = _text(issuer_name, "issuer_name", _("Write who issued it."), 200)
    decision_number = _text(decision_number, "decision_number", _("Write the number of the decision."), 60)
    if not isinstance(decided_on, date):
        raise ValidationError({"decided_on": _("Give the date of the decision.")})
    if decided_on.year < year:
        raise ValidationError({"decided_on": _("A commendation for %(year)d is decided in %(year)d or later.")
                               % {"year": year}})
    commendation = Commendation.objects.create(
        year=year, member=member, organisation=organisation, form=form, issuer=issuer, issuer_name=issuer_name,
        decision_number=decision_number, decided_on=decided_on, reason=(reason or "").strip(),
        five_years=bool(five_years), event=event)
    if member is not None:
        audit_personal(by, "party.commendation_recorded", commendation, ["form", "issuer", "issuer_name",
                       "decision_number", "decided_on", "reason", "five_years", "event"], member=member.pk)
    else:
        audit_record(actor=by, action="party.commendation_recorded", obj=commendation,
                     object_repr=f"{organisation} – {year}", after=snapshot(commendation))
    return commendation


# --- events ----------------------------------------------------------------------------------

@transaction.atomic
def event_create(*, kind: str, name: str, held_on: date, organisation: Organisation, by, place: str = "",
                 description: str = "") -> Event:
    """A ceremony (badges, commendations presented) or a conference (with contributions)."""
    _require(_may_edit(by))
    if kind not in Event.Kind.values:
        raise ValidationError({"kind": _("Choose a ceremony or a conference.")})
    name = _text(name, "name", _("Write the event's name."), 300)
    if not isinstance(held_on, date):
        raise ValidationError({"held_on": _("Give the day it is held.")})
    event = Event.objects.create(kind=kind, name=name, held_on=held_on, organisation=organisation,
                                 place=_text(place, "place", "", 300, required=False),
                                 description=(description or "").strip())
    audit_record(actor=by, action="party.event_created", obj=event, after=snapshot(event))
    return event


@transaction.atomic
def contribution_add(*, event: Event, organisation: Organisation, title: str, by, presenter: str = "") -> Contribution:
    """Tham luận: an organisation's contribution to a conference."""
    _require(_may_edit(by))
    if event.kind != Event.Kind.CONFERENCE:
        raise ValidationError({"event": _("Contributions are presented at a conference.")})
    contribution = Contribution.objects.create(
        event=event, organisation=organisation, title=_text(title, "title", _("Write the contribution's title."), 300),
        presenter=_text(presenter, "presenter", "", 150, required=False))
    audit_record(actor=by, action="party.contribution_added", obj=contribution, after=snapshot(contribution))
    return contribution


@transaction.atomic
def event_present(*, event: Event, by, badges=(), commendations=()) -> None:
    """Mark badges and commendations already decided as presented at the ceremony ``event``."""
    _require(_may_edit(by))
    if event.kind != Event.Kind.CEREMONY:
        raise ValidationError({"event": _("Awards are presented at a ceremony.")})
    for award in list(badges) + list(commendations):
        award.event = event
        award.save(update_fields=["event"])
        audit_personal(by, "party.award_presented", award, ["event"], event=event.pk, member=award.member_id)


@dataclass
class EventDetail:
    event: Event
    badges: list = field(default_factory=list)
    commendations: list = field(default_factory=list)
    contributions: list = field(default_factory=list)


def event_detail(p: Principal, event: Event) -> EventDetail:
    """An event with the awards presented at it (to the visible members) and its contributions."""
    _require(access.may_read_register(p))
    members = access.visible_members(p)
    return EventDetail(
        event=event,
        badges=list(event.badges.filter(member__in=members).select_related("member").order_by("-threshold", "id")),
        commendations=list(event.commendations.filter(Q(member__in=members) | Q(member__isnull=True))
                           .select_related("member", "organisation").order_by("id")),
        contributions=list(event.contributions.select_related("organisation")),
    )


PRESENT_WITHIN_DAYS = 366  # a decision waits at most about a year for its ceremony


@dataclass
class AwardsToPresent:
    badges: list = field(default_factory=list)
    commendations: list = field(default_factory=list)


def awards_to_present(p: Principal, event: Event) -> AwardsToPresent:
    """The badges and commendations decided in the year before a ceremony and not yet presented,
    of the members (and organisations) of the organising organisation and those below it: what
    the party office may mark as presented there."""
    _require(access.may_read_register(p))
    if event.kind != Event.Kind.CEREMONY:
        return AwardsToPresent()
    organisations = access.subtree_ids([event.organisation_id])
    decided = {"event__isnull": True, "decided_on__lte": event.held_on,
               "decided_on__gt": event.held_on - timedelta(days=PRESENT_WITHIN_DAYS)}
    members = access.visible_members(p).filter(organisation_id__in=organisations)
    return AwardsToPresent(
        badges=list(BadgeAward.objects.filter(member__in=members, **decided).select_related("member")
                    .order_by("-threshold", "member__full_name")),
        commendations=list(Commendation.objects.filter(Q(member__in=members) | Q(organisation_id__in=organisations),
                                                       **decided).select_related("member", "organisation")
                           .order_by("-five_years", "id")),
    )


# --- creative models -------------------------------------------------------------------------

@transaction.atomic
def initiative_create(*, organisation: Organisation, name: str, started_on: date, by, description: str = "",
                      status: str = Initiative.Status.RUNNING, programme=None, commitments=(),
                      recognition: str = "") -> Initiative:
    """Register a creative model (mô hình sáng tạo) and link it to what it runs in ketnoi."""
    _require(_may_edit(by))
    name = _text(name, "name", _("Write the creative model's name."), 300)
    if not isinstance(started_on, date):
        raise ValidationError({"started_on": _("Give the day it started.")})
    if status not in Initiative.Status.values:
        raise ValidationError({"status": _("Choose running, paused or ended.")})
    initiative = Initiative.objects.create(organisation=organisation, name=name, started_on=started_on,
                                           description=(description or "").strip(), status=status,
                                           programme=programme, recognition=(recognition or "").strip())
    if commitments:
        initiative.commitments.set(commitments)
    audit_record(actor=by, action="party.initiative_created", obj=initiative, after=snapshot(initiative))
    return initiative


@transaction.atomic
def initiative_link(*, initiative: Initiative, by, programme=None, commitments=()) -> Initiative:
    """Link a creative model to the dialogue programme it runs (when given) and add the price
    commitments it follows: what it runs may be set up in ketnoi after the model is registered."""
    _require(_may_edit(by))
    before = {**snapshot(initiative), "commitments": sorted(initiative.commitments.values_list("id", flat=True))}
    if programme is not None:
        initiative.programme = programme
        initiative.save(update_fields=["programme"])
    if commitments:
        initiative.commitments.add(*commitments)
    audit_record(actor=by, action="party.initiative_linked", obj=initiative, before=before,
                 after={**snapshot(initiative),
                        "commitments": sorted(initiative.commitments.values_list("id", flat=True))})
    return initiative


@dataclass(frozen=True)
class InitiativeFigures:
    sessions_held: int = 0
    businesses_attending: int = 0  # distinct enterprises checked in at any session
    questions: int = 0
    commitments_kept: int = 0
    commitments_broken: int = 0


def initiative_figures(initiative: Initiative) -> InitiativeFigures:
    """The live figures of what the creative model runs: its dialogue programme's sessions held,
    businesses that attended and questions raised; its price commitments kept and broken."""
    from ketnoi.dialogue.models import Question, Registration, Session
    from ketnoi.prices.models import CommitmentStatus

    figures = {}
    if initiative.programme_id is not None:
        figures["sessions_held"] = Session.objects.filter(programme_id=initiative.programme_id,
                                                          status=Session.Status.HELD).count()
        figures["businesses_attending"] = (
            Registration.objects.filter(session__programme_id=initiative.programme_id, checked_in_at__isnull=False)
            .values("enterprise_id").distinct().count())
        figures["questions"] = Question.objects.filter(session__programme_id=initiative.programme_id).count()
    by_status = dict(initiative.commitments.values_list("status").annotate(n=Count("id")).order_by())
    figures["commitments_kept"] = by_status.get(CommitmentStatus.KEPT, 0)
    figures["commitments_broken"] = by_status.get(CommitmentStatus.BROKEN, 0)
    return InitiativeFigures(**figures)
