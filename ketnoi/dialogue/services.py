"""Writes of the dialogue programmes (“Cà phê sáng cùng doanh nghiệp”): programmes and the
sessions generated from their rule, registration with a waiting list, check-in, the agenda,
what became of each question on the day, closing, the survey and the minutes.

Every service runs in one transaction, checks access in ``access``, raises ValidationError
({field: message}) or PermissionDenied, and records an audit event. E-mails leave only after
the transaction commits.
"""

from datetime import date, datetime, time, timedelta
from email.mime.image import MIMEImage

from dateutil.relativedelta import relativedelta
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ketnoi.accounts.access import principal_for
from ketnoi.accounts.models import Role, User
from ketnoi.audit.services import audit_record, snapshot
from ketnoi.cases import services as cases
from ketnoi.cases.models import Channel, Topic
from ketnoi.lib import calendar_ics
from ketnoi.lib.workdays import TIMEZONE
from ketnoi.notifications.services import notify_all

from . import access, documents, selectors
from .models import Attendee, Minutes, Programme, Question, Registration, Session, SurveyResponse

GENERATE_AHEAD = relativedelta(months=6)
MAX_CAPACITY = 500  # businesses per session: a hall, not a stadium
MAX_ATTENDEES = 20  # people per business
MAX_CLOSES_HOURS = 24 * 30


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

def _clean_rule(rule: str) -> str:
    """The rule in its normal form, or a ValidationError saying what to write."""
    try:
        return calendar_ics.validate_rrule(str(rule or ""))
    except calendar_ics.InvalidRecurrence as error:
        raise ValidationError({"rrule": error.message_in(get_language())}) from None


def _occurrences(programme: Programme, *, after: datetime, until: datetime) -> list[datetime]:
    """The programme's occurrences strictly after `after` and up to `until`, at its start time."""
    last = until
    if programme.ends_on is not None:
        last = min(last, _at(programme.ends_on, time(23, 59, 59)))
    dtstart = _at(programme.starts_on, programme.start_time)
    if last < dtstart:
        return []
    try:
        found = calendar_ics.rrule_occurrences(programme.rrule, dtstart=dtstart, until=last)
    except calendar_ics.InvalidRecurrence as error:
        raise ValidationError({"rrule": error.message_in(get_language())}) from None
    return [moment for moment in found if moment > after]


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


# --- e-mails --------------------------------------------------------------------------------------

def business_users(enterprise_id: int) -> list[User]:
    """The enterprise's business users: who hears about its registrations."""
    return list(User.objects.filter(role_assignments__enterprise_id=enterprise_id,
                                    role_assignments__role=Role.BUSINESS, is_active=True).distinct())


def _ics_attachment(session: Session) -> tuple[str, bytes, str]:
    method = "CANCEL" if session.status == Session.Status.CANCELLED else "PUBLISH"
    return (f"phien-{session.number}.ics", documents.session_ics(session, method=method),
            calendar_ics.content_type(method))


QR_CONTENT_ID = "checkin-qr"


def _qr_attachment(registration: Registration) -> MIMEImage:
    """The check-in QR code: an inline image the e-mail shows (cid:checkin-qr) that is also a
    PNG file the business can print."""
    image = MIMEImage(documents.qr_png(documents.checkin_url(checkin_token(registration))), "png")
    image.add_header("Content-ID", f"<{QR_CONTENT_ID}>")
    image.add_header("Content-Disposition", "inline", filename=f"ma-diem-danh-{registration.pk}.png")
    return image


def _tell_registrants(registrations, template: str, *, calendar: bool = False, qr: bool = False,
                      context: dict | None = None) -> None:
    """E-mail each registration's business users, in the transaction (the e-mails leave from the
    outbox once it commits); the confirmed ones get the session's .ics (and their QR code) when asked."""
    for registration in registrations:
        users = business_users(registration.enterprise_id)
        if not users:
            continue
        attachments = []
        confirmed = registration.status == Registration.Status.CONFIRMED
        if calendar and confirmed:
            attachments.append(_ics_attachment(registration.session))
        if qr and confirmed:
            attachments.append(_qr_attachment(registration))
        notify_all(users=users, template=template, url=registration_url(registration), attachments=attachments,
                   context={"registration": registration, "session": registration.session,
                            "programme": registration.session.programme, "qr_content_id": QR_CONTENT_ID,
                            "has_qr": bool(qr and confirmed), "position": selectors.waiting_position(registration),
                            **(context or {})})


def registration_url(registration: Registration) -> str:
    from django.urls import reverse

    return reverse("dialogue:registration", args=[registration.pk])


# --- registration -------------------------------------------------------------------------------

CHECKIN_SALT = "ketnoi.dialogue.checkin"
MAX_QUESTIONS = 5  # per registration: more is a letter to the unit, not a morning coffee


def _lock_session(session: Session) -> Session:
    return Session.objects.select_for_update(of=("self",)).select_related("programme", "programme__unit").get(pk=session.pk)


def _clean_attendees(attendees, limit: int) -> list[dict]:
    cleaned = []
    for attendee in attendees or ():
        attendee = attendee or {}
        name = " ".join(str(attendee.get("name") or "").split())
        position = " ".join(str(attendee.get("position") or "").split())
        if not name and not position:
            continue  # an empty row of the form
        if not name:
            raise ValidationError({"attendees": _("Write the name of each person who comes.")})
        if len(name) > 150 or len(position) > 150:
            raise ValidationError({"attendees": _("Write names and positions in at most 150 characters.")})
        cleaned.append({"name": name, "position": position})
    if not cleaned:
        raise ValidationError({"attendees": _("Write the name and position of at least one person who will come.")})
    if len(cleaned) > limit:
        raise ValidationError({"attendees": _("A business may bring at most %(n)d people to this session.") % {"n": limit}})
    return cleaned


def _clean_question(topic, subject, description) -> dict:
    """One question: {topic, subject, description}, or a ValidationError naming the field."""
    e = _Errors()
    if not isinstance(topic, Topic):
        topic = Topic.objects.filter(code=topic or "", active=True).first()
    if topic is None or not topic.active:
        e.add("topic", _("Choose the topic the question is about."))
    subject = " ".join(str(subject or "").split())
    if not subject or len(subject) > 200:
        e.add("subject", _("Write a short subject, in at most 200 characters."))
    description = str(description or "").strip()
    if not description:
        e.add("description", _("Describe the difficulty and what the business needs from customs."))
    elif len(description) > 20000:
        e.add("description", _("Write at most %(n)d characters.") % {"n": 20000})
    e.raise_any()
    return {"topic": topic, "subject": subject, "description": description}


def _clean_questions(questions) -> list[dict]:
    """The questions sent ahead; an empty row of the form is skipped. Errors go under
    "questions", each saying which question it is about."""
    cleaned = []
    for number, question in enumerate(questions or (), start=1):
        question = question or {}
        if not any(str(question.get(name) or "").strip() for name in ("topic", "subject", "description")):
            continue
        try:
            cleaned.append(_clean_question(question.get("topic"), question.get("subject"), question.get("description")))
        except ValidationError as error:
            raise ValidationError({"questions": [
                _("Question %(n)d: %(problem)s") % {"n": number, "problem": message}
                for messages in error.message_dict.values() for message in messages]}) from None
    if len(cleaned) > MAX_QUESTIONS:
        raise ValidationError({"questions": _("Send at most %(n)d questions ahead; file the others as difficulties.")
                               % {"n": MAX_QUESTIONS}})
    return cleaned


def _require_open_for_registration(session: Session, now: datetime) -> None:
    if session.status == Session.Status.CANCELLED:
        raise ValidationError({"session": _("This session was cancelled. Choose another session.")})
    if session.status == Session.Status.HELD or session.starts_at <= now:
        raise ValidationError({"session": _("This session has already taken place. Choose another session.")})
    if now >= session.registration_closes_at:
        raise ValidationError({"session": _("Registration for this session closed at %(moment)s. Choose a later session.")
                               % {"moment": f"{_local(session.registration_closes_at):%H:%M %d/%m/%Y}"}})


def _next_agenda_position(session: Session) -> int:
    return (session.questions.aggregate(last=Max("agenda_position"))["last"] or 0) + 1


def _file_question(*, session: Session, registration: Registration | None, enterprise, by, topic, subject,
                   description, now: datetime, position: int) -> Question:
    case = cases.case_file(enterprise=enterprise, by=by, topic=topic, subject=subject, description=description,
                           channel=Channel.DIALOGUE, handling_unit=session.programme.unit, received_at=now)
    return Question.objects.create(session=session, registration=registration, case=case, agenda_position=position)


@transaction.atomic
def registration_create(*, session: Session, by, enterprise, attendees, questions=(),
                        now: datetime | None = None) -> Registration:
    """Register `enterprise` for `session`: confirmed while seats remain, else on the waiting
    list. Each question sent ahead becomes a case (channel dialogue) of the session's unit,
    linked to the session by a Question. The confirmation carries the session's .ics and the
    check-in QR code; the waiting-list e-mail says the position.

    The session row is locked while the confirmed registrations are counted, so two businesses
    registering for the last seat at the same moment cannot both be confirmed."""
    _require(enterprise is not None and access.may_register(principal_for(by), enterprise))
    now = now or timezone.now()
    session = _lock_session(session)
    _require_open_for_registration(session, now)
    e = _Errors()
    attendees = e.check("attendees", lambda: _clean_attendees(attendees, session.programme.max_attendees))
    questions = e.check("questions", lambda: _clean_questions(questions))
    live = session.registrations.exclude(status=Registration.Status.CANCELLED)
    if live.filter(enterprise=enterprise).exists():
        e.add("enterprise", _("%(enterprise)s is already registered for this session. Change or cancel that registration.")
              % {"enterprise": enterprise.name})
    e.raise_any()
    confirmed = live.filter(status=Registration.Status.CONFIRMED).count()
    status = Registration.Status.CONFIRMED if confirmed < session.capacity else Registration.Status.WAITING
    registration = Registration(session=session, enterprise=enterprise, registered_by=by, status=status, created_at=now)
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:  # the same business at the same moment, where the lock does not serialise
        raise ValidationError({"enterprise": _(
            "%(enterprise)s is already registered for this session. Change or cancel that registration.")
            % {"enterprise": enterprise.name}}) from None
    Attendee.objects.bulk_create([Attendee(registration=registration, **attendee) for attendee in attendees])
    position = _next_agenda_position(session)
    filed = []
    for offset, question in enumerate(questions):
        filed.append(_file_question(session=session, registration=registration, enterprise=enterprise, by=by,
                                    now=now, position=position + offset, **question))
    audit_record(actor=by, action="dialogue.registration_created", obj=registration,
                 after={**snapshot(registration), "attendees": attendees,
                        "cases": [question.case.reference for question in filed]})
    registration.session = session
    if status == Registration.Status.CONFIRMED:
        _tell_registrants([registration], "dialogue/registered", calendar=True, qr=True)
    else:
        _tell_registrants([registration], "dialogue/waiting")
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration, by, now: datetime | None = None) -> Registration:
    """Cancel a registration (the business, or the staff who run the session for it). Its seat
    goes to the first business on the waiting list, which is told with the .ics and its QR code.

    The cases of the questions it sent stay open with the unit: they are the business's
    difficulties whether or not it comes. Its questions leave the agenda (withdrawn)."""
    now = now or timezone.now()
    session = _lock_session(registration.session)
    registration = Registration.objects.select_for_update().select_related("enterprise").get(pk=registration.pk)
    registration.session = session
    _require(access.may_cancel_registration(principal_for(by), registration))
    if registration.status == Registration.Status.CANCELLED:
        return registration  # a second click changes nothing
    if session.status != Session.Status.SCHEDULED or session.starts_at <= now:
        raise ValidationError({"session": _("This session has taken place or was cancelled: "
                                            "its registrations can no longer change.")})
    before = snapshot(registration)
    was_confirmed = registration.status == Registration.Status.CONFIRMED
    registration.status, registration.cancelled_at = Registration.Status.CANCELLED, now
    registration.save(update_fields=["status", "cancelled_at"])
    registration.questions.filter(outcome=Question.Outcome.PENDING).update(outcome=Question.Outcome.WITHDRAWN)
    audit_record(actor=by, action="dialogue.registration_cancelled", obj=registration, before=before,
                 after=snapshot(registration))
    _tell_registrants([registration], "dialogue/cancelled")
    if was_confirmed:
        _promote(session, now)
    return registration


def _promote(session: Session, now: datetime) -> list[Registration]:
    """Fill the free seats of `session` (locked by the caller) from its waiting list, in order."""
    free = session.capacity - session.registrations.filter(status=Registration.Status.CONFIRMED).count()
    promoted = []
    if free <= 0:
        return promoted
    for registration in session.registrations.filter(status=Registration.Status.WAITING).order_by("created_at", "id")[:free]:
        before = snapshot(registration)
        registration.status, registration.promoted_at = Registration.Status.CONFIRMED, now
        registration.save(update_fields=["status", "promoted_at"])
        registration.session = session
        audit_record(actor=None, action="dialogue.registration_promoted", obj=registration, before=before,
                     after=snapshot(registration))
        promoted.append(registration)
    if promoted:
        _tell_registrants(promoted, "dialogue/promoted", calendar=True, qr=True)
    return promoted


# --- check-in -----------------------------------------------------------------------------------

def checkin_token(registration: Registration) -> str:
    """What the check-in QR code carries: the registration, signed (it cannot be made up)."""
    return signing.dumps({"r": registration.pk, "s": registration.session_id}, salt=CHECKIN_SALT, compress=True)


def registration_for_checkin(token: str) -> Registration:
    try:
        data = signing.loads(str(token or ""), salt=CHECKIN_SALT)
    except signing.BadSignature:
        raise ValidationError(_("This check-in code is not valid. Scan the code in the registration e-mail again, "
                                "or find the business in the list.")) from None
    registration = Registration.objects.select_related("session", "session__programme", "enterprise").filter(
        pk=data.get("r"), session_id=data.get("s")).first() if isinstance(data, dict) else None
    if registration is None:
        raise ValidationError(_("This check-in code is not valid. Scan the code in the registration e-mail again, "
                                "or find the business in the list."))
    return registration


@transaction.atomic
def registration_check_in(*, registration: Registration, by, at: datetime | None = None) -> Registration:
    """Check a business in at the door (QR code or the list). Only a confirmed registration,
    only on the session's day (in Vietnam's time); a second check-in changes nothing."""
    registration = Registration.objects.select_for_update(of=("self",)).select_related(
        "session", "session__programme", "enterprise").get(pk=registration.pk)
    session = registration.session
    _require(access.may_run_session(principal_for(by), session))
    at = at or timezone.now()
    if registration.checked_in_at is not None:
        return registration
    if registration.status == Registration.Status.WAITING:
        raise ValidationError(_("%(enterprise)s is on the waiting list: it has no seat at this session.")
                              % {"enterprise": registration.enterprise.name})
    if registration.status == Registration.Status.CANCELLED:
        raise ValidationError(_("%(enterprise)s cancelled its registration.") % {"enterprise": registration.enterprise.name})
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("This session was cancelled."))
    if _local(at).date() != _local(session.starts_at).date():
        raise ValidationError(_("Check-in is open on the day of the session only (%(day)s).")
                              % {"day": f"{_local(session.starts_at):%d/%m/%Y}"})
    before = snapshot(registration)
    registration.checked_in_at, registration.checked_in_by = at, by
    registration.save(update_fields=["checked_in_at", "checked_in_by"])
    audit_record(actor=by, action="dialogue.checked_in", obj=registration, before=before, after=snapshot(registration))
    return registration


# --- moving and cancelling a session ------------------------------------------------------------

def _live_registrations(session: Session) -> list[Registration]:
    found = list(session.registrations.exclude(status=Registration.Status.CANCELLED).select_related("enterprise"))
    for registration in found:
        registration.session = session
    return found


@transaction.atomic
def session_move(*, session: Session, by, starts_at: datetime, ends_at: datetime | None = None,
                 venue: str | None = None, reason: str) -> Session:
    """Move a session to another time (and venue). Its registrants are told, the confirmed
    ones with the updated .ics (same UID, higher SEQUENCE: their calendar moves the entry)."""
    session = _lock_session(session)
    _require(access.may_lead_session(principal_for(by), session))
    now = timezone.now()
    if session.status != Session.Status.SCHEDULED:
        raise ValidationError({"session": _("Only a scheduled session can be moved.")})
    e = _Errors()
    reason = e.check("reason", lambda: _text(reason, "reason", _(
        "Say why the session moves: the registrants will read it."), 2000, one_line=False))
    if venue is not None:
        venue = e.check("venue", lambda: _text(venue, "venue", _("Write where the session takes place."), 300))
    if not isinstance(starts_at, datetime):
        e.add("starts_at", _("Write the new day and time, e.g. 13/03/2026 07:30."))
    elif starts_at <= now:
        e.add("starts_at", _("The new time must be in the future."))
    elif ends_at is not None and ends_at <= starts_at:
        e.add("ends_at", _("The session must end after it starts."))
    e.raise_any()
    before = snapshot(session)
    ends_at = ends_at or starts_at + (session.ends_at - session.starts_at)
    session.starts_at, session.ends_at = starts_at, ends_at
    session.registration_closes_at = starts_at - timedelta(hours=session.programme.registration_closes_hours)
    if venue:
        session.venue = venue
    session.sequence += 1
    session.change_reason = reason
    session.save()
    audit_record(actor=by, action="dialogue.session_moved", obj=session, before=before, after=snapshot(session))
    _tell_registrants(_live_registrations(session), "dialogue/moved", calendar=True,
                      context={"before": before, "old_starts_at": datetime.fromisoformat(before["starts_at"])})
    return session


@transaction.atomic
def session_cancel(*, session: Session, by, reason: str) -> Session:
    """Cancel a session. Its registrants are told, the confirmed ones with an .ics that removes
    the entry from their calendar (METHOD:CANCEL). The cases of the questions sent to it stay
    open with the unit, which answers them in writing."""
    session = _lock_session(session)
    _require(access.may_lead_session(principal_for(by), session))
    if session.status != Session.Status.SCHEDULED:
        raise ValidationError({"session": _("Only a scheduled session can be cancelled.")})
    if session.ends_at <= timezone.now():
        raise ValidationError({"session": _("This session has already taken place: close it instead.")})
    reason = _text(reason, "reason", _("Say why the session is cancelled: the registrants will read it."), 2000,
                   one_line=False)
    before = snapshot(session)
    session.status = Session.Status.CANCELLED
    session.sequence += 1
    session.change_reason = reason
    session.save()
    audit_record(actor=by, action="dialogue.session_cancelled", obj=session, before=before, after=snapshot(session))
    _tell_registrants(_live_registrations(session), "dialogue/session_cancelled", calendar=True)
    return session


# --- the agenda ---------------------------------------------------------------------------------

agenda_default = selectors.agenda_default


def _may_answer(user, session: Session) -> bool:
    return user is not None and user.is_active and access.may_run_session(principal_for(user), session)


@transaction.atomic
def agenda_save(*, session: Session, by, order, answerers=None, chair=None) -> Session:
    """The leader's agenda: the questions in `order` (their ids; any left out follow in their
    present order), the officer who will answer each (`answerers`: question id → user id, or
    None to clear) and, optionally, the leader who chairs the session."""
    session = _lock_session(session)
    _require(access.may_lead_session(principal_for(by), session))
    if session.status != Session.Status.SCHEDULED:
        raise ValidationError({"session": _("The agenda of a held or cancelled session can no longer change.")})
    questions = {q.pk: q for q in selectors.agenda(session)}
    e = _Errors()
    order = [int(pk) for pk in order or ()]
    if len(set(order)) != len(order) or not set(order) <= set(questions):
        e.add("order", _("The agenda changed meanwhile: reload the page and order it again."))
    chosen = {}
    users = {}
    for pk, user_id in (answerers or {}).items():
        if int(pk) not in questions:
            e.add("answerers", _("The agenda changed meanwhile: reload the page and order it again."))
            continue
        if user_id in (None, ""):
            chosen[int(pk)] = None
            continue
        user = users.get(user_id) or User.objects.filter(pk=getattr(user_id, "pk", user_id)).first()
        users[user_id] = user
        if not _may_answer(user, session):
            e.add("answerers", _("Choose who answers among the staff who run the session."))
            continue
        chosen[int(pk)] = user
    if chair is not None and not (chair.is_active and access.may_lead_session(principal_for(chair), session)):
        e.add("chair", _("The chair must be a leader of %(unit)s.") % {"unit": session.programme.unit.name})
    e.raise_any()
    before = {"order": list(questions), "answerers": {pk: q.answerer_id for pk, q in questions.items()},
              "chair": session.chaired_by_id}
    final = order + [pk for pk in questions if pk not in order]
    for position, pk in enumerate(final, start=1):
        question = questions[pk]
        question.agenda_position = position
        if pk in chosen:
            question.answerer = chosen[pk]
    Question.objects.bulk_update(questions.values(), ["agenda_position", "answerer"])
    if chair is not None:
        session.chaired_by = chair
        session.save(update_fields=["chaired_by", "updated_at"])
    audit_record(actor=by, action="dialogue.agenda_saved", obj=session, before=before, after={
        "order": final, "answerers": {pk: questions[pk].answerer_id for pk in final}, "chair": session.chaired_by_id})
    return session


# --- on the day ---------------------------------------------------------------------------------

def _require_on_or_after_the_day(session: Session, now: datetime) -> None:
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("This session was cancelled."))
    if _local(now).date() < _local(session.starts_at).date():
        raise ValidationError(_("Record what was said at the session on its day (%(day)s) or after.")
                              % {"day": f"{_local(session.starts_at):%d/%m/%Y}"})


def _lock_question(question: Question) -> Question:
    question = Question.objects.select_for_update(of=("self",)).select_related(
        "case", "case__topic", "registration", "answerer").get(pk=question.pk)
    question.session = _lock_session(question.session)
    return question


@transaction.atomic
def question_raise(*, session: Session, by, registration: Registration, topic, subject: str,
                   description: str, now: datetime | None = None) -> Question:
    """A question an attendee raised at the session, entered by staff: filed as the business's
    case (channel dialogue) with the session's unit, and put at the end of the agenda."""
    session = _lock_session(session)
    _require(access.may_run_session(principal_for(by), session))
    now = now or timezone.now()
    _require_on_or_after_the_day(session, now)
    if registration is None or registration.session_id != session.pk or \
            registration.status != Registration.Status.CONFIRMED:
        raise ValidationError({"registration": _("Choose the business that asked, among those registered for the session.")})
    question = _clean_question(topic, subject, description)
    filed = _file_question(session=session, registration=registration, enterprise=registration.enterprise, by=by,
                           now=now, position=_next_agenda_position(session), **question)
    audit_record(actor=by, action="dialogue.question_raised", obj=filed, after={
        **snapshot(filed), "case": filed.case.reference})
    return filed


def _approver(question: Question, session: Session):
    """Who approved an answer given at the session: the leader who gave it, or the leader who
    chaired the session (None when neither leads the case's unit)."""
    from ketnoi.cases import access as cases_access

    for user in (question.answerer, session.chaired_by):
        if user is not None and cases_access.may_lead(principal_for(user), question.case):
            return user
    return None


@transaction.atomic
def question_answer_on_spot(*, question: Question, by, answer: str, now: datetime | None = None) -> Question:
    """Record the answer given at the session; it answers the linked case through the cases
    services, so the business receives it like any answer, and can accept it or reply.

    Approval: an answer a unit leader gave, or that was given at a session a unit leader
    chaired, is sent at once (cases.case_answer(approved_by=...)) even on a topic whose
    answers need approval. The leader said it publicly, to the business, on the unit's
    behalf: holding the written answer back would make the record contradict what the business
    heard, and the leader's public word is the approval. Without such a leader the topic's rule
    applies: the answer waits for a leader's approval, as any officer's answer would."""
    question = _lock_question(question)
    session = question.session
    _require(access.may_run_session(principal_for(by), session))
    now = now or timezone.now()
    _require_on_or_after_the_day(session, now)
    if question.outcome not in (Question.Outcome.PENDING,):
        raise ValidationError(_("This question was already recorded as %(outcome)s.")
                              % {"outcome": question.get_outcome_display().lower()})
    answer = _text(answer, "answer", _("Write the answer given at the session, as it will be sent to the business."),
                   50000, one_line=False)
    if not question.case.is_open:
        raise ValidationError(_("Case %(reference)s is already answered: record the question as answered there.")
                              % {"reference": question.case.reference})
    before = snapshot(question)
    cases.case_answer(case=question.case, body=answer, by=by, approved_by=_approver(question, session))
    question.outcome, question.answer_text = Question.Outcome.ANSWERED, answer
    question.recorded_at, question.recorded_by = now, by
    question.save()
    audit_record(actor=by, action="dialogue.answered_on_spot", obj=question, before=before, after=snapshot(question))
    return question


@transaction.atomic
def question_follow_up(*, question: Question, by, owner, due: date, note: str,
                       now: datetime | None = None) -> Question:
    """A question the session could not settle: its case stays open, assigned to `owner`, its
    answer due at the end of the working day `due`, with `note` (what is to be done) on the
    case's timeline. When the case is answered, the business is told as for any case.

    Giving the follow-up to someone else is a leader's decision (as assigning a case is)."""
    from ketnoi.cases import access as cases_access
    from ketnoi.lib import deadlines, workdays

    question = _lock_question(question)
    session = question.session
    p = principal_for(by)
    _require(access.may_run_session(p, session))
    now = now or timezone.now()
    _require_on_or_after_the_day(session, now)
    if question.outcome == Question.Outcome.ANSWERED:
        raise ValidationError(_("This question was answered at the session."))
    case = question.case
    e = _Errors()
    note = e.check("note", lambda: _text(note, "note", _("Say what is to be done, and by whom."), 5000, one_line=False))
    if owner is None or not owner.is_active:
        e.add("owner", _("Choose the officer who follows the question up."))
    elif not cases_access.may_handle(principal_for(owner), case):
        e.add("owner", _("Choose an officer of %(unit)s: the unit that handles the case.") % {"unit": case.unit})
    elif owner != by and not cases_access.may_lead(p, case):
        e.add("owner", _("Only a leader gives the follow-up to someone else: choose yourself, or ask the leader."))
    if not isinstance(due, date) or isinstance(due, datetime):
        e.add("due", _("Write the day the answer is due, e.g. 20/03/2026."))
    elif deadlines.end_of_workday(due) <= now:
        e.add("due", _("The due day cannot be in the past."))
    elif not workdays.is_workday(due):
        e.add("due", _("%(day)s is not a working day: choose a working day.") % {"day": f"{due:%d/%m/%Y}"})
    if not case.is_open:
        e.add("question", _("Case %(reference)s is already answered.") % {"reference": case.reference})
    e.raise_any()
    before = snapshot(question)
    cases.case_set_due(case=case, due_at=deadlines.end_of_workday(due), reason=note, by=by)
    cases.case_assign(case=case, assignee=owner, by=by)
    question.outcome = Question.Outcome.FOLLOW_UP
    question.follow_up_owner, question.follow_up_due, question.follow_up_note = owner, due, note
    question.recorded_at, question.recorded_by = now, by
    question.save()
    audit_record(actor=by, action="dialogue.follow_up", obj=question, before=before, after=snapshot(question))
    return question


# --- closing the session and the survey ---------------------------------------------------------

SURVEY_SALT = "ketnoi.dialogue.survey"
SURVEY_DAYS = 30  # the survey link works this long after it is sent


def attended(session: Session) -> list[Registration]:
    """The businesses that came: those checked in; when the door list was not used at all,
    every confirmed registration."""
    registrations = list(session.registrations.filter(status=Registration.Status.CONFIRMED)
                         .select_related("enterprise").prefetch_related("attendees").order_by("created_at", "id"))
    checked_in = [r for r in registrations if r.checked_in_at is not None]
    return checked_in or registrations


@transaction.atomic
def session_close(*, session: Session, by, now: datetime | None = None) -> Session:
    """The session took place: it is held from now on, and each business checked in is sent
    the survey by its signed link. Questions still pending stay so (not discussed); their
    cases stay open with the unit."""
    session = _lock_session(session)
    _require(access.may_lead_session(principal_for(by), session))
    now = now or timezone.now()
    if session.status != Session.Status.SCHEDULED:
        raise ValidationError({"session": _("Only a scheduled session can be closed.")})
    if _local(now).date() < _local(session.starts_at).date():
        raise ValidationError({"session": _("A session can be closed on its day (%(day)s) or after.")
                               % {"day": f"{_local(session.starts_at):%d/%m/%Y}"}})
    before = snapshot(session)
    session.status = Session.Status.HELD
    session.save(update_fields=["status", "updated_at"])
    audit_record(actor=by, action="dialogue.session_closed", obj=session, before=before, after=snapshot(session))
    came = [r for r in session.registrations.filter(status=Registration.Status.CONFIRMED, checked_in_at__isnull=False)
            .select_related("enterprise")]
    from django.urls import reverse

    for registration in came:
        registration.session = session
        users = business_users(registration.enterprise_id)
        if users:
            notify_all(users=users, template="dialogue/survey",
                       url=reverse("dialogue:survey", args=[survey_token(registration)]),
                       context={"registration": registration, "session": session, "programme": session.programme})
    return session


def survey_token(registration: Registration) -> str:
    return signing.dumps({"r": registration.pk, "s": registration.session_id}, salt=SURVEY_SALT, compress=True)


def registration_for_survey(token: str) -> Registration:
    """The registration a survey link was sent for; a forged, damaged or expired link is refused."""
    try:
        data = signing.loads(str(token or ""), salt=SURVEY_SALT, max_age=SURVEY_DAYS * 86400)
    except signing.SignatureExpired:
        raise ValidationError(_("This survey link has expired. Thank you all the same.")) from None
    except signing.BadSignature:
        raise ValidationError(_("This survey link is not valid. Copy the whole link from the e-mail.")) from None
    registration = Registration.objects.select_related("session", "session__programme", "enterprise").filter(
        pk=data.get("r"), session_id=data.get("s"), checked_in_at__isnull=False,
        session__status=Session.Status.HELD).first() if isinstance(data, dict) else None
    if registration is None:
        raise ValidationError(_("This survey link is not valid. Copy the whole link from the e-mail."))
    return registration


def _score(value, field: str, message: str) -> int:
    if isinstance(value, bool):
        raise ValidationError({field: message})
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or not 1 <= value <= 5:
        raise ValidationError({field: message})
    return value


@transaction.atomic
def survey_submit(*, token: str, satisfaction, usefulness, comment: str = "",
                  now: datetime | None = None) -> SurveyResponse:
    """A business's answer to the survey of a session it attended, by the signed link (no
    login): once per registration, scores 1–5."""
    registration = registration_for_survey(token)
    registration = Registration.objects.select_for_update(of=("self",)).select_related("session").get(pk=registration.pk)
    e = _Errors()
    satisfaction = e.check("satisfaction", lambda: _score(satisfaction, "satisfaction", _(
        "Choose how satisfied you are, from 1 (not at all) to 5 (very).")))
    usefulness = e.check("usefulness", lambda: _score(usefulness, "usefulness", _(
        "Choose how useful the session was, from 1 (not at all) to 5 (very).")))
    comment = str(comment or "").strip()
    if len(comment) > 5000:
        e.add("comment", _("Write at most %(n)d characters.") % {"n": 5000})
    if SurveyResponse.objects.filter(registration=registration).exists():
        raise ValidationError(_("This survey was already answered. Thank you."), code="already_answered")
    e.raise_any()
    response = SurveyResponse(session=registration.session, registration=registration, satisfaction=satisfaction,
                              usefulness=usefulness, comment=comment, submitted_at=now or timezone.now())
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError:
        raise ValidationError(_("This survey was already answered. Thank you."), code="already_answered") from None
    audit_record(actor=None, action="dialogue.survey_submitted", obj=response, after=snapshot(response))
    return response


# --- the minutes (biên bản) ---------------------------------------------------------------------

def _lock_minutes(minutes: Minutes) -> Minutes:
    minutes = Minutes.objects.select_for_update(of=("self",)).get(pk=minutes.pk)
    minutes.session = _lock_session(minutes.session)
    return minutes


@transaction.atomic
def minutes_prepare(*, session: Session, by) -> Minutes:
    """The draft minutes, written from the session's record (documents.minutes_text): the
    date, venue and chair, the businesses and people who came, the questions answered on the
    spot and those followed up with their owners and days. A draft already there gets the
    generated text again (the number and the signer typed stay); issued minutes do not change."""
    session = _lock_session(session)
    _require(access.may_run_session(principal_for(by), session))
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("This session was cancelled: it has no minutes."))
    if _local(timezone.now()).date() < _local(session.starts_at).date():
        raise ValidationError(_("The minutes are written on the day of the session (%(day)s) or after.")
                              % {"day": f"{_local(session.starts_at):%d/%m/%Y}"})
    minutes = Minutes.objects.select_for_update().filter(session=session).first()
    if minutes is not None and minutes.state == Minutes.State.ISSUED:
        raise ValidationError(_("These minutes are issued: they can no longer change."))
    before = snapshot(minutes)
    opening, conclusion = documents.minutes_text(session)
    if minutes is None:
        minutes = Minutes(session=session, number=documents.suggested_number(session))
        chair = session.chaired_by
        if chair is not None:
            minutes.signer_name, minutes.signer_position = chair.get_full_name(), chair.position
    minutes.opening, minutes.conclusion, minutes.updated_by = opening, conclusion, by
    minutes.save()
    audit_record(actor=by, action="dialogue.minutes_prepared", obj=minutes, before=before, after=snapshot(minutes))
    return minutes


@transaction.atomic
def minutes_save(*, minutes: Minutes, by, number: str, opening: str, conclusion: str, signer_name: str,
                 signer_position: str) -> Minutes:
    """Save the edited draft (any field may still be empty: issuing checks them all)."""
    minutes = _lock_minutes(minutes)
    _require(access.may_run_session(principal_for(by), minutes.session))
    if minutes.state == Minutes.State.ISSUED:
        raise ValidationError(_("These minutes are issued: they can no longer change."))
    e = _Errors()
    fields = {}
    for name, value, limit in (("number", number, 60), ("signer_name", signer_name, 150),
                               ("signer_position", signer_position, 150)):
        value = " ".join(str(value or "").split())
        if len(value) > limit:
            e.add(name, _("Write at most %(n)d characters.") % {"n": limit})
        fields[name] = value
    for name, value in (("opening", opening), ("conclusion", conclusion)):
        value = str(value or "").strip()
        if len(value) > 50000:
            e.add(name, _("Write at most %(n)d characters.") % {"n": 50000})
        fields[name] = value
    e.raise_any()
    before = snapshot(minutes)
    for name, value in fields.items():
        setattr(minutes, name, value)
    minutes.updated_by = by
    minutes.save()
    audit_record(actor=by, action="dialogue.minutes_saved", obj=minutes, before=before, after=snapshot(minutes))
    return minutes


@transaction.atomic
def minutes_issue(*, minutes: Minutes, by, now: datetime | None = None) -> Minutes:
    """Issue the minutes of a held session (a leader): they no longer change, and their summary
    goes to the businesses that came, with the PDF attached."""
    minutes = _lock_minutes(minutes)
    session = minutes.session
    _require(access.may_lead_session(principal_for(by), session))
    if minutes.state == Minutes.State.ISSUED:
        raise ValidationError(_("These minutes are already issued."))
    if session.status != Session.Status.HELD:
        raise ValidationError({"session": _("Close the session before issuing its minutes.")})
    e = _Errors()
    for name, message in (("number", _("Write the minutes' number, e.g. 01/BB-HQCNC.")),
                          ("opening", _("Write the opening: when, where, who chaired, who came.")),
                          ("conclusion", _("Write the conclusion: what was agreed and what follows.")),
                          ("signer_name", _("Write who signs the minutes.")),
                          ("signer_position", _("Write the signer's position, e.g. Chi cục trưởng."))):
        if not getattr(minutes, name).strip():
            e.add(name, message)
    e.raise_any()
    now = now or timezone.now()
    before = snapshot(minutes)
    minutes.state, minutes.issued_at, minutes.summary_sent_at, minutes.updated_by = Minutes.State.ISSUED, now, now, by
    minutes.save()
    audit_record(actor=by, action="dialogue.minutes_issued", obj=minutes, before=before, after=snapshot(minutes))
    came = attended(session)
    users = {user.pk: user for registration in came for user in business_users(registration.enterprise_id)}
    if users:
        name = f"bien-ban-{session.programme.pk}-{session.number}.pdf"
        notify_all(users=users.values(), template="dialogue/minutes", url=session.get_absolute_url(),
                   attachments=[(name, documents.minutes_pdf(minutes), "application/pdf")],
                   context={"minutes": minutes, "session": session, "programme": session.programme,
                            "questions": list(selectors.agenda(session))})
    return minutes


# --- the periodic job (ketnoi tick) -------------------------------------------------------------

def dialogue_tick(*, now: datetime | None = None) -> dict:
    """Generate the programmes' sessions ahead, and remind each confirmed business the day
    before its session. Safe to run twice, or twice at once: a reminder is claimed by a
    conditional UPDATE of its registration (reminded_for), so it leaves once per session start."""
    now = now or timezone.now()
    counts = {"sessions_generated": 0, "reminded": 0}
    for programme in Programme.objects.filter(active=True):
        try:
            counts["sessions_generated"] += sessions_generate(programme=programme, now=now)
        except ValidationError:
            continue  # a rule that no longer expands (e.g. too many occurrences) stops this programme only
    tomorrow = _local(now).date() + timedelta(days=1)
    start, end = _at(tomorrow, time(0)), _at(tomorrow + timedelta(days=1), time(0))
    due = (Registration.objects.filter(status=Registration.Status.CONFIRMED, session__status=Session.Status.SCHEDULED,
                                       session__starts_at__gte=start, session__starts_at__lt=end)
           .select_related("session", "session__programme", "session__programme__unit", "enterprise"))
    for registration in due:
        session = registration.session
        claimed = Registration.objects.filter(pk=registration.pk).exclude(reminded_for=session.starts_at).update(
            reminded_for=session.starts_at)
        if not claimed:
            continue
        users = business_users(registration.enterprise_id)
        if users:
            notify_all(users=users, template="dialogue/reminder", url=registration_url(registration),
                       attachments=[_ics_attachment(session), _qr_attachment(registration)],
                       context={"registration": registration, "session": session, "programme": session.programme,
                                "qr_content_id": QR_CONTENT_ID, "has_qr": True})
        counts["reminded"] += 1
    return counts
