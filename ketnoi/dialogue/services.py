"""Writes of the dialogue programmes (“Cà phê sáng cùng doanh nghiệp”): programmes and the
sessions generated from their rule, registration with a waiting list, check-in, the agenda,
what became of each question on the day, closing, the survey and the minutes.

Every service runs in one transaction, checks access in ``access``, raises ValidationError
({field: message}) or PermissionDenied, and records an audit event. E-mails leave only after
the transaction commits.
"""

from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrulestr
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.accounts.access import principal_for
from ketnoi.audit.services import audit_record, snapshot
from ketnoi.cases.models import Topic
from ketnoi.lib.workdays import TIMEZONE

from . import access
from .models import Programme, Session

GENERATE_AHEAD = relativedelta(months=6)
MAX_CAPACITY = 500  # businesses per session: a hall, not a stadium
MAX_ATTENDEES = 20  # people per business
MAX_CLOSES_HOURS = 24 * 30
# A programme meets at most once a day: a rule that repeats by the hour or minute is a mistake.
ALLOWED_FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")


# --- small helpers -------------------------------------------------------------------------------

def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _text(value, field: str, message: str, max_length: int | None = None, *, one_line: bool = True) -> str:
    value = " ".join(str(value or "").split()) if one_line else str(value or "").strip()
    if not value:
        raise ValidationError({field: message})
    if max_length and len(value) > max_length:
        raise ValidationError({field: _("Write at most %(n)d characters.") % {"n": max_length}})
    return value


class _Errors:
    """Collects the message of every field that is wrong, so the form shows them all at once."""

    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def check(self, field: str, fn):
        try:
            return fn()
        except ValidationError as error:
            for name, messages in (error.message_dict if hasattr(error, "error_dict") else {field: error.messages}).items():
                self.errors.setdefault(name, []).extend(messages)
            return None

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def raise_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment, TIMEZONE)


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=TIMEZONE)


# --- the recurrence (RFC 5545 RRULE) --------------------------------------------------------------

def _rule_error(rule: str) -> str | None:
    """What is wrong with `rule`, in words the leader can act on; None when it is valid."""
    text = (rule or "").strip().upper()
    if text.startswith("RRULE:"):
        text = text[len("RRULE:"):]
    if not text:
        return _("Write how often the programme meets, e.g. FREQ=MONTHLY;BYDAY=1FR (the first Friday of each month).")
    parts = dict(part.partition("=")[::2] for part in text.split(";") if part)
    if parts.get("FREQ") not in ALLOWED_FREQUENCIES:
        return _("The rule must repeat daily, weekly, monthly or yearly (FREQ=DAILY, WEEKLY, MONTHLY or YEARLY).")
    if "DTSTART" in text or "UNTIL" in parts:
        return _("Leave the first and last day out of the rule: write them in their own fields.")
    try:
        rrulestr(text, dtstart=datetime(2020, 1, 1, 7, 30, tzinfo=TIMEZONE))
    except (ValueError, TypeError, KeyError):
        return _("This is not a recurrence rule. Write it like FREQ=MONTHLY;BYDAY=1FR (the first Friday of each month).")
    return None


def _clean_rule(rule: str) -> str:
    error = _rule_error(rule)
    if error:
        raise ValidationError({"rrule": error})
    text = rule.strip().upper()
    return text[len("RRULE:"):] if text.startswith("RRULE:") else text


def _occurrences(programme: Programme, *, after: datetime, until: datetime) -> list[datetime]:
    """The programme's occurrences strictly after `after` and up to `until`, at its start time."""
    dtstart = _at(programme.starts_on, programme.start_time)
    last = until
    if programme.ends_on is not None:
        last = min(last, _at(programme.ends_on, time(23, 59, 59)))
    if last < dtstart:
        return []
    rule = rrulestr(programme.rrule, dtstart=dtstart)
    return [moment for moment in rule.between(max(after, dtstart - timedelta(seconds=1)), last, inc=True)
            if moment > after]


# --- programmes ---------------------------------------------------------------------------------

PROGRAMME_FIELDS = ("name", "rrule", "starts_on", "ends_on", "start_time", "end_time", "venue", "capacity",
                    "description", "max_attendees", "registration_closes_hours", "topics", "hosts", "active")
# A change to one of these moves the sessions that nobody registered for yet.
SCHEDULE_FIELDS = ("rrule", "starts_on", "ends_on", "start_time", "end_time", "venue", "capacity",
                   "registration_closes_hours", "active")


def _whole(value, field: str, message: str, low: int, high: int) -> int:
    if isinstance(value, bool):
        raise ValidationError({field: message})
    try:
        number = int(str(value).strip()) if isinstance(value, str) else value
    except ValueError:
        raise ValidationError({field: message}) from None
    if not isinstance(number, int) or not low <= number <= high:
        raise ValidationError({field: message})
    return number


def _clean_topics(values) -> list[Topic]:
    topics = []
    for value in values or ():
        topic = value if isinstance(value, Topic) else Topic.objects.filter(code=value).first()
        if topic is None or not topic.active:
            raise ValidationError({"topics": _("Choose topics from the list.")})
        topics.append(topic)
    return list(dict.fromkeys(topics))


def _clean_hosts(values) -> list:
    hosts = list(dict.fromkeys(values or ()))
    for user in hosts:
        if not user.is_active or not principal_for(user).is_staff_member:
            raise ValidationError({"hosts": _("%(name)s is not a customs officer: choose the hosts among the staff.")
                                   % {"name": user.get_full_name()}})
    return hosts


def _clean_programme(fields: dict) -> dict:
    """The programme's fields, cleaned; every wrong one named in one ValidationError."""
    e = _Errors()
    out = {}
    if "name" in fields:
        out["name"] = e.check("name", lambda: _text(fields["name"], "name", _(
            "Write the programme's name, e.g. “Cà phê sáng cùng doanh nghiệp”."), 200))
    if "description" in fields:
        out["description"] = str(fields["description"] or "").strip()[:5000]
    if "rrule" in fields:
        out["rrule"] = e.check("rrule", lambda: _clean_rule(fields["rrule"]))
    if "starts_on" in fields:
        if not isinstance(fields["starts_on"], date):
            e.add("starts_on", _("Write the day of the first session, e.g. 05/03/2021."))
        out["starts_on"] = fields["starts_on"]
    if "ends_on" in fields:
        out["ends_on"] = fields["ends_on"] or None
    for name, message in (("start_time", _("Write when the sessions start, e.g. 07:30.")),
                          ("end_time", _("Write when the sessions end, e.g. 09:00."))):
        if name in fields:
            if not isinstance(fields[name], time):
                e.add(name, message)
            out[name] = fields[name]
    if "venue" in fields:
        out["venue"] = e.check("venue", lambda: _text(fields["venue"], "venue", _(
            "Write where the sessions take place: the room and the address."), 300))
    if "capacity" in fields:
        out["capacity"] = e.check("capacity", lambda: _whole(fields["capacity"], "capacity", _(
            "Write how many businesses a session can take: a whole number from 1 to %(n)d.") % {"n": MAX_CAPACITY},
            1, MAX_CAPACITY))
    if "max_attendees" in fields:
        out["max_attendees"] = e.check("max_attendees", lambda: _whole(fields["max_attendees"], "max_attendees", _(
            "Write how many people a business may bring: a whole number from 1 to %(n)d.") % {"n": MAX_ATTENDEES},
            1, MAX_ATTENDEES))
    if "registration_closes_hours" in fields:
        out["registration_closes_hours"] = e.check("registration_closes_hours", lambda: _whole(
            fields["registration_closes_hours"], "registration_closes_hours", _(
                "Write how many hours before a session registration closes: from 0 to %(n)d.") % {"n": MAX_CLOSES_HOURS},
            0, MAX_CLOSES_HOURS))
    if "topics" in fields:
        out["topics"] = e.check("topics", lambda: _clean_topics(fields["topics"]))
    if "hosts" in fields:
        out["hosts"] = e.check("hosts", lambda: _clean_hosts(fields["hosts"]))
    if "active" in fields:
        out["active"] = bool(fields["active"])
    e.raise_any()
    return out


def _check_programme(programme: Programme) -> None:
    """The rules between fields, on the programme as it will be saved."""
    e = _Errors()
    if programme.start_time and programme.end_time and programme.end_time <= programme.start_time:
        e.add("end_time", _("A session must end after it starts."))
    if programme.ends_on is not None and programme.starts_on and programme.ends_on < programme.starts_on:
        e.add("ends_on", _("The last day cannot be before the first day."))
    e.raise_any()
    if programme.ends_on is not None:
        if not _occurrences(programme, after=_at(programme.starts_on, time(0)) - timedelta(seconds=1),
                            until=_at(programme.ends_on, time(23, 59, 59))):
            raise ValidationError({"rrule": _(
                "The rule gives no session between the first and the last day: check the rule or the days.")})


@transaction.atomic
def programme_create(*, by, unit, name, rrule, starts_on, start_time, end_time, venue, capacity,
                     description="", ends_on=None, max_attendees=3, registration_closes_hours=24,
                     topics=(), hosts=(), now: datetime | None = None) -> Programme:
    """A unit's programme, and its sessions for the next six months."""
    _require(unit is not None and access.may_create_programme(principal_for(by), unit))
    if not unit.is_active_on(timezone.localdate()):
        raise ValidationError({"unit": _("This unit no longer exists. Choose the unit that carries its work.")})
    fields = _clean_programme(dict(
        name=name, rrule=rrule, starts_on=starts_on, ends_on=ends_on, start_time=start_time, end_time=end_time,
        venue=venue, capacity=capacity, description=description, max_attendees=max_attendees,
        registration_closes_hours=registration_closes_hours, topics=topics, hosts=hosts))
    topics, hosts = fields.pop("topics"), fields.pop("hosts")
    programme = Programme(unit=unit, created_by=by, **fields)
    _check_programme(programme)
    programme.save()
    programme.topics.set(topics)
    programme.hosts.set(hosts)
    audit_record(actor=by, action="dialogue.programme_created", obj=programme,
                 after={**snapshot(programme), "topics": [t.code for t in topics], "hosts": [u.pk for u in hosts]})
    sessions_generate(programme=programme, now=now)
    return programme


@transaction.atomic
def programme_update(*, programme: Programme, by, now: datetime | None = None, **changes) -> Programme:
    """Change a programme (any of the fields of `programme_create`, and `active`).

    The future sessions nobody has registered for (and that were never moved or cancelled by
    hand) follow a changed rule, time, venue or capacity: kept and changed when the new rule
    still meets on their day, removed otherwise, and the missing ones generated. Sessions with
    registrations, moved or cancelled sessions and past sessions are left as they are: the
    leader moves or cancels them one by one, so that their registrants are told.
    A programme made inactive keeps those sessions too, and generates no more.
    """
    unknown = set(changes) - set(PROGRAMME_FIELDS)
    if unknown:
        raise TypeError(f"programme_update() got unexpected fields: {', '.join(sorted(unknown))}")
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    _require(access.may_manage_programme(principal_for(by), programme))
    now = now or timezone.now()
    fields = _clean_programme(changes)
    topics, hosts = fields.pop("topics", None), fields.pop("hosts", None)
    before = {**snapshot(programme), "topics": sorted(programme.topics.values_list("code", flat=True)),
              "hosts": sorted(programme.hosts.values_list("pk", flat=True))}
    schedule_changed = any(getattr(programme, name) != value for name, value in fields.items() if name in SCHEDULE_FIELDS)
    for name, value in fields.items():
        setattr(programme, name, value)
    _check_programme(programme)
    programme.save()
    if topics is not None:
        programme.topics.set(topics)
    if hosts is not None:
        programme.hosts.set(hosts)
    if schedule_changed:
        _reschedule_followers(programme, now)
    audit_record(actor=by, action="dialogue.programme_updated", obj=programme, before=before,
                 after={**snapshot(programme), "topics": sorted(programme.topics.values_list("code", flat=True)),
                        "hosts": sorted(programme.hosts.values_list("pk", flat=True))})
    if programme.active:
        sessions_generate(programme=programme, now=now)
    return programme


def _reschedule_followers(programme: Programme, now: datetime) -> None:
    followers = list(programme.sessions.filter(status=Session.Status.SCHEDULED, starts_at__gt=now, sequence=0,
                                               registrations__isnull=True, questions__isnull=True).distinct())
    if not followers:
        return
    wanted = {}
    if programme.active:
        horizon = max(now + GENERATE_AHEAD, max(s.starts_at for s in followers))
        wanted = {_local(moment).date(): moment for moment in _occurrences(programme, after=now, until=horizon)}
    for session in followers:
        moment = wanted.get(_local(session.occurrence).date())
        if moment is None:
            session.delete()
            continue
        session.occurrence = moment
        _schedule(session, programme, moment)
        session.save()


def _schedule(session: Session, programme: Programme, moment: datetime) -> None:
    session.starts_at = moment
    session.ends_at = _at(_local(moment).date(), programme.end_time)
    session.venue = programme.venue
    session.capacity = programme.capacity
    session.registration_closes_at = moment - timedelta(hours=programme.registration_closes_hours)


@transaction.atomic
def sessions_generate(*, programme: Programme, until: datetime | None = None, now: datetime | None = None) -> int:
    """Generate the programme's sessions from now to `until` (six months ahead by default):
    one per occurrence of the rule, numbered after the last one. Idempotent: an occurrence
    that already has its session (moved or cancelled since, too) gets no second one.
    Returns how many sessions were made."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)  # one numbering at a time
    if not programme.active:
        return 0
    now = now or timezone.now()
    until = until or now + GENERATE_AHEAD
    existing = set(programme.sessions.values_list("occurrence", flat=True))
    taken_days = {_local(moment).date() for moment in existing}
    number = programme.sessions.aggregate(last=Max("number"))["last"] or 0
    made = []
    for moment in _occurrences(programme, after=now, until=until):
        if moment in existing or _local(moment).date() in taken_days:
            continue
        number += 1
        session = Session(programme=programme, occurrence=moment, number=number)
        _schedule(session, programme, moment)
        made.append(session)
    Session.objects.bulk_create(made)
    if made:
        audit_record(actor=None, action="dialogue.sessions_generated", obj=programme,
                     after={"numbers": [s.number for s in made],
                            "from": made[0].starts_at.isoformat(), "to": made[-1].starts_at.isoformat()})
    return len(made)
