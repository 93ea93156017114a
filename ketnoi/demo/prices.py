"""The demo's prices: some thirty operators of warehouses, yards, port terminals and air cargo
terminals around Tân Sơn Nhất airport, Cát Lái and the export-processing zones of Tân Thuận and
Linh Trung, with their 2019 price lists, the commitments not to raise prices they signed in
February–March 2020, their 2020 lists, and the follow-up of the few lists that broke their word.

The operators and their facilities are in data/prices_2020.json (made up: no real company).
Which services each facility offers and at what price follows from its kind and the tables
below; everything else is drawn from the demo seed, each draw from its own generator (the
facility's or the operator's name) so that it does not move when other lines change: the prices,
the dates, who signed a commitment and for which services, which lists raise a covered price,
and what the coordinator did about each of those.

History is played in order of time through the services: the lists of 2019 (filed by the
operator or entered by customs from the posted tariff), the commitments recorded by the demo
coordinator (each facility's baseline is then its list in force on the day of signing), the 2020
lists (most keep or lower the prices, a handful raise one or two covered services by 3–15 %,
and `price_list_file` finds each of those as a breach), and the coordinator's follow-up notes.
A breach whose increase was withdrawn has the corrected list filed before the note saying so.
The services stamp their rows with the moment they run; the moments of 2020 that no service
takes (when a list was filed, a breach found, a commitment recorded, a note written) are written
afterwards, as the Q&A demo does with publication dates. Audit events keep the real moment.

Notices. A breach tells the coordinators, the unit's leaders and the operator's users, by e-mail
and in the app, when the transaction commits. They belong to 2020: while the history is written
no e-mail leaves (Django's dummy mail backend) and the in-app notifications are marked read.

Running it again adds nothing: an operator is found by its tax code, a facility by its name, a
list by its facility and first day, a commitment by its operator, first facility and day of
signing, a follow-up note by its breach and what it records.
"""

import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from ketnoi.accounts import services as accounts
from ketnoi.accounts.models import Enterprise, Role, User
from ketnoi.lib import taxcode
from ketnoi.lib.pricecheck import format_amount
from ketnoi.lib.vntext import fold
from ketnoi.lib.workdays import TIMEZONE, add_workdays, is_workday
from ketnoi.org.models import Unit
from ketnoi.prices import services
from ketnoi.prices.models import Breach, Commitment, Facility, FollowUpNote, PriceList, Service

from .past import notices_of_the_past
from .generate import LOGINS, NAMED_ENTERPRISES, _slug, person_name
from .knowledge import demo_coordinator

DATA = Path(__file__).parent / "data" / "prices_2020.json"

# What each kind of facility charges for: the services it always prices, and those only some do.
OFFERS = {
    "port": (["NH20", "NH40", "NR20", "NR40", "LB20", "LB40", "DO"], ["NH45", "SC20", "VS20"]),
    "yard": (["NH20", "NH40", "NR20", "NR40", "LB20", "LB40"], ["VS20", "DO"]),
    "icd": (["NH20", "NH40", "NR20", "NR40", "LB20", "LB40", "DO"], ["DR20", "DR40", "SC20", "VS20"]),
    "cfs": (["DR20", "DR40", "LKM3", "BXT", "DO"], ["NH20", "NH40"]),
    "bonded": (["LKM3", "BXT", "DO"], ["DR20", "DR40", "LKKG"]),
    "warehouse": (["LKM3", "BXT", "DO"], ["LKKG"]),
    "air_cargo": (["HKKG", "LKKG", "DO"], ["BXT"]),
}
# 2019 prices in Ho Chi Minh City, whole đồng: (cheapest, dearest, rounded to). Posted tariffs
# of the time put a laden 20' lift at Cát Lái at 500.000–900.000 ₫ and air cargo handling at
# 600–1.500 ₫ a kilogram; the others are in the same proportion.
RANGES = {
    "NH20": (500_000, 900_000, 5_000), "NH40": (800_000, 1_400_000, 10_000), "NH45": (1_000_000, 1_700_000, 10_000),
    "NR20": (250_000, 450_000, 5_000), "NR40": (380_000, 650_000, 5_000),
    "LB20": (20_000, 60_000, 1_000), "LB40": (40_000, 110_000, 1_000),
    "DR20": (650_000, 1_200_000, 10_000), "DR40": (1_000_000, 1_900_000, 10_000),
    "LKM3": (6_000, 20_000, 500), "BXT": (50_000, 140_000, 1_000), "SC20": (300_000, 600_000, 5_000),
    "HKKG": (600, 1_500, 10), "LKKG": (200, 700, 10), "DO": (80_000, 250_000, 5_000),
    "VS20": (100_000, 250_000, 5_000),
}
UNCOMMITTED = 5   # operators that signed nothing
BREACHES = 7      # facilities whose 2020 list raised a covered price (the login's included)
SIGNING = (date(2020, 2, 10), date(2020, 3, 19))

KEPT, BREACH, NONE = "kept", "breach", "none"
# The person the coordinator calls at the demo operator login's enterprise is that login.
LOGIN_CONTACTS = {login.username: (login.full_name, "male") for login in LOGINS if login.username == "operator"}


@dataclass
class Operator:
    key: str
    tax_code: str
    name: str
    short_name: str
    address: str
    home: str
    login: str = ""
    separate_commitments: bool = False
    facilities: list[dict] = field(default_factory=list)


@dataclass
class ListEvent:
    at: datetime
    operator: str
    facility: str
    effective_from: date
    prices: dict[str, int]
    by_operator: bool
    source: str
    note: str


@dataclass
class CommitmentEvent:
    at: datetime
    operator: str
    facilities: list[str]
    signed_on: date
    period_from: date
    period_to: date
    covers_all: bool
    services: list[str]


@dataclass
class NoteEvent:
    at: datetime
    operator: str
    facility: str
    breach_from: date  # the first day of the list that broke the commitment
    follow_up: str
    note: str


@dataclass
class Plan:
    operators: list[Operator]
    events: list  # in order of time
    stories: dict[tuple[str, str], str]  # (operator, facility) → kept / breach / none


@dataclass
class Built:
    operators: int = 0
    facilities: int = 0
    price_lists: int = 0
    commitments: int = 0
    breaches: int = 0
    notes: int = 0
    skipped: list[str] = field(default_factory=list)


def _rng(seed, *key) -> random.Random:
    return random.Random(":".join(map(str, (seed, "prices", *key))))


def read_operators(path: Path = DATA) -> list[Operator]:
    document = json.loads(path.read_text(encoding="utf-8"))
    operators = []
    for row in document["operators"]:
        if row.get("login"):
            spec = NAMED_ENTERPRISES[row["login"]]
            row = {**row, "tax_code": taxcode.make(spec["first9"]), "name": spec["name"],
                   "short_name": spec["short_name"], "address": spec["address"], "home": spec["home"]}
        operators.append(Operator(**{k: v for k, v in row.items() if k in Operator.__dataclass_fields__}))
    return operators


# --- drawing the history ----------------------------------------------------------------------

def _round(amount: Decimal, step: int, rounding=ROUND_FLOOR) -> int:
    return int((amount / step).to_integral_value(rounding)) * step


def _moment(day: date, rng: random.Random) -> datetime:
    """Office hours of the last working day on or before ``day``."""
    while not is_workday(day):
        day -= timedelta(days=1)
    return datetime.combine(day, time(rng.randint(8, 16), rng.randrange(0, 60, 5)), tzinfo=TIMEZONE)


def _later(moment: datetime, workdays: int, rng: random.Random) -> datetime:
    return _moment(add_workdays(moment.astimezone(TIMEZONE).date(), workdays), rng)


def _raised(amount: int, code: str, rng: random.Random) -> int:
    """3–15 % more, rounded up to the tariff's step (always more than before)."""
    step = RANGES[code][2]
    return max(amount + step, _round(Decimal(amount) * Decimal(1 + rng.uniform(0.03, 0.15)), step, ROUND_CEILING))


def _lowered(amount: int, code: str, rng: random.Random) -> int:
    step = RANGES[code][2]
    return max(step, _round(Decimal(amount) * Decimal(1 - rng.uniform(0.05, 0.2)), step))


def _baseline_prices(kind: str, rng: random.Random) -> dict[str, int]:
    always, sometimes = OFFERS[kind]
    offered = always + [code for code in sometimes if rng.random() < 0.5]
    level = rng.random()  # a dear facility is dear for everything, give or take
    prices = {}
    for code in offered:
        low, high, step = RANGES[code]
        position = min(1.0, max(0.0, level + rng.uniform(-0.15, 0.15)))
        prices[code] = _round(Decimal(low + (high - low) * position), step)
    return prices


def _services_text(changes: dict[str, tuple[int, int]]) -> str:
    """"NH20: 650.000 ₫ → 700.000 ₫ (+7,7 %)", as a Vietnamese note writes it."""
    return "; ".join(f"{code}: {format_amount(old)} → {format_amount(new)} (+{_percent(old, new)} %)"
                     for code, (old, new) in changes.items())


def _percent(old: int, new: int) -> str:
    return f"{(new - old) * 100 / old:.1f}".replace(".", ",")


def _letter(operator: Operator, rng: random.Random) -> str:
    """The number of one of the operator's letters (công văn), e.g. "57/CV-PHL"."""
    initials = "".join(fold(word)[0] for word in operator.short_name.split() if word[0].isupper())[:4].upper()
    return f"{rng.randint(12, 260)}/CV-{initials}"


def plan(*, seed: int, path: Path = DATA) -> Plan:
    """Every list, commitment and note of the history, in order of time."""
    operators = read_operators(path)
    events: list = []
    baselines: dict[tuple[str, str], dict[str, int]] = {}
    for operator in operators:
        for spec in operator.facilities:
            baselines[(operator.key, spec["name"])] = _lists_2019(seed, operator, spec, events)
    uncommitted, stories = _cast(seed, operators)
    commitments: dict[tuple[str, str], CommitmentEvent] = {}
    for operator in operators:
        if operator.key not in uncommitted:
            _commitments(seed, operator, baselines, commitments, events)
    breaches = []
    for operator in operators:
        for spec in operator.facilities:
            key = (operator.key, spec["name"])
            if stories[key] == BREACH:
                breaches.append(_breach_2020(seed, operator, spec, baselines[key], commitments[key], events))
            else:
                _lists_2020(seed, operator, spec, baselines[key], commitments.get(key), events)
    events += _follow_ups(seed, breaches)
    events.sort(key=lambda e: (e.at, e.operator, getattr(e, "facility", "")))
    return Plan(operators=operators, events=events, stories=stories)


def _lists_2019(seed, operator: Operator, spec: dict, events: list) -> dict[str, int]:
    """The facility's 2019 list (the baseline of its commitment), sometimes after an earlier,
    cheaper one."""
    rng = _rng(seed, operator.key, spec["name"])
    prices = _baseline_prices(spec["kind"], rng)
    by_operator = rng.random() < 0.5
    source = PriceList.Source.XLSX if by_operator else PriceList.Source.STAFF
    if rng.random() < 0.3:
        # Revised in mid-2019: the earlier list was a little cheaper.
        earlier = {code: _lowered(amount, code, rng) if rng.random() < 0.6 else amount
                   for code, amount in prices.items()}
        events.append(ListEvent(_moment(date(2019, 1, 1) - timedelta(days=rng.randint(3, 12)), rng),
                                operator.key, spec["name"], date(2019, 1, 1), earlier, by_operator, source,
                                "Biểu giá dịch vụ năm 2019"))
        first = date(2019, rng.choice([6, 7, 8]), 1)
        note = f"Điều chỉnh biểu giá từ {first:%d/%m/%Y}"
    else:
        first = date(2019, rng.choice([1, 1, 1, 3, 4, 7]), 1)
        note = "Biểu giá dịch vụ năm 2019"
    if not by_operator:
        note += " (nhập theo bảng giá niêm yết tại cơ sở)"
    events.append(ListEvent(_moment(first - timedelta(days=rng.randint(3, 12)), rng), operator.key,
                            spec["name"], first, prices, by_operator, source, note))
    return prices


def _cast(seed, operators: list[Operator]) -> tuple[set[str], dict[tuple[str, str], str]]:
    """Who signed nothing, and whose 2020 list broke the word (besides the data file's stories)."""
    draw = _rng(seed, "cast")
    candidates = sorted(op.key for op in operators if not op.login)
    uncommitted = set(draw.sample(candidates, min(UNCOMMITTED, len(candidates) // 4)))
    stories, committed = {}, []
    for operator in operators:
        for spec in operator.facilities:
            key = (operator.key, spec["name"])
            stories[key] = NONE if operator.key in uncommitted else spec.get("story", KEPT)
            if stories[key] == KEPT and "story" not in spec:
                committed.append(key)
    fixed = sum(1 for story in stories.values() if story == BREACH)
    for key in draw.sample(sorted(committed), min(len(committed), max(0, BREACHES - fixed))):
        stories[key] = BREACH
    return uncommitted, stories


def _commitments(seed, operator: Operator, baselines: dict, commitments: dict, events: list) -> None:
    """One commitment for all the operator's facilities, or one each; signed between 10 February
    and 19 March 2020, in force from the next 1st or 16th of the month to the end of the year
    (some to September), covering every service or the main ones."""
    groups = ([[spec["name"]] for spec in operator.facilities] if operator.separate_commitments
              else [[spec["name"] for spec in operator.facilities]])
    for number, names in enumerate(groups):
        rng = _rng(seed, operator.key, "commitment", number)
        signed_on = SIGNING[0] + timedelta(days=rng.randint(0, (SIGNING[1] - SIGNING[0]).days))
        while not is_workday(signed_on):
            signed_on += timedelta(days=1)
        period_from = date(2020, 3, 1) if signed_on < date(2020, 3, 1) else \
            date(2020, 3, 16) if signed_on < date(2020, 3, 16) else date(2020, 4, 1)
        period_to = date(2020, 12, 31) if rng.random() < 0.8 else date(2020, 9, 30)
        offered = [code for name in names for code in baselines[(operator.key, name)]]
        covers_all = rng.random() < 0.75
        covered: list[str] = []
        if not covers_all:
            # The main service of each facility, and one or two more.
            for name in names:
                first = next(iter(baselines[(operator.key, name)]))
                if first not in covered:
                    covered.append(first)
            others = sorted(set(offered) - set(covered))
            covered += rng.sample(others, min(len(others), rng.randint(1, 2)))
        event = CommitmentEvent(_later(_moment(signed_on, rng), rng.randint(1, 3), rng), operator.key, names,
                                signed_on, period_from, period_to, covers_all, covered)
        events.append(event)
        for name in names:
            commitments[(operator.key, name)] = event


def _breach_2020(seed, operator: Operator, spec: dict, base: dict[str, int], commitment: CommitmentEvent,
                 events: list) -> tuple:
    """A 2020 list, in the commitment's period, raising one or two covered services by 3–15 %."""
    rng = _rng(seed, operator.key, spec["name"], 2020)
    covered = list(base) if commitment.covers_all else [c for c in base if c in commitment.services]
    months = [m for m in range(5, 10) if commitment.period_from <= date(2020, m, 1)
              and date(2020, m, 15) < commitment.period_to - timedelta(days=30)]
    day = date(2020, rng.choice(months), rng.choice([1, 15]))
    raised = rng.sample(covered, min(len(covered), rng.choice([1, 1, 2])))
    prices = {code: _raised(amount, code, rng) if code in raised else amount for code, amount in base.items()}
    at = _moment(day - timedelta(days=rng.randint(3, 10)), rng)
    source = rng.choice([PriceList.Source.FORM, PriceList.Source.XLSX, PriceList.Source.API])
    note = rng.choice(["Điều chỉnh giá do chi phí nhiên liệu và nhân công tăng",
                       "Điều chỉnh giá theo chi phí thuê thiết bị nâng hạ mới",
                       f"Biểu giá áp dụng từ {day:%d/%m/%Y}"])
    events.append(ListEvent(at, operator.key, spec["name"], day, prices, True, source, note))
    return at, operator, spec, day, {c: (base[c], prices[c]) for c in raised}, base, prices


def _lists_2020(seed, operator: Operator, spec: dict, base: dict[str, int], commitment: CommitmentEvent | None,
                events: list) -> None:
    """A committed facility keeps or lowers its prices (a reduction for the epidemic, sometimes
    ended in the autumn); one without a commitment may raise them."""
    rng = _rng(seed, operator.key, spec["name"], 2020)
    kept = commitment is not None
    lowered = kept or rng.random() < 0.5
    day = date(2020, rng.choice([4, 5, 6, 7]) if kept else rng.choice([1, 3, 5, 7]), rng.choice([1, 15]) if kept else 1)
    if kept:
        day = max(day, commitment.period_from + timedelta(days=14))
    if lowered:
        prices = {code: _lowered(amount, code, rng) if rng.random() < 0.4 else amount for code, amount in base.items()}
        note = ("Giảm giá dịch vụ hỗ trợ doanh nghiệp bị ảnh hưởng bởi dịch COVID-19" if prices != base
                else "Biểu giá năm 2020: giữ nguyên mức giá năm 2019")
    else:
        # No commitment: nothing stops an increase.
        prices = {code: _raised(amount, code, rng) if rng.random() < 0.5 else amount for code, amount in base.items()}
        note = "Điều chỉnh biểu giá năm 2020"
    if kept and not commitment.covers_all and rng.random() < 0.5:
        # A service the commitment does not name may rise: not a breach.
        free = [code for code in base if code not in commitment.services]
        if free:
            code = rng.choice(free)
            prices[code] = _raised(base[code], code, rng)
    by_operator = rng.random() < 0.8
    source = rng.choice([PriceList.Source.FORM, PriceList.Source.XLSX]) if by_operator else PriceList.Source.STAFF
    events.append(ListEvent(_moment(day - timedelta(days=rng.randint(3, 12)), rng), operator.key, spec["name"], day,
                            prices, by_operator, source, note))
    if lowered and prices != base and rng.random() < 0.5:
        # The reduction ends in the autumn: back to the 2019 prices, never above them.
        back = date(2020, rng.choice([10, 11]), 1)
        events.append(ListEvent(_moment(back - timedelta(days=rng.randint(3, 12)), rng), operator.key, spec["name"],
                                back, dict(base), by_operator,
                                PriceList.Source.FORM if by_operator else PriceList.Source.STAFF,
                                "Kết thúc chương trình giảm giá, áp dụng lại biểu giá đã cam kết"))


def _follow_ups(seed: int, breaches: list) -> list:
    """What the coordinator did about each breach: the login's increase was withdrawn, the latest
    one is still to follow up, the one before it the operator was contacted about, the others
    alternately withdrawn (with a corrected list) or explained, then closed."""
    breaches.sort(key=lambda b: (b[0], b[1].key))
    others = [(b[1].key, b[2]["name"]) for b in breaches if not b[1].login]
    paths = {key: "open" if index == 0 else "contacted" if index == 1 else ("withdrawn", "justified")[index % 2]
             for index, key in enumerate(reversed(others))}
    events = []
    for found_at, operator, spec, day, changes, base, prices in breaches:
        path = "withdrawn" if operator.login else paths[(operator.key, spec["name"])]
        if path == "open":
            continue
        rng = _rng(seed, operator.key, spec["name"], "follow-up")
        contact, gender = person_name(rng)
        if operator.login:
            contact, gender = LOGIN_CONTACTS[operator.login]
        title = "ông" if gender == "male" else "bà"
        what = _services_text(changes)
        name = spec["name"]
        contacted = _later(found_at, rng.randint(1, 3), rng)
        events.append(NoteEvent(contacted, operator.key, name, day, Breach.FollowUp.CONTACTED,
                                f"Đã liên hệ {title} {contact}, phụ trách kinh doanh của {operator.short_name}, "
                                f"về bảng giá áp dụng từ {day:%d/%m/%Y} tại {name} ({what}). Đề nghị doanh nghiệp "
                                f"thực hiện đúng cam kết không tăng giá đã ký và báo cáo bằng văn bản."))
        if path == "contacted":
            continue
        if path == "withdrawn":
            filed = _later(contacted, rng.randint(3, 8), rng)
            effective = max(day, filed.astimezone(TIMEZONE).date() + timedelta(days=1))
            letter = _letter(operator, rng)
            corrected = {code: min(amount, base[code]) for code, amount in prices.items()}
            events.append(ListEvent(filed, operator.key, name, effective, corrected, True, PriceList.Source.FORM,
                                    f"Thu hồi mức tăng giá theo Công văn số {letter}, áp dụng lại giá đã cam kết"))
            withdrawn = _later(filed, 1, rng)
            events.append(NoteEvent(withdrawn, operator.key, name, day, Breach.FollowUp.WITHDRAWN,
                                    f"{operator.short_name} có Công văn số {letter} ngày {filed:%d/%m/%Y} thu hồi mức "
                                    f"tăng giá; bảng giá điều chỉnh áp dụng từ {effective:%d/%m/%Y} đã được nộp trên "
                                    f"hệ thống, các dịch vụ {', '.join(changes)} trở lại mức giá cam kết."))
            closing = (f"Đã kiểm tra bảng giá niêm yết tại {name}: đúng mức giá cam kết. Kết thúc theo dõi.")
            last = withdrawn
        else:
            reason = rng.choice(["giá nhiên liệu và chi phí bảo trì thiết bị nâng hạ tăng",
                                 "chi phí nhân công và phòng chống dịch tại kho tăng",
                                 "phải thuê thêm bãi để giải tỏa hàng tồn trong thời gian giãn cách"])
            last = _later(contacted, rng.randint(4, 10), rng)
            events.append(NoteEvent(last, operator.key, name, day, Breach.FollowUp.JUSTIFIED,
                                    f"{operator.short_name} giải trình tại Công văn số {_letter(operator, rng)}: "
                                    f"{reason}. Đã ghi nhận giải trình; theo cam kết, mọi mức giá cao hơn giá cơ sở "
                                    f"trong thời hạn cam kết vẫn là tăng giá. Đã báo cáo Lãnh đạo Cục."))
            quarter = (day.month - 1) // 3 + 1
            closing = (f"Đã tổng hợp vào báo cáo tình hình thực hiện cam kết không tăng giá quý {quarter}/2020 "
                       f"gửi Tổng cục Hải quan. Kết thúc theo dõi.")
        events.append(NoteEvent(_later(last, rng.randint(3, 8), rng), operator.key, name, day,
                                Breach.FollowUp.CLOSED, closing))
    return events


# --- writing it -------------------------------------------------------------------------------

class PriceBuilder:
    def __init__(self, *, seed: int = 2020, by: User | None = None, data: Path = DATA, progress=None):
        self.seed = seed
        self.by = by
        self.data = data
        self.progress = progress or (lambda iterable, **kw: iterable)

    def build(self) -> Built:
        built = Built()
        history = plan(seed=self.seed, path=self.data)
        with notices_of_the_past("prices/"):
            with transaction.atomic():
                self._cast(history, built)
                for event in self.progress(history.events, desc="Giá dịch vụ / prices", unit=""):
                    try:
                        self._play(event, built)
                    except (ValidationError, PermissionDenied) as refusal:
                        built.skipped.append(f"{type(event).__name__} {event.operator} {event.at:%d/%m/%Y}: {refusal}")
        return built

    # --- the operators, their people and their facilities --------------------------------------
    def _cast(self, history: Plan, built: Built) -> None:
        self.by = self.by or demo_coordinator()
        units = {u.code: u for u in Unit.objects.exclude(code="")}
        codes = [op.tax_code for op in history.operators]
        enterprises = {e.tax_code: e for e in Enterprise.objects.filter(tax_code__in=codes)}
        self.operators: dict[str, Enterprise] = {}
        self.filers: dict[str, User] = {}
        self.facilities: dict[tuple[str, str], Facility] = {}
        for operator in history.operators:
            enterprise = enterprises.get(operator.tax_code)
            if enterprise is None:
                enterprise = accounts.enterprise_create(
                    tax_code=operator.tax_code, name=operator.name, short_name=operator.short_name,
                    address=operator.address, email=f"info@{_slug(operator.short_name).lower()[:24]}.example.vn",
                    phone=self._phone(operator), home_unit=units[operator.home], by=self.by)
                built.operators += 1
            self.operators[operator.key] = enterprise
            self.filers[operator.key] = self._operator_user(operator, enterprise)
            existing = {f.name: f for f in Facility.objects.filter(operator=enterprise)}
            for spec in operator.facilities:
                facility = existing.get(spec["name"])
                if facility is None:
                    facility = services.facility_create(operator=enterprise, name=spec["name"], kind=spec["kind"],
                                                        unit=units[spec["unit"]], address=spec["address"], by=self.by)
                    built.facilities += 1
                self.facilities[(operator.key, spec["name"])] = facility

    def _phone(self, operator: Operator) -> str:
        rng = _rng(self.seed, operator.key, "phone")
        return f"028 {rng.randint(3500, 3999)} {rng.randint(1000, 9999)}"

    def _operator_user(self, operator: Operator, enterprise: Enterprise) -> User | None:
        """The operator's person on the platform: the demo login, or one made up (no password:
        they would set one through the password-reset e-mail)."""
        username = operator.login or f"kb.{operator.key}"
        user = User.objects.filter(username=username).first()
        if user is not None or operator.login:
            return user
        name, _gender = person_name(_rng(self.seed, operator.key, "user"))
        return accounts.user_create(username=username, full_name=name, position="Trưởng phòng Kinh doanh",
                                    email=f"{_slug(name).lower()}@{_slug(operator.short_name).lower()[:24]}.example.vn",
                                    role=Role.OPERATOR, enterprise=enterprise, by=self.by)

    # --- the history --------------------------------------------------------------------------
    def _play(self, event, built: Built) -> None:
        if isinstance(event, ListEvent):
            self._file(event, built)
        elif isinstance(event, CommitmentEvent):
            self._commit(event, built)
        else:
            self._note(event, built)

    def _file(self, event: ListEvent, built: Built) -> None:
        facility = self.facilities[(event.operator, event.facility)]
        if PriceList.objects.filter(facility=facility, effective_from=event.effective_from).exists():
            return
        filer = self.filers[event.operator] if event.by_operator else None
        price_list, breaches = services.price_list_file(
            facility=facility, prices=event.prices, effective_from=event.effective_from, by=filer or self.by,
            note=event.note, source=event.source if filer else PriceList.Source.STAFF)
        PriceList.objects.filter(pk=price_list.pk).update(filed_at=event.at)
        Breach.objects.filter(pk__in=[b.pk for b in breaches]).update(found_at=event.at)
        built.price_lists += 1
        built.breaches += len(breaches)

    def _commit(self, event: CommitmentEvent, built: Built) -> None:
        operator = self.operators[event.operator]
        facilities = [self.facilities[(event.operator, name)] for name in event.facilities]
        if Commitment.objects.filter(operator=operator, signed_on=event.signed_on,
                                     baselines__facility=facilities[0]).exists():
            return
        commitment = services.commitment_create(
            operator=operator, facilities=facilities, period_from=event.period_from, period_to=event.period_to,
            signed_on=event.signed_on, by=self.by, covers_all=event.covers_all,
            services=list(Service.objects.filter(code__in=event.services)))
        Commitment.objects.filter(pk=commitment.pk).update(created_at=event.at)
        built.commitments += 1

    def _note(self, event: NoteEvent, built: Built) -> None:
        facility = self.facilities[(event.operator, event.facility)]
        breach = Breach.objects.filter(price_list__facility=facility,
                                       price_list__effective_from=event.breach_from).first()
        if breach is None or breach.notes.filter(follow_up=event.follow_up).exists():
            return
        services.breach_follow_up(breach=breach, follow_up=event.follow_up, note=event.note, by=self.by)
        FollowUpNote.objects.filter(pk=breach.notes.order_by("-pk").values("pk")[:1]).update(at=event.at)
        built.notes += 1

    # --- the notices of 2020 --------------------------------------------------------------------
