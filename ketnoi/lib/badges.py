"""Party membership badges (Huy hiệu Đảng): thresholds, occasions, early awards, cash gift.

Party age is counted by ``ketnoi.lib.party_age`` (month anniversaries, gaps subtracted). Every
function here *proposes*: the committee decides and the award is recorded by the party app.
"""

import enum
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Mapping

from ketnoi.lib.party_age import (
    Gap,
    add_months,
    date_reaching,
    months_outside,
    outside_on,
    party_age_months,
)

# Years of party age that earn a badge: Hướng dẫn 01-HD/TW (28/9/2021) section 18 (also
# Quy định 24-QĐ/TW 2021). The 45-year badge was added by Quy định 29-QĐ/TW (25/7/2016)
# point 27.3a.
THRESHOLDS: tuple[int, ...] = (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)

# Transitional rule of QĐ 29-QĐ/TW 2016 for the then new 45-year badge: not for a member who
# already holds a higher badge, nor for one who already had 50 years of party age on the day
# it was introduced.
FORTY_FIVE = 45
FORTY_FIVE_INTRODUCED_ON = date(2016, 7, 25)
FORTY_FIVE_EXCLUDED_FROM_YEARS = 50


@dataclass(frozen=True)
class Occasion:
    month: int
    day: int
    vi: str
    en: str


# HD 01-HD/TW 2021 section 18: badges are presented on these anniversaries, at the member's
# grassroots organisation, "and other important anniversaries" the committee decides (the
# functions below take any date for those, e.g. a year-end conference on 19/1).
OCCASIONS: tuple[Occasion, ...] = (
    Occasion(2, 3, "Kỷ niệm ngày thành lập Đảng Cộng sản Việt Nam (3/2)",
             "Anniversary of the founding of the Communist Party of Vietnam (3 February)"),
    Occasion(5, 19, "Kỷ niệm ngày sinh Chủ tịch Hồ Chí Minh (19/5)",
             "Anniversary of President Ho Chi Minh's birth (19 May)"),
    Occasion(9, 2, "Quốc khánh nước Cộng hoà xã hội chủ nghĩa Việt Nam (2/9)",
             "National Day of the Socialist Republic of Vietnam (2 September)"),
    Occasion(11, 7, "Kỷ niệm Cách mạng Tháng Mười Nga (7/11)",
             "Anniversary of the Russian October Revolution (7 November)"),
)


class EarlyGround(enum.StrEnum):
    ILL = "ill"  # bị bệnh nặng: xét tặng sớm
    POSTHUMOUS = "posthumous"  # đã từ trần: truy tặng sớm


EARLY_GROUND_LABELS: dict[EarlyGround, dict[str, str]] = {
    EarlyGround.ILL: {"vi": "Bị bệnh nặng, xét tặng sớm", "en": "Seriously ill, early award"},
    EarlyGround.POSTHUMOUS: {"vi": "Đã từ trần, truy tặng sớm", "en": "Deceased, posthumous award"},
}

# HD 01-HD/TW 2021 section 18: how many months before the threshold a badge may be awarded.
# Seriously ill: up to 12 months early for the 30-65-year badges, 24 months for 70-90 years.
# Deceased: up to 12 months early for every badge.
ILL_EARLY_MONTHS: dict[int, int] = {t: (12 if t <= 65 else 24) for t in THRESHOLDS}
POSTHUMOUS_EARLY_MONTHS: dict[int, int] = {t: 12 for t in THRESHOLDS}

# Cash gift with the badge, as a multiple of the base salary (lương cơ sở): Hướng dẫn
# 56-HD/VPTW (27/10/2015), section IV.2. 45, 85 and 90 years: UNCONFIRMED (the guidance
# predates the 45-year badge; the party office configures them, see ``gift_multiples``).
GIFT_MULTIPLES: dict[int, Decimal | None] = {
    30: Decimal("1.5"),
    40: Decimal("2.0"),
    45: None,
    50: Decimal("3.0"),
    55: Decimal("3.5"),
    60: Decimal("5.0"),
    65: Decimal("6.0"),
    70: Decimal("8.0"),
    75: Decimal("10.0"),
    80: Decimal("15.0"),
    85: None,
    90: None,
}

# Base salary (lương cơ sở, đồng a month) by the day it took effect, for a default when the
# party office has configured none. Add a row when a new decree raises it.
BASE_SALARY: tuple[tuple[date, int, str], ...] = (
    (date(2019, 7, 1), 1_490_000, "Nghị định 38/2019/NĐ-CP"),
    (date(2023, 7, 1), 1_800_000, "Nghị định 24/2023/NĐ-CP"),
    (date(2024, 7, 1), 2_340_000, "Nghị định 73/2024/NĐ-CP"),
)


def occasions(year: int) -> list[date]:
    """The four regular award occasions of ``year``, in order."""
    return [date(year, occasion.month, occasion.day) for occasion in OCCASIONS]


def next_occasion(on: date) -> date:
    """The first regular occasion on or after ``on``."""
    return next(day for day in occasions(on.year) + occasions(on.year + 1) if day >= on)


def eligible_thresholds(
    *, admitted_on: date, gaps: Iterable[Gap] = (), held: Iterable[int] = ()
) -> tuple[int, ...]:
    """The thresholds this member can ever be proposed for: all of them, less the 45-year
    badge where the transitional rule of QĐ 29-QĐ/TW 2016 excludes it."""
    held = frozenset(held)
    gaps = tuple(gaps)
    excluded = any(badge > FORTY_FIVE for badge in held)
    if not excluded and admitted_on <= FORTY_FIVE_INTRODUCED_ON:
        months = party_age_months(admitted_on, FORTY_FIVE_INTRODUCED_ON, gaps)
        excluded = months >= 12 * FORTY_FIVE_EXCLUDED_FROM_YEARS
    return tuple(t for t in THRESHOLDS if not (t == FORTY_FIVE and excluded))


def badge_due(
    *,
    admitted_on: date,
    gaps: Iterable[Gap] = (),
    on: date,
    held: Iterable[int] = (),
    died_on: date | None = None,
) -> int | None:
    """The badge to propose on ``on``: the highest threshold reached, unless the member already
    holds it or a higher one; None when there is nothing to propose.

    A member who reached 40 years without ever receiving the 30-year badge is proposed for 40
    only: badges mark the party age reached, and the official practice awards the badge of the
    highest threshold reached, not the missed ones one by one. For a deceased member (posthumous
    award, truy tặng) party age stops at ``died_on``. Nothing is proposed for a day the member
    is outside party activity (a gap): a badge goes to a member of an organisation.
    """
    held = frozenset(held)
    gaps = tuple(gaps)
    at = on if died_on is None else min(on, died_on)
    if at < admitted_on or outside_on(admitted_on, at, gaps):
        return None
    months = party_age_months(admitted_on, at, gaps)
    reached = [
        t for t in eligible_thresholds(admitted_on=admitted_on, gaps=gaps, held=held)
        if 12 * t <= months
    ]
    if not reached:
        return None
    top = reached[-1]
    if any(badge >= top for badge in held):
        return None
    return top


@dataclass(frozen=True)
class EarlyAward:
    """A badge that may be awarded before the threshold: a proposal for the committee to
    decide, never an award by itself."""

    threshold: int
    ground: EarlyGround
    months_early: int  # months of party age still missing on the day considered
    reaches_on: date | None  # the day the threshold is (or would have been) reached


def early_window(
    *,
    admitted_on: date,
    gaps: Iterable[Gap] = (),
    on: date,
    held: Iterable[int] = (),
    seriously_ill: bool = False,
    died_on: date | None = None,
) -> EarlyAward | None:
    """The next badge this member could receive early on ``on``, and on which ground.

    A member who died on or before ``on`` is considered for a posthumous award with party age
    counted to the day of death; a living member only when ``seriously_ill``. The windows are
    ``ILL_EARLY_MONTHS`` and ``POSTHUMOUS_EARLY_MONTHS`` (HD 01-HD/TW 2021 section 18). A badge
    already reached is ``badge_due``'s, not this function's.
    """
    held = frozenset(held)
    gaps = tuple(gaps)
    if died_on is not None and died_on <= on:
        ground, at, windows = EarlyGround.POSTHUMOUS, died_on, POSTHUMOUS_EARLY_MONTHS
    elif seriously_ill:
        ground, at, windows = EarlyGround.ILL, on, ILL_EARLY_MONTHS
    else:
        return None
    if at < admitted_on or outside_on(admitted_on, at, gaps):
        return None
    months = party_age_months(admitted_on, at, gaps)
    highest_held = max(held, default=0)
    for threshold in eligible_thresholds(admitted_on=admitted_on, gaps=gaps, held=held):
        if 12 * threshold <= months or threshold <= highest_held:
            continue
        missing = 12 * threshold - months
        if missing > windows[threshold]:
            return None
        return EarlyAward(threshold, ground, missing, date_reaching(admitted_on, threshold, gaps))
    return None


def threshold_cutoff_months(on: date, months: int) -> date:
    """The latest admission date from which a member with no gap has ``months`` months of
    party age on ``on``: ``admitted_on <= cutoff`` is the whole test."""
    if months < 0:
        raise ValueError(f"months must be >= 0, got {months}")
    cutoff = add_months(on, -months)
    # Clamping to the end of a month maps several admission days to one anniversary (admitted
    # 28/02 or 29/02/1992 both reach 30 years on 28/02/2022): take the last of them.
    while add_months(cutoff + timedelta(days=1), months) <= on:
        cutoff += timedelta(days=1)
    return cutoff


def threshold_cutoff(on: date, years: int) -> date:
    """The latest admission date from which a member with no gap has ``years`` years of party
    age on ``on``.

    For set-based queries over many members: ``admitted_on <= threshold_cutoff(on, t)`` selects
    exactly the members without gaps who reached ``t`` years by ``on``. For a member with gaps
    it is a necessary condition only (gaps never add party age): check those few members with
    ``badge_due``, or compare ``admitted_on`` with ``threshold_cutoff_months(on, 12 * t + G)``
    where ``G`` is the member's months of absence that began before the day reached.
    """
    if years < 0:
        raise ValueError(f"years must be >= 0, got {years}")
    return threshold_cutoff_months(on, 12 * years)


def badge_delay_months(admitted_on: date, gaps: Iterable[Gap] = ()) -> int | None:
    """The months by which a member's periods outside the Party push back every badge, when
    they all ended and began before the first threshold would have been reached without them:
    the member then reaches ``t`` years on ``add_months(admitted_on, 12 * t + delay)``, so a
    set-based query decides them like members without gaps (``day_key``). 0 without gaps; None
    when a period is still open or began later (reckon those few with ``badge_due``)."""
    return months_outside(admitted_on, gaps, began_before=add_months(admitted_on, 12 * min(THRESHOLDS)))


def badge_key(admitted_on: date, delay_months: int | None) -> int | None:
    """One number that decides every badge of a member whose gaps only delay them (or who has
    none): ``t`` years are reached on ``on`` exactly when
    ``badge_key + 32 * 12 * t <= reached_key(on)``. None for the members to reckon one by one."""
    return None if delay_months is None else day_key(admitted_on) + 32 * delay_months


def next_threshold(held: int) -> int | None:
    """The first badge above the highest one held (0 when none is); None above the last."""
    return next((threshold for threshold in THRESHOLDS if threshold > held), None)


def next_badge_key(badge_key: int | None, held: int) -> int | None:
    """``badge_key`` moved on to the first badge above ``held``: on ``on`` such a member is due
    a badge exactly when ``next_badge_key <= reached_key(on)`` (the badge due is then the highest
    reached, above ``held``), so a national list is one range of an index. None for the members
    reckoned one by one and for those who hold the last badge."""
    following = next_threshold(held)
    return None if badge_key is None or following is None else badge_key + 32 * 12 * following


def day_key(day: date) -> int:
    """An integer that orders days and moves by 32 a month: with ``reached_key``, the test
    ``add_months(day, months) <= on`` becomes ``day_key(day) + 32 * months <= reached_key(on)``,
    which a database computes per row from year, month and day (no engine's month arithmetic
    clamps the end of a month the way ``add_months`` does)."""
    return (day.year * 12 + day.month) * 32 + day.day


def reached_key(on: date) -> int:
    """The bound of ``day_key`` for ``on``: on the last day of a month every anniversary that
    falls in that month has come (``add_months`` clamps 31/01 + 1 month to 28 or 29/02)."""
    last_day = on.month != (on + timedelta(days=1)).month
    return (on.year * 12 + on.month) * 32 + (31 if last_day else on.day)


def gift_multiples(
    overrides: Mapping[int, Decimal | int | float | str | None] | None = None,
) -> dict[int, Decimal | None]:
    """The multiples of the base salary by threshold, with the party office's configured
    ``overrides`` (e.g. ``{45: "2.5"}`` once a text fixes the UNCONFIRMED ones)."""
    multiples = dict(GIFT_MULTIPLES)
    for threshold, value in (overrides or {}).items():
        if threshold not in GIFT_MULTIPLES:
            raise ValueError(f"{threshold} is not a badge threshold")
        if value is None:
            multiples[threshold] = None
            continue
        multiple = Decimal(str(value))
        if not multiple.is_finite() or multiple < 0:
            raise ValueError(f"a gift multiple must be a number >= 0, got {value!r}")
        multiples[threshold] = multiple
    return multiples


def cash_gift(
    threshold: int,
    base_salary: int | Decimal,
    overrides: Mapping[int, Decimal | int | float | str | None] | None = None,
) -> int | None:
    """The cash gift in đồng (rounded half up to the đồng) for the badge of ``threshold``
    years; None where the multiple is not known (UNCONFIRMED and not configured)."""
    if threshold not in GIFT_MULTIPLES:
        raise ValueError(f"{threshold} is not a badge threshold")
    base = Decimal(str(base_salary))
    if not base.is_finite() or base < 0:
        raise ValueError(f"the base salary must be an amount >= 0, got {base_salary!r}")
    multiple = gift_multiples(overrides)[threshold]
    if multiple is None:
        return None
    return int((multiple * base).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def base_salary_on(day: date) -> int:
    """The base salary in force on ``day`` per ``BASE_SALARY`` (a default; the party office's
    configured figure comes first)."""
    current = None
    for since, amount, _source in BASE_SALARY:
        if since <= day:
            current = amount
    if current is None:
        raise ValueError(f"no base salary known for {day:%d/%m/%Y}: configure it")
    return current
