"""The demo's directives: what Ho Chi Minh City Customs told its units in the first months of the
COVID-19 epidemic (February–April 2020): some eighty versions in about thirty chains, with each
unit's acknowledgement and implementation report.

The texts are in data/directives_2020.json, written for the demo: each chain is a directive and
the versions that replace or amend it, a later version saying only what changed (a time, a list
of goods or countries, a paragraph added). The rest is drawn from the demo seed, each draw from
its own generator (chain, version, unit) so that it does not move when other lines change: the
minute a version was issued, its number in the department's register, when each unit's leader
acknowledged it (most on time, some late, a few never) and when the unit reported.

History is played in order of time through the services, as it happened: the demo coordinator
issues each version at its 2020 moment, the leaders acknowledge and report at theirs, and the
escalation job runs a minute after each acknowledgement deadline, as `ketnoi tick` would have:
a unit that acknowledged late was escalated first, one that never did stays escalated. The last
run is at the end of April.

Notices. `directive_issue` and `escalate_overdue` tell the units' leaders and the coordinators,
by e-mail and in the app, when their transaction commits: about 3,700 messages for this history.
They belong to 2020, so while it is written no e-mail leaves (Django's dummy mail backend) and
the in-app notifications are marked read. That holds when `build()` commits its own transaction,
as `ketnoi demo` calls it; inside an outer transaction the notices go with the outer commit.

Running it again adds nothing: a version is found by its number, unique within a year (the
service refuses a second one), and only versions issued in this run are acknowledged.
"""

import heapq
import itertools
import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from ketnoi.accounts.models import Role, RoleAssignment, User
from ketnoi.directives import services
from ketnoi.directives.models import Change, Directive, Recipient, Target, Urgency
from ketnoi.lib import directive_status
from ketnoi.lib.workdays import TIMEZONE, workdays_between
from ketnoi.org.models import Unit

from . import data as org_data
from .past import notices_of_the_past
from .generate import HIGH_TECH_PARK
from .knowledge import demo_coordinator

DATA = Path(__file__).parent / "data" / "directives_2020.json"
YEAR = 2020
# The escalation job's last run: the end of April 2020.
END = datetime(2020, 5, 1, 0, 0, tzinfo=TIMEZONE)
DEPARTMENT = "02"
# Ký hiệu of the divisions on the department's letters: "352/HQHCM-VP" was drafted by Văn phòng Cục.
OFFICES = {
    "VP": "Văn phòng Cục",
    "TCCB": "Phòng Tổ chức cán bộ",
    "TXNK": "Phòng Thuế xuất nhập khẩu",
    "GSQL": "Phòng Giám sát quản lý về hải quan",
    "QLRR": "Phòng Quản lý rủi ro",
    "CBL": "Phòng Chống buôn lậu và xử lý vi phạm",
    "CNTT": "Phòng Công nghệ thông tin",
    "TVQT": "Phòng Tài vụ – Quản trị",
    "TTr": "Thanh tra Cục",
}
# One register numbers every letter the department sends; these directives are a few of them.
# It stood near 285 at the end of January 2020 and grew by about 11 a working day.
REGISTER_START, REGISTER_PER_DAY = 286, 11
# Fields a version takes from the one before unless it says otherwise.
INHERITED = ("title", "urgency", "target", "ack", "signer", "to", "reports")
NIGHT = (time(22, 0), time(6, 30))
URGENT = (Urgency.IMMEDIATE, Urgency.VERY_URGENT)
# Officers of each unit in the demo department, for the figures of the reports.
STAFF = {code: size for code, *_rest, size in org_data.BRANCHES}
STAFF |= {name: size for name, _en, size in org_data.DIVISIONS}


@dataclass
class Version:
    """One version as the data file describes it, with its drawn moment and number."""

    chain: str
    version: int
    title: str
    body: str
    office: str
    issued_by: str          # "department", or "office": the division itself signs
    signer_name: str
    signer_title: str
    day: date
    at: time | None
    effective_from: date
    effective_to: date | None
    urgency: str
    target: object          # "all", {"kinds": [...]} or {"units": [unit codes or division names]}
    ack: int | None
    report_days: int | None
    change: str
    reports: list[str]
    issued_at: datetime | None = None
    number: str = ""
    next_issued_at: datetime | None = None  # when the version replacing it was issued

    @property
    def report_due(self) -> date | None:
        return self.day + timedelta(days=self.report_days) if self.report_days else None


def _edit(paragraphs: list[str], spec: dict, where: str) -> list[str]:
    """The text of a version: the previous one with its replacements, then its insertions."""
    paragraphs = list(paragraphs)
    for old, new in spec.get("replace", []):
        hits = [i for i, p in enumerate(paragraphs) if old in p]
        if not hits:
            raise ValueError(f"{where}: “{old[:60]}” is not in the previous version")
        for i in hits:
            paragraphs[i] = paragraphs[i].replace(old, new)
    for index, text in spec.get("insert", []):
        paragraphs.insert(index, text)
    return paragraphs


def read_chains(path: Path = DATA) -> list[list[Version]]:
    """The chains of the data file, each version's text and particulars spelt out. A replacement
    that finds nothing is an error of the file, not something to skip: the text would be wrong."""
    document = json.loads(path.read_text(encoding="utf-8"))
    signers = document["signers"]
    chains = []
    for chain in document["chains"]:
        paragraphs = chain["body"]
        current = {"title": chain["title"], "signer": chain["signer"], "to": None, "reports": chain.get("reports", [])}
        versions = []
        for number, spec in enumerate(chain["versions"], start=1):
            where = f"{chain['key']} v{number}"
            if number > 1:
                paragraphs = _edit(paragraphs, spec, where)
            current.update({key: spec[key] for key in INHERITED if key in spec})
            day = date.fromisoformat(spec["day"])
            signer = signers[current["signer"]]
            versions.append(Version(
                chain=chain["key"], version=number, title=current["title"], body="\n\n".join(paragraphs),
                office=chain["office"], issued_by=chain.get("issued_by", "department"),
                signer_name=signer["name"], signer_title=signer["title"], day=day,
                at=time.fromisoformat(spec["at"]) if spec.get("at") else None,
                effective_from=date.fromisoformat(spec["from"]) if spec.get("from") else day,
                effective_to=date.fromisoformat(current["to"]) if current["to"] else None,
                urgency=current["urgency"], target=current["target"], ack=current["ack"],
                report_days=spec.get("report_days"),
                change=Change.NEW if number == 1 else spec.get("change", Change.REPLACES),
                reports=current["reports"],
            ))
        chains.append(versions)
    return chains


def _rng(seed, *key) -> random.Random:
    return random.Random(":".join(map(str, (seed, *key))))


def plan(*, seed: int, path: Path = DATA) -> list[Version]:
    """Every version in the order it was issued, with its moment and its number."""
    chains = read_chains(path)
    for versions in chains:
        before = None
        for v in versions:
            rng = _rng(seed, v.chain, v.version, "issued")
            if v.at is None:
                # Crisis letters leave in the evening too; the others within office hours.
                hours = (7, 20) if v.urgency == Urgency.IMMEDIATE else (7, 18) if v.urgency in URGENT else (8, 16)
                v.at = time(rng.randint(*hours), rng.randrange(0, 60, 5))
            v.issued_at = datetime.combine(v.day, v.at, tzinfo=TIMEZONE)
            if before is not None and v.issued_at <= before.issued_at:
                v.issued_at = before.issued_at + timedelta(hours=2)
            if before is not None:
                before.next_issued_at = v.issued_at
            before = v
    ordered = sorted((v for versions in chains for v in versions), key=lambda v: (v.issued_at, v.chain))
    last = REGISTER_START - 1
    start = date(YEAR, 2, 1)
    for v in ordered:
        expected = REGISTER_START + REGISTER_PER_DAY * workdays_between(start, v.day)
        last = max(last + 1, expected + _rng(seed, v.chain, v.version, "number").randint(0, 6))
        v.number = f"{last}/HQHCM-{v.office}"
    return ordered


@dataclass
class Built:
    directives: int = 0
    acknowledgements: int = 0
    reports: int = 0
    escalated: int = 0
    skipped: list[str] = field(default_factory=list)


class DirectiveBuilder:
    def __init__(self, *, seed: int = 2020, by: User | None = None, data: Path = DATA, progress=None):
        self.seed = seed
        self.by = by
        self.data = data
        self.progress = progress or (lambda iterable, **kw: iterable)

    def build(self) -> Built:
        built = Built()
        versions = plan(seed=self.seed, path=self.data)
        with notices_of_the_past("directives/"):
            with transaction.atomic():
                self._play(versions, built)
        return built

    # --- the cast ---------------------------------------------------------------------------
    def _load(self) -> None:
        self.by = self.by or demo_coordinator()
        units = list(Unit.objects.all())
        self.department = next(u for u in units if u.code == DEPARTMENT)
        self.units = {u.code: u for u in units if u.code}
        self.units |= {u.name_vi: u for u in units if not u.code and u.parent_id == self.department.pk}
        users = {u.pk: u for u in User.objects.filter(is_active=True, role_assignments__role=Role.LEADER).distinct()}
        self.leaders: dict[int, list[User]] = {}
        for unit_id, user_id in (RoleAssignment.objects.filter(role=Role.LEADER, user_id__in=users)
                                 .order_by("user__username").values_list("unit_id", "user_id")):
            self.leaders.setdefault(unit_id, []).append(users[user_id])
        self.favourite = {u.pk: u for u in users.values() if u.username == "leader"}

    def _issuer(self, v: Version) -> Unit:
        return self.units[OFFICES[v.office]] if v.issued_by == "office" else self.department

    def _leader(self, unit: Unit, rng: random.Random) -> User | None:
        pool = self.leaders.get(unit.pk)
        if not pool:
            return None
        favourite = next((u for u in pool if u.pk in self.favourite), None)
        if favourite and unit.code == HIGH_TECH_PARK and rng.random() < 0.7:
            return favourite  # the demo's leader login acknowledges for its branch
        return rng.choice(pool)

    def _habits(self, unit: Unit) -> tuple[float, float]:
        """How often a unit acknowledges late and never: a few units are slower than the rest."""
        rng = _rng(self.seed, "unit", unit.code or unit.name_vi)
        return rng.uniform(0.03, 0.22), rng.choice([0, 0.01, 0.02, 0.03, 0.05, 0.08])

    # --- the history ------------------------------------------------------------------------
    def _play(self, versions: list[Version], built: Built) -> None:
        self._load()
        numbers = [v.number for v in versions]
        existing = {d.number: d for d in Directive.objects.filter(issued_at__year=YEAR, number__in=numbers)}
        made: dict[tuple[str, int], Directive] = {}
        self.queue: list = []
        self.order = itertools.count()
        ticks = {END}
        self._push(END, ("tick",))
        for v in self.progress(versions, desc="Chỉ đạo / directives", unit=""):
            self._run(until=v.issued_at, built=built)
            if v.number in existing:
                made[(v.chain, v.version)] = existing[v.number]
                continue
            previous = made.get((v.chain, v.version - 1))
            if v.version > 1 and previous is None:
                built.skipped.append(f"{v.number}: the version it replaces was not issued")
                continue
            try:
                directive = self._issue(v, previous)
            except ValidationError as error:
                built.skipped.append(f"{v.number}: {' '.join(error.messages)}")
                continue
            made[(v.chain, v.version)] = directive
            built.directives += 1
            for recipient in directive.recipients.select_related("unit"):
                self._schedule(v, directive, recipient)
            # `ketnoi tick` runs every minute: the first run after the deadline escalates.
            tick = directive_status.ack_due(v.issued_at, v.ack)
            tick = tick and tick.replace(second=0, microsecond=0) + timedelta(minutes=1)
            if tick and tick not in ticks:
                ticks.add(tick)
                self._push(tick, ("tick",))
        self._run(until=None, built=built)

    def _issue(self, v: Version, previous: Directive | None) -> Directive:
        if v.target == "all":
            target, kinds, units = Target.ALL, (), ()
        elif "kinds" in v.target:
            target, kinds, units = Target.KINDS, v.target["kinds"], ()
        else:
            target, kinds, units = Target.UNITS, (), [self.units[key] for key in v.target["units"]]
        return services.directive_issue(
            by=self.by, number=v.number, title=v.title, body=v.body, issuing_unit=self._issuer(v),
            signer_name=v.signer_name, signer_title=v.signer_title, issued_at=v.issued_at,
            effective_from=v.effective_from, effective_to=v.effective_to, urgency=v.urgency,
            target=target, target_kinds=kinds, target_units=units, ack_within_hours=v.ack,
            report_due=v.report_due, previous=previous, change=v.change)

    def _schedule(self, v: Version, directive: Directive, recipient: Recipient) -> None:
        unit = recipient.unit
        rng = _rng(self.seed, v.chain, v.version, unit.code or unit.name_vi)
        late_rate, never_rate = self._habits(unit)
        leader = self._leader(unit, rng)
        if leader is None:
            return  # nobody may act for the unit: it stays unacknowledged
        window = timedelta(hours=v.ack or 24)
        draw = rng.random()
        acknowledged = None
        if draw >= never_rate:
            if draw < never_rate + late_rate:
                acknowledged = v.issued_at + window * (1 + rng.uniform(0.05, 1.2))
            else:
                acknowledged = v.issued_at + max(window * rng.betavariate(1.3, 2.6), timedelta(minutes=6))
                local = acknowledged.astimezone(TIMEZONE).time()
                if v.urgency not in URGENT and (local >= NIGHT[0] or local < NIGHT[1]):
                    # Read the next morning, whatever the deadline says.
                    morning = acknowledged.astimezone(TIMEZONE).date() + timedelta(days=local >= NIGHT[0])
                    acknowledged = datetime.combine(morning, time(6, 45), tzinfo=TIMEZONE) + \
                        timedelta(minutes=rng.randint(0, 90))
            acknowledged = acknowledged.replace(second=rng.randint(0, 59), microsecond=0)
            self._push(acknowledged, ("ack", directive, unit, leader))
        if v.report_due and rng.random() >= 0.04 + never_rate:
            self._schedule_report(v, directive, unit, leader, rng, late_rate, acknowledged)

    def _schedule_report(self, v, directive, unit, leader, rng, late_rate, acknowledged) -> None:
        if rng.random() < late_rate * 1.2:
            day = v.report_due + timedelta(days=rng.randint(1, 3))
        else:
            day = v.report_due - timedelta(days=rng.randint(0, min(v.report_days, 2)))
        at = datetime.combine(day, time(rng.randint(8, 16), rng.randrange(0, 60, 5)), tzinfo=TIMEZONE)
        at = max(at, (acknowledged or v.issued_at) + timedelta(minutes=rng.randint(30, 150)))
        if v.next_issued_at and at >= v.next_issued_at:
            return  # replaced before the unit got to it: it reports on the new version
        if v.reports:
            text = rng.choice(v.reports).format_map(self._figures(unit, at.date(), rng))
        else:
            text = f"{unit.name_vi} đã quán triệt và triển khai thực hiện đầy đủ nội dung văn bản số {v.number}."
        self._push(at, ("report", directive, unit, leader, text))

    @staticmethod
    def _figures(unit: Unit, day: date, rng: random.Random) -> dict:
        staff = STAFF.get(unit.code or unit.name_vi, 20)
        home = max(1, round(staff * rng.uniform(0.2, 0.5)))
        return {
            "unit": unit.name_vi, "day": f"{day:%d/%m/%Y}", "staff": staff, "home": home, "office": staff - home,
            "iso": rng.randint(1, 3), "n": rng.randint(3, 24), "k": rng.randint(1, 4),
            "decl": rng.randint(12, 180), "minutes": rng.randint(25, 110), "masks": rng.randint(2, 40) * 500,
            "liters": rng.randint(4, 30) * 5, "tons": f"{rng.randint(8, 160) * 25:,}".replace(",", "."),
            "money": f"{staff * rng.randint(250, 600) * 1000:,}".replace(",", "."),
        }

    def _push(self, at: datetime, event: tuple) -> None:
        heapq.heappush(self.queue, (at, next(self.order), event))

    def _run(self, *, until: datetime | None, built: Built) -> None:
        """What happened before `until` (everything when None), in order of time."""
        while self.queue and (until is None or self.queue[0][0] < until):
            at, _order, (kind, *args) = heapq.heappop(self.queue)
            try:
                if kind == "tick":
                    built.escalated += services.escalate_overdue(now=at)
                elif kind == "ack":
                    directive, unit, leader = args
                    services.directive_acknowledge(directive=directive, unit=unit, by=leader, at=at)
                    built.acknowledgements += 1
                else:
                    directive, unit, leader, text = args
                    services.directive_report(directive=directive, unit=unit, text=text, by=leader, at=at)
                    built.reports += 1
            except (ValidationError, PermissionDenied) as refusal:
                built.skipped.append(f"{kind} {' '.join(map(str, args[:2]))}: {refusal}")

    # --- the notices of 2020 ----------------------------------------------------------------
