"""The cases API: topics, the case queue, filing, and the actions on one case.

Every endpoint is thin: parse the input, find the case through `selectors.case_for` (a case the
caller may not see answers 404, so that references cannot be probed), call one service, answer
with the case or the event. The services decide who may act (a refusal on a case the caller
sees is a 403) and validate (a 400 whose `details` names the fields).

Optimistic locking: GET of a case answers its version as an `ETag` (and as `version`); an action
sent with `If-Match: "<version>"` (or the `version` field) is refused, changing nothing, when the
case has changed since: 412 for the header, 409 for the field. Without either, the action is
applied to the case as it is (the API's behaviour before versions).
"""

import re

from datetime import datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status
from pydantic import StringConstraints

from ketnoi.accounts.access import principal_for
from ketnoi.accounts.models import Enterprise, Role, User, clean_tax_code
from ketnoi.org.models import Unit

from . import access, selectors, services
from .models import Case, CaseEvent, Channel, Status as CaseStatus, Topic
from .selectors import SORTS

router = Router(tags=["cases"])

ON_BEHALF_CHANNELS = [Channel.PHONE, Channel.LETTER, Channel.EMAIL, Channel.DIALOGUE]
MAX_PAGE_SIZE = 100
# Declaration numbers and HS codes are short; a list longer than this is not a typing mistake.
MAX_IDENTIFIERS = 100
Identifier = Annotated[str, StringConstraints(max_length=40)]


# --- schemas -------------------------------------------------------------------------------

class ErrorBody(Schema):
    code: str
    message: str
    details: Any = None


class ErrorOut(Schema):
    error: ErrorBody


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
# An action on one case: also refused when the case changed since the caller read it.
ACTION_ERRORS = {**ERRORS, 409: ErrorOut, 412: ErrorOut}
VERSION_HELP = ("The case's `version` as you read it (GET /api/v1/cases/{reference}): if the case changed "
                "since, nothing is done and the answer is 409. Or send it as the If-Match header.")
IF_MATCH_HELP = ("The ETag of GET /api/v1/cases/{reference}, for example \"7\": if the case changed since, "
                 "nothing is done and the answer is 412.")
ETAG = re.compile(r'"(\d{1,9})"')


class TopicOut(Schema):
    code: str
    name_vi: str
    name_en: str
    requires_approval: bool = Field(description="An officer's answer waits for a unit leader's approval.")


class CaseSummaryOut(Schema):
    reference: str = Field(examples=["VM-2026-000123"])
    status: str = Field(description="new, in_progress, waiting, pending_approval, answered, resolved or forwarded.")
    status_label: str = Field(description="The status in the caller's language.")
    topic: str = Field(description="Topic code (GET /api/v1/topics).")
    subject: str
    enterprise: str = Field(description="Tax code of the enterprise.")
    enterprise_name: str
    unit: str | None = Field(description="VNACCS office code of the handling unit; null while the case "
                                         "waits in the department coordinators' queue.")
    unit_name: str | None
    channel: str = Field(description="web, api, phone, letter, email or dialogue.")
    priority: bool = Field(description="Filed by a priority (AEO) enterprise: shorter deadlines.")
    received_at: datetime
    acknowledge_due_at: datetime | None
    acknowledged_at: datetime | None
    due_at: datetime | None = Field(description="When the answer is due.")
    waiting_since: datetime | None = Field(description="The clock is stopped while the case waits for the business.")
    overdue: bool
    work_hours_left: float | None = Field(description="Office hours until the answer is due (negative when "
                                                      "overdue; frozen while waiting); null once answered.")
    answered_at: datetime | None
    resolved_at: datetime | None
    rating: int | None
    # Internal to customs: null when the caller is the business.
    assignee: str | None = Field(description="Username of the officer handling the case (staff only).")
    level: str | None = Field(description="unit or department (staff only).")
    escalation_step: int | None = Field(description="0, 1 (unit leader), 2 (department) (staff only).")
    needs_review: bool | None = Field(description="A poor rating awaits the unit leader's review (staff only).")


class CaseOut(CaseSummaryOut):
    version: int = Field(description="One more at every change of the case; also its ETag. Send it back with an "
                                     "action (If-Match or `version`) to be sure nobody changed the case meanwhile.")
    description: str
    declaration_numbers: list[str]
    hs_codes: list[str]
    named_unit: str | None = Field(description="The unit the business named; null for “not sure”.")
    rating_comment: str
    rated_at: datetime | None
    forwarded_to: str


class CasePageOut(Schema):
    items: list[CaseSummaryOut]
    count: int
    page: int
    page_size: int


class EventOut(Schema):
    id: int
    kind: str
    kind_label: str
    at: datetime
    actor: str | None = Field(description="Name of the person who acted; null for the system.")
    body: str
    public: bool = Field(description="Visible to the business.")


class CaseFilters(Schema):
    status: Literal[tuple(["open", *CaseStatus.values])] | None = Field(
        None, description="A status, or “open” for every status still being handled.")
    unit: str | None = Field(None, max_length=20, description="VNACCS office code of the handling unit.")
    topic: str | None = Field(None, max_length=100, description="Topic code.")
    overdue: bool = False
    q: str = Field("", max_length=200, description="A reference, words of the subject, an enterprise's name or tax code.")
    sort: Literal[tuple(SORTS)] = "due"
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


class CaseIn(Schema):
    topic: str = Field(max_length=100, description="Topic code (GET /api/v1/topics).")
    subject: str
    description: str
    declaration_numbers: list[Identifier] = Field([], max_length=MAX_IDENTIFIERS,
                                                  description="Customs declaration numbers, 12 digits each.")
    hs_codes: list[Identifier] = Field([], max_length=MAX_IDENTIFIERS,
                                       description="HS codes, 8 digits (0000.00.00 accepted).")
    unit: str | None = Field(None, max_length=20, description="VNACCS office code of the unit where the business "
                                                             "does its procedures; null if it is not sure.")
    enterprise: str | None = Field(None, max_length=20, description="Tax code. Staff entering a case on behalf of a "
                                                                   "business give it; a business user may leave it out.")
    channel: Literal["api", "phone", "letter", "email", "dialogue"] | None = Field(
        None, description="How staff received the case (phone, letter, email, dialogue). A business user leaves it out.")


class MessageIn(Schema):
    body: str
    internal: bool = Field(False, description="An internal note customs staff alone see.")
    version: int | None = Field(None, ge=1, description=VERSION_HELP)


class AssignIn(Schema):
    assignee: str | None = Field(None, max_length=150, description="Username of an officer; null to take the case yourself.")
    version: int | None = Field(None, ge=1, description=VERSION_HELP)


class AnswerIn(Schema):
    body: str
    version: int | None = Field(None, ge=1, description=VERSION_HELP)


class RatingIn(Schema):
    score: int = Field(json_schema_extra={"minimum": 1, "maximum": 5},
                       description="1 (very poor) to 5 (very good). 2 or less reopens the case for the leader's review.")
    comment: str = ""
    version: int | None = Field(None, ge=1, description=VERSION_HELP)


# --- serialising ---------------------------------------------------------------------------

def _local(moment: datetime | None) -> datetime | None:
    """Times are given in Vietnam's time (+07:00), like everywhere else on the platform."""
    return timezone.localtime(moment) if moment else None


def _work_hours_left(case: Case, now: datetime) -> float | None:
    left = selectors.work_hours_left(case, now)
    return None if left is None else round(left, 1)


def _summary(case: Case, p, now: datetime) -> dict:
    staff = p.is_staff_member and not access.is_business_party(p, case)
    return {
        "reference": case.reference, "status": case.status, "status_label": case.get_status_display(),
        "topic": case.topic.code, "subject": case.subject,
        "enterprise": case.enterprise.tax_code, "enterprise_name": case.enterprise.name,
        "unit": (case.unit.code or None) if case.unit_id else None,
        "unit_name": case.unit.name if case.unit_id else None,
        "channel": case.channel, "priority": case.priority, "received_at": _local(case.received_at),
        "acknowledge_due_at": _local(case.acknowledge_due_at), "acknowledged_at": _local(case.acknowledged_at),
        "due_at": _local(case.due_at), "waiting_since": _local(case.paused_at), "overdue": case.is_overdue,
        "work_hours_left": _work_hours_left(case, now), "answered_at": _local(case.answered_at),
        "resolved_at": _local(case.resolved_at), "rating": case.rating,
        "assignee": (case.assignee.get_username() if case.assignee_id else None) if staff else None,
        "level": case.level if staff else None,
        "escalation_step": case.escalation_step if staff else None,
        "needs_review": case.needs_review if staff else None,
    }


def _case_out(case: Case, p) -> dict:
    return {
        **_summary(case, p, timezone.now()), "version": case.version,
        "description": case.description, "declaration_numbers": case.declaration_numbers,
        "hs_codes": case.hs_codes, "named_unit": (case.named_unit.code or None) if case.named_unit_id else None,
        "rating_comment": case.rating_comment, "rated_at": _local(case.rated_at), "forwarded_to": case.forwarded_to,
    }


def _event_out(event: CaseEvent) -> dict:
    return {
        "id": event.pk, "kind": event.kind, "kind_label": event.get_kind_display(), "at": _local(event.at),
        "actor": event.actor.get_full_name() if event.actor_id else None, "body": event.body,
        "public": event.public,
    }


# --- parsing -------------------------------------------------------------------------------

def _visible_case(request, reference: str):
    """The caller's principal and the case, or 404 when it does not exist or they may not see it."""
    p = principal_for(request.auth)
    case = selectors.case_for(p=p, reference=reference)
    if case is None:
        raise Http404
    return p, case


def _unit_by_code(code: str, field: str) -> Unit:
    code = code.strip()
    unit = Unit.objects.filter(code__iexact=code).first() if code else None
    if unit is None:
        raise ValidationError({field: _("No customs unit has the office code “%(code)s”. Use a code from "
                                        "GET /api/v1/units, or null if you are not sure.") % {"code": code[:20]}})
    return unit


def _filing_party(p, payload: CaseIn) -> tuple[Enterprise, str]:
    """The enterprise a case is filed for and the channel: a business files for itself through
    the API; staff enter a case received by phone, letter, e-mail or at a dialogue session."""
    mine = p.enterprises(Role.BUSINESS)
    if payload.enterprise is None:
        if p.is_staff_member and not mine:
            raise ValidationError({"enterprise": _("Give the tax code of the enterprise whose difficulty you enter.")})
        if len(mine) > 1:
            raise ValidationError({"enterprise": _("You act for several enterprises: give the tax code of the one "
                                                   "that files this difficulty.")})
        if not mine:
            raise PermissionDenied
        return Enterprise.objects.get(pk=next(iter(mine))), payload.channel or Channel.API
    try:
        tax_code = clean_tax_code(payload.enterprise)
    except ValidationError as error:
        raise ValidationError({"enterprise": error.messages}) from error
    if not p.is_staff_member:
        # A business may name only its own enterprise: others are not looked up at all.
        enterprise = Enterprise.objects.filter(pk__in=mine, tax_code=tax_code).first()
        if enterprise is None:
            raise PermissionDenied
        return enterprise, payload.channel or Channel.API
    enterprise = Enterprise.objects.filter(tax_code=tax_code).first()
    if enterprise is None:
        raise ValidationError({"enterprise": _("No enterprise with the tax code %(tax_code)s is registered. "
                                               "Register it first.") % {"tax_code": tax_code}})
    if payload.channel not in ON_BEHALF_CHANNELS:
        raise ValidationError({"channel": _("Say how the difficulty was received: phone, letter, email or dialogue.")})
    return enterprise, payload.channel


def _etag(case: Case) -> str:
    return f'"{case.version}"'


def _versioned(if_match: str | None, version: int | None, act):
    """Run `act(expected_version)`, the service call of one action; its result, or the 412/409
    answer when the case changed since the caller read it (the service changed nothing).

    If-Match names the version as an entity tag (`"7"`, the ETag of GET); `*` asks for no check.
    A weak or malformed tag can never match (RFC 9110 §13.1.1): 412."""
    header = (if_match or "").strip()
    if header and header != "*":
        found = ETAG.fullmatch(header)
        if found is None:
            return Status(412, _error("precondition_failed", _(
                "If-Match must be the ETag that GET /api/v1/cases/{reference} answered, for example \"7\".")))
        expected, status, code = int(found.group(1)), 412, "precondition_failed"
    else:
        expected, status, code = version, 409, "conflict"
    try:
        return act(expected)
    except services.CaseChanged as error:
        return Status(status, _error(code, " ".join(error.messages)))


def _error(code: str, message: str) -> dict:
    return {"error": {"code": code, "message": message}}


# --- endpoints -----------------------------------------------------------------------------

@router.get("/topics", auth=None, response=list[TopicOut], summary="The topics a difficulty can be about; public")
def topics(request):
    return list(selectors.topics())


@router.get("/cases", response={200: CasePageOut, **ERRORS}, summary="The cases the caller may see, filtered and paginated",
            description="A business sees its own enterprise's cases; an officer its units' cases and those shared "
                        "with them; a coordinator every case. `count` counts every matching case.")
def cases_list(request, filters: Query[CaseFilters]):
    p = principal_for(request.auth)
    unit_id = _unit_by_code(filters.unit, "unit").pk if filters.unit and filters.unit.strip() else None
    if filters.topic and not Topic.objects.filter(code=filters.topic).exists():
        raise ValidationError({"topic": _("No topic has the code “%(code)s”. Use a code from GET /api/v1/topics.")
                               % {"code": filters.topic[:40]}})
    qs = selectors.case_queue(p=p, status=filters.status, topic=filters.topic, unit=unit_id,
                              overdue=filters.overdue, q=filters.q, sort=filters.sort)
    # An exact COUNT: fast on the (unit, status, due_at) index for an officer's queue; for a
    # coordinator with no filter it scans every row (see bench/ for the figures at 1M cases).
    count = qs.count()
    start = (filters.page - 1) * filters.page_size
    now = timezone.now()
    items = [_summary(case, p, now) for case in qs[start:start + filters.page_size]]
    return {"items": items, "count": count, "page": filters.page, "page_size": filters.page_size}


@router.post("/cases", response={201: CaseOut, **ERRORS}, summary="File a difficulty",
             description="A business user files for its enterprise (channel `api`). Staff enter a difficulty "
                         "received by phone, letter, e-mail or at a dialogue session: they give `enterprise` "
                         "(tax code) and `channel`. The case is routed to the unit named in `unit` unless a "
                         "routing rule for its topic says otherwise. Attachments cannot be sent through the "
                         "API: add them on the case page.")
def case_create(request, payload: CaseIn):
    p = principal_for(request.auth)
    enterprise, channel = _filing_party(p, payload)
    named_unit = _unit_by_code(payload.unit, "unit") if payload.unit and payload.unit.strip() else None
    case = services.case_file(enterprise=enterprise, by=request.auth, topic=payload.topic, subject=payload.subject,
                              description=payload.description, declaration_numbers=payload.declaration_numbers,
                              hs_codes=payload.hs_codes, named_unit=named_unit, channel=channel)
    return Status(201, _case_out(case, p))


@router.get("/cases/{reference}", response={200: CaseOut, **ERRORS}, summary="One case",
            description="404 when the case does not exist or the caller may not see it. The ETag header is the "
                        "case's version: send it back as If-Match with an action.")
def case_detail(request, reference: str, response: HttpResponse):
    p, case = _visible_case(request, reference)
    response["ETag"] = _etag(case)
    return _case_out(case, p)


@router.post("/cases/{reference}/messages", response={201: EventOut, **ACTION_ERRORS}, summary="Write on a case",
             description="From the business: a reply (it restarts the clock, or reopens an answered case). "
                         "From customs staff: a message to the business, or an internal note with `internal`.")
def case_message(request, reference: str, payload: MessageIn, response: HttpResponse,
                 if_match: str | None = Header(None, alias="If-Match", description=IF_MATCH_HELP)):
    _p, case = _visible_case(request, reference)

    def act(expected_version):
        event = services.case_message(case=case, body=payload.body, by=request.auth, internal=payload.internal,
                                      expected_version=expected_version)
        response["ETag"] = _etag(event.case)
        return Status(201, _event_out(event))
    return _versioned(if_match, payload.version, act)


@router.post("/cases/{reference}/assign", response={200: CaseOut, **ACTION_ERRORS}, summary="Assign a case to an officer",
             description="Officers take a case (`assignee` null); unit leaders and coordinators assign it to an "
                         "officer of the handling unit.")
def case_assign(request, reference: str, payload: AssignIn, response: HttpResponse,
                if_match: str | None = Header(None, alias="If-Match", description=IF_MATCH_HELP)):
    p, case = _visible_case(request, reference)
    if payload.assignee is None:
        assignee = request.auth
    else:
        # Checked before the look-up, so that a caller who may not assign cannot probe usernames.
        if not access.may_handle(p, case):
            raise PermissionDenied
        assignee = User.objects.filter(username=payload.assignee, is_active=True).first()
        if assignee is None:
            raise ValidationError({"assignee": _("Choose an officer of the unit that handles the case.")})

    def act(expected_version):
        done = services.case_assign(case=case, assignee=assignee, by=request.auth, expected_version=expected_version)
        response["ETag"] = _etag(done)
        return _case_out(done, p)
    return _versioned(if_match, payload.version, act)


@router.post("/cases/{reference}/answer", response={200: CaseOut, **ACTION_ERRORS}, summary="Answer the business",
             description="Sent at once (status `answered`), or, when the topic requires it and the author is "
                         "neither a unit leader nor a coordinator, kept for a leader's approval "
                         "(status `pending_approval`).")
def case_answer(request, reference: str, payload: AnswerIn, response: HttpResponse,
                if_match: str | None = Header(None, alias="If-Match", description=IF_MATCH_HELP)):
    p, case = _visible_case(request, reference)

    def act(expected_version):
        done = services.case_answer(case=case, body=payload.body, by=request.auth, expected_version=expected_version)
        response["ETag"] = _etag(done)
        return _case_out(done, p)
    return _versioned(if_match, payload.version, act)


@router.post("/cases/{reference}/accept", response={200: CaseOut, **ACTION_ERRORS}, summary="Accept the answer (business)",
             description="The case is resolved; it can then be rated.")
def case_accept(request, reference: str, response: HttpResponse,
                if_match: str | None = Header(None, alias="If-Match", description=IF_MATCH_HELP)):
    p, case = _visible_case(request, reference)

    def act(expected_version):
        done = services.case_accept(case=case, by=request.auth, expected_version=expected_version)
        response["ETag"] = _etag(done)
        return _case_out(done, p)
    return _versioned(if_match, None, act)


@router.post("/cases/{reference}/rating", response={200: CaseOut, **ACTION_ERRORS}, summary="Rate the answer (business)",
             description="Once, after the case is resolved; a score of 2 or less reopens it for the unit "
                         "leader's review.")
def case_rate(request, reference: str, payload: RatingIn, response: HttpResponse,
              if_match: str | None = Header(None, alias="If-Match", description=IF_MATCH_HELP)):
    p, case = _visible_case(request, reference)

    def act(expected_version):
        done = services.case_rate(case=case, score=payload.score, comment=payload.comment, by=request.auth,
                                  expected_version=expected_version)
        response["ETag"] = _etag(done)
        return _case_out(done, p)
    return _versioned(if_match, payload.version, act)


@router.get("/cases/{reference}/timeline", response={200: list[EventOut], **ERRORS}, summary="The case's timeline",
            description="Every event, oldest first; a business sees only the events visible to it.")
def case_timeline(request, reference: str):
    p, case = _visible_case(request, reference)
    return [_event_out(event) for event in selectors.timeline(case=case, p=p)]
