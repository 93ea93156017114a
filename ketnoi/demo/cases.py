"""The demo's cases: a department-year (2020) of businesses' difficulties, and a few open cases
around today so that the queues are not empty.

Filing 20,000 cases through the services (about ten service calls each, every one with its
queries, audit record and e-mail) takes many minutes. Instead each case's journey is played
here in Python: the events the services and `ketnoi tick` would append, with the same kinds,
data, visibility and once-keys, in the order they would append them. Every event is folded
into the case's cached fields with ketnoi.cases.state.apply, exactly as the services do, so the
cached state is what the timeline says. Cases, answers and events are then written in bulk
(executemany in batches of 2,000, see insert_rows), all in one transaction: a half-written demo
is never left behind.

Rules the journeys follow (the services' and the tick's, re-read here, not re-decided):
routing (services.route), deadlines (services.policy_for + lib.deadlines), the clock that
stops while a case waits for the business (deadlines.extend_for_pause), reminders, breaches,
escalation and automatic resolution (services.cases_tick and policy.case_policy). When those
change, the demo follows; test_demo_cases.py checks the result against them.

The cases are not audited (audit events record what people did; nobody did this) and have no
attachments. Demo cases are recognised by their references of 2020 (the platform did not exist
then): when any exists, the step adds nothing.
"""

import functools
import itertools
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from datetime import timezone as dt_timezone

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from ketnoi.accounts.models import Enterprise, Role, RoleAssignment, User
from ketnoi.cases import services, state
from ketnoi.cases.models import Answer, Case, CaseEvent, Channel, Level, Sequence, Status, Topic
from ketnoi.cases.policy import case_policy
from ketnoi.lib import customs, deadlines, taxcode
from ketnoi.lib.workdays import OFFICE_HOURS, TIMEZONE, add_work_hours, is_workday, work_hours_between
from ketnoi.org.models import Unit

from . import data_cases as text
from .generate import HIGH_TECH_PARK, NAMED_ENTERPRISES, person_name

YEAR = 2020
BATCH = 2000
Kind = CaseEvent.Kind
# The statuses `ketnoi tick` watches for reminders, breaches and escalation.
TICKED = (Status.NEW, Status.IN_PROGRESS, Status.PENDING_APPROVAL)
STAFF_CHANNELS = (Channel.PHONE, Channel.LETTER, Channel.EMAIL, Channel.DIALOGUE)
CHANNEL_WEIGHTS = [(Channel.WEB, 80), (Channel.API, 3), (Channel.EMAIL, 6), (Channel.PHONE, 5),
                   (Channel.LETTER, 4), (Channel.DIALOGUE, 2)]
# Units a business names besides its usual one, by topic: the ports where goods arrive, the
# branches that manage processing and investment goods, express consignments.
OTHER_UNITS = {
    "thu-tuc": ["02CX", "02CI", "02CV", "02AB", "02DS"], "phan-loai-hs": ["02CX", "02CI", "02AB", "02PG"],
    "tri-gia": ["02PG", "02CI", "02CX"], "thue": ["02PG", "02PJ", "02CX"], "xuat-xu": ["02CI", "02CX", "02AB"],
    "kiem-tra-chuyen-nganh": ["02CI", "02CX", "02CV", "02AB"], "gia-cong-sxxk-chexuat": ["02PJ", "02XE", "02XF"],
    "kho-bai-cang": ["02CI", "02CX", "02DS", "02AB", "02CC"], "cntt-vnaccs": ["02CX", "02CI", "02AB"],
    "khac": ["02CX", "02CI"],
}
# Goods that fit a topic's templates.
GOODS_KINDS = {
    "kiem-tra-chuyen-nganh": ["food", "food", "consumer"], "tri-gia": ["machine", "electronics", "material"],
    "thue": ["material", "electronics", "machine"], "gia-cong-sxxk-chexuat": ["material"],
}
# Divisions of the department office a case is shared with, by topic.
SHARE_DIVISIONS = {
    "thue": "Phòng Thuế xuất nhập khẩu", "tri-gia": "Phòng Thuế xuất nhập khẩu", "phan-loai-hs": "Phòng Thuế xuất nhập khẩu",
    "xuat-xu": "Phòng Thuế xuất nhập khẩu", "cntt-vnaccs": "Phòng Công nghệ thông tin",
    "kho-bai-cang": "Phòng Giám sát quản lý về hải quan", "gia-cong-sxxk-chexuat": "Phòng Giám sát quản lý về hải quan",
}
DEPARTMENT_NAME = "Cục Hải quan TP. Hồ Chí Minh"


def demo_cases_exist() -> bool:
    return Case.objects.filter(reference__startswith=f"{customs.REFERENCE_PREFIX}-{YEAR}-").exists()


# --- time helpers ------------------------------------------------------------------------------

def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _key(moment: datetime) -> str:
    """A moment as the tick writes it in its once-keys: the case's field read back from the
    database, that is in UTC."""
    return f"{moment.astimezone(dt_timezone.utc):%Y%m%d%H%M}"


def _next_tick(moment: datetime) -> datetime:
    """The first run of `ketnoi tick` (every minute) after `moment`."""
    return moment.replace(second=0, microsecond=0) + timedelta(minutes=1)


def _local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=TIMEZONE)


@functools.lru_cache(maxsize=None)
def work_hours_before(moment: datetime, hours: float) -> datetime:
    """The earliest moment from which at most `hours` office hours remain until `moment`
    (for 8 hours before 17:00 on a working day: 17:00 the working day before)."""
    local = moment.astimezone(TIMEZONE).replace(tzinfo=None)
    day, clock, remaining = local.date(), local.time(), timedelta(hours=hours)
    while True:
        if is_workday(day):
            for begin, end in reversed(OFFICE_HOURS):
                if clock <= begin:
                    continue
                period_end = datetime.combine(day, min(clock, end))
                available = period_end - datetime.combine(day, begin)
                if remaining < available:
                    return (period_end - remaining).replace(tzinfo=TIMEZONE)
                remaining -= available
        day -= timedelta(days=1)
        clock = time.max


@functools.lru_cache(maxsize=None)
def _due_in_workdays(day: date, days: int) -> datetime:
    # deadlines.due_in_workdays depends on the day of receipt only.
    return deadlines.due(_local(day, time(12)), days=days)


def due(start: datetime, *, days: int | None = None, hours: float | None = None) -> datetime:
    """deadlines.due, remembered for deadlines in working days (they depend on the day only)."""
    if hours:
        return deadlines.due(start, hours=hours)
    return _due_in_workdays(start.astimezone(TIMEZONE).date(), days)


def workdays_before(day: date, n: int) -> date:
    """The working day from which `day` is the n-th working day (add_workdays backwards)."""
    while n:
        day -= timedelta(days=1)
        if is_workday(day):
            n -= 1
    return day


# --- the people --------------------------------------------------------------------------------

@dataclass
class Cast:
    coordinator: int | None
    officers: dict[int, list[int]]      # unit id -> officers' user ids
    leaders: dict[int, list[int]]       # unit id -> leaders' user ids
    names: dict[int, str]               # user id -> full name
    office_staff: list[int]             # Văn phòng Cục: enters the letters it receives
    favourite_officer: dict[int, int]   # unit id -> the demo login that gets a share of its cases
    favourite_leader: dict[int, int]


def load_cast(units: dict[str, Unit]) -> Cast:
    officers: dict[int, list[int]] = {}
    leaders: dict[int, list[int]] = {}
    names: dict[int, str] = {}
    rows = (RoleAssignment.objects.filter(role__in=[Role.OFFICER, Role.LEADER], user__is_active=True)
            .order_by("user__username").values_list("unit_id", "role", "user_id", "user__full_name"))
    for unit_id, role, user_id, full_name in rows:
        (leaders if role == Role.LEADER else officers).setdefault(unit_id, []).append(user_id)
        names[user_id] = full_name
    coordinator = (RoleAssignment.objects.filter(role=Role.COORDINATOR, user__is_active=True)
                   .order_by("user__username").values_list("user_id", flat=True).first())
    logins = dict(User.objects.filter(username__in=["officer", "leader"]).values_list("username", "pk"))
    park = units.get(HIGH_TECH_PARK)
    office = units.get("Văn phòng Cục")
    return Cast(
        coordinator=coordinator, officers=officers, leaders=leaders, names=names,
        office_staff=officers.get(office.pk, []) if office else [],
        favourite_officer={park.pk: logins["officer"]} if park and "officer" in logins else {},
        favourite_leader={park.pk: logins["leader"]} if park and "leader" in logins else {},
    )


# --- one case's journey ------------------------------------------------------------------------

@dataclass(slots=True)
class Event:
    """A CaseEvent row before it is written: the columns, and what state.apply reads."""

    kind: str
    at: datetime
    actor_id: int | None = None
    body: str = ""
    data: dict = field(default_factory=dict)
    public: bool = True
    once_key: str | None = None
    case_id: int | None = None


class _Stop(Exception):
    """The journey reached the present: the case stays as it is now."""


class Journey:
    """One case's timeline, appended to as the services and the tick would append it."""

    def __init__(self, world: "World", case: Case, *, ctx: dict, horizon: datetime | None):
        self.w, self.case, self.ctx, self.horizon = world, case, ctx, horizon
        self.events: list[Event] = []
        self.answers: list[Answer] = []
        self.answer_refs: list[tuple[Event, Answer]] = []
        self.shared: list[int] = []
        self.keys: set[str] = set()
        self.clock = case.received_at

    # --- appending -----------------------------------------------------------------------------
    def add(self, kind, at, *, actor=None, body="", data=None, public=True, once_key=None, answer=None):
        event = Event(kind=kind, at=at, actor_id=actor, body=body, data=data or {}, public=public, once_key=once_key)
        state.apply(self.case, event)
        self.events.append(event)
        if answer is not None:
            self.answer_refs.append((event, answer))
        if once_key:
            self.keys.add(once_key)
        self.clock = at
        return event

    def advance(self, moment: datetime) -> datetime:
        """Let time run to `moment`, the tick doing its work on the way; stop at the horizon."""
        moment = max(moment, self.clock)
        if self.horizon is not None and moment > self.horizon:
            self.run_tick(self.horizon)
            raise _Stop
        self.run_tick(moment)
        return max(moment, self.clock)

    # --- what `ketnoi tick` does (services.cases_tick) -----------------------------------------
    def run_tick(self, until: datetime) -> None:
        while True:
            step = self._next_tick_step()
            if step is None or step[0] > until:
                return
            at, _order, key, action = step
            if not action(at):
                self.keys.add(key)  # nothing to do after all: do not look again

    def _next_tick_step(self):
        c, w = self.case, self.w
        found = []
        watched = c.status in TICKED and c.paused_at is None and c.due_at is not None
        if watched and c.due_at > self.clock:
            key = f"remind:{_key(c.due_at)}"
            if key not in self.keys:
                sla = w.sla(c.topic_id, c.level, c.priority)
                at = _next_tick(max(work_hours_before(c.due_at, sla.reminder_work_hours), self.clock))
                if at < c.due_at:
                    found.append((at, 0, key, lambda at, key=key: self._tick_event(Kind.REMINDED, at, key)))
        if c.status == Status.NEW and c.acknowledged_at is None and c.acknowledge_due_at is not None:
            key = f"breach:ack:{_key(c.acknowledge_due_at)}"
            if key not in self.keys:
                found.append((_next_tick(max(c.acknowledge_due_at, self.clock)), 1, key,
                              lambda at, key=key: self._tick_event(Kind.BREACH, at, key, {"deadline": "acknowledge"})))
        if watched:
            key = f"breach:answer:{_key(c.due_at)}"
            if key not in self.keys:
                found.append((_next_tick(max(c.due_at, self.clock)), 2, key, self._breach))
            elif c.level == Level.UNIT and c.escalation_step < 2:
                step = c.escalation_step + 1
                hours = w.policy.escalate_to_leader_after_hours if step == 1 else w.policy.escalate_to_department_after_hours
                moment = add_work_hours(c.due_at, hours) if hours else c.due_at
                key = f"escalate:{step}:{_key(c.due_at)}"
                if key not in self.keys:
                    found.append((_next_tick(max(moment, self.clock)), 2, key, self._escalate_overdue))
        if c.status == Status.ANSWERED and c.answered_at is not None:
            key = f"auto-accept:{_key(c.answered_at)}"
            if key not in self.keys:
                moment = due(c.answered_at, days=w.policy.auto_resolve_workdays)
                found.append((_next_tick(max(moment, self.clock)), 3, key, self._auto_resolve))
        return min(found, key=lambda step: step[:2]) if found else None

    def _tick_event(self, kind, at, key, data=None) -> bool:
        self.add(kind, at, public=False, data=data or {}, once_key=key)
        return True

    def _breach(self, at) -> bool:
        self._tick_event(Kind.BREACH, at, f"breach:answer:{_key(self.case.due_at)}", {"deadline": "answer"})
        self._escalate_overdue(at)
        return True

    def _escalate_overdue(self, at) -> bool:
        c, policy = self.case, self.w.policy
        overdue = -deadlines.work_hours_left(c.due_at, at)
        step = 2 if overdue >= policy.escalate_to_department_after_hours else (
            1 if overdue >= policy.escalate_to_leader_after_hours else 0)
        done = False
        if step > c.escalation_step and c.level == Level.UNIT:
            due_key = _key(c.due_at)
            for s in range(c.escalation_step + 1, step + 1):
                key = f"escalate:{s}:{due_key}"
                if key not in self.keys:
                    self.add(Kind.ESCALATED, at, public=False, data=self._escalation_data(s, at), once_key=key)
                    done = True
        return done

    def _escalation_data(self, step, at) -> dict:
        c = self.case
        data = {"step": step}
        if step >= 2 and c.level != Level.DEPARTMENT:
            data["level"] = Level.DEPARTMENT
            data["due"] = _iso(due(max(at, c.due_at or at), days=self.w.department_days(c)))
        return data

    def _auto_resolve(self, at) -> bool:
        key = f"auto-accept:{_key(self.case.answered_at)}"
        self.add(Kind.ACCEPTED, at, data={"automatic": True}, once_key=key)
        self.add(Kind.RESOLVED, at, data={"automatic": True})
        return True

    # --- what people do (the services) ---------------------------------------------------------
    def file(self, *, by, channel, unit, named_unit, priority) -> None:
        c, w = self.case, self.w
        sla = w.sla(c.topic_id, Level.UNIT, priority)
        at = c.received_at
        self.add(Kind.FILED, at, actor=by, data={
            "channel": channel, "priority": priority,
            "acknowledge_due": _iso(due(at, days=sla.acknowledge_workdays)),
            "due": _iso(due(at, days=sla.answer_workdays, hours=sla.answer_work_hours)),
        })
        self.add(Kind.ROUTED, at, public=False, data={"unit": unit, "named_unit": named_unit})

    def reassign(self, at, by, unit: Unit, reason) -> None:
        self.add(Kind.REASSIGNED, at, actor=by, public=False, body=reason,
                 data={"unit": unit.pk, "from": self.case.unit_id})

    def assign(self, at, by, assignee) -> None:
        if self.case.assignee_id != assignee:
            self.add(Kind.ASSIGNED, at, actor=by, public=False, data={"assignee": assignee},
                     body=self.w.cast.names.get(assignee, ""))

    def message(self, at, by, body) -> None:
        self.add(Kind.MESSAGE, at, actor=by, body=body)

    def note(self, at, by, body) -> None:
        self.add(Kind.NOTE, at, actor=by, body=body, public=False)

    def share(self, at, by, unit: Unit) -> None:
        if unit.pk != self.case.unit_id and unit.pk not in self.shared:
            self.shared.append(unit.pk)
            self.add(Kind.SHARED, at, actor=by, public=False, data={"unit": unit.pk}, body=unit.name_vi)

    def request_info(self, at, by, body) -> None:
        self.add(Kind.INFO_REQUESTED, at, actor=by, body=body)

    def business_reply(self, at, by, body) -> None:
        c = self.case
        data = {}
        if c.status == Status.WAITING and c.paused_at:
            data["due"] = _iso(deadlines.extend_for_pause(c.due_at, c.paused_at, at))
        self.add(Kind.BUSINESS_REPLIED, at, actor=by, body=body, data=data)
        if c.status == Status.ANSWERED:
            self.reopen(at, by, reason="", review=False)

    def reopen(self, at, by, *, reason, review) -> None:
        c = self.case
        new_due = None
        if c.due_at and c.due_at < at:
            sla = self.w.sla(c.topic_id, c.level, c.priority)
            new_due = due(at, days=sla.answer_workdays, hours=sla.answer_work_hours)
        self.add(Kind.REOPENED, at, actor=by, body=reason, data={"review": review, "due": _iso(new_due)})

    def draft(self, at, by, body) -> Answer:
        answer = Answer(body=body, author_id=by, state=Answer.State.DRAFT, created_at=at, updated_at=at)
        self.answers.append(answer)
        self.add(Kind.ANSWER_DRAFTED, at, actor=by, public=False)
        return answer

    def _resume(self, at) -> dict:
        """Answering a case that waits for the business ends the wait (services.case_answer)."""
        c = self.case
        if c.status == Status.WAITING and c.paused_at and c.due_at:
            return {"due": _iso(deadlines.extend_for_pause(c.due_at, c.paused_at, at))}
        return {}

    def submit(self, at, by, body, answer: Answer | None = None) -> Answer:
        if answer is None:
            answer = Answer(author_id=by, created_at=at)
            self.answers.append(answer)
        answer.body, answer.state, answer.updated_at = body, Answer.State.SUBMITTED, at
        self.add(Kind.ANSWER_SUBMITTED, at, actor=by, public=False, data={"answer": None, **self._resume(at)},
                 answer=answer)
        return answer

    def decide(self, at, by, answer: Answer, *, approve: bool, reason: str = "") -> None:
        answer.decided_by_id, answer.updated_at = by, at
        if approve:
            answer.state = Answer.State.SENT
            self.add(Kind.ANSWERED, at, actor=by, body=answer.body, data={"answer": None}, answer=answer)
        else:
            answer.state = Answer.State.REJECTED
            self.add(Kind.ANSWER_REJECTED, at, actor=by, public=False, body=reason, data={"answer": None},
                     answer=answer)

    def answer(self, at, by, body) -> Answer:
        answer = Answer(body=body, author_id=by, state=Answer.State.SENT, decided_by_id=by, created_at=at, updated_at=at)
        self.answers.append(answer)
        self.add(Kind.ANSWERED, at, actor=by, body=body, data={"answer": None, **self._resume(at)}, answer=answer)
        return answer

    def accept(self, at, by) -> None:
        self.add(Kind.ACCEPTED, at, actor=by)
        self.add(Kind.RESOLVED, at, actor=by, data={"automatic": False})

    def rate(self, at, by, score, comment, *, via_link) -> None:
        self.add(Kind.RATED, at, actor=by, body=comment, data={"score": score, "via_link": via_link})
        if score <= 2:
            self.reopen(at, by, reason=comment, review=True)

    def escalate(self, at, by, reason, step) -> None:
        self.add(Kind.ESCALATED, at, actor=by, body=reason, public=False, data=self._escalation_data(step, at))

    def forward(self, at, by, to, reason) -> None:
        limit = due(self.case.received_at, days=self.w.policy.forward_workdays)
        self.add(Kind.FORWARDED, at, actor=by, body=reason,
                 data={"to": to, "forward_due": _iso(limit), "on_time": at <= limit})


# --- the world the journeys play in ------------------------------------------------------------

@dataclass
class Plan:
    received: datetime
    enterprise: Enterprise
    topic: Topic
    channel: str
    named_unit: Unit | None


class World:
    """What every journey reads: topics, policies, units, people, and the dice."""

    def __init__(self, *, seed: int, now: datetime | None = None):
        self.rng = random.Random(f"ketnoi-demo-cases-{seed}")
        self.now = now or timezone.now()
        self.policy = case_policy()
        self.topics = {t.pk: t for t in Topic.objects.filter(active=True)}
        self.topics_by_code = {t.code: t for t in self.topics.values()}
        self.units = {u.code: u for u in Unit.objects.exclude(code="")}
        self.units.update({u.name_vi: u for u in Unit.objects.filter(code="", kind=Unit.Kind.DIVISION)})
        self.units_by_pk = {u.pk: u for u in Unit.objects.all()}
        self.cast = load_cast(self.units)
        self.filers: dict[int, int] = {}
        self._route = {}

    # policies and routing, looked up once each
    @functools.cache
    def sla(self, topic_id, level, priority):
        return services.policy_for(topic=self.topics[topic_id], level=level, priority=priority)

    def department_days(self, case: Case) -> int:
        try:
            return self.sla(case.topic_id, Level.DEPARTMENT, case.priority).answer_workdays or \
                self.policy.department_answer_workdays
        except ValidationError:
            return self.policy.department_answer_workdays

    def route(self, topic: Topic, named_unit: Unit | None, enterprise: Enterprise) -> int | None:
        # The enterprise matters only through its usual unit, and only when it named none.
        key = (topic.pk, named_unit.pk if named_unit else None, None if named_unit else enterprise.home_unit_id)
        if key not in self._route:
            unit = services.route(topic=topic, named_unit=named_unit.current() if named_unit else None,
                                  enterprise=enterprise)
            self._route[key] = unit.pk if unit else None
        return self._route[key]

    # people
    def officer(self, unit_id) -> int:
        favourite = self.cast.favourite_officer.get(unit_id)
        if favourite and self.rng.random() < 0.25:
            return favourite
        pool = self.cast.officers.get(unit_id) or self.cast.leaders.get(unit_id)
        return self.rng.choice(pool) if pool else self.cast.coordinator

    def leader(self, unit_id, level=Level.UNIT) -> int:
        if level != Level.UNIT:
            return self.cast.coordinator
        favourite = self.cast.favourite_leader.get(unit_id)
        if favourite and self.rng.random() < 0.4:
            return favourite
        pool = self.cast.leaders.get(unit_id)
        return self.rng.choice(pool) if pool else self.cast.coordinator

    def leads(self, user_id, case: Case) -> bool:
        """cases.access.may_lead: coordinators, and the unit's leaders while the case is at unit level."""
        return user_id == self.cast.coordinator or (
            case.level == Level.UNIT and user_id in self.cast.leaders.get(case.unit_id, []))

    # moments
    def office_after(self, moment: datetime, hours: float) -> datetime:
        """A moment `hours` office hours after `moment` (officers work in office hours)."""
        return add_work_hours(moment, max(hours, 1 / 60))

    def business_after(self, moment: datetime, hours: float) -> datetime:
        at = add_work_hours(moment, max(hours, 1 / 60))
        if self.rng.random() < 0.15:  # some answer in the evening
            evening = at.replace(hour=self.rng.randint(19, 22), minute=self.rng.randint(0, 59))
            at = evening if evening > at else at
        return at

    # text
    def context(self, plan: Plan, *, unit_name: str) -> dict:
        rng, received = self.rng, plan.received.astimezone(TIMEZONE)
        kinds = GOODS_KINDS.get(plan.topic.code)
        goods_pool = [g for g in text.GOODS if g[2] in kinds] if kinds and rng.random() < 0.8 else text.GOODS
        goods, hs, _kind = rng.choice(goods_pool)
        form, fta, agreement, countries = rng.choice(text.ORIGIN_FORMS)
        ent = plan.enterprise
        prefix = "10" if rng.random() < 0.7 else "30"  # import / export declarations
        year_digit = str(received.year % 10)
        return {
            "company": ent.name, "tax_code": ent.tax_code, "address": ent.address or "TP. Hồ Chí Minh",
            "unit": unit_name, "goods": goods, "hs": hs,
            "decl": f"{prefix}{year_digit}{rng.randrange(10**9):09d}",
            "decl2": f"{'30' if prefix == '10' else '10'}{year_digit}{rng.randrange(10**9):09d}",
            "date": f"{received - timedelta(days=rng.randint(2, 25)):%d/%m/%Y}",
            "date2": f"{received - timedelta(days=rng.randint(0, 3)):%d/%m/%Y}",
            "received": f"{received:%d/%m/%Y}", "month": f"{received.month:02d}", "year": str(received.year),
            "country": rng.choice(countries), "form": form, "fta": fta, "agreement": agreement,
            "co_no": f"{rng.choice(['E', 'VN', 'KR', 'TH'])}{received.year % 100}{rng.randrange(10**7):07d}",
            "port": rng.choice(text.PORTS), "warehouse": rng.choice(text.WAREHOUSES), "agency": rng.choice(text.AGENCIES),
            "invoice": f"{rng.choice(['INV', 'CI', 'HD'])}-{rng.randrange(10**5):05d}",
            "bill": f"{rng.choice(['HCM', 'SGN', 'OOLU', 'MAEU'])}{rng.randrange(10**8):08d}",
            "container": f"{rng.choice(['TCNU', 'MSKU', 'OOLU', 'TGHU', 'CMAU'])}{rng.randrange(10**7):07d}",
            "contract": f"{rng.randint(1, 99):02d}/{received.year}/HĐGC",
            "machine": rng.choice(text.MACHINES), "machine_year": str(rng.randint(received.year - 12, received.year - 2)),
            "material": rng.choice(text.MATERIALS), "product": rng.choice(text.PRODUCTS),
            "amount": f"{rng.randint(12, 4800) * 1_000_000:,}".replace(",", ".") + " đồng",
            "qty": rng.choice(["500 kg", "1.200 sản phẩm", "20 thùng", "3 tấn", "150 bộ"]),
            "error": rng.choice(text.VNACCS_ERRORS),
            "contact": person_name(rng)[0], "letter_no": str(rng.randint(12, 480)),
        }

    def describe(self, plan: Plan, ctx: dict) -> tuple[str, str, list[str], list[str]]:
        rng = self.rng
        subject, situation, answer = rng.choice(text.CASES[plan.topic.code])
        ctx["answer"] = answer
        parts = []
        if plan.channel in STAFF_CHANNELS:
            parts.append(text.CHANNEL_PREFIX[plan.channel])
        else:
            parts.append(rng.choice(text.OPENINGS))
        parts += [situation, rng.choice(text.CLOSINGS)]
        template = subject + situation
        declarations = [ctx["decl"]] if "{decl}" in template else []
        if "{decl2}" in template:
            declarations.append(ctx["decl2"])
        hs_codes = [ctx["hs"]] if "{hs}" in template else []
        return (subject.format_map(ctx)[:200], "\n\n".join(parts).format_map(ctx), declarations, hs_codes)

    def answer_text(self, journey: Journey) -> str:
        case, rng = journey.case, self.rng
        unit = self.units_by_pk.get(case.unit_id)
        ctx = {**journey.ctx, "subject": case.subject,
               "unit": DEPARTMENT_NAME if case.level == Level.DEPARTMENT or unit is None else unit.name_vi}
        code = self.topics[case.topic_id].code
        parts = [rng.choice(text.ANSWER_OPENINGS), text.ANSWERS[code][journey.ctx["answer"]], rng.choice(text.ANSWER_CLOSINGS)]
        return "\n\n".join(parts).format_map(ctx)


# --- the builder -------------------------------------------------------------------------------

class CaseBuilder:
    """Plans, plays and writes the demo's cases."""

    def __init__(self, *, count: int = 20000, seed: int = 2020, now: datetime | None = None, progress=None,
                 recent: int | None = None):
        self.count = count
        self.seed = seed
        self.now = now
        self.recent = recent if recent is not None else min(150, max(12, count // 150))
        self.progress = progress or (lambda iterable, **kw: iterable)
        self.written = 0
        self._locked = False

    def build(self) -> int:
        """Write the demo's cases; return how many (0 when they are already there)."""
        if self.count <= 0 or demo_cases_exist():
            return 0
        w = self.w = World(seed=self.seed, now=self.now)
        if not w.topics or w.cast.coordinator is None:
            return 0
        plans = self.plan_year()
        recent = self.plan_recent()
        with transaction.atomic():
            self.ensure_filers([p.enterprise for p in plans + recent])
            self.write(self.progress(plans, desc="Vướng mắc / cases", unit=""), horizon=None)
            self.write(recent + self.scripted(), horizon=w.now)
            self.reset_sequences()
        return self.written

    # --- plans ---------------------------------------------------------------------------------
    @functools.cached_property
    def _enterprises(self) -> list[Enterprise]:
        return list(Enterprise.objects.select_related("home_unit").filter(home_unit__isnull=False).order_by("tax_code"))

    def enterprises(self) -> list[Enterprise]:
        return self._enterprises

    def plan_year(self) -> list[Plan]:
        w, rng = self.w, self.w.rng
        enterprises = self.enterprises()
        weights = [min(rng.paretovariate(1.2), 40.0) for _ in enterprises]
        named = {e.pk for e in enterprises if e.tax_code in self._login_tax_codes()}
        total = sum(weights)
        # The demo logins' enterprises file a good share, so their pages have a history.
        weights = [total * 25 / max(self.count, 1) if e.pk in named else weight for e, weight in zip(enterprises, weights)]
        topics = [w.topics_by_code[code] for code in text.TOPIC_WEIGHTS if code in w.topics_by_code]
        topic_weights = [text.TOPIC_WEIGHTS[t.code] for t in topics]
        days, day_weights = self._year_days()
        sessions = self._dialogue_sessions()
        channels, channel_weights = zip(*CHANNEL_WEIGHTS)
        cumulative = [list(itertools.accumulate(weights)) for weights in (weights, topic_weights, channel_weights, day_weights)]
        plans = []
        for _ in range(self.count):
            enterprise = rng.choices(enterprises, cum_weights=cumulative[0])[0]
            topic = rng.choices(topics, cum_weights=cumulative[1])[0]
            channel = rng.choices(channels, cum_weights=cumulative[2])[0]
            day = rng.choices(days, cum_weights=cumulative[3])[0]
            received = self._received(day, channel, sessions)
            plans.append(Plan(received, enterprise, topic, channel, self._named_unit(enterprise, topic)))
        plans.sort(key=lambda p: p.received)
        return plans

    def _login_tax_codes(self) -> set[str]:
        return {taxcode.make(spec["first9"]) for spec in NAMED_ENTERPRISES.values()}

    def _year_days(self):
        # Fewer cases around Tết (23-29/01/2020) and in the April 2020 distancing; more at the
        # year-end (settlement reports, refunds).
        month_factor = [0.8, 0.9, 1.05, 0.8, 1.0, 1.05, 1.0, 1.0, 1.05, 1.1, 1.1, 1.2]
        days, weights = [], []
        day = date(YEAR, 1, 1)
        while day.year == YEAR:
            base = 1.0 if is_workday(day) else (0.08 if day.weekday() == 5 else 0.03)
            if date(YEAR, 1, 20) <= day <= date(YEAR, 2, 2):
                base *= 0.35
            days.append(day)
            weights.append(base * month_factor[day.month - 1])
            day += timedelta(days=1)
        return days, weights

    def _dialogue_sessions(self) -> list[date]:
        """“Cà phê sáng cùng doanh nghiệp”: the third Thursday of each month (or the next working day)."""
        sessions = []
        for month in range(1, 13):
            day = date(YEAR, month, 1)
            day += timedelta(days=(3 - day.weekday()) % 7 + 14)
            while not is_workday(day):
                day += timedelta(days=1)
            sessions.append(day)
        return sessions

    def _received(self, day: date, channel: str, sessions: list[date]) -> datetime:
        rng = self.w.rng
        if channel == Channel.DIALOGUE:
            session = min((s for s in sessions if s >= day), default=sessions[-1])
            return _local(session, time(8, 30)) + timedelta(minutes=rng.randint(0, 150))
        office = channel in STAFF_CHANNELS or rng.random() < 0.82
        if office:
            while not is_workday(day):
                day += timedelta(days=1)
            return add_work_hours(_local(day, time(7, 30)), rng.uniform(0.05, 7.9))
        if is_workday(day):  # an evening
            return _local(day, time(17, 30)) + timedelta(minutes=rng.randint(0, 330))
        return _local(day, time(8)) + timedelta(minutes=rng.randint(0, 840))

    def _named_unit(self, enterprise: Enterprise, topic: Topic) -> Unit | None:
        rng, units = self.w.rng, self.w.units
        draw = rng.random()
        if draw < 0.05:
            return None  # "not sure"
        if draw < 0.17:
            code = rng.choice(OTHER_UNITS.get(topic.code, ["02CX"]))
            if code in units:
                return units[code]
        return enterprise.home_unit

    def plan_recent(self) -> list[Plan]:
        """Cases filed in the last three weeks: some still open today."""
        w, rng = self.w, self.w.rng
        enterprises = self.enterprises()
        if not enterprises:
            return []
        topics = [w.topics_by_code[code] for code in text.TOPIC_WEIGHTS if code in w.topics_by_code]
        channels, channel_weights = zip(*CHANNEL_WEIGHTS)
        now = w.now.astimezone(TIMEZONE)
        plans = []
        for _ in range(self.recent):
            start = work_hours_before(now.replace(second=0, microsecond=0), rng.uniform(0.5, 15 * 8))
            received = add_work_hours(start, rng.uniform(0, 0.5))
            if received >= now:
                received = now - timedelta(minutes=5)
            topic = rng.choices(topics, [text.TOPIC_WEIGHTS[t.code] for t in topics])[0]
            channel = rng.choices(channels, channel_weights)[0]
            if channel == Channel.DIALOGUE:
                channel = Channel.WEB
            enterprise = rng.choice(enterprises)
            plans.append(Plan(received, enterprise, topic, channel, self._named_unit(enterprise, topic)))
        plans.sort(key=lambda p: p.received)
        return plans

    # --- the business users who file --------------------------------------------------------------
    def ensure_filers(self, enterprises: list[Enterprise]) -> None:
        """One business user per enterprise that files: its existing one, or `dn<tax code>`
        with an unusable password (they would set one through the password-reset e-mail)."""
        w = self.w
        wanted = {e.pk: e for e in enterprises}
        for enterprise_id, user_id in (RoleAssignment.objects.filter(role=Role.BUSINESS, enterprise_id__in=list(wanted))
                                       .order_by("user_id").values_list("enterprise_id", "user_id")):
            w.filers.setdefault(enterprise_id, user_id)
        missing = [wanted[pk] for pk in sorted(wanted) if pk not in w.filers]
        rng = random.Random(f"ketnoi-demo-filers-{self.seed}")
        usernames = {f"dn{e.tax_code.replace('-', '')}": e for e in missing}
        existing = dict(User.objects.filter(username__in=list(usernames)).values_list("username", "pk"))
        new_users = []
        for username, enterprise in usernames.items():
            if username in existing:
                continue
            full_name, _gender = person_name(rng)
            domain = (enterprise.email.split("@", 1)[1] if "@" in enterprise.email else "doanhnghiep.example.vn")
            new_users.append(User(username=username, full_name=full_name, email=f"{username}@{domain}",
                                  position="Nhân viên xuất nhập khẩu", password=make_password(None)))
        User.objects.bulk_create(new_users, batch_size=BATCH)
        ids = dict(User.objects.filter(username__in=list(usernames)).values_list("username", "pk"))
        RoleAssignment.objects.bulk_create(
            [RoleAssignment(user_id=ids[name], role=Role.BUSINESS, enterprise_id=enterprise.pk)
             for name, enterprise in usernames.items() if name not in existing], batch_size=BATCH)
        for name, enterprise in usernames.items():
            w.filers[enterprise.pk] = ids[name]

    # --- playing and writing -------------------------------------------------------------------
    def write(self, plans, *, horizon) -> None:
        batch = []
        for plan in plans:
            journey = plan if isinstance(plan, Journey) else self.play(plan, horizon=horizon)
            batch.append(journey)
            if len(batch) >= BATCH:
                self.flush(batch)
                batch = []
        if batch:
            self.flush(batch)

    def new_journey(self, plan: Plan, *, horizon) -> Journey:
        w = self.w
        unit = w.route(plan.topic, plan.named_unit, plan.enterprise)
        shown = plan.named_unit or w.units_by_pk.get(unit)
        ctx = w.context(plan, unit_name=shown.name_vi if shown else DEPARTMENT_NAME)
        subject, description, declarations, hs_codes = w.describe(plan, ctx)
        case = Case(enterprise_id=plan.enterprise.pk, filed_by_id=self._filer(plan, unit), channel=plan.channel,
                    topic_id=plan.topic.pk, subject=subject, description=description,
                    declaration_numbers=declarations, hs_codes=hs_codes,
                    named_unit_id=plan.named_unit.pk if plan.named_unit else None, received_at=plan.received)
        journey = Journey(w, case, ctx=ctx, horizon=horizon)
        journey.file(by=case.filed_by_id, channel=plan.channel, unit=unit,
                     named_unit=plan.named_unit.pk if plan.named_unit else None, priority=plan.enterprise.is_priority)
        return journey

    def _filer(self, plan: Plan, unit_id) -> int:
        w = self.w
        if plan.channel in (Channel.WEB, Channel.API):
            return w.filers[plan.enterprise.pk]
        if plan.channel == Channel.DIALOGUE:
            return w.cast.coordinator
        if plan.channel == Channel.LETTER and w.cast.office_staff:
            return w.rng.choice(w.cast.office_staff)
        receiving = plan.named_unit.pk if plan.named_unit else unit_id
        pool = w.cast.officers.get(receiving)
        return w.rng.choice(pool) if pool else w.cast.coordinator

    def play(self, plan: Plan, *, horizon) -> Journey:
        journey = self.new_journey(plan, horizon=horizon)
        try:
            self.handle(journey, plan)
            if horizon is not None:
                journey.run_tick(horizon)
        except _Stop:
            pass
        return journey

    def handle(self, j: Journey, plan: Plan) -> None:
        """A case's life: mostly acknowledged within the day and answered on time; some late,
        escalated, waiting for information, reopened, forwarded; most resolved, many rated."""
        w, rng, c = self.w, self.w.rng, j.case
        topic = plan.topic
        if c.unit_id is None:  # the coordinators' queue
            at = j.advance(w.office_after(j.clock, rng.uniform(0.3, 6)))
            target = plan.enterprise.home_unit.current()
            j.reassign(at, w.cast.coordinator, target,
                       rng.choice(text.REASSIGN_REASONS).format(unit=target.name_vi))
        unit = c.unit_id
        officer = w.officer(unit)
        draw = rng.random()
        if draw < 0.03:  # acknowledged late: the tick records the breach
            moment = add_work_hours(c.acknowledge_due_at, rng.uniform(0.5, 6))
        else:
            hours = rng.uniform(0.1, 2) if draw < 0.6 else rng.uniform(2, 6) if draw < 0.9 else rng.uniform(6, 8)
            moment = w.office_after(j.clock, hours)
        if rng.random() < (0.12 if topic.code == "khac" else 0.012):
            at = j.advance(w.office_after(moment, rng.uniform(1, 30)))
            to, reason = rng.choice(text.FORWARD_BODIES)
            j.forward(at, w.leader(unit), to, f"Nội dung là {reason}. Chuyển {to} giải quyết theo thẩm quyền.")
            return
        at = j.advance(moment)
        if rng.random() < 0.6:
            j.assign(at, w.leader(unit), officer)
        else:
            j.assign(at, officer, officer)
        if rng.random() < 0.2:
            at = j.advance(at + timedelta(minutes=rng.randint(1, 40)))
            due_text = f"{c.due_at.astimezone(TIMEZONE):%d/%m/%Y}" if c.due_at else ""
            j.message(at, officer, rng.choice(text.ACK_MESSAGES).format_map({**j.ctx, "due": due_text}))
        if rng.random() < 0.25:
            at = j.advance(w.office_after(j.clock, rng.uniform(0.2, 10)))
            j.note(at, officer, rng.choice(text.NOTES))
        if rng.random() < 0.03 and topic.code in SHARE_DIVISIONS and SHARE_DIVISIONS[topic.code] in w.units:
            at = j.advance(w.office_after(j.clock, rng.uniform(0.2, 6)))
            j.share(at, officer, w.units[SHARE_DIVISIONS[topic.code]])
        if rng.random() < 0.015 and c.level == Level.UNIT:  # the leader sends it up by hand
            at = j.advance(w.office_after(j.clock, rng.uniform(2, 24)))
            j.escalate(at, w.leader(unit), rng.choice(text.ESCALATE_REASONS), step=2)
        if rng.random() < 0.12:
            at = j.advance(w.office_after(j.clock, rng.uniform(0.5, 16)))
            j.request_info(at, officer, text.INFO_REQUESTS.get(topic.code, text.INFO_REQUEST_DEFAULT).format_map(j.ctx))
            if rng.random() < 0.9:
                at = j.advance(w.business_after(j.clock, rng.uniform(2, 40)))
                j.business_reply(at, w.filers[plan.enterprise.pk], rng.choice(text.BUSINESS_REPLIES))
            else:  # no reply: after two weeks customs answers with what it has
                j.advance(w.office_after(j.clock, 80))
        late = rng.random() < (0.15 if c.priority else 0.09)
        if late:
            start = max(c.due_at, j.clock)
            hours = rng.uniform(0.5, 12) if rng.random() < 0.55 else rng.uniform(17, 50)
            target = add_work_hours(start, hours)
        else:
            left = max(work_hours_between(j.clock, c.due_at), 0.5)
            target = w.office_after(j.clock, left * rng.uniform(0.1, 0.85))
        self.answer_cycle(j, target, officer)
        self.after_answer(j, plan, officer)

    def answer_cycle(self, j: Journey, target: datetime, officer: int) -> None:
        """The answer: straight from a leader or coordinator, or an officer's answer approved
        (sometimes sent back once) when the topic requires it."""
        w, rng, c = self.w, self.w.rng, j.case
        at = j.advance(target)
        if c.level == Level.DEPARTMENT:
            author = w.cast.coordinator if rng.random() < 0.6 else officer
        else:
            author = w.leader(c.unit_id) if rng.random() < 0.12 else officer
        if not w.topics[c.topic_id].requires_approval or w.leads(author, c):
            j.answer(at, author, w.answer_text(j))
            return
        answer = j.submit(at, author, w.answer_text(j))
        if rng.random() < 0.1:
            at = j.advance(w.office_after(j.clock, rng.uniform(0.3, 6)))
            j.decide(at, w.leader(c.unit_id, c.level), answer, approve=False, reason=rng.choice(text.REJECT_REASONS))
            at = j.advance(w.office_after(j.clock, rng.uniform(1, 8)))
            j.submit(at, author, w.answer_text(j), answer)
        at = j.advance(w.office_after(j.clock, rng.uniform(0.3, 6)))
        j.decide(at, w.leader(c.unit_id, c.level), answer, approve=True)

    def after_answer(self, j: Journey, plan: Plan, officer: int, *, depth: int = 0) -> None:
        w, rng, c = self.w, self.w.rng, j.case
        business = w.filers[plan.enterprise.pk]
        draw = rng.random()
        if draw < 0.025 and depth == 0:  # the business replies: reopened, answered again
            at = j.advance(w.business_after(j.clock, rng.uniform(1, 30)))
            if c.status != Status.ANSWERED:
                return
            j.business_reply(at, business, rng.choice(text.FOLLOW_UPS))
            at = j.advance(w.office_after(j.clock, rng.uniform(3, 30)))
            j.answer(at, w.leader(c.unit_id, c.level), rng.choice(text.FOLLOW_UP_ANSWERS))
            self.after_answer(j, plan, officer, depth=depth + 1)
            return
        if draw < 0.58:
            at = j.advance(w.business_after(j.clock, rng.uniform(0.2, 30)))
            if c.status == Status.ANSWERED:
                j.accept(at, business)
        else:  # nobody replies: the tick resolves it
            j.advance(due(c.answered_at, days=w.policy.auto_resolve_workdays) + timedelta(minutes=2))
        if c.status != Status.RESOLVED or c.rated_at is not None or rng.random() >= 0.6:
            return
        at = j.advance(j.clock + timedelta(minutes=rng.randint(5, 60 * 24 * 3)))
        score = rng.choices([5, 4, 3, 2, 1], [55, 30, 10, 3.5, 1.5])[0]
        j.rate(at, business, score, rng.choice(text.RATING_COMMENTS[score]), via_link=rng.random() < 0.8)
        if score <= 2:  # the leader reviews and answers again
            lead = w.leader(c.unit_id, c.level)
            at = j.advance(w.office_after(j.clock, rng.uniform(1, 8)))
            j.note(at, lead, rng.choice(text.REVIEW_NOTES))
            at = j.advance(w.office_after(j.clock, rng.uniform(2, 24)))
            j.answer(at, lead, rng.choice(text.REVIEW_ANSWERS))
            if rng.random() < 0.4:
                at = j.advance(w.business_after(j.clock, rng.uniform(0.5, 20)))
                if c.status == Status.ANSWERED:
                    j.accept(at, business)
            else:
                j.advance(due(c.answered_at, days=w.policy.auto_resolve_workdays) + timedelta(minutes=2))

    # --- a few cases in known states for the demo logins --------------------------------------
    def scripted(self) -> list[Journey]:
        """For `officer` and `leader` (unit 02F3) and `business` (its enterprise): cases in each
        state, one overdue and one waiting, so each login has something to do."""
        w = self.w
        users = dict(User.objects.filter(username__in=["officer", "leader", "business", "business2"])
                     .values_list("username", "pk"))
        park = w.units.get(HIGH_TECH_PARK)
        if park is None or not {"officer", "leader", "business"} <= set(users):
            return []
        own = Enterprise.objects.select_related("home_unit").filter(
            role_assignments__user_id=users["business"], role_assignments__role=Role.BUSINESS).first()
        # Enterprises of the High-Tech Park first; in a small demo, others that name the park.
        candidates = [e for e in self.enterprises() if e.pk != getattr(own, "pk", None) and not e.is_priority]
        others = sorted(candidates, key=lambda e: e.home_unit_id != park.pk)[:5]
        if own is None or len(others) < 5:
            return []
        self.ensure_filers(others)
        officer, leader, business = users["officer"], users["leader"], users["business"]
        now = w.now.astimezone(TIMEZONE).replace(second=0, microsecond=0)
        topic = w.topics_by_code
        made = []

        def ago(hours):
            return work_hours_before(now, hours)

        def when(j, hours_after):
            return j.advance(w.office_after(j.clock, hours_after))

        def run(enterprise, code, received, script=None, named=park):
            plan = Plan(received, enterprise, topic[code], Channel.WEB, named)
            j = self.new_journey(plan, horizon=w.now)
            try:
                if script:
                    script(j, plan)
                j.run_tick(w.now)
            except _Stop:
                pass
            made.append(j)

        # The business's own enterprise, a priority (AEO) one: 8 working hours to answer.
        run(own, "phan-loai-hs", ago(1.5))                                          # new, due soon
        run(own, "xuat-xu", ago(30), lambda j, p: (                                 # waiting for the business
            j.assign(when(j, 0.5), leader, officer),
            j.request_info(when(j, 2), officer, text.INFO_REQUESTS["xuat-xu"].format_map(j.ctx))))
        run(own, "thu-tuc", ago(11), lambda j, p: (                                 # overdue
            j.assign(when(j, 0.3), officer, officer),
            j.note(when(j, 1), officer, text.NOTES[0])))
        run(own, "kho-bai-cang", ago(14), lambda j, p: (                            # answered
            j.assign(when(j, 0.5), officer, officer),
            j.answer(when(j, 3), leader, w.answer_text(j))))
        run(own, "khac", ago(40), lambda j, p: (                                    # forwarded to another body
            j.forward(when(j, 2), leader, *text.FORWARDED_EXAMPLE)))
        run(own, "cntt-vnaccs", ago(24), lambda j, p: (                             # resolved, to be rated
            j.assign(when(j, 0.5), officer, officer),
            j.answer(when(j, 4), leader, w.answer_text(j)),
            j.accept(when(j, 6), business)))
        # Other enterprises of the High-Tech Park: the officer's and the leader's queues.
        run(others[0], "thue", ago(1))                                               # new, unassigned
        run(others[1], "gia-cong-sxxk-chexuat", ago(24), lambda j, p: (            # in progress, a draft
            j.assign(when(j, 2), leader, officer),
            j.note(when(j, 4), officer, text.NOTES[1]),
            j.draft(when(j, 10), officer, w.answer_text(j))))
        run(others[2], "phan-loai-hs", ago(28), lambda j, p: (                      # awaiting the leader's approval
            j.assign(when(j, 1), officer, officer),
            j.submit(when(j, 20), officer, w.answer_text(j))))
        # Due at the end of the last working day: overdue today, escalated to the unit leader.
        last_workday = workdays_before(now.date(), 1)
        run(others[-1], "tri-gia", _local(workdays_before(last_workday, 10), time(9, 15)), lambda j, p: (
            j.assign(when(j, 3), leader, officer),
            j.message(when(j, 4), officer, text.ACK_MESSAGES[1])))

        def low_rating(j, p):                                                        # reopened for review
            filer = w.filers[p.enterprise.pk]
            j.assign(when(j, 1), officer, officer)
            j.answer(when(j, 30), leader, w.answer_text(j))
            j.accept(when(j, 4), filer)
            j.rate(when(j, 1), filer, 2, text.RATING_COMMENTS[2][0], via_link=True)
        run(others[-2], "thue", ago(60), low_rating)
        run(others[0], "khac", ago(2), named=None)                                   # the coordinators' queue
        return made

    def flush(self, journeys: list[Journey]) -> None:
        """Number, then write a batch: cases, their answers, their events, their shares."""
        by_year: dict[int, list[Case]] = {}
        for j in journeys:
            by_year.setdefault(j.case.received_at.astimezone(TIMEZONE).year, []).append(j.case)
        for year, cases in by_year.items():
            sequence, _ = Sequence.objects.get_or_create(year=year)
            cases.sort(key=lambda case: case.received_at)
            for number, case in enumerate(cases, start=sequence.last + 1):
                case.reference = customs.format_reference(year, number)
            Sequence.objects.filter(year=year).update(last=sequence.last + len(cases))
        next_case, next_answer = self._next_ids()
        answers, events = [], []
        for case_id, j in enumerate(journeys, start=next_case):
            j.case.pk, j.case.updated_at = case_id, j.clock
            for answer in j.answers:
                answer.pk, answer.case_id = next_answer, case_id
                next_answer += 1
            answers += j.answers
            for event, answer in j.answer_refs:
                event.data["answer"] = answer.pk
            for event in j.events:
                event.case_id = case_id
            events += j.events
        insert_rows(Case, [j.case for j in journeys], with_pk=True)
        insert_rows(Answer, answers, with_pk=True)
        insert_rows(CaseEvent, events)
        Case.shared_with.through.objects.bulk_create(
            [Case.shared_with.through(case_id=j.case.pk, unit_id=unit) for j in journeys for unit in j.shared])
        self.written += len(journeys)

    def _next_ids(self) -> tuple[int, int]:
        """Ids for the batch's cases and answers (their events refer to them). The transaction
        keeps other writers out: SQLite's write lock, PostgreSQL's table locks."""
        if connection.vendor == "postgresql" and not self._locked:
            with connection.cursor() as cursor:
                for model in (Case, Answer):
                    cursor.execute(f"LOCK TABLE {connection.ops.quote_name(model._meta.db_table)} IN EXCLUSIVE MODE")
            self._locked = True
        return ((Case.objects.aggregate(last=Max("pk"))["last"] or 0) + 1,
                (Answer.objects.aggregate(last=Max("pk"))["last"] or 0) + 1)

    def reset_sequences(self) -> None:
        """Rows written with their ids: move PostgreSQL's id sequences past them."""
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Case, Answer]):
                cursor.execute(sql)


def insert_rows(model, objects, *, with_pk: bool = False) -> None:
    """INSERT `objects` (model instances, or Event records) into `model`'s table with
    executemany. bulk_create prepares every value through its field and sends ~110 rows a
    statement on SQLite: five times slower for the demo's 200,000 rows. The values are the
    ones bulk_create would send: datetimes and JSON adapted by the database backend."""
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    ops = connection.ops
    adapt = []
    for f in fields:
        kind = f.get_internal_type()
        if kind == "DateTimeField":
            adapt.append(ops.adapt_datetimefield_value)
        elif kind == "JSONField":
            adapt.append(functools.partial(ops.adapt_json_value, encoder=f.encoder))
        else:
            adapt.append(None)
    columns = [(f.attname, convert) for f, convert in zip(fields, adapt)]
    rows = [tuple(convert(getattr(obj, name)) if convert else getattr(obj, name) for name, convert in columns)
            for obj in objects]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        ops.quote_name(model._meta.db_table), ", ".join(ops.quote_name(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start:start + BATCH])
