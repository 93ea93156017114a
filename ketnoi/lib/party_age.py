"""Party age (tuổi đảng): whole months of party membership.

The rule (Điều lệ Đảng 2011, Art. 5.4; Quy định 24-QĐ/TW 2021, point 4.5; Hướng dẫn
01-HD/TW 2021 on how it is counted):

- Party age runs from the day the competent committee signed the admission decision; when
  there is no decision (or it was lost), from the admission date on the party card
  (``admission_date`` below). The 12-month probation is included: a member confirmed as a full
  member counts from admission, not from confirmation.
- Periods outside party activity are subtracted (QĐ 24-QĐ/TW point 4.5.1): expulsion (including
  the fixed-term expulsion of the Second Congress statute), removal from the rolls (xoá tên),
  loss of contact with the organisation, and the gap while transferring registration.
- A re-admitted member counts from the *first* admission, minus the time outside
  (QĐ 24-QĐ/TW point 4.5.2): pass the first admission date and a ``Gap`` from the day the
  member left to the day of the re-admission decision.
- A member wrongly expelled or removed who is later rehabilitated (kết luận bị oan, sai, được
  khôi phục quyền đảng viên) has *continuous* party age (HD 01-HD/TW 2021): the period stays in
  the record as a ``Gap`` with ``rehabilitated=True`` and counts as party age.

How months are counted (the texts say "in months" and give no finer rule; this module makes
one choice and applies it everywhere):

- A month of party age is complete on the same day of the month as the admission (the month
  anniversary). When that day does not exist in a month, the last day of that month is the
  anniversary: admitted 31/01 → one month on 28/02 (29/02 in a leap year), two on 31/03;
  admitted 29/02/1992 → 30 years on 28/02/2022, not 01/03/2022. The admission day is day one,
  so a member admitted on 03/02/1992 has 30 years on the occasion of 03/02/2022.
- A period outside the Party runs from its first day outside (``start``, e.g. the date of the
  expulsion decision) to its first day back (``end``, e.g. the date of the re-admission decision),
  end excluded; ``end=None`` means the member is still outside. Each period is counted in whole
  months, a started month counting as a whole one: the Party counts no day a member spent
  outside it, so the reckoning never credits the member with part of a gap. UNCONFIRMED: no text
  seen says how to round a partial month of absence; change ``_gap_months`` if the Organisation
  Department's practice differs.
- Party age at a date is then defined by the date each month is reached: month ``n`` is reached
  ``n + G`` calendar months after admission (month anniversary), where ``G`` is the number of
  absence months of the gaps that began before that day. So party age never decreases with the
  date, stands still during a gap, and a gap of ``k`` whole months delays every later
  anniversary by exactly ``k`` months.

Bad input raises ValueError: a gap that starts before the admission (for a re-admitted member,
pass the first admission date), a gap that ends before it starts, a date before the admission.
Gaps may be given in any order and may overlap or touch: they are merged first (a day outside
is a day outside, whatever the reason). Gaps that begin after the date asked about change
nothing.
"""

import calendar
import enum
from dataclasses import dataclass
from datetime import date
from typing import Iterable


class GapReason(enum.StrEnum):
    """Why a member was outside party activity (QĐ 24-QĐ/TW 2021, point 4.5.1)."""

    EXPELLED = "expelled"  # bị khai trừ (kể cả khai trừ có thời hạn, Điều lệ khoá II)
    REMOVED = "removed"  # bị xoá tên
    LOST_CONTACT = "lost_contact"  # mất liên lạc với tổ chức đảng
    TRANSFER = "transfer"  # gián đoạn do chuyển sinh hoạt đảng


GAP_REASON_LABELS: dict[GapReason, dict[str, str]] = {
    GapReason.EXPELLED: {"vi": "Bị khai trừ", "en": "Expelled"},
    GapReason.REMOVED: {"vi": "Bị xoá tên", "en": "Removed from the rolls"},
    GapReason.LOST_CONTACT: {
        "vi": "Mất liên lạc với tổ chức đảng",
        "en": "Lost contact with the party organisation",
    },
    GapReason.TRANSFER: {
        "vi": "Gián đoạn do chuyển sinh hoạt đảng",
        "en": "Gap while transferring party registration",
    },
}

# HD 01-HD/TW 2021: only those "đưa ra khỏi Đảng" (expelled or removed from the rolls) can be
# found wrongly so and rehabilitated.
REHABILITABLE: frozenset[GapReason] = frozenset({GapReason.EXPELLED, GapReason.REMOVED})


@dataclass(frozen=True)
class Gap:
    """A period outside party activity: ``start`` is the first day outside, ``end`` the first
    day back (excluded), ``None`` while the member is still outside.

    ``rehabilitated`` marks an expulsion or removal later found wrong: the period is kept in
    the record but does not interrupt party age (HD 01-HD/TW 2021).
    """

    start: date
    end: date | None
    reason: GapReason
    rehabilitated: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "reason", GapReason(self.reason))
        if self.end is not None and self.end < self.start:
            raise ValueError(f"a gap cannot end ({self.end}) before it starts ({self.start})")
        if self.rehabilitated:
            if self.reason not in REHABILITABLE:
                raise ValueError(
                    f"only an expulsion or a removal can be rehabilitated, not {self.reason}"
                )
            if self.end is None:
                raise ValueError("a rehabilitated member is back: the gap needs its end date")


def admission_date(decision_signed_on: date | None, card_admitted_on: date | None) -> date:
    """The date party age runs from: the signing of the admission decision, else the admission
    date on the party card (HD 01-HD/TW 2021)."""
    if decision_signed_on is not None:
        return decision_signed_on
    if card_admitted_on is not None:
        return card_admitted_on
    raise ValueError("party age needs the admission decision date or the party card's date")


def add_months(day: date, months: int) -> date:
    """The same day of the month ``months`` later (or earlier, when negative); the last day of
    the month when that day does not exist in it."""
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def whole_months_between(start: date, end: date) -> int:
    """The number of month anniversaries of ``start`` in (start, end]: the largest n with
    ``add_months(start, n) <= end``."""
    if end < start:
        raise ValueError(f"{end} is before {start}")
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return months


def _gap_months(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end``, a started month counting as a whole one."""
    months = whole_months_between(start, end)
    if add_months(start, months) < end:
        months += 1
    return months


@dataclass(frozen=True)
class _CountedGap:
    start: date
    end: date | None
    months: int | None  # None: still outside


def _counted_gaps(admitted_on: date, gaps: Iterable[Gap]) -> tuple[_CountedGap, ...]:
    """The gaps that interrupt party age, merged, in order, with their length in months."""
    spans: list[tuple[date, date | None]] = []
    for gap in gaps:
        if not isinstance(gap, Gap):
            raise TypeError(f"expected a Gap, got {gap!r}")
        if gap.start < admitted_on:
            raise ValueError(
                f"a gap starts on {gap.start:%d/%m/%Y}, before the admission on "
                f"{admitted_on:%d/%m/%Y}; for a re-admitted member, pass the first admission"
            )
        if gap.rehabilitated or gap.end == gap.start:
            continue
        spans.append((gap.start, gap.end))
    spans.sort(key=lambda span: span[0])
    merged: list[tuple[date, date | None]] = []
    for start, end in spans:
        if merged:
            last_start, last_end = merged[-1]
            if last_end is None:
                break  # still outside: later gaps are inside this one
            if start <= last_end:
                merged[-1] = (last_start, None if end is None else max(last_end, end))
                continue
        merged.append((start, end))
    return tuple(
        _CountedGap(start, end, None if end is None else _gap_months(start, end))
        for start, end in merged
    )


def _reaching(admitted_on: date, months: int, gaps: tuple[_CountedGap, ...]) -> date | None:
    """The first day with ``months`` months of party age, or None if never (still outside)."""
    delay = 0
    while True:
        reached = add_months(admitted_on, months + delay)
        total = 0
        for gap in gaps:
            if gap.start >= reached:
                break
            if gap.months is None:
                return None
            total += gap.months
        if total == delay:
            return reached
        delay = total  # a gap began before the would-be day: push it on and look again


def date_reaching_months(admitted_on: date, months: int, gaps: Iterable[Gap] = ()) -> date | None:
    """The first day the member has ``months`` months of party age; None while a gap that
    began before it is still open (the member is outside the Party)."""
    if months < 0:
        raise ValueError(f"months must be >= 0, got {months}")
    return _reaching(admitted_on, months, _counted_gaps(admitted_on, gaps))


def date_reaching(admitted_on: date, years: int, gaps: Iterable[Gap] = ()) -> date | None:
    """The first day the member has ``years`` years of party age (used for badges); None while
    a gap that began before it is still open."""
    if years < 0:
        raise ValueError(f"years must be >= 0, got {years}")
    return date_reaching_months(admitted_on, 12 * years, gaps)


def months_outside(admitted_on: date, gaps: Iterable[Gap] = (), *, began_before: date) -> int | None:
    """The months outside party activity that push back every day reached after
    ``began_before``, when that is all there is to it: every period counted against party age has
    ended and began before ``began_before``. Then a member reaches ``m`` months of party age on
    ``add_months(admitted_on, m + months_outside)`` for every ``add_months(admitted_on, m)`` on or
    after ``began_before`` (no later period moves it again). None otherwise: reckon the member
    with ``date_reaching_months``."""
    counted = _counted_gaps(admitted_on, gaps)
    if any(gap.months is None or gap.start >= began_before for gap in counted):
        return None
    return sum(gap.months for gap in counted)


def party_age_months(admitted_on: date, on: date, gaps: Iterable[Gap] = ()) -> int:
    """Whole months of party age on ``on`` (the day ``on`` included)."""
    if on < admitted_on:
        raise ValueError(
            f"{on:%d/%m/%Y} is before the admission on {admitted_on:%d/%m/%Y}: no party age"
        )
    counted = _counted_gaps(admitted_on, gaps)
    if not counted:  # nothing pushes the anniversaries back (most members)
        return whole_months_between(admitted_on, on)
    # The reaching day grows with the month count, so search for the last one reached.
    low, high = 0, whole_months_between(admitted_on, on)
    while low < high:
        middle = (low + high + 1) // 2
        reached = _reaching(admitted_on, middle, counted)
        if reached is not None and reached <= on:
            low = middle
        else:
            high = middle - 1
    return low


def party_age(admitted_on: date, on: date, gaps: Iterable[Gap] = ()) -> tuple[int, int]:
    """Party age on ``on`` as (years, months)."""
    return divmod(party_age_months(admitted_on, on, gaps), 12)



def outside_on(admitted_on: date, on: date, gaps: Iterable[Gap] = ()) -> bool:
    """Whether ``on`` falls in a period outside party activity (a rehabilitated one aside)."""
    return any(
        gap.start <= on and (gap.end is None or on < gap.end)
        for gap in _counted_gaps(admitted_on, gaps)
    )
