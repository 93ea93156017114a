"""The demo's dialogue programmes (“Cà phê sáng cùng doanh nghiệp”) of 2020: the High-Tech Park
branch's monthly morning coffee (twelve sessions, the first Friday at 07:30), the Tân Thuận
export-processing zone branch's quarterly dialogue and the Cát Lái port branch's meetings every
other month; and, today, the High-Tech Park programme's next session with a few registrations so
that the calendar is not empty.

The programmes, the businesses and the questions they sent (as businesses write them, with the
answer given on the spot or the follow-up and the written answer that closed it) are in
data/dialogue_2020.json, written for the demo: no real company or person. The rest is drawn
from the demo seed, each draw from its own generator (programme, session, business) so that it
does not move when other lines change: which other businesses came to each session (a core of
regulars comes back, others once or twice), when they registered, who came (Vietnamese names and
positions), who cancelled, who did not turn up, the survey scores and comments.

History is played in order of time through the services, as it happened, the services reading
the clock of the time (`timezone.now()` is the moment of each step while the history is
written): the leader creates the programme in December 2019 and moves the sessions that 2020
moved (the February one after Tết Canh Tý, April's online under Chỉ thị 16/CT-TTg, May's off
the 1 May holiday; Tân Thuận cancels its March one as the epidemic grows); businesses register
with their questions (each a case of the branch); the leader assigns each question the next
working morning and sets the agenda the day before; `dialogue_tick` reminds registrants the day
before; on the day officers check the businesses in, the chair records each question answered on
the spot or followed up (owner, due date), and closes the session; businesses answer the survey;
the minutes are drafted, numbered (05/BB-HQCNC) and issued; the owners answer the follow-ups in
writing, most on time, a few late (a leader approves an officer's answer where the topic needs
it), two never (still open). `cases_tick` runs at 17:05 every working day until the end of
February 2021, as `ketnoi tick` would have: reminders, breaches and escalations of the late
follow-ups, and the automatic resolution of answered cases, all in their time.

Notices. Registrations, reminders, minutes and answers tell people by e-mail and in the app
(most when the transaction commits). They belong to 2020: no e-mail leaves (Django's dummy mail
backend) and the in-app notifications are marked read, as the other parts of the demo do. The
dropped e-mails' attachments (an .ics and a check-in QR code for each registration and reminder,
a PDF of each issued minutes: half a minute of drawing) are left empty. Audit events carry the moment of
2020 their step ran at.

Running it again adds nothing: a programme is found by its unit and name (one found is left as
it is, with its history), a business by its tax code, a user by its username, an upcoming
registration by its session and business.
"""

import json
import random
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ketnoi.accounts import services as accounts
from ketnoi.accounts.models import Enterprise, Role, RoleAssignment, User
from ketnoi.cases import services as cases
from ketnoi.cases.models import Case
from ketnoi.cases.models import Status as CaseStatus
from ketnoi.dialogue import documents, services
from ketnoi.dialogue.models import Programme, Question, Registration, Session
from ketnoi.lib import calendar_ics, taxcode
from ketnoi.lib.workdays import TIMEZONE, add_workdays, is_workday, next_workday
from ketnoi.org.models import Unit

from .generate import NAMED_ENTERPRISES, _slug, person_name
from .knowledge import demo_coordinator
from .past import notices_of_the_past

DATA = Path(__file__).parent / "data" / "dialogue_2020.json"
# `ketnoi tick` ran every working day at 17:05 until the last follow-up of 2020 had run its
# course: the two still open are escalated to the department in January 2021 and miss the
# department's deadline before February ends; after that a tick finds nothing new in them.
TICK_AT = time(17, 5)
TICKS_UNTIL = date(2021, 2, 26)
# People per registration: most businesses send one or two.
PEOPLE = [(1, 40), (2, 45), (3, 15)]
NO_SHOW = 0.08  # of the businesses with a seat and no question of their own
SURVEY_ANSWERED = 0.75
SATISFACTION = [(5, 48), (4, 37), (3, 12), (2, 3)]


# --- the data file ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Firm:
    key: str
    programme: str
    tax_code: str = ""
    name: str = ""
    short_name: str = ""
    address: str = ""
    login: str = ""


@dataclass(frozen=True)
class Ask:
    """A question of the data file: sent ahead (or raised on the day) and what became of it."""

    programme: str
    index: int
    day: date           # the occurrence of the session it was sent to
    firm: str
    topic: str
    subject: str
    description: str
    on_day: bool = False
    answer: str = ""    # given on the spot, or the written answer that closed the follow-up
    follow_up: dict | None = None

    @property
    def key(self) -> tuple[str, int]:
        return (self.programme, self.index)


@dataclass
class ProgrammeSpec:
    key: str
    unit: str
    name: str
    description: str
    rrule: str
    starts_on: date
    ends_on: date
    start: time
    end: time
    venue: str
    capacity: int
    max_attendees: int
    closes_hours: int
    topics: list[str]
    created: datetime
    minutes_mark: str
    registrations: tuple[int, int]
    changes: dict[date, dict]
    popular: dict[date, int] = field(default_factory=dict)
    cancels: dict[date, int] = field(default_factory=dict)
    host_login: str = ""
    deputy_login: str = ""

    def occurrences(self) -> list[date]:
        return [moment.date() for moment in calendar_ics.rrule_occurrences(
            self.rrule, dtstart=datetime.combine(self.starts_on, self.start), until=self.ends_on)]


@dataclass
class Data:
    programmes: list[ProgrammeSpec]
    firms: list[Firm]
    asks: list[Ask]
    positions: list[str]
    comments: list[dict]
    upcoming: dict


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TIMEZONE)


def _first9_valid(first9: str) -> str:
    """The tax code of a made-up enterprise: the data file's first nine digits, moved up to the
    next number that has a check digit (as the test factories do)."""
    number = int(first9)
    while taxcode.check_digit(f"{number:09d}") is None:
        number += 1
    return taxcode.make(f"{number:09d}")


def read_data(path: Path = DATA) -> Data:
    document = json.loads(path.read_text(encoding="utf-8"))
    programmes = []
    for row in document["programmes"]:
        programmes.append(ProgrammeSpec(
            key=row["key"], unit=row["unit"], name=row["name"], description=row["description"], rrule=row["rrule"],
            starts_on=date.fromisoformat(row["starts_on"]), ends_on=date.fromisoformat(row["ends_on"]),
            start=time.fromisoformat(row["start"]), end=time.fromisoformat(row["end"]), venue=row["venue"],
            capacity=row["capacity"], max_attendees=row["max_attendees"], closes_hours=row["closes_hours"],
            topics=row["topics"], created=_moment(row["created"]), minutes_mark=row["minutes_mark"],
            registrations=tuple(row["registrations"]),
            changes={date.fromisoformat(c["occurrence"]): c for c in row["changes"]},
            popular={date.fromisoformat(k): v for k, v in row.get("popular", {}).items()},
            cancels={date.fromisoformat(k): v for k, v in row.get("cancels", {}).items()},
            host_login=row.get("host_login", ""), deputy_login=row.get("deputy_login", "")))
    firms = []
    for row in document["firms"]:
        if row.get("login"):
            spec = NAMED_ENTERPRISES[row["login"]]
            firms.append(Firm(key=row["key"], programme=row["programme"], login=row["login"],
                              tax_code=taxcode.make(spec["first9"]), name=spec["name"],
                              short_name=spec["short_name"], address=spec["address"]))
        else:
            firms.append(Firm(key=row["key"], programme=row["programme"], tax_code=_first9_valid(row["first9"]),
                              name=row["name"], short_name=row["short_name"], address=row["address"]))
    asks = []
    for programme, rows in document["questions"].items():
        for index, row in enumerate(rows):
            asks.append(Ask(programme=programme, index=index, day=date.fromisoformat(row["session"]),
                            firm=row["firm"], topic=row["topic"], subject=row["subject"],
                            description=row["description"], on_day=row.get("on_day", False),
                            answer=row.get("answer", ""), follow_up=row.get("follow_up")))
    return Data(programmes=programmes, firms=firms, asks=asks, positions=document["positions"],
                comments=document["comments"], upcoming=document["upcoming"])


# --- drawing the history ------------------------------------------------------------------------

@dataclass(frozen=True)
class Step:
    """One thing that happened, at its moment. `kind` names the service it goes through."""

    at: datetime
    kind: str
    programme: str = ""
    day: date | None = None       # the occurrence of the session it concerns
    firm: str = ""
    ask: tuple[str, int] | None = None
    data: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass
class Plan:
    data: Data
    steps: list[Step]            # in order of time


def _rng(seed, *key) -> random.Random:
    return random.Random(":".join(map(str, (seed, "dialogue", *key))))


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs)
    return rng.choices(values, weights=weights)[0]


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=TIMEZONE)


def _office(day: date, rng: random.Random, *, start: int = 8, end: int = 16) -> datetime:
    """A moment in office hours of the first working day on or after `day`."""
    return _at(next_workday(day), time(rng.randint(start, end), rng.randrange(0, 60, 5)))


def _workdays_before(day: date, n: int) -> date:
    while n:
        day -= timedelta(days=1)
        if is_workday(day):
            n -= 1
    return day


def _attendees(seed, programme: ProgrammeSpec, day: date, firm: Firm, person: tuple[str, str],
               positions: list[str]) -> list[dict]:
    """Who comes for the business: usually the person who registers, and one or two more."""
    rng = _rng(seed, programme.key, day, firm.key, "people")
    count = min(_weighted(rng, PEOPLE), programme.max_attendees)
    people = [] if rng.random() < 0.15 else [{"name": person[0], "position": person[1]}]
    while len(people) < count:
        name, _gender = person_name(rng)
        position = rng.choice(positions)
        if all(p["name"] != name for p in people):
            people.append({"name": name, "position": position})
    return people


def firm_person(seed, firm: Firm) -> tuple[str, str]:
    """The business's person on the platform (name, position): the one who registers."""
    rng = _rng(seed, firm.key, "user")
    name, _gender = person_name(rng)
    return name, rng.choice(["Trưởng phòng Xuất nhập khẩu", "Nhân viên xuất nhập khẩu", "Phó Giám đốc",
                             "Trưởng phòng Kế hoạch – Logistics"])


def plan(*, seed: int = 2020, path: Path = DATA) -> Plan:
    """Every step of the history, in order of time."""
    data = read_data(path)
    firms = {f.key: f for f in data.firms}
    steps: list[Step] = []
    session_days: set[date] = set()
    for programme in data.programmes:
        steps.append(Step(programme.created, "programme", programme.key))
        pool = [f for f in data.firms if f.programme == programme.key]
        # A core of regulars comes back, the others now and then; some hear of the programme
        # only later in the year (a business with a question comes whenever it has one).
        habit = _rng(seed, programme.key, "habits")
        regularity = {f.key: habit.choice([0.9, 0.7, 0.5, 0.3, 0.2, 0.15]) for f in pool}
        joins = {f.key: habit.choice([1, 1, 1, 1, 1, 3, 5, 6, 7, 8, 9, 10]) for f in pool}
        for occurrence in programme.occurrences():
            change = programme.changes.get(occurrence, {})
            starts = _moment(change["starts"]) if change.get("starts") else _at(occurrence, programme.start)
            if change:
                steps.append(Step(_moment(change["at"]), "cancel_session" if change.get("cancel") else "move",
                                  programme.key, occurrence, data={"change": change}))
            asks = [a for a in data.asks if a.programme == programme.key and a.day == occurrence]
            known = [f for f in pool if joins[f.key] <= occurrence.month]
            _plan_session(seed, data, programme, occurrence, starts, asks, known, regularity, firms, steps,
                          cancelled=bool(change.get("cancel")),
                          cancelled_at=_moment(change["at"]) if change else None)
            if not change.get("cancel"):
                session_days.add(starts.date())
    for day in sorted(session_days):
        steps.append(Step(_at(day - timedelta(days=1), time(8, 0)), "dialogue_tick"))
    first = min(step.at for step in steps).date()
    day = first
    while day <= TICKS_UNTIL:
        if is_workday(day):
            steps.append(Step(_at(day, TICK_AT), "cases_tick"))
        day += timedelta(days=1)
    order = {kind: i for i, kind in enumerate([
        "programme", "dialogue_tick", "move", "cancel_session", "register", "cancel_registration", "assign",
        "agenda", "check_in", "raise", "outcome", "close", "survey", "prepare_minutes", "save_minutes",
        "issue_minutes", "answer", "approve", "cases_tick"])}
    steps.sort(key=lambda s: (s.at, order[s.kind], s.programme, s.day or date.min, s.firm, s.ask or ("", 0)))
    return Plan(data=data, steps=steps)


def _plan_session(seed, data: Data, programme: ProgrammeSpec, occurrence: date, starts: datetime, asks: list[Ask],
                  pool: list[Firm], regularity: dict[str, float], firms: dict[str, Firm], steps: list[Step], *,
                  cancelled: bool, cancelled_at: datetime | None) -> None:
    rng = _rng(seed, programme.key, occurrence)
    day = starts.date()
    ends = _at(day, programme.end)
    closes = starts - timedelta(hours=programme.closes_hours)
    # Who registers: the businesses with a question first (they are the reason they come), then
    # the regulars and the curious, as many as the session drew.
    asking = list(dict.fromkeys(a.firm for a in asks))
    wanted = programme.popular.get(occurrence) or rng.randint(*programme.registrations)
    if cancelled:
        asking, wanted = [], rng.randint(3, 5)
    others = [f.key for f in pool if f.key not in asking]
    chosen: list[str] = []
    while others and len(asking) + len(chosen) < wanted:
        weights = [regularity[key] for key in others]
        pick = rng.choices(others, weights=weights)[0]
        others.remove(pick)
        chosen.append(pick)
    latest = (cancelled_at - timedelta(hours=2)) if cancelled else closes - timedelta(hours=1)
    moments = {}
    for key in asking:
        moments[key] = starts - timedelta(days=rng.randint(4, 9), hours=rng.randint(0, 10), minutes=rng.randint(0, 59))
    for key in chosen:
        moments[key] = starts - timedelta(days=rng.randint(2, 8), hours=rng.randint(0, 12), minutes=rng.randint(0, 59))
    for key, moment in moments.items():
        moments[key] = min(moment, latest - timedelta(minutes=rng.randint(0, 90)))
    sent = {key: [a for a in asks if a.firm == key and not a.on_day] for key in asking}
    for key in sorted(moments, key=lambda k: (moments[k], k)):
        firm = firms[key]
        person = firm_person(seed, firm)
        steps.append(Step(moments[key], "register", programme.key, occurrence, key, data={
            "attendees": _attendees(seed, programme, occurrence, firm, person, data.positions),
            "asks": [a.key for a in sent.get(key, [])]}))
        for ask in sent.get(key, []):
            # Read and assigned the next working morning: the case is acknowledged in its day.
            steps.append(Step(_office(moments[key].date() + timedelta(days=1), rng, start=8, end=9), "assign",
                              programme.key, occurrence, key, ask.key))
    if cancelled:
        return
    # Seats go in order of registration; the rest wait.
    ordered = sorted(moments, key=lambda k: (moments[k], k))
    confirmed, waiting = ordered[:programme.capacity], ordered[programme.capacity:]
    for _n in range(programme.cancels.get(occurrence, 0)):
        candidates = [k for k in confirmed if k not in asking and not firms[k].login]
        if not candidates:
            break
        key = rng.choice(candidates)
        at = min(closes - timedelta(hours=rng.randint(2, 20)), starts - timedelta(days=1, hours=3))
        at = max(at, moments[key] + timedelta(hours=1))
        steps.append(Step(at, "cancel_registration", programme.key, occurrence, key))
        confirmed.remove(key)
        if waiting:
            confirmed.append(waiting.pop(0))
    leader_day = _workdays_before(day, 1)
    steps.append(Step(_at(leader_day, time(15, rng.randrange(0, 60, 5))), "agenda", programme.key, occurrence))
    for key in confirmed:
        if key not in asking and rng.random() < NO_SHOW:
            continue
        at = starts + timedelta(minutes=rng.randint(-30, 15), seconds=rng.randint(0, 59))
        steps.append(Step(at, "check_in", programme.key, occurrence, key))
    minute = 10
    for ask in asks:
        if ask.on_day:
            steps.append(Step(starts + timedelta(minutes=rng.randint(12, 25)), "raise", programme.key, occurrence,
                              ask.firm, ask.key))
    for ask in asks:
        minute += rng.randint(12, 22)
        outcome_at = min(starts + timedelta(minutes=minute), ends - timedelta(minutes=3))
        steps.append(Step(outcome_at, "outcome", programme.key, occurrence, ask.firm, ask.key,
                          data=_outcome_of(ask, day)))
        if ask.follow_up and ask.follow_up["fate"] != "open":
            steps.extend(_written_answer(seed, ask, day))
    closed = ends + timedelta(minutes=rng.randint(5, 20))
    steps.append(Step(closed, "close", programme.key, occurrence))
    online = "venue" in programme.changes.get(occurrence, {})
    followed = {a.firm for a in asks if a.follow_up}
    for key in confirmed:
        draw = _rng(seed, programme.key, occurrence, key, "survey")
        if draw.random() >= SURVEY_ANSWERED:
            continue
        satisfaction = _weighted(draw, SATISFACTION)
        if online and satisfaction == 5 and draw.random() < 0.3:
            satisfaction = 4
        if key in followed and satisfaction == 5 and draw.random() < 0.4:
            satisfaction = 4
        usefulness = max(1, min(5, satisfaction + _weighted(draw, [(0, 60), (-1, 30), (1, 10)])))
        comment = ""
        if draw.random() < 0.35:
            fitting = [c["text"] for c in data.comments if c.get("when") in (None, "online" if online else "in_person")
                       or (c.get("when") == "follow_up" and key in followed)]
            comment = draw.choice(fitting)
        at = closed + timedelta(minutes=draw.randint(20, 60 * 24 * 3))
        steps.append(Step(at, "survey", programme.key, occurrence, key, data={
            "satisfaction": satisfaction, "usefulness": usefulness, "comment": comment}))
    prepared = _office(day + timedelta(days=1), rng, start=9, end=10)
    steps.append(Step(prepared, "prepare_minutes", programme.key, occurrence))
    steps.append(Step(prepared.replace(hour=rng.randint(14, 15)), "save_minutes", programme.key, occurrence))
    steps.append(Step(_office(prepared.date() + timedelta(days=1), rng, start=9, end=10), "issue_minutes",
                      programme.key, occurrence))


def _outcome_of(ask: Ask, day: date) -> dict:
    if not ask.follow_up:
        return {"outcome": "answered", "answer": ask.answer}
    return {"outcome": "follow_up", "owner": ask.follow_up["owner"], "note": ask.follow_up["note"],
            "due": add_workdays(day, ask.follow_up["workdays"]).isoformat()}


def _written_answer(seed, ask: Ask, day: date) -> list[Step]:
    """The owner's written answer: before the due date (most), a working day or two after it
    (late); and, within the hour, the chair's approval where the answer waits for one."""
    rng = _rng(seed, *ask.key, "answer")
    due = add_workdays(day, ask.follow_up["workdays"])
    if ask.follow_up.get("answer_on"):
        answered_on = date.fromisoformat(ask.follow_up["answer_on"])
    elif ask.follow_up["fate"] == "late":
        answered_on = add_workdays(due, rng.randint(1, 2))
    else:
        answered_on = max(_workdays_before(due, rng.randint(0, min(3, ask.follow_up["workdays"] - 2))),
                          add_workdays(day, 1))
    hours = (9, 10) if ask.follow_up["fate"] == "late" else (9, 13)
    answered = _office(answered_on, rng, start=hours[0], end=hours[1])
    return [Step(answered, "answer", ask.programme, ask.day, ask.firm, ask.key),
            Step(answered + timedelta(minutes=rng.randint(20, 90)), "approve", ask.programme, ask.day, ask.firm,
                 ask.key)]


# --- the clock of the time ----------------------------------------------------------------------

class PastClock:
    """While `running`, Django's clock (`timezone.now()`, which the services and the models'
    automatic dates read) says `self.now`: the services stamp what they write with the moment
    of 2020 it happened at."""

    def __init__(self):
        self.now: datetime | None = None

    @contextmanager
    def running(self):
        real = timezone.now
        timezone.now = lambda: self.now or real()
        try:
            yield self
        finally:
            timezone.now = real


@contextmanager
def attachments_not_drawn():
    """Inside, the dialogue documents its e-mails attach (the session's .ics, the check-in QR
    code, the minutes' PDF) are empty. For e-mails of the past, which Django's dummy backend drops: drawing them
    is work thrown away. The pages and the downloads draw them as usual."""
    real = documents.qr_png, documents.minutes_pdf, documents.session_ics
    documents.qr_png = documents.minutes_pdf = documents.session_ics = lambda *args, **kwargs: b""
    try:
        yield
    finally:
        documents.qr_png, documents.minutes_pdf, documents.session_ics = real


# --- writing it ---------------------------------------------------------------------------------

@dataclass
class Built:
    programmes: int = 0
    sessions: int = 0            # held
    registrations: int = 0
    questions: int = 0
    follow_ups: int = 0
    minutes: int = 0
    surveys: int = 0
    upcoming: int = 0            # registrations for the next session, today
    skipped: list[str] = field(default_factory=list)


@dataclass
class Staff:
    chair: User
    deputy: User
    officers: list[User]
    host: User


class DialogueBuilder:
    def __init__(self, *, seed: int = 2020, data: Path = DATA, progress=None, now: datetime | None = None):
        self.seed = seed
        self.path = data
        self.progress = progress or (lambda iterable, **kw: iterable)
        self.today = now  # the real moment of the upcoming registrations (None: now)
        self.clock = PastClock()

    def build(self) -> Built:
        built = Built()
        history = plan(seed=self.seed, path=self.path)
        self.data = history.data
        with notices_of_the_past("dialogue/"), notices_of_the_past("cases/"), attachments_not_drawn():
            with transaction.atomic():
                self._cast()
                todo = {p.key for p in self.data.programmes
                        if not Programme.objects.filter(unit=self.units[p.unit], name=p.name).exists()}
                if todo:
                    steps = [s for s in history.steps if s.programme in todo or s.kind in ("cases_tick", "dialogue_tick")]
                    with self.clock.running():
                        for step in self.progress(steps, desc="Đối thoại / dialogue", unit=""):
                            self.clock.now = step.at
                            try:
                                self._play(step, built)
                            except (ValidationError, PermissionDenied) as refusal:
                                built.skipped.append(f"{step.kind} {step.programme} {step.day or ''} {step.firm}: "
                                                     f"{' '.join(getattr(refusal, 'messages', [str(refusal)]))}")
                self._upcoming(built)
        return built

    # --- the people ----------------------------------------------------------------------------
    def _cast(self) -> None:
        self.coordinator = demo_coordinator()
        self.units = {u.code: u for u in Unit.objects.filter(code__in={p.unit for p in self.data.programmes})}
        self.specs = {p.key: p for p in self.data.programmes}
        self.asks = {a.key: a for a in self.data.asks}
        self.firms = {f.key: f for f in self.data.firms}
        self.enterprises: dict[str, Enterprise] = {}
        self.people: dict[str, User] = {}
        found = {e.tax_code: e for e in Enterprise.objects.filter(tax_code__in=[f.tax_code for f in self.data.firms])}
        for firm in self.data.firms:
            unit = self.units[self.specs[firm.programme].unit]
            if firm.login:
                user = User.objects.filter(username=firm.login).first()
                assignment = RoleAssignment.objects.filter(user=user, role=Role.BUSINESS).select_related("enterprise").first()
                if assignment is None:
                    raise RuntimeError(f"the demo dialogue needs the {firm.login} login: build the logins first")
                self.enterprises[firm.key], self.people[firm.key] = assignment.enterprise, user
                continue
            enterprise = found.get(firm.tax_code) or accounts.enterprise_create(
                tax_code=firm.tax_code, name=firm.name, short_name=firm.short_name, address=firm.address,
                email=f"xnk@{_slug(firm.short_name).lower()[:24]}.example.vn", phone=self._phone(firm),
                home_unit=unit, by=self.coordinator)
            self.enterprises[firm.key] = enterprise
            self.people[firm.key] = self._business_user(firm, enterprise)
        self.staff = {key: self._staff(spec) for key, spec in self.specs.items()}
        self.sessions: dict[tuple[str, date], Session] = {}
        self.programmes: dict[str, Programme] = {}
        self.registrations: dict[tuple[str, date, str], Registration] = {}
        self.questions: dict[tuple[str, int], Question] = {}
        self.minutes_numbers: dict[str, int] = {}

    def _phone(self, firm: Firm) -> str:
        rng = _rng(self.seed, firm.key, "phone")
        return f"028 {rng.randint(3700, 3899)} {rng.randint(1000, 9999)}"

    def _business_user(self, firm: Firm, enterprise: Enterprise) -> User:
        """The business's person who registers (no password: they would set one through the
        password-reset e-mail)."""
        username = f"dn.{firm.key}"
        user = User.objects.filter(username=username).first()
        if user is not None:
            return user
        name, position = firm_person(self.seed, firm)
        return accounts.user_create(username=username, full_name=name, position=position,
                                    email=f"{_slug(name).lower()}@{_slug(firm.short_name).lower()[:24]}.example.vn",
                                    role=Role.BUSINESS, enterprise=enterprise, by=self.coordinator)

    def _staff(self, spec: ProgrammeSpec) -> Staff:
        """The unit's head chairs; a deputy (the demo leader login at the High-Tech Park) owns
        follow-ups; officers answer and take the record. The coordinator stands in for a unit
        the demo gave no officers."""
        unit = self.units[spec.unit]

        def holders(role):
            return list(User.objects.filter(role_assignments__role=role, role_assignments__unit=unit, is_active=True)
                        .distinct().order_by("username"))

        leaders, officers = holders(Role.LEADER), holders(Role.OFFICER)
        chair = next((u for u in leaders if u.position == "Chi cục trưởng"), leaders[0] if leaders else self.coordinator)
        deputy = (User.objects.filter(username=spec.deputy_login).first() if spec.deputy_login else None) or \
            next((u for u in leaders if u.position == "Phó Chi cục trưởng"), chair)
        host = (User.objects.filter(username=spec.host_login).first() if spec.host_login else None) or \
            (officers[0] if officers else deputy)
        return Staff(chair=chair, deputy=deputy, officers=officers or [deputy], host=host)

    # --- the history ---------------------------------------------------------------------------
    def _session(self, step: Step) -> Session:
        key = (step.programme, step.day)
        if key not in self.sessions:
            spec = self.specs[step.programme]
            self.sessions[key] = Session.objects.get(programme=self.programmes[step.programme],
                                                     occurrence=_at(step.day, spec.start))
        return self.sessions[key]

    def _owner(self, ask: Ask, role: str) -> User:
        staff = self.staff[ask.programme]
        if role == "officer":
            return _rng(self.seed, *ask.key, "owner").choice(staff.officers)
        return staff.chair if role == "chair" else staff.deputy

    def _answerer(self, ask: Ask) -> User:
        if ask.follow_up:
            return self._owner(ask, ask.follow_up["owner"])
        staff = self.staff[ask.programme]
        return _rng(self.seed, *ask.key, "answerer").choice([staff.deputy, staff.chair] + staff.officers[:2])

    def _play(self, step: Step, built: Built) -> None:
        getattr(self, f"_{step.kind}")(step, built)

    def _programme(self, step: Step, built: Built) -> None:
        spec, staff = self.specs[step.programme], self.staff[step.programme]
        hosts = [staff.host] if staff.host not in (staff.chair, staff.deputy) else []
        self.programmes[spec.key] = services.programme_create(
            by=staff.chair, unit=self.units[spec.unit], name=spec.name, description=spec.description,
            rrule=spec.rrule, starts_on=spec.starts_on, ends_on=spec.ends_on, start_time=spec.start,
            end_time=spec.end, venue=spec.venue, capacity=spec.capacity, max_attendees=spec.max_attendees,
            registration_closes_hours=spec.closes_hours, topics=spec.topics, hosts=hosts, now=step.at)
        built.programmes += 1

    def _dialogue_tick(self, step: Step, built: Built) -> None:
        services.dialogue_tick(now=step.at)

    def _cases_tick(self, step: Step, built: Built) -> None:
        cases.cases_tick(now=step.at)

    def _move(self, step: Step, built: Built) -> None:
        change = step.data["change"]
        session = self._session(step)
        starts = _moment(change["starts"]) if change.get("starts") else session.starts_at
        self.sessions[(step.programme, step.day)] = services.session_move(
            session=session, by=self.staff[step.programme].chair, starts_at=starts, venue=change.get("venue"),
            reason=change["reason"])

    def _cancel_session(self, step: Step, built: Built) -> None:
        self.sessions[(step.programme, step.day)] = services.session_cancel(
            session=self._session(step), by=self.staff[step.programme].chair, reason=step.data["change"]["reason"])

    def _register(self, step: Step, built: Built) -> None:
        asks = [self.asks[key] for key in step.data["asks"]]
        registration = services.registration_create(
            session=self._session(step), by=self.people[step.firm], enterprise=self.enterprises[step.firm],
            attendees=step.data["attendees"],
            questions=[{"topic": a.topic, "subject": a.subject, "description": a.description} for a in asks],
            now=step.at)
        self.registrations[(step.programme, step.day, step.firm)] = registration
        for ask, question in zip(asks, registration.questions.order_by("agenda_position", "id")):
            self.questions[ask.key] = question
        built.registrations += 1
        built.questions += len(asks)

    def _cancel_registration(self, step: Step, built: Built) -> None:
        services.registration_cancel(registration=self.registrations[(step.programme, step.day, step.firm)],
                                     by=self.people[step.firm], now=step.at)

    def _assign(self, step: Step, built: Built) -> None:
        ask = self.asks[step.ask]
        cases.case_assign(case=self.questions[ask.key].case, assignee=self._answerer(ask),
                          by=self.staff[step.programme].chair)

    def _agenda(self, step: Step, built: Built) -> None:
        session = self._session(step)
        agenda = services.agenda_default(session)
        order = [question.pk for question in agenda]
        asked = {question.pk: self.asks[key] for key, question in self.questions.items() if key[0] == step.programme}
        answerers = {pk: self._answerer(asked[pk]).pk for pk in order if pk in asked}
        staff = self.staff[step.programme]
        services.agenda_save(session=session, by=staff.chair, order=order, answerers=answerers, chair=staff.chair)

    def _check_in(self, step: Step, built: Built) -> None:
        registration = Registration.objects.get(pk=self.registrations[(step.programme, step.day, step.firm)].pk)
        if registration.status != Registration.Status.CONFIRMED:
            return  # still on the waiting list: no seat
        services.registration_check_in(registration=registration, by=self.staff[step.programme].host, at=step.at)

    def _raise(self, step: Step, built: Built) -> None:
        ask = self.asks[step.ask]
        self.questions[ask.key] = services.question_raise(
            session=self._session(step), by=self.staff[step.programme].host,
            registration=self.registrations[(step.programme, step.day, step.firm)], topic=ask.topic,
            subject=ask.subject, description=ask.description)
        built.questions += 1

    def _outcome(self, step: Step, built: Built) -> None:
        ask, chair = self.asks[step.ask], self.staff[step.programme].chair
        question = Question.objects.get(pk=self.questions[ask.key].pk)
        if step.data["outcome"] == "answered":
            services.question_answer_on_spot(question=question, by=chair, answer=step.data["answer"])
            return
        services.question_follow_up(question=question, by=chair, owner=self._owner(ask, step.data["owner"]),
                                    due=date.fromisoformat(step.data["due"]), note=step.data["note"])
        built.follow_ups += 1

    def _close(self, step: Step, built: Built) -> None:
        self.sessions[(step.programme, step.day)] = services.session_close(
            session=self._session(step), by=self.staff[step.programme].chair, now=step.at)
        built.sessions += 1

    def _survey(self, step: Step, built: Built) -> None:
        registration = Registration.objects.get(pk=self.registrations[(step.programme, step.day, step.firm)].pk)
        if registration.checked_in_at is None:
            return  # not in the room: no survey link
        services.survey_submit(token=services.survey_token(registration), **step.data)
        built.surveys += 1

    def _prepare_minutes(self, step: Step, built: Built) -> None:
        services.minutes_prepare(session=self._session(step), by=self.staff[step.programme].host)

    def _save_minutes(self, step: Step, built: Built) -> None:
        spec, staff = self.specs[step.programme], self.staff[step.programme]
        minutes = self._session(step).minutes
        number = self.minutes_numbers.get(spec.key, 0) + 1
        self.minutes_numbers[spec.key] = number
        services.minutes_save(minutes=minutes, by=staff.host, number=f"{number:02d}/{spec.minutes_mark}",
                              opening=minutes.opening, conclusion=minutes.conclusion,
                              signer_name=staff.chair.get_full_name(),
                              signer_position=staff.chair.position or "Chi cục trưởng")

    def _issue_minutes(self, step: Step, built: Built) -> None:
        services.minutes_issue(minutes=self._session(step).minutes, by=self.staff[step.programme].chair)
        built.minutes += 1

    def _answer(self, step: Step, built: Built) -> None:
        """The owner answers the follow-up in writing (an officer's answer on a topic that needs
        a leader's approval waits for the chair's, the `approve` step)."""
        ask = self.asks[step.ask]
        case = Case.objects.get(pk=self.questions[ask.key].case_id)
        owner = self._owner(ask, ask.follow_up["owner"])
        cases.case_answer(case=case, body=ask.answer, by=owner)

    def _approve(self, step: Step, built: Built) -> None:
        case = Case.objects.get(pk=self.questions[step.ask].case_id)
        if case.status == CaseStatus.PENDING_APPROVAL:
            cases.answer_decide(case=case, approve=True, by=self.staff[step.programme].chair)

    # --- today ---------------------------------------------------------------------------------
    def _upcoming(self, built: Built) -> None:
        """The High-Tech Park programme meets again: its next session, open for registration,
        with a few businesses registered (two with a question). At the real time: these are
        not history."""
        spec = self.data.upcoming
        programme = Programme.objects.filter(unit=self.units[self.specs[spec["programme"]].unit],
                                             name=self.specs[spec["programme"]].name).first()
        if programme is None:
            return
        now = self.today or timezone.now()
        staff = self.staff[spec["programme"]]
        if programme.ends_on is not None and programme.ends_on < now.astimezone(TIMEZONE).date():
            programme = services.programme_update(programme=programme, by=staff.chair, ends_on=None, now=now)
        session = (programme.sessions.filter(status=Session.Status.SCHEDULED, registration_closes_at__gt=now + timedelta(hours=2))
                   .order_by("starts_at").first())
        if session is None:
            return
        day = timezone.localtime(session.occurrence, TIMEZONE).date()
        rng = _rng(self.seed, "upcoming", day)
        asked = {q["firm"]: q for q in spec["questions"]}
        pool = [f.key for f in self.data.firms if f.programme == spec["programme"] and not f.login and f.key not in asked]
        firms = list(asked) + rng.sample(pool, max(0, spec["registrations"] - len(asked)))
        registered = set(session.registrations.exclude(status=Registration.Status.CANCELLED)
                         .values_list("enterprise_id", flat=True))
        for offset, key in enumerate(firms):
            firm, enterprise = self.firms[key], self.enterprises[key]
            if enterprise.pk in registered:
                continue
            question = asked.get(key)
            services.registration_create(
                session=session, by=self.people[key], enterprise=enterprise,
                attendees=_attendees(self.seed, self.specs[spec["programme"]], day, firm,
                                     firm_person(self.seed, firm), self.data.positions),
                questions=[{k: question[k] for k in ("topic", "subject", "description")}] if question else [],
                now=now - timedelta(hours=len(firms) - offset))
            built.upcoming += 1
