"""The demo's party committee: Đảng bộ Cục Hải quan TP. Hồ Chí Minh (an upper-grassroots committee,
under the bloc committee of the city's party committee) with its 24 grassroots organisations at
the end of 2020 and 970 fictional members, their ratings of 2016–2020, the commendations of
2020, the year-end review and the 91st anniversary of 19/1/2021 (four 30-year badges) and the
creative models linked to what they run in ketnoi.

The tree follows the demo's units (ketnoi.demo.data): the twelve big branches are grassroots
committees (đảng bộ cơ sở, 30 members or more) with a cell for each of their three teams; the
small branches, the two control teams and the divisions are grassroots cells (chi bộ cơ sở).
The Inspectorate's cell merged into the Personnel Division's on 1/7/2019 (its history stays).

Everything is drawn from the seed before anything is written, so a second run draws the same
people and finds them by their party card number (organisations by name and parent, badges by
member and threshold, ratings by year, commendations and events by their decision or name and
day, creative models by name): running it again adds nothing. The history is written in order
of time through the services (party.services, party.awards) by the demo "party" login, the
party office, so the rules of the register hold (party age, badges due, the Xuất sắc quota).

Who sees it: the party office login, and the demo "secretary" login, secretary of the High-Tech
Park's cell (and a member of it), who sees that cell's members only.
"""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from ketnoi.accounts.access import principal_for
from ketnoi.accounts.models import User
from ketnoi.lib import badges as badge_rules
from ketnoi.lib import party_age
from ketnoi.lib import party_rating as rating_rules
from ketnoi.lib.commendation import Form
from ketnoi.lib.party_org import Kind
from ketnoi.org.models import Unit
from ketnoi.party import awards, services
from ketnoi.party.models import Commendation, Contribution, Event, Initiative, Member, Organisation, Rating

from . import data
from .generate import HIGH_TECH_PARK, PARTY_SECRETARY, person_name

COMMITTEE = "Đảng bộ Cục Hải quan TP. Hồ Chí Minh"
COMMITTEE_SHORT = "Đảng bộ Cục"
# Active members at the end of 2020 by grassroots organisation: the big branches (committees, split
# among their team cells) and the small units (cells, under 30 members each). 970 in all.
COMMITTEE_MEMBERS = {"02AB": 104, "02CI": 92, "02CC": 60, "02CH": 48, "02IK": 52, "02CV": 46, "02CX": 66,
                     "02DS": 56, "02XE": 34, "02PG": 50, "02PJ": 46, "02QQ": 40}
CELL_MEMBERS = {"02XF": 27, HIGH_TECH_PARK: 28, "02K4": 26, "02K5": 22, "Văn phòng Cục": 29,
                "Phòng Tổ chức cán bộ": 10, "Phòng Thuế xuất nhập khẩu": 28,
                "Phòng Giám sát quản lý về hải quan": 24, "Phòng Quản lý rủi ro": 19,
                "Phòng Chống buôn lậu và xử lý vi phạm": 23, "Phòng Công nghệ thông tin": 18,
                "Phòng Tài vụ – Quản trị": 14, "Thanh tra Cục": 8}
# Each committee's members among its team cells (data.BRANCH_TEAMS's order).
TEAM_SHARES = (0.22, 0.45, 0.33)
MERGED = ("Thanh tra Cục", "Phòng Tổ chức cán bộ", date(2019, 7, 1))  # closed, merged into, on
SHORT = {"02AB": "Tân Sơn Nhất", "02CI": "Cảng Sài Gòn KV I", "02CC": "Cảng Sài Gòn KV II",
         "02CH": "Cảng Sài Gòn KV III", "02IK": "Cảng Sài Gòn KV IV", "02CV": "Hiệp Phước", "02CX": "Tân Cảng",
         "02DS": "Chuyển phát nhanh", "02XE": "KCX Tân Thuận", "02PG": "Hàng đầu tư", "02PJ": "Hàng gia công",
         "02QQ": "Kiểm tra sau thông quan"}

# Admission years: few before 1985 (most of those members have retired), many 1995–2015.
ADMISSION_WEIGHTS = [(year, 0.15 if year < 1985 else 1.0 if year < 1995 else 3.0 if year <= 2015 else 2.0)
                     for year in range(1975, 2021)]
CEREMONY_DAY = date(2021, 1, 19)
# The four who reach 30 years after the occasion of 7/11/2020 and by the ceremony: admitted in
# this window (and no one else is), so their badge is the ceremony's.
THIRTY_WINDOW = (badge_rules.threshold_cutoff(date(2020, 11, 7), 30) + timedelta(days=1),
                 badge_rules.threshold_cutoff(CEREMONY_DAY, 30))
THIRTY_YEAR_DATES = (date(1990, 11, 19), date(1990, 12, 6), date(1991, 1, 7), date(1991, 1, 14))
THIRTY_YEAR_UNITS = ("02AB", "02CI", HIGH_TECH_PARK, "Văn phòng Cục")
RATING_YEARS = range(2016, 2021)
# The gaps and the merger are written before the badges; the rotations, retirements and deaths
# of 2020 after them (the badges due before they left the committee were theirs).
BADGES_UNTIL = date(2019, 12, 31)
QUOTA_BREAKER = "02XE"  # its cells proposed too many Xuất sắc in 2020: the quota warning shows
# The Bí thư of these cells is rated Xuất sắc five years running (2016–2020): the five-year commendations.
STARS = (f"02AB/{data.BRANCH_TEAMS[1][0]}", f"02CI/{data.BRANCH_TEAMS[1][0]}", f"02CX/{data.BRANCH_TEAMS[1][0]}",
         f"02DS/{data.BRANCH_TEAMS[1][0]}", f"02PG/{data.BRANCH_TEAMS[1][0]}", HIGH_TECH_PARK, "Phòng Thuế xuất nhập khẩu")
PROVINCES = ["Đồng Nai", "Bình Dương", "Long An", "Cần Thơ", "Bà Rịa – Vũng Tàu", "Đà Nẵng", "Khánh Hòa", "Tây Ninh"]

LEGACY_MEMBER = {rating_rules.Level.XUAT_SAC: rating_rules.LegacyMemberLabel.XUAT_SAC,
                 rating_rules.Level.TOT: rating_rules.LegacyMemberLabel.TOT,
                 rating_rules.Level.HOAN_THANH: rating_rules.LegacyMemberLabel.HAN_CHE,
                 rating_rules.Level.KHONG_HOAN_THANH: rating_rules.LegacyMemberLabel.VI_PHAM}
POSITIONS = ("Bí thư", "Phó Bí thư", "Chi ủy viên", "Đảng viên")


@dataclass
class OrgSpec:
    key: str
    kind: str
    name: str
    unit: str  # a key of DemoBuilder.units
    parent: str | None
    founded_on: date
    short_name: str = ""
    grassroots: str = ""  # the key of its grassroots organisation


@dataclass
class MemberSpec:
    slot: int
    organisation: str
    full_name: str
    gender: str
    born_on: date
    admitted_on: date
    card_number: str
    position: str = "Đảng viên"
    card_only: bool = False  # the admission decision is lost: the card's date is used
    # the story: ("gap", start, end, reason, rehabilitated, note) / ("rotate", to, on) / ("out", on, note) / ("died", on)
    story: list = field(default_factory=list)


@dataclass
class Built:
    organisations: int = 0
    members: int = 0
    gaps: int = 0
    transfers: int = 0
    badges: int = 0
    ratings: int = 0
    commendations: int = 0
    events: int = 0
    contributions: int = 0
    initiatives: int = 0
    linked: int = 0
    warnings: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


# --- the plan (no database) -------------------------------------------------------------------

def organisation_specs() -> list[OrgSpec]:
    specs = [OrgSpec("dept", Kind.UPPER_GRASSROOTS_COMMITTEE, COMMITTEE, "dept", None, date(1976, 3, 26),
                     short_name=COMMITTEE_SHORT)]
    by_code = {code: (name_vi, kind) for code, name_vi, _en, kind, _size in data.BRANCHES}
    for code in COMMITTEE_MEMBERS:
        name_vi = by_code[code][0]
        specs.append(OrgSpec(code, Kind.GRASSROOTS_COMMITTEE, f"Đảng bộ {name_vi}", code, "dept", date(1996, 5, 19),
                             short_name=f"Đảng bộ {SHORT[code]}", grassroots=code))
        for team_vi, _team_en in data.BRANCH_TEAMS:
            specs.append(OrgSpec(f"{code}/{team_vi}", Kind.CELL, f"Chi bộ {team_vi} – {SHORT[code]}",
                                 f"{code}/{team_vi}", code, date(2005, 9, 2), grassroots=code))
    for key in CELL_MEMBERS:
        name_vi = by_code[key][0] if key in by_code else key
        founded = date(2008, 2, 3) if key == HIGH_TECH_PARK else date(2001, 7, 1)
        specs.append(OrgSpec(key, Kind.GRASSROOTS_CELL, f"Chi bộ {name_vi}", key, "dept", founded, grassroots=key))
    return specs


def _draw_admission(rng: random.Random) -> date:
    years, weights = zip(*ADMISSION_WEIGHTS)
    while True:
        year = rng.choices(years, weights=weights)[0]
        day = date(year, rng.randint(1, 12), rng.randint(1, 28))
        if not THIRTY_WINDOW[0] <= day <= THIRTY_WINDOW[1] and day <= date(2020, 11, 30):
            return day


def _born(rng: random.Random, admitted: date) -> date:
    # Officers join the Party at 20–38, most in their twenties.
    age = rng.choices(range(20, 39), weights=[3 if a < 30 else 1.5 if a < 34 else 0.5 for a in range(20, 39)])[0]
    year = min(max(admitted.year - age, 1940), 1998)
    return date(year, rng.randint(1, 12), rng.randint(1, 28))


def member_specs(seed: int) -> list[MemberSpec]:
    """The members in the order they are written, with their stories: every draw made here, so the
    same seed gives the same people whatever the database holds."""
    rng = random.Random(f"{seed}-party-members")
    cards = rng.sample(range(100_000, 1_000_000), 1_200)
    places: list[tuple[str, int]] = []  # (organisation key, members)
    for code, count in COMMITTEE_MEMBERS.items():
        shares = [round(count * share) for share in TEAM_SHARES]
        shares[1] += count - sum(shares)
        places += [(f"{code}/{team}", n) for (team, _en), n in zip(data.BRANCH_TEAMS, shares)]
    places += list(CELL_MEMBERS.items())
    specs: list[MemberSpec] = []
    for key, count in places:
        cell = []
        for _ in range(count):
            name, gender = person_name(rng)
            admitted = _draw_admission(rng)
            cell.append(MemberSpec(len(specs) + len(cell), key, name, gender, _born(rng, admitted), admitted,
                                   f"79{cards[len(specs) + len(cell)]:06d}", card_only=rng.random() < 0.02
                                   and admitted.year < 1990))
        # The cell's committee: Bí thư and Phó Bí thư among the longest-serving members still at work.
        working = sorted((m for m in cell if m.born_on.year >= 1962), key=lambda m: m.admitted_on)
        leaders = rng.sample(working[:max(4, len(working) // 3)], 2 + (3 if count >= 20 else 1))
        for spec, position in zip(leaders, ["Bí thư", "Phó Bí thư"] + ["Chi ủy viên"] * 3):
            spec.position = position
            if key == HIGH_TECH_PARK and position == "Bí thư":
                # The demo secretary login is this cell's Bí thư.
                spec.full_name, spec.gender = PARTY_SECRETARY.full_name, "female"
        specs += cell
    _stories(rng, specs, cards)
    return specs


def _pick(rng: random.Random, specs: list[MemberSpec], taken: set[int], test) -> MemberSpec:
    choices = [s for s in specs if s.slot not in taken and s.position == "Đảng viên" and test(s)]
    spec = rng.choice(choices)
    taken.add(spec.slot)
    return spec


def _stories(rng: random.Random, specs: list[MemberSpec], cards: list[int]) -> None:
    taken: set[int] = set()
    # The four of the 30-year badge at the ceremony of 19/1/2021.
    for day, unit in zip(THIRTY_YEAR_DATES, THIRTY_YEAR_UNITS):
        spec = _pick(rng, specs, taken, lambda s: s.organisation.split("/")[0] == unit)
        spec.admitted_on, spec.card_only = day, False
        spec.born_on = _born(rng, day)
    # Registration in transit from another province's committee (a few months outside party activity).
    for _ in range(6):
        spec = _pick(rng, specs, taken, lambda s: 1992 <= s.admitted_on.year <= 2012)
        start = date(rng.randint(max(spec.admitted_on.year + 2, 2000), 2016), rng.randint(1, 12), rng.randint(1, 28))
        end = start + timedelta(days=rng.randint(45, 160))
        spec.story.append(("gap", start, end, party_age.GapReason.TRANSFER, False,
                           f"Chuyển sinh hoạt đảng từ Đảng bộ Cục Hải quan {rng.choice(PROVINCES)}"))
    # An expulsion found wrong and annulled: party age continuous (QĐ 24-QĐ/TW 2021, 4.5.1).
    spec = _pick(rng, specs, taken, lambda s: 1988 <= s.admitted_on.year <= 1998)
    spec.story.append(("gap", date(2004, 3, 15), date(2006, 8, 21), party_age.GapReason.EXPELLED, True,
                       "Quyết định khai trừ bị huỷ bỏ sau khi xem xét lại; phục hồi quyền đảng viên"))
    # A member who lost contact with the Party while posted abroad, then came back.
    spec = _pick(rng, specs, taken, lambda s: 1995 <= s.admitted_on.year <= 2005)
    spec.story.append(("gap", date(2011, 9, 1), date(2013, 2, 4), party_age.GapReason.LOST_CONTACT, False,
                       "Mất liên lạc với tổ chức đảng trong thời gian đi học ở nước ngoài"))
    # Rotations between branches (luân chuyển cán bộ) in 2020.
    keys = sorted({s.organisation for s in specs})
    for _ in range(5):
        spec = _pick(rng, specs, taken, lambda s: s.admitted_on.year <= 2018 and s.organisation != MERGED[0])
        to = rng.choice([k for k in keys if k.split("/")[0] != spec.organisation.split("/")[0] and k != MERGED[0]])
        spec.story.append(("rotate", to, date(2020, rng.randint(2, 10), rng.randint(1, 28))))
    # Retired in 2020: registration transferred to the party cell of their residence.
    extra = []
    for n in range(3):
        name, gender = person_name(rng)
        admitted = date(rng.randint(1982, 1988), rng.randint(1, 12), rng.randint(1, 28))
        key = rng.choice([k for k in keys if k != MERGED[0]])
        spec = MemberSpec(len(specs) + len(extra), key, name, gender,
                          date(1960, rng.randint(1, 12), rng.randint(1, 28)), admitted, f"79{cards[1_100 + n]:06d}")
        spec.story.append(("out", date(2020, rng.randint(4, 11), 1),
                           f"Nghỉ hưu, chuyển sinh hoạt đảng về chi bộ khu phố nơi cư trú, {rng.choice(data.AREAS)}"))
        extra.append(spec)
    # Died in 2020.
    for n in range(2):
        name, gender = person_name(rng)
        admitted = date(rng.randint(1976, 1984), rng.randint(1, 12), rng.randint(1, 28))
        key = rng.choice([k for k in keys if k != MERGED[0]])
        spec = MemberSpec(len(specs) + len(extra), key, name, gender,
                          date(rng.randint(1946, 1955), rng.randint(1, 12), rng.randint(1, 28)), admitted,
                          f"79{cards[1_150 + n]:06d}")
        spec.story.append(("died", date(2020, rng.randint(3, 10), rng.randint(1, 28))))
        extra.append(spec)
    specs += extra


def _units() -> dict[str, Unit]:
    """The demo's units by the keys of DemoBuilder.units: "dept", a code, "code/team", a division."""
    dept = Unit.objects.filter(code=data.DEPARTMENT["code"]).first()
    if dept is None:
        return {}
    found = {"dept": dept}
    for unit in Unit.objects.filter(parent=dept):
        found[unit.code or unit.name_vi] = unit
    for unit in Unit.objects.filter(parent__parent=dept, code="").select_related("parent"):
        found[f"{unit.parent.code}/{unit.name_vi}"] = unit
    return found


# --- writing it -------------------------------------------------------------------------------

class PartyBuilder:
    def __init__(self, *, seed: int = 2020, by: User | None = None, progress=None):
        self.seed = seed
        self.rng = random.Random(f"{seed}-party")
        self.by = by or User.objects.get(username="party")
        self.progress = progress or (lambda iterable, **kw: iterable)
        self.organisations: dict[str, Organisation] = {}
        self.specs: list[OrgSpec] = organisation_specs()
        self.members: dict[int, Member] = {}  # slot → member

    def build(self) -> Built:
        built = Built()
        with transaction.atomic():
            self._organisations(built)
            self._members(built)
            self._history(built, until=BADGES_UNTIL)
        with transaction.atomic():
            self._badges(built)
        with transaction.atomic():
            self._history(built, after=BADGES_UNTIL)
        for year in RATING_YEARS:
            with transaction.atomic():
                self._ratings(year, built)
        with transaction.atomic():
            self._ceremony(built)
        with transaction.atomic():
            self._initiatives(built)
        return built

    # organisations ------------------------------------------------------------------------
    def _organisations(self, built: Built) -> None:
        by_key = _units()
        for spec in self.specs:
            parent = self.organisations.get(spec.parent) if spec.parent else None
            found = Organisation.objects.filter(name=spec.name, parent=parent).first()
            if found is None:
                found = services.organisation_create(kind=spec.kind, name=spec.name, by=self.by, parent=parent,
                                                     unit=by_key.get(spec.unit), short_name=spec.short_name,
                                                     founded_on=spec.founded_on)
                built.organisations += 1
            self.organisations[spec.key] = found
        secretary = User.objects.filter(username=PARTY_SECRETARY.username).first()
        park = self.organisations[HIGH_TECH_PARK]
        if secretary is not None and not park.secretaries.filter(pk=secretary.pk).exists():
            services.organisation_set_secretaries(organisation=park, secretaries=[*park.secretaries.all(), secretary],
                                                  by=self.by)

    # members ------------------------------------------------------------------------------
    def _members(self, built: Built) -> None:
        self.plan = member_specs(self.seed)
        existing = {m.card_number: m for m in Member.objects.filter(card_number__in=[s.card_number for s in self.plan])}
        for spec in self.progress(self.plan, desc="Đảng viên / party members", unit=""):
            member = existing.get(spec.card_number)
            if member is None:
                member = services.member_create(
                    organisation=self.organisations[spec.organisation], full_name=spec.full_name, gender=spec.gender,
                    born_on=spec.born_on, by=self.by,
                    admission_decision_on=None if spec.card_only else spec.admitted_on,
                    card_admitted_on=spec.admitted_on if spec.card_only else None,
                    full_member_on=party_age.add_months(spec.admitted_on, 12), card_number=spec.card_number,
                    position=spec.position)
                built.members += 1
            self.members[spec.slot] = member

    def _history(self, built: Built, *, until: date = date.max, after: date = date.min) -> None:
        """Gaps, the merger of 2019, rotations, retirements and deaths of 2020, in order of time:
        those dated after ``after`` and up to ``until``."""
        events = []
        for spec in self.plan:
            for story in spec.story:
                day = story[1] if story[0] in ("gap", "out", "died") else story[2]
                events.append((day, spec.slot, story))
        name, into, on = MERGED
        events.append((on, -1, ("merge",)))
        for day, slot, story in sorted(events, key=lambda e: (e[0], e[1])):
            if not after < day <= until:
                continue
            try:
                self._story(slot, story, built)
            except ValidationError as refusal:
                built.skipped.append(f"{story[0]} {day:%d/%m/%Y}: {' '.join(refusal.messages)}")

    def _story(self, slot: int, story: tuple, built: Built) -> None:
        kind = story[0]
        if kind == "merge":
            closed = self.organisations[MERGED[0]]
            if closed.dissolved_on is None:
                built.transfers += closed.members.filter(status=Member.Status.ACTIVE).count()
                services.organisation_close(organisation=closed, by=self.by, on=MERGED[2],
                                            change=Organisation.Change.MERGED,
                                            successor=self.organisations[MERGED[1]])
            return
        member = Member.objects.get(pk=self.members[slot].pk)
        if kind == "gap":
            _kind, start, end, reason, rehabilitated, note = story
            if not member.gaps.filter(start=start).exists():
                services.gap_add(member=member, start=start, end=end, reason=reason, rehabilitated=rehabilitated,
                                 note=note, by=self.by)
                built.gaps += 1
        elif kind == "rotate":
            _kind, to, on = story
            if not member.transfers.filter(on=on).exists():
                services.member_transfer(member=member, to=self.organisations[to], on=on, by=self.by,
                                         note="Luân chuyển, điều động công tác")
                built.transfers += 1
        elif kind == "out":
            _kind, on, note = story
            if member.status == Member.Status.ACTIVE:
                services.member_transfer(member=member, to=None, on=on, by=self.by, note=note)
                built.transfers += 1
        elif kind == "died" and member.status != Member.Status.DECEASED:
            services.member_set_status(member=member, status=Member.Status.DECEASED, on=story[1], by=self.by)

    # badges -------------------------------------------------------------------------------
    def _badges(self, built: Built) -> None:
        """Every badge due at an occasion up to 7/11/2020, decided by the city's standing committee
        a fortnight before; then the four of the ceremony (in _ceremony)."""
        members = Member.objects.filter(pk__in=[m.pk for m in self.members.values()],
                                        admitted_on__lte=THIRTY_WINDOW[1]).prefetch_related("gaps", "badges")
        slots = {member.pk: slot for slot, member in self.members.items()}
        plan = {spec.slot: spec for spec in self.plan}
        for member in sorted(members, key=lambda m: m.pk):
            gaps = [gap.as_rule() for gap in member.gaps.all()]
            held = sorted(badge.threshold for badge in member.badges.all())
            story = plan[slots[member.pk]].story
            # No posthumous badge in the demo: only the occasions the member lived to see.
            died_on = next((s[1] for s in story if s[0] == "died"), None)
            for threshold in badge_rules.THRESHOLDS:
                reaches = party_age.date_reaching(member.admitted_on, threshold, gaps)
                if reaches is None or threshold in held:
                    continue
                occasion = badge_rules.next_occasion(reaches)
                if occasion > date(2020, 11, 7) or (died_on and occasion > died_on):
                    break
                if badge_rules.badge_due(admitted_on=member.admitted_on, gaps=gaps, on=occasion,
                                         held=held) != threshold:
                    continue
                # One decision of the city's standing committee per occasion.
                number = f"{occasion.toordinal() * 7 % 9000 + 100}-QĐ/TU"
                awards.badge_award(member=member, threshold=threshold, decision_number=number,
                                   decided_on=occasion - timedelta(days=14), occasion=occasion, by=self.by)
                held.append(threshold)
                built.badges += 1

    # ratings ------------------------------------------------------------------------------
    def _ratings(self, year: int, built: Built) -> None:
        """The members' ratings of ``year`` as one import (the quota checked per grassroots
        organisation), then the grassroots organisations'."""
        if Rating.objects.filter(year=year, member__isnull=False).exists():
            return
        rng = random.Random(f"{self.seed}-party-ratings-{year}")
        grassroots = {spec.key: spec.grassroots for spec in self.specs}
        year_end = date(year, 12, 31)
        pools: dict[str, list[MemberSpec]] = defaultdict(list)
        for spec in self.plan:
            if spec.admitted_on >= date(year, 10, 1):
                continue  # admitted too late in the year to be rated
            if any(s[0] in ("out", "died") and s[1] <= year_end for s in spec.story):
                continue
            if any(s[0] == "gap" and s[1] <= year_end and s[2] > year_end for s in spec.story):
                continue
            # Grouped by the organisation the member is in now, as the quota check groups them.
            key = spec.organisation
            for story in spec.story:
                if story[0] == "rotate":
                    key = story[1]
            if key == MERGED[0]:
                key = MERGED[1]
            pools[grassroots[key]].append(spec)
        rows = []
        for key in sorted(pools):
            pool = sorted(pools[key], key=lambda s: s.slot)
            levels = self._levels(rng, key, pool, year)
            legacy = year <= awards.LEGACY_UNTIL_YEAR
            rows += [{"card": spec.card_number, "level": str(LEGACY_MEMBER[level] if legacy else level)}
                     for spec, level in levels]
        result = awards.ratings_import(year=year, by=self.by, rows=rows)
        built.ratings += result["count"]
        built.warnings += [f"{year}: {warning}" for warning in result["warnings"]]
        for spec in self.specs:
            if spec.kind not in (Kind.GRASSROOTS_COMMITTEE, Kind.GRASSROOTS_CELL):
                continue
            if spec.key == MERGED[0] and year >= MERGED[2].year:
                continue
            level = self._organisation_level(rng, spec.key, year)
            awards.rating_set(year=year, level=level, organisation=self.organisations[spec.key], by=self.by)
            built.ratings += 1

    def _levels(self, rng: random.Random, key: str, pool: list[MemberSpec], year: int):
        n = len(pool)
        failed = 1 if n >= 25 and rng.random() < 0.3 else 0
        completed = round(n * rng.uniform(0.03, 0.09))
        good = n - failed - completed
        allowed = good * rating_rules.QUOTA_PERCENT // 100  # the base counts the Xuất sắc (lib.party_rating)
        excellent = max(1, allowed - rng.randint(0, 2)) if allowed else 0
        if year == 2020 and key == QUOTA_BREAKER:
            excellent = allowed + 3
        stars = [s for s in pool if s.organisation in STARS and self._is_star(s)]
        others = [s for s in pool if s not in stars]
        rng.shuffle(others)
        chosen = stars + others
        levels = []
        for i, spec in enumerate(chosen):
            if i < excellent:
                level = rating_rules.Level.XUAT_SAC
            elif i >= n - failed:
                level = rating_rules.Level.KHONG_HOAN_THANH
            elif i >= n - failed - completed:
                level = rating_rules.Level.HOAN_THANH
            else:
                level = rating_rules.Level.TOT
            levels.append((spec, level))
        return levels

    def _is_star(self, spec: MemberSpec) -> bool:
        """The Bí thư of each STARS cell, a member since 2014 at least, is rated Xuất sắc every year."""
        return spec.position == "Bí thư" and spec.admitted_on.year <= 2014 and not spec.story

    def _organisation_level(self, rng: random.Random, key: str, year: int) -> str:
        legacy = year <= awards.LEGACY_UNTIL_YEAR
        if (key in ("02AB", HIGH_TECH_PARK) and year >= 2018) or (key == "02CI" and year >= 2019):
            return rating_rules.OrgDistinction.XUAT_SAC_TIEU_BIEU
        if key in ("02AB", HIGH_TECH_PARK) and legacy:
            return rating_rules.LegacyOrgLabel.TSVM_TIEU_BIEU
        draw = rng.random()
        if legacy:
            return (rating_rules.LegacyOrgLabel.TSVM if draw < 0.55 else rating_rules.LegacyOrgLabel.HOAN_THANH_TOT
                    if draw < 0.95 else rating_rules.LegacyOrgLabel.HOAN_THANH)
        return (rating_rules.Level.XUAT_SAC if draw < 0.5 else rating_rules.Level.TOT if draw < 0.95
                else rating_rules.Level.HOAN_THANH)

    # the ceremony of 19/1/2021 ------------------------------------------------------------
    def _ceremony(self, built: Built) -> None:
        dept = self.organisations["dept"]
        place = "Hội trường Cục Hải quan TP. Hồ Chí Minh, số 2 Hàm Nghi, Quận 1"
        conference = self._event(Event.Kind.CONFERENCE, "Hội nghị tổng kết công tác xây dựng Đảng năm 2020, triển khai "
                                 "nhiệm vụ năm 2021", place, "Đảng bộ Cục tổng kết năm 2020: 24 tổ chức cơ sở đảng, "
                                 "970 đảng viên; các mô hình sáng tạo đồng hành cùng doanh nghiệp trong năm dịch bệnh.",
                                 built)
        ceremony = self._event(Event.Kind.CEREMONY, "Lễ kỷ niệm 91 năm Ngày thành lập Đảng Cộng sản Việt Nam "
                               "(03/02/1930 – 03/02/2021) và trao Huy hiệu 30 năm tuổi Đảng", place,
                               "Cùng ngày với Hội nghị tổng kết năm 2020; trao Huy hiệu Đảng đợt 19/01/2021 và khen "
                               "thưởng năm 2020.", built)
        contributions = [("02CI", "Đảng bộ cảng Sài Gòn KV I: lãnh đạo thông quan hàng hoá thông suốt tại cảng Cát "
                                  "Lái trong thời gian giãn cách xã hội"),
                         (HIGH_TECH_PARK, "Mô hình “Cà phê sáng cùng doanh nghiệp”: 12 buổi đối thoại, vướng mắc "
                                          "được trả lời tại chỗ và theo dõi đến khi giải quyết xong"),
                         ("02AB", "Chi bộ đội gắn với chuyên môn: bảo đảm thông quan hàng phòng, chống dịch tại "
                                  "sân bay Tân Sơn Nhất")]
        for key, title in contributions:
            organisation = self.organisations[key]
            if not Contribution.objects.filter(event=conference, organisation=organisation).exists():
                secretary = organisation.members.filter(position="Bí thư").first() or \
                    Member.objects.filter(organisation__parent=organisation, position="Bí thư").order_by("pk").first()
                awards.contribution_add(event=conference, organisation=organisation, title=title, by=self.by,
                                        presenter=f"Đồng chí {secretary.full_name}" if secretary else "")
                built.contributions += 1
        # The four 30-year badges.
        for day in THIRTY_YEAR_DATES:
            member = Member.objects.filter(pk__in=[m.pk for m in self.members.values()], admitted_on=day).first()
            if member is None or member.badges.filter(threshold=30).exists():
                continue
            awards.badge_award(member=member, threshold=30, decision_number="1275-QĐ/TU",
                               decided_on=date(2021, 1, 8), occasion=CEREMONY_DAY, by=self.by, event=ceremony)
            built.badges += 1
        self._commendations(ceremony, dept, built)

    def _event(self, kind: str, name: str, place: str, description: str, built: Built) -> Event:
        found = Event.objects.filter(name=name, held_on=CEREMONY_DAY).first()
        if found is None:
            found = awards.event_create(kind=kind, name=name, held_on=CEREMONY_DAY,
                                        organisation=self.organisations["dept"], by=self.by, place=place,
                                        description=description)
            built.events += 1
        return found

    def _commendations(self, ceremony: Event, dept: Organisation, built: Built) -> None:
        """2020: Giấy khen of the grassroots committees to most members rated Xuất sắc; five years
        running (2016–2020): Giấy khen of the department committee's standing committee, and Bằng
        khen of the city's for two of them; the exemplary organisations."""
        if Commendation.objects.filter(year=2020).exists():
            return  # decided once: the candidates change once they are commended
        rng = random.Random(f"{self.seed}-party-commendations")
        candidates = awards.commendation_candidates(principal_for(self.by), year=2020)
        numbers: dict[str, str] = {}
        five = sorted({c.subject_id for c in candidates if c.subject == "member" and c.basis == "five_years"})
        city = set(five[:2])
        for candidate in candidates:
            subject = candidate.candidate
            if candidate.subject == "member":
                member = Member.objects.get(pk=candidate.subject_id)
                if subject.basis == "year":
                    if rng.random() > 0.7:
                        continue
                    grassroots = self._grassroots_of(member)
                    issuer_name = ("Đảng ủy " if grassroots.kind == Kind.GRASSROOTS_COMMITTEE else "Chi ủy ") + \
                        grassroots.name.split(" ", 2)[2]
                    number = numbers.setdefault(issuer_name, f"{20 + len(numbers)}-QĐ/{'ĐU' if 'Đảng ủy' in issuer_name else 'CB'}")
                elif subject.form == Form.BANG_KHEN:
                    if member.pk not in city:
                        continue
                    issuer_name, number = "Ban Thường vụ Thành ủy TP. Hồ Chí Minh", "3418-QĐ/TU"
                else:
                    if member.pk in city:
                        continue
                    issuer_name, number = "Ban Thường vụ Đảng ủy Cục Hải quan TP. Hồ Chí Minh", "215-QĐ/ĐU"
                target = {"member": member}
            else:
                organisation = Organisation.objects.get(pk=candidate.subject_id)
                if subject.basis == "year":
                    issuer_name, number = "Ban Thường vụ Đảng ủy Cục Hải quan TP. Hồ Chí Minh", "216-QĐ/ĐU"
                elif (subject.form == Form.BANG_KHEN) != (organisation == self.organisations[HIGH_TECH_PARK]):
                    continue  # the High-Tech Park's cell: Bằng khen of the city; the others: Giấy khen
                elif subject.form == Form.BANG_KHEN:
                    issuer_name, number = "Ban Thường vụ Thành ủy TP. Hồ Chí Minh", "3419-QĐ/TU"
                else:
                    issuer_name, number = "Ban Thường vụ Đảng ủy Cục Hải quan TP. Hồ Chí Minh", "217-QĐ/ĐU"
                target = {"organisation": organisation}
            awards.commendation_record(
                year=2020, form=subject.form, issuer=subject.issuer, issuer_name=issuer_name,
                decision_number=number, decided_on=date(2021, 1, 12), by=self.by, reason=(
                    "Hoàn thành xuất sắc nhiệm vụ 5 năm liền (2016–2020)" if subject.basis == "five_years"
                    else "Hoàn thành xuất sắc nhiệm vụ năm 2020"),
                five_years=subject.basis == "five_years", event=ceremony, **target)
            built.commendations += 1

    def _grassroots_of(self, member: Member) -> Organisation:
        organisation = member.organisation
        return organisation.parent if organisation.kind == Kind.CELL else organisation

    # creative models ----------------------------------------------------------------------
    def _initiatives(self, built: Built) -> None:
        from ketnoi.dialogue.models import Programme
        from ketnoi.prices.models import Commitment

        park = self.organisations[HIGH_TECH_PARK]
        programme = Programme.objects.filter(unit__code=HIGH_TECH_PARK, name="Cà phê sáng cùng doanh nghiệp").first()
        coffee = self._initiative(
            built, organisation=park, name="Cà phê sáng cùng doanh nghiệp", started_on=date(2020, 1, 3),
            description="Sáng thứ Sáu đầu tiên hằng tháng, trước giờ làm việc, lãnh đạo Chi cục và các đội gặp "
                        "doanh nghiệp trong Khu Công nghệ cao: nhận câu hỏi trước, trả lời tại chỗ, theo dõi các "
                        "vướng mắc đến khi giải quyết xong.",
            recognition="Đảng ủy Cục biểu dương tại Hội nghị tổng kết năm 2020 (19/01/2021).")
        if programme is not None and coffee.programme_id != programme.pk:
            awards.initiative_link(initiative=coffee, programme=programme, by=self.by)
            built.linked += 1
        port = self.organisations["02CI"]
        prices = self._initiative(
            built, organisation=port, name="Đồng hành cùng doanh nghiệp kho bãi: giữ giá dịch vụ mùa dịch",
            started_on=date(2020, 2, 10),
            description="Đảng viên các đội vận động doanh nghiệp kinh doanh cảng, kho, bãi ký cam kết không tăng "
                        "giá dịch vụ trong năm 2020 và theo dõi từng bảng giá niêm yết.")
        commitments = Commitment.objects.filter(baselines__facility__unit__code="02CI").exclude(
            initiatives=prices).distinct()
        if commitments.exists():
            awards.initiative_link(initiative=prices, commitments=list(commitments), by=self.by)
            built.linked += 1

    def _initiative(self, built: Built, *, organisation: Organisation, name: str, **fields) -> Initiative:
        found = Initiative.objects.filter(organisation=organisation, name=name).first()
        if found is None:
            found = awards.initiative_create(organisation=organisation, name=name, by=self.by, **fields)
            built.initiatives += 1
        return found
