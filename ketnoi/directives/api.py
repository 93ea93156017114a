"""The directives API: what is in force on a day, one directive with its versions and who
acknowledged it, issuing (coordinators) and acknowledging (a unit's leader or delegate).

Directives are internal to customs: a caller who is not customs staff gets 403 on every
endpoint; a directive the caller may not see answers 404, so that ids cannot be probed. Every
endpoint is thin: parse, check access, call one selector or service, answer. The services
decide who may act (403) and validate (400 whose `details` names the fields); malformed input
is a 422.
"""

import re
from datetime import date, datetime
from typing import Annotated, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Body, Field, Query, Router, Schema, Status
from pydantic import BaseModel, BeforeValidator, StringConstraints, field_validator
from pydantic_core import PydanticCustomError

from ketnoi.accounts.access import principal_for
from ketnoi.api import MAX_ID
from ketnoi.cases.api import ERRORS
from ketnoi.org.models import Unit

from . import access, selectors, services
from .access import units_with_ancestors
from .models import Change, Directive, Recipient, Target, Urgency

router = Router(tags=["directives"])

MAX_PAGE_SIZE = 100
# Far beyond any id a department reaches (as in the knowledge API); keeps a number typed in a
# path or body inside the engines' integer range (SQLite overflows past 2**63).
# A directive's text runs to a few pages; a longer body is a pasted file, not a directive.
MAX_TARGET_UNITS = 200
UNIT_HELP = "A unit's id, or its VNACCS office code (02CI); divisions have no code, only an id."


# --- input types ---------------------------------------------------------------------------

DATE_FORMAT = gettext_lazy("Write the date as YYYY-MM-DD, for example 2026-03-09.")
DATETIME_FORMAT = gettext_lazy("Write the time as YYYY-MM-DDThh:mm, for example 2026-03-09T08:30 (Vietnam's time "
                               "unless an offset is given).")


def _format_error(message) -> PydanticCustomError:
    return PydanticCustomError("format", str(message))  # in the caller's language, read at validation


def _iso_date(value):
    # Pydantic would also read 20260309 as seconds since 1970: only YYYY-MM-DD is a day here.
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return value.strip()
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    raise _format_error(DATE_FORMAT)


def _iso_datetime(value):
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.{0,30}", value.strip()):
        return value.strip()
    if isinstance(value, datetime):
        return value
    raise _format_error(DATETIME_FORMAT)


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
IsoDateTime = Annotated[datetime, BeforeValidator(_iso_datetime)]
UNIT_REF = gettext_lazy("Give a unit's id (a number) or its office code (a text such as \"02CI\").")


def _unit_ref(value):
    # One clear message instead of one per member of the union (“constrained-int”, “constrained-str”).
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise _format_error(UNIT_REF)
    if isinstance(value, int) and not 1 <= value <= MAX_ID or isinstance(value, str) and len(value) > 20:
        raise _format_error(UNIT_REF)
    return value


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
UnitCode = Annotated[str, StringConstraints(max_length=20)]
UnitRef = Annotated[int | str, BeforeValidator(_unit_ref)]


# --- schemas -------------------------------------------------------------------------------

class DirectiveUnitOut(Schema):
    id: int
    code: str = Field(description="VNACCS office code; empty for a division.", examples=["02CI"])
    name: str = Field(description="In the caller's language.")


class DirectiveRecipientOut(Schema):
    unit: DirectiveUnitOut
    ack_due_at: datetime | None = Field(description="When the unit must have acknowledged; null when no "
                                                    "acknowledgement is asked.")
    acknowledged_at: datetime | None
    acknowledged_by: str | None = Field(description="Name of the leader or delegate who acknowledged.")
    acknowledgement: str = Field(description="not_required, pending, overdue, on_time or late.")
    escalated_at: datetime | None = Field(description="When the missing acknowledgement was escalated.")
    reported_at: datetime | None = Field(description="When the implementation report was filed.")
    report: str = Field(description="The implementation report: not_required, pending, overdue, on_time or late.")
    report_text: str


class DirectiveSummaryOut(Schema):
    id: int
    number: str = Field(examples=["125/HQHCM-VP"])
    title: str
    version: int = Field(description="1 for the first version of a directive, 2 for the one replacing or "
                                     "amending it …")
    change: str = Field(description="new, replaces or amends (the previous version).")
    previous_id: int | None = Field(description="The version this one replaces or amends.")
    issuing_unit: DirectiveUnitOut
    signer_name: str
    signer_title: str
    issued_at: datetime
    effective_from: date
    effective_to: date | None
    superseded_from: date | None = Field(description="The day the next version takes effect: this one is in "
                                                     "force until the day before.")
    urgency: str = Field(description="normal, urgent, very_urgent or immediate.")
    urgency_label: str
    ack_within_hours: int | None = Field(description="Hours after issue within which each unit acknowledges.")
    report_due: date | None = Field(description="The day the implementation reports are due.")
    url: str = Field(description="The directive's page.")
    recipients: list[DirectiveRecipientOut] = Field(
        description="The caller's own units this version was sent to, and where each stands.")


class DirectivePageOut(Schema):
    items: list[DirectiveSummaryOut]
    count: int
    page: int
    page_size: int
    in_force_on: date | None = Field(description="The day listed; null for a search over every version.")


class DirectiveAttachmentOut(Schema):
    id: int
    name: str
    size: int = Field(description="Bytes.")
    content_type: str
    url: str = Field(description="Download through the directive's page (signed in).")


class DirectiveVersionOut(Schema):
    id: int
    version: int
    number: str
    change: str
    issued_at: datetime
    effective_from: date
    superseded_from: date | None


class DirectiveOut(DirectiveSummaryOut):
    body: str
    target: str = Field(description="all, units or kinds: how the units it was sent to were chosen.")
    in_force_today: bool
    attachments: list[DirectiveAttachmentOut]
    versions: list[DirectiveVersionOut] = Field(description="Every version of the directive, oldest first.")
    recipients: list[DirectiveRecipientOut] = Field(
        description="Every unit it was sent to for a coordinator; the caller's own units for others.")


class DirectiveFilters(Schema):
    in_force_on: IsoDate | None = Field(None, description="YYYY-MM-DD; default today (Vietnam's time). With `q`, "
                                                          "keeps the matches in force that day.")
    unit: UnitCode | None = Field(None, description=UNIT_HELP + " What was sent to it or to a unit above it. "
                                                    "Officers and leaders may name only their own units.")
    q: str = Field("", max_length=200, description="Search the number, title and text instead (with or without "
                                                   "diacritics): every version the caller may see, best first.")
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)

    @field_validator("in_force_on", mode="before")
    @classmethod
    def _blank_is_today(cls, value):
        return None if isinstance(value, str) and not value.strip() else value  # an empty form field


class DirectiveIn(Schema):
    number: str = Field(examples=["125/HQHCM-VP"], description="Number/symbol, as on the document.")
    title: str
    body: str = Field(max_length=services.MAX_BODY, description="The whole text as it now stands, one paragraph a line.")
    issuing_unit: UnitRef = Field(description=UNIT_HELP, examples=["02"])
    signer_name: str
    signer_title: str = ""
    issued_at: IsoDateTime | None = Field(None, description="Default now; Vietnam's time unless an offset is given.")
    effective_from: IsoDate | None = Field(None, description="Default the day of issue.")
    effective_to: IsoDate | None = None
    urgency: Literal[tuple(Urgency.values)] = Urgency.NORMAL
    target: Literal[tuple(Target.values)] = Field(Target.ALL, description="all (every branch and division), "
                                                                          "units (`target_units`) or kinds "
                                                                          "(`target_kinds`).")
    target_kinds: list[Literal[tuple(Unit.Kind.values)]] = Field([], max_length=len(Unit.Kind.values))
    target_units: list[UnitRef] = Field([], max_length=MAX_TARGET_UNITS, description=UNIT_HELP,
                                        examples=[["02CI", "02DS"]])
    ack_within_hours: int | None = Field(None, description="1 to 720; null when no acknowledgement is asked.")
    report_due: IsoDate | None = None
    previous_id: Id | None = Field(None, description="The latest version of the directive this one replaces or "
                                                     "amends.")
    change: Literal[Change.REPLACES.value, Change.AMENDS.value] | None = Field(
        None, description="With `previous_id`: replaces or amends.")


# A plain pydantic model: ninja's Schema reads attributes of anything, so a list or a text sent
# as the body would pass as "no unit".
class DirectiveAcknowledgementIn(BaseModel):
    unit: UnitRef | None = Field(None, description=UNIT_HELP + " May be left out when the caller acknowledges for "
                                                               "exactly one unit the directive was sent to.")


# --- serialising ---------------------------------------------------------------------------

def _local(moment: datetime | None) -> datetime | None:
    return timezone.localtime(moment) if moment else None


def _page_url(path: str) -> str:
    return settings.KETNOI_BASE_URL + path


def _unit_out(unit: Unit) -> dict:
    return {"id": unit.pk, "code": unit.code, "name": unit.name}


def _recipient_out(recipient: Recipient, now: datetime) -> dict:
    cell = selectors.cell_for(recipient, now=now)
    return {
        "unit": _unit_out(recipient.unit), "ack_due_at": _local(recipient.ack_due_at),
        "acknowledged_at": _local(recipient.acknowledged_at),
        "acknowledged_by": recipient.acknowledged_by.get_full_name() if recipient.acknowledged_by_id else None,
        "acknowledgement": cell.acknowledgement, "escalated_at": _local(recipient.escalated_at),
        "reported_at": _local(recipient.reported_at), "report": cell.report, "report_text": recipient.report_text,
    }


def _summary(directive: Directive, recipients: list[Recipient], now: datetime) -> dict:
    return {
        "id": directive.pk, "number": directive.number, "title": directive.title, "version": directive.version,
        "change": directive.change, "previous_id": directive.previous_id,
        "issuing_unit": _unit_out(directive.issuing_unit), "signer_name": directive.signer_name,
        "signer_title": directive.signer_title, "issued_at": _local(directive.issued_at),
        "effective_from": directive.effective_from, "effective_to": directive.effective_to,
        "superseded_from": directive.superseded_from, "urgency": directive.urgency,
        "urgency_label": directive.get_urgency_display(), "ack_within_hours": directive.ack_within_hours,
        "report_due": directive.report_due, "url": _page_url(directive.get_absolute_url()),
        "recipients": [_recipient_out(r, now) for r in recipients],
    }


def _recipients(directives: list[Directive], unit_ids=None) -> dict[int, list[Recipient]]:
    """The recipient rows of `directives` (of `unit_ids` only when given), by directive, in one query."""
    by_id = {d.pk: d for d in directives}
    qs = Recipient.objects.filter(directive_id__in=by_id).select_related("unit", "acknowledged_by")
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    found: dict[int, list[Recipient]] = {pk: [] for pk in by_id}
    for recipient in qs.order_by("unit__kind", "unit__code", "unit__name_vi"):
        recipient.directive = by_id[recipient.directive_id]  # cell_for reads its report_due
        found[recipient.directive_id].append(recipient)
    return found


def _directive_out(directive: Directive, p) -> dict:
    now = timezone.now()
    mine = None if access.may_follow_all(p) else p.units()
    return {
        **_summary(directive, _recipients([directive], mine)[directive.pk], now),
        "body": directive.body, "target": directive.target,
        "in_force_today": directive.in_force_on(timezone.localdate()),
        "attachments": [{"id": a.pk, "name": a.original_name, "size": a.size, "content_type": a.content_type,
                         "url": _page_url(reverse("directives:attachment", args=[directive.pk, a.pk]))}
                        for a in directive.attachments.all()],
        "versions": [{"id": v.pk, "version": v.version, "number": v.number, "change": v.change,
                      "issued_at": _local(v.issued_at), "effective_from": v.effective_from,
                      "superseded_from": v.superseded_from} for v in selectors.versions(directive)],
    }


# --- parsing -------------------------------------------------------------------------------

def _reader(request):
    """The caller's principal; 403 for anyone who is not customs staff."""
    p = principal_for(request.auth)
    if not access.may_read(p):
        raise PermissionDenied
    return p


def _visible(p, directive_id: int) -> Directive:
    qs = Directive.objects.select_related("issuing_unit")
    directive = access.visible_directives(p, qs).filter(pk=directive_id).first() if directive_id <= MAX_ID else None
    if directive is None:
        raise Http404
    return directive


def _find_unit(ref) -> Unit | None:
    """A unit by id (a number) or office code (a text; a text of digits that is no office code
    is read as an id: the department's own code is "02")."""
    if isinstance(ref, int):
        return Unit.objects.filter(pk=ref).first()
    ref = ref.strip()
    if not ref:
        return None
    unit = Unit.objects.filter(code__iexact=ref).first()
    if unit is None and ref.isdecimal() and len(ref) <= 10 and int(ref) <= MAX_ID:
        unit = Unit.objects.filter(pk=int(ref)).first()
    return unit


def _no_such_unit(ref) -> str:
    return _("No customs unit has the id or office code “%(unit)s”. Use one from GET /api/v1/units.") % {
        "unit": str(ref).strip()[:20]}


def _unit(ref, field: str) -> Unit:
    unit = _find_unit(ref)
    if unit is None:
        raise ValidationError({field: _no_such_unit(ref)})
    return unit


def _issued_at(value: datetime | None) -> datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)  # in Vietnam's time, as on the document
    return value


# --- endpoints -----------------------------------------------------------------------------

@router.get("/directives", response={200: DirectivePageOut, **ERRORS},
            summary="The directives in force on a day, or a search; customs staff",
            description="The versions in force on `in_force_on` (default today): one per directive, the "
                        "latest issued first. A coordinator sees every directive, others those sent to their "
                        "units or a unit above them; `unit` narrows to one unit (403 for an officer naming "
                        "another unit than their own). With `q`, a search over every version instead, best "
                        "first (the 500 best: `count` stops there). Each item carries, for the caller's own units it was sent to, the "
                        "acknowledgement and report status.")
def directives_list(request, filters: Query[DirectiveFilters]):
    p = _reader(request)
    unit = _unit(filters.unit, "unit") if filters.unit and filters.unit.strip() else None
    if unit is not None and not access.may_follow_all(p) and unit.pk not in p.units():
        raise PermissionDenied
    start = (filters.page - 1) * filters.page_size
    q = " ".join(filters.q.split())
    if q:
        qs = access.visible_directives(p)
        if filters.in_force_on is not None:
            qs = selectors.in_force(day=filters.in_force_on, units=[unit] if unit else None, qs=qs)
        elif unit is not None:
            sent = Recipient.objects.filter(unit_id__in=units_with_ancestors([unit.pk])).values("directive_id")
            qs = qs.filter(pk__in=sent)
        found, _query = selectors.search(text=q, qs=qs)
        count, page = len(found), found[start:start + filters.page_size]
        day = filters.in_force_on
    else:
        day = filters.in_force_on or timezone.localdate()
        units = [unit] if unit else (None if access.may_follow_all(p) else list(p.units()))
        qs = selectors.in_force(day=day, units=units).select_related("issuing_unit").order_by("-issued_at", "-id")
        count, page = qs.count(), list(qs[start:start + filters.page_size])
    now = timezone.now()
    recipients = _recipients(page, p.units())
    return {"items": [_summary(d, recipients[d.pk], now) for d in page], "count": count, "page": filters.page,
            "page_size": filters.page_size, "in_force_on": day}


@router.get("/directives/{int:directive_id}", response={200: DirectiveOut, **ERRORS},
            summary="One version of a directive, with its versions and recipients; customs staff",
            description="Its text, attachments (downloaded through the page), every version of the directive, "
                        "and the units it was sent to with their acknowledgement and report: every unit for a "
                        "coordinator, the caller's own units for others. 404 when the caller may not see it.")
def directive_detail(request, directive_id: int):
    p = _reader(request)
    return _directive_out(_visible(p, directive_id), p)


@router.post("/directives", response={201: DirectiveOut, **ERRORS}, summary="Issue a directive (coordinators)",
             description="A new directive, or with `previous_id` and `change` a new version replacing or "
                         "amending it (the older version stops being in force the day the new one takes "
                         "effect). Units are given by id or office code. Every unit it is sent to is told; "
                         "attachments cannot be sent through the API: add the signed document on the page.")
def directive_issue(request, payload: DirectiveIn):
    p = principal_for(request.auth)
    # Checked before the look-ups below, so that a refusal does not depend on the input.
    if not access.may_issue(p):
        raise PermissionDenied
    errors = {}
    issuing_unit = _find_unit(payload.issuing_unit)
    if issuing_unit is None:
        errors["issuing_unit"] = [_no_such_unit(payload.issuing_unit)]
    target_units = []
    if payload.target == Target.UNITS:
        for ref in payload.target_units:
            unit = _find_unit(ref)
            if unit is None:
                errors["target_units"] = [_no_such_unit(ref)]
                break
            target_units.append(unit)
    previous = None
    if payload.previous_id is not None:
        previous = Directive.objects.filter(pk=payload.previous_id).first()
        if previous is None:
            errors["previous_id"] = [_("No directive has the id %(id)d.") % {"id": payload.previous_id}]
    elif payload.change is not None:
        errors["previous_id"] = [_("Give the id of the version the new directive replaces or amends.")]
    if errors:
        raise ValidationError(errors)
    issued_at = _issued_at(payload.issued_at)
    effective_from = payload.effective_from or timezone.localtime(issued_at or timezone.now()).date()
    try:
        directive = services.directive_issue(
            by=request.auth, number=payload.number, title=payload.title, body=payload.body,
            issuing_unit=issuing_unit, signer_name=payload.signer_name, signer_title=payload.signer_title,
            issued_at=issued_at, effective_from=effective_from, effective_to=payload.effective_to,
            urgency=payload.urgency, target=payload.target, target_kinds=payload.target_kinds,
            target_units=target_units, ack_within_hours=payload.ack_within_hours, report_due=payload.report_due,
            previous=previous, change=payload.change or Change.NEW)
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        # The service names the version `previous`; the caller sent `previous_id`.
        raise ValidationError({"previous_id" if field == "previous" else field: messages
                               for field, messages in error.message_dict.items()}) from error
    return Status(201, _directive_out(_visible(p, directive.pk), p))


@router.post("/directives/{int:directive_id}/acknowledgements",
             response={201: DirectiveRecipientOut, 200: DirectiveRecipientOut, **ERRORS},
             summary="Acknowledge a directive for a unit (its leader or delegate)",
             description="201 when the unit acknowledges now; 200 with the same body when it had already "
                         "acknowledged (nothing changes). `unit` may be left out when the caller acts for "
                         "exactly one unit the directive was sent to. 403 when the caller may not acknowledge "
                         "for the unit, 400 when the directive was not sent to it, 404 when the caller may not "
                         "see the directive.")
def directive_acknowledge(request, directive_id: int, payload: Body[DirectiveAcknowledgementIn | None] = None):
    p = _reader(request)
    directive = _visible(p, directive_id)
    ref = payload.unit if payload is not None else None
    if ref is not None and (not isinstance(ref, str) or ref.strip()):
        unit = _unit(ref, "unit")
    else:
        acting = access.units_acting_for(p)
        if not acting:
            raise PermissionDenied
        sent = list(Unit.objects.filter(pk__in=acting, directives_received__directive=directive))
        if not sent:
            raise ValidationError({"unit": _("This directive was not sent to a unit you acknowledge for.")})
        if len(sent) > 1:
            raise ValidationError({"unit": _("You acknowledge for several units this directive was sent to: "
                                             "say which one (its id or office code).")})
        unit = sent[0]
    at = timezone.now()
    recipient = services.directive_acknowledge(directive=directive, unit=unit, by=request.auth, at=at)
    # The service returns the row as it was when it had already been acknowledged (at another moment).
    created = recipient.acknowledged_at == at
    recipient = Recipient.objects.select_related("unit", "acknowledged_by", "directive").get(pk=recipient.pk)
    return Status(201 if created else 200, _recipient_out(recipient, timezone.now()))
