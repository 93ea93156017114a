"""The dialogue API (“Cà phê sáng cùng doanh nghiệp”): the calendar of sessions and one session
(public), registering a business with its people and questions (its business users), and a
session's agenda and minutes (the staff who run it).

Reading the calendar is public (no token; a token that is sent must be valid, and the answer is
then in its owner's language): seats are counts, never who registered. Every endpoint is thin:
parse, call one selector or service, answer. The services decide who may act (403) and
validate (400 whose `details` names the fields); malformed input is a 422.
"""

import re
from datetime import date, datetime, time, timedelta
from typing import Annotated, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status
from pydantic import BeforeValidator, field_validator
from pydantic_core import PydanticCustomError

from ketnoi.accounts.access import principal_for
from ketnoi.accounts.models import Enterprise, Role
from ketnoi.api import MAX_ID, optional_caller, unit_param
from ketnoi.cases.api import ERRORS
from ketnoi.lib.workdays import TIMEZONE

from . import access, selectors, services
from .models import Minutes, Question, Registration, Session

router = Router(tags=["dialogue"])

UNIT_HELP = "A customs unit's id, or its VNACCS office code (02F3)."
MAX_QUESTIONS = 10
MAX_ATTENDEES = 20


# --- input types ---------------------------------------------------------------------------

DATE_FORMAT = gettext_lazy("Write the date as YYYY-MM-DD, for example 2026-03-06.")


def _iso_date(value):
    # Pydantic would also read 20260306 as seconds since 1970: only YYYY-MM-DD is a day here.
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return value.strip()
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    raise PydanticCustomError("format", str(DATE_FORMAT))


IsoDate = Annotated[date, BeforeValidator(_iso_date)]


# --- schemas -------------------------------------------------------------------------------
# Named Dialogue… so that they cannot replace another router's schema of the same name.

class DialogueUnitOut(Schema):
    id: int
    code: str = Field(description="VNACCS office code.", examples=["02F3"])
    name: str = Field(description="In the caller's language.")


class DialogueProgrammeOut(Schema):
    id: int
    name: str = Field(examples=["Cà phê sáng cùng doanh nghiệp"])
    rrule: str = Field(description="The recurrence, an RFC 5545 rule.", examples=["FREQ=MONTHLY;BYDAY=1FR"])
    schedule: str = Field(description="The recurrence in words, in the caller's language.",
                          examples=["Thứ Sáu đầu tiên hằng tháng"])
    url: str = Field(description="The programme's public page.")
    feed_url: str = Field(description="The programme's iCalendar feed (every session).")


class DialogueSessionOut(Schema):
    id: int
    programme: DialogueProgrammeOut
    unit: DialogueUnitOut = Field(description="The unit that holds the session.")
    number: int = Field(description="1 for the programme's first session, then 2, 3 …")
    starts_at: datetime = Field(description="Vietnam's time (+07:00).")
    ends_at: datetime
    venue: str
    status: str = Field(description="scheduled, cancelled or held.")
    status_label: str
    capacity: int = Field(description="Businesses the session can receive.")
    confirmed: int = Field(description="Businesses with a confirmed seat.")
    waiting: int = Field(description="Businesses on the waiting list.")
    seats_left: int
    max_attendees: int = Field(description="People each business may bring.")
    registration_closes_at: datetime
    registration_open: bool = Field(description="A business may register now (a full session takes it on the "
                                                 "waiting list).")
    change_reason: str = Field(description="Why the session was moved or cancelled; empty otherwise.")
    url: str = Field(description="The session's public page.")
    ics_url: str = Field(description="The session as an .ics file.")


class DialogueSessionPageOut(Schema):
    count: int
    items: list[DialogueSessionOut]


class DialogueSessionFilters(Schema):
    unit: str | None = Field(None, max_length=20, description=UNIT_HELP + " Its sessions and those of the units "
                                                                          "below it.")
    from_: IsoDate | None = Field(None, alias="from", description="YYYY-MM-DD: sessions that end on or after "
                                                                  "this day (default: now).")
    to: IsoDate | None = Field(None, description="YYYY-MM-DD: sessions that start on or before this day.")

    @field_validator("unit", "from_", "to", mode="before")
    @classmethod
    def _blank_is_none(cls, value):
        return None if isinstance(value, str) and not value.strip() else value  # an empty form field


class DialogueAttendeeIn(Schema):
    name: str = Field(max_length=150, examples=["Ngô Thị Hồng Nhung"])
    position: str = Field("", max_length=150, examples=["Trưởng phòng Xuất nhập khẩu"])


class DialogueQuestionIn(Schema):
    topic: str = Field(max_length=40, description="A topic's code (GET /api/v1/topics).", examples=["thue"])
    subject: str = Field(max_length=200, examples=["Hoàn thuế nhập khẩu nguyên liệu sản xuất xuất khẩu"])
    description: str = Field(max_length=20000)


class DialogueRegistrationIn(Schema):
    enterprise: str | None = Field(None, max_length=20, description="The enterprise registered: its id or tax code. "
                                                                    "Needed only when the caller acts for several.")
    attendees: list[DialogueAttendeeIn] = Field(max_length=MAX_ATTENDEES, description="Who will come: at least one, "
                                                "at most the programme's `max_attendees`.")
    questions: list[DialogueQuestionIn] = Field([], max_length=MAX_QUESTIONS, description="Questions sent ahead: "
                                                "each becomes a case of the enterprise, handled by the session's unit.")


class DialogueEnterpriseOut(Schema):
    id: int
    name: str
    tax_code: str


class DialogueAttendeeOut(Schema):
    name: str
    position: str


class DialogueQuestionCaseOut(Schema):
    id: int = Field(description="The question's id on the agenda.")
    case: str = Field(description="The case's reference.", examples=["VM-2026-000123"])
    case_url: str
    topic: str = Field(description="The topic's code.")
    subject: str
    case_status: str = Field(description="The case's status (see the cases API).")


class DialogueRegistrationOut(Schema):
    id: int
    session: int = Field(description="The session's id.")
    enterprise: DialogueEnterpriseOut
    status: str = Field(description="confirmed, waiting or cancelled.")
    status_label: str
    waiting_position: int | None = Field(description="1 for the first on the waiting list; null unless waiting.")
    attendees: list[DialogueAttendeeOut]
    questions: list[DialogueQuestionCaseOut]
    checkin_url: str | None = Field(description="The address the check-in QR code holds (confirmed only).")
    url: str = Field(description="The registration's page (its QR code, people and questions).")


class DialoguePersonOut(Schema):
    id: int
    name: str


class DialogueAgendaItemOut(Schema):
    position: int = Field(description="1, 2, 3 … in the agenda's order.")
    question: int = Field(description="The question's id.")
    case: str = Field(description="The case's reference.")
    topic: str = Field(description="The topic's code.")
    topic_name: str
    subject: str
    description: str
    enterprise: DialogueEnterpriseOut
    answerer: DialoguePersonOut | None = Field(description="The officer who will answer it.")
    outcome: str = Field(description="pending, answered (on the spot), follow_up or withdrawn.")
    outcome_label: str
    answer: str = Field(description="The answer given on the spot; empty otherwise.")
    follow_up_owner: DialoguePersonOut | None
    follow_up_due: date | None
    follow_up_note: str
    case_status: str


class DialogueAgendaOut(Schema):
    session: int
    items: list[DialogueAgendaItemOut]


class DialogueMinutesOut(Schema):
    session: int
    number: str = Field(description="Số, ký hiệu, e.g. 12/BB-HQCNC; empty while not numbered.")
    state: str = Field(description="draft or issued.")
    state_label: str
    opening: str
    conclusion: str
    signer_name: str
    signer_position: str
    issued_at: datetime | None
    docx_url: str = Field(description="The minutes as DOCX (this endpoint with ?format=docx).")
    pdf_url: str = Field(description="The minutes as PDF (this endpoint with ?format=pdf).")


class DialogueMinutesFilters(Schema):
    format: Literal["json", "docx", "pdf"] = Field("json", description="json (default), docx or pdf (the file).")


# --- serialising ---------------------------------------------------------------------------

def _page_url(path: str) -> str:
    return settings.KETNOI_BASE_URL + path


def _local(moment: datetime | None) -> datetime | None:
    return timezone.localtime(moment, TIMEZONE) if moment else None


def _schedule(rule: str) -> str:
    from ketnoi.lib import calendar_ics

    try:
        return calendar_ics.describe_rrule(rule, (translation.get_language() or "vi")[:2])
    except ValueError:
        return rule


def _session_out(session: Session, now: datetime) -> dict:
    programme, unit = session.programme, session.programme.unit
    confirmed = getattr(session, "confirmed_count", 0)
    return {
        "id": session.pk,
        "programme": {"id": programme.pk, "name": programme.name, "rrule": programme.rrule,
                      "schedule": _schedule(programme.rrule), "url": _page_url(programme.get_absolute_url()),
                      "feed_url": _page_url(reverse("dialogue:programme_ics", args=[programme.pk]))},
        "unit": {"id": unit.pk, "code": unit.code, "name": unit.name},
        "number": session.number, "starts_at": _local(session.starts_at), "ends_at": _local(session.ends_at),
        "venue": session.venue, "status": session.status, "status_label": session.get_status_display(),
        "capacity": session.capacity, "confirmed": confirmed, "waiting": getattr(session, "waiting_count", 0),
        "seats_left": max(session.capacity - confirmed, 0), "max_attendees": programme.max_attendees,
        "registration_closes_at": _local(session.registration_closes_at),
        "registration_open": session.status == Session.Status.SCHEDULED and now < session.registration_closes_at,
        "change_reason": session.change_reason,
        "url": _page_url(session.get_absolute_url()),
        "ics_url": _page_url(reverse("dialogue:session_ics", args=[session.pk])),
    }


def _enterprise_out(enterprise: Enterprise) -> dict:
    return {"id": enterprise.pk, "name": enterprise.name, "tax_code": enterprise.tax_code}


def _person(user) -> dict | None:
    return {"id": user.pk, "name": user.get_full_name()} if user else None


def _registration_out(registration: Registration) -> dict:
    questions = registration.questions.select_related("case", "case__topic").order_by("id")
    confirmed = registration.status == Registration.Status.CONFIRMED
    return {
        "id": registration.pk, "session": registration.session_id, "enterprise": _enterprise_out(registration.enterprise),
        "status": registration.status, "status_label": registration.get_status_display(),
        "waiting_position": selectors.waiting_position(registration),
        "attendees": [{"name": a.name, "position": a.position} for a in registration.attendees.order_by("id")],
        "questions": [{"id": q.pk, "case": q.case.reference,
                       "case_url": _page_url(reverse("cases:detail", args=[q.case.reference])),
                       "topic": q.case.topic.code, "subject": q.case.subject, "case_status": q.case.status}
                      for q in questions],
        "checkin_url": _page_url(reverse("dialogue:checkin_token", args=[services.checkin_token(registration)]))
        if confirmed else None,
        "url": _page_url(reverse("dialogue:registration", args=[registration.pk])),
    }


def _agenda_item(position: int, question: Question) -> dict:
    case = question.case
    return {
        "position": position, "question": question.pk, "case": case.reference, "topic": case.topic.code,
        "topic_name": case.topic.name, "subject": case.subject, "description": case.description,
        "enterprise": _enterprise_out(case.enterprise), "answerer": _person(question.answerer),
        "outcome": question.outcome, "outcome_label": question.get_outcome_display(),
        "answer": question.answer_text, "follow_up_owner": _person(question.follow_up_owner),
        "follow_up_due": question.follow_up_due, "follow_up_note": question.follow_up_note,
        "case_status": case.status,
    }


# --- parsing -------------------------------------------------------------------------------





def _session(session_id: int) -> Session:
    """The session with its seat counts; 404 when there is none."""
    found = Session.objects.select_related("programme").filter(pk=session_id).first() if session_id <= MAX_ID else None
    if found is None:
        raise Http404
    return selectors.programme_sessions(found.programme).select_related("programme", "programme__unit").get(pk=found.pk)


def _enterprise_for(p, ref: str | None) -> Enterprise:
    """The enterprise the caller registers: the one it acts for, or the one named."""
    mine = p.enterprises(Role.BUSINESS)
    if not mine:
        raise PermissionDenied
    if ref is None or not ref.strip():
        if len(mine) > 1:
            raise ValidationError({"enterprise": _("You act for several enterprises: say which one you register "
                                                   "(its id or tax code).")})
        return Enterprise.objects.get(pk=next(iter(mine)))
    ref = ref.strip()
    found = Enterprise.objects.filter(tax_code=ref).first()
    if found is None and ref.isdecimal() and int(ref) <= MAX_ID:
        found = Enterprise.objects.filter(pk=int(ref)).first()
    if found is None or found.pk not in mine:
        raise ValidationError({"enterprise": _("You do not act for an enterprise with the id or tax code "
                                               "“%(enterprise)s”.") % {"enterprise": ref[:20]}})
    return found


# --- endpoints -----------------------------------------------------------------------------

@router.get("/dialogue/sessions", auth=None, response={200: DialogueSessionPageOut, **ERRORS},
            summary="The calendar of dialogue sessions; public",
            description="Sessions of the active programmes, the soonest first, with the seats taken and left (counts "
                        "only) and whether registration is open: without `from`, those not held yet; with `from`, "
                        "every session of the period, held ones included. A cancelled session "
                        "stays on the calendar with its status. Filter by `unit` (id or office code: its sessions "
                        "and those of the units below it), `from` and `to` (YYYY-MM-DD, Vietnam's days).")
def sessions(request, filters: Query[DialogueSessionFilters]):
    optional_caller(request)
    unit = unit_param(filters.unit) if filters.unit else None
    if filters.from_ and filters.to and filters.to < filters.from_:
        raise ValidationError({"to": _("The last day cannot be before the first day.")})
    start = datetime.combine(filters.from_, time(0), tzinfo=TIMEZONE) if filters.from_ else None
    end = datetime.combine(filters.to + timedelta(days=1), time(0), tzinfo=TIMEZONE) if filters.to else None
    # A period asked for may be in the past: its held sessions are part of the answer.
    found = list(selectors.upcoming_sessions(unit=unit, start=start, end=end, include_held=start is not None))
    now = timezone.now()
    return {"count": len(found), "items": [_session_out(s, now) for s in found]}


@router.get("/dialogue/sessions/{int:session_id}", auth=None, response={200: DialogueSessionOut, **ERRORS},
            summary="One dialogue session; public",
            description="The session with its programme, unit, time, venue, status and seats (counts only). 404 for "
                        "an unknown session.")
def session(request, session_id: int):
    optional_caller(request)
    return _session_out(_session(session_id), timezone.now())


@router.post("/dialogue/sessions/{int:session_id}/registrations", response={201: DialogueRegistrationOut, **ERRORS},
             summary="Register a business for a session, with its people and questions",
             description="For a business user. `status` is confirmed while seats are left, else waiting (with its "
                         "`waiting_position`): a seat that frees up goes to the first waiting, who is e-mailed. "
                         "Each question becomes a case of the enterprise (channel dialogue) handled by the session's "
                         "unit: `questions` gives their references. The confirmation e-mail carries the .ics and the "
                         "check-in QR code. 400 naming the field when registration is closed, the session is "
                         "cancelled, the enterprise is already registered, no one or too many people would come, or "
                         "a question is incomplete; nothing is saved then. 403 for anyone but a business user.")
def register(request, session_id: int, payload: DialogueRegistrationIn):
    item = _session(session_id)
    p = principal_for(request.auth)
    enterprise = _enterprise_for(p, payload.enterprise)
    registration = services.registration_create(
        session=item, by=request.auth, enterprise=enterprise,
        attendees=[{"name": a.name, "position": a.position} for a in payload.attendees],
        questions=[{"topic": q.topic, "subject": q.subject, "description": q.description} for q in payload.questions])
    return Status(201, _registration_out(Registration.objects.select_related("enterprise").get(pk=registration.pk)))


@router.get("/dialogue/sessions/{int:session_id}/agenda", response={200: DialogueAgendaOut, **ERRORS},
            summary="A session's agenda (the staff who run it)",
            description="The questions in the agenda's order (grouped by topic unless a leader reordered them), each "
                        "with its case, business, the officer who will answer it and what became of it. For the "
                        "staff of the session's unit and the units above it, its hosts and coordinators; 403 for "
                        "anyone else.")
def agenda(request, session_id: int):
    item = _session(session_id)
    if not access.may_run_session(principal_for(request.auth), item):
        raise PermissionDenied
    return {"session": item.pk,
            "items": [_agenda_item(i, q) for i, q in enumerate(selectors.agenda(item), start=1)]}


@router.get("/dialogue/sessions/{int:session_id}/minutes", response={200: DialogueMinutesOut, **ERRORS},
            summary="A session's minutes (the staff who run it), as JSON, DOCX or PDF",
            description="The minutes (biên bản) as they stand, draft or issued, with links to the DOCX and PDF "
                        "files; `format=docx` or `format=pdf` answers the file itself (Vietnamese administrative "
                        "layout, Decree 30/2020/NĐ-CP). 404 while no minutes are written; 403 for anyone but the "
                        "staff who run the session.")
def minutes(request, session_id: int, filters: Query[DialogueMinutesFilters]):
    item = _session(session_id)
    if not access.may_run_session(principal_for(request.auth), item):
        raise PermissionDenied
    record = Minutes.objects.filter(session=item).first()
    if record is None:
        raise Http404
    if filters.format in ("docx", "pdf"):
        from . import documents

        if filters.format == "docx":
            content = documents.minutes_docx(record)
            mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        else:
            content, mime = documents.minutes_pdf(record), "application/pdf"
        response = HttpResponse(content, content_type=mime)
        response["Content-Disposition"] = f'attachment; filename="bien-ban-phien-{item.pk}.{filters.format}"'
        response["Cache-Control"] = "private, no-store"
        return response
    base = _page_url(request.path)
    return {
        "session": item.pk, "number": record.number, "state": record.state, "state_label": record.get_state_display(),
        "opening": record.opening, "conclusion": record.conclusion, "signer_name": record.signer_name,
        "signer_position": record.signer_position, "issued_at": _local(record.issued_at),
        "docx_url": f"{base}?format=docx", "pdf_url": f"{base}?format=pdf",
    }
