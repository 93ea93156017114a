"""The prices API: the public board (facilities, their price lists, commitments not to raise
prices) and filing a new price list.

Reading is public (no token; a token that is sent must be valid, and the answer is then in its
owner's language). Filing is for the operator's users, and for coordinators and the staff of the
facility's unit on its behalf. Every endpoint is thin: parse, call one selector or service,
answer. The service decides who may file (403) and validates (400 whose `details` names the
fields: each bad price is a message of `prices`); malformed input is a 422.
"""

import math
import re
from datetime import date, datetime
from typing import Annotated, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status
from pydantic import BeforeValidator, StringConstraints, field_validator
from pydantic_core import PydanticCustomError

from ketnoi.accounts.access import principal_for
from ketnoi.accounts.models import Enterprise
from ketnoi.api import MAX_ID, optional_caller, unit_param
from ketnoi.cases.api import ERRORS
from ketnoi.lib import pricecheck

from . import access, selectors, services
from .models import (
    Breach, BreachItem, Commitment, CommitmentStatus, Facility, FacilityKind, FollowUpNote, Price, PriceList,
)

router = Router(tags=["prices"])

# Far beyond any id the department reaches (as in the other routers); keeps a number typed in a
# path or body inside the engines' integer range (SQLite overflows past 2**63).
UNIT_HELP = "A customs unit's id, or its VNACCS office code (02CI)."
OPERATOR_HELP = "An operator's id, or its tax code (0312345678, or 0312345678-001 for a dependent unit)."


# --- input types ---------------------------------------------------------------------------

DATE_FORMAT = gettext_lazy("Write the date as YYYY-MM-DD, for example 2026-03-09.")
AMOUNT_FORMAT = gettext_lazy("Write each price as a whole number of đồng, for example 1250000 or \"1.250.000\".")


def _format_error(message) -> PydanticCustomError:
    return PydanticCustomError("format", str(message))  # in the caller's language, read at validation


def _iso_date(value):
    # Pydantic would also read 20260309 as seconds since 1970: only YYYY-MM-DD is a day here.
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return value.strip()
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    raise _format_error(DATE_FORMAT)


def _amount(value):
    """A price as sent: a number, or a text as people write it ("1.250.000 ₫"). Whether it is a
    price (whole, above 0) is the service's question, so that its message names the service;
    here only what cannot be one at all (a list, null, a page of text) is refused."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _format_error(AMOUNT_FORMAT)
    if isinstance(value, float) and not math.isfinite(value) or isinstance(value, str) and len(value) > 40:
        raise _format_error(AMOUNT_FORMAT)
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
Amount = Annotated[int | float | str, BeforeValidator(_amount)]
ServiceCode = Annotated[str, StringConstraints(max_length=20)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


# --- schemas -------------------------------------------------------------------------------
# Named Price…/Facility… so that they cannot replace another router's schema of the same name.

class FacilityOperatorOut(Schema):
    id: int
    name: str = Field(examples=["Công ty CP Kho vận Tân Cảng Cát Lái"])
    tax_code: str = Field(examples=["0312345678"])


class FacilityUnitOut(Schema):
    id: int
    code: str = Field(description="VNACCS office code.", examples=["02CI"])
    name: str = Field(description="In the caller's language.")


class FacilityCurrentListOut(Schema):
    id: int
    effective_from: date
    version: int


class FacilityOut(Schema):
    id: int
    name: str
    kind: str = Field(description="warehouse, yard, port, cfs, bonded, icd or air_cargo.")
    kind_label: str = Field(description="The kind in the caller's language.")
    address: str
    operator: FacilityOperatorOut
    unit: FacilityUnitOut = Field(description="The customs unit in whose area it lies.")
    commitment: str = Field(description="kept (it has a commitment not to raise prices, none broken), broken (at "
                                        "least one of its commitments was broken) or none.")
    current_list: FacilityCurrentListOut | None = Field(description="The price list in force today; null when "
                                                                    "none has taken effect yet.")
    url: str = Field(description="The facility's public page.")


class FacilityPageOut(Schema):
    count: int
    items: list[FacilityOut]


class FacilityFilters(Schema):
    unit: str | None = Field(None, max_length=20, description=UNIT_HELP)
    kind: Literal[tuple(FacilityKind.values)] | None = None
    operator: str | None = Field(None, max_length=20, description=OPERATOR_HELP)

    @field_validator("unit", "operator", "kind", mode="before")
    @classmethod
    def _blank_is_none(cls, value):
        return None if isinstance(value, str) and not value.strip() else value  # an empty form field


class PriceOut(Schema):
    service: str = Field(description="The service's code in the catalogue.", examples=["NH20"])
    name: str = Field(description="The service's name in the caller's language.")
    charge_unit: str = Field(description="cont20, cont40, cont45, tonne, m3, day, shipment or kg.")
    charge_unit_label: str = Field(examples=["per 20' container"])
    amount: int = Field(description="Whole đồng (VND).", examples=[1250000])


class PriceListOut(Schema):
    id: int
    facility: int = Field(description="The facility's id.")
    version: int = Field(description="1 for the facility's first list, then 2, 3 … in the order filed.")
    effective_from: date
    in_force: bool = Field(description="It is the facility's list in force today.")
    filed_at: datetime
    source: str = Field(description="form, xlsx, api or staff (entered by customs on the operator's behalf).")
    note: str
    prices: list[PriceOut] = Field(description="By service code.")


class PriceListPageOut(Schema):
    facility: FacilityOut
    items: list[PriceListOut] = Field(description="Every list of the facility, the newest first.")


class PriceBreachItemOut(Schema):
    service: str = Field(examples=["NH20"])
    name: str
    baseline: int = Field(description="The baseline's price, đồng.")
    price: int = Field(description="The new price, đồng.")
    difference: int = Field(description="Đồng above the baseline.")
    percent: float = Field(description="Per cent above the baseline, to one decimal.", examples=[5.0])


class PriceBreachOut(Schema):
    commitment: int = Field(description="The id of the commitment the list broke.")
    commitment_url: str = Field(description="The commitment's page.")
    services: list[PriceBreachItemOut] = Field(description="Each covered service priced above its baseline.")


class PriceListFiledOut(PriceListOut):
    breaches: list[PriceBreachOut] = Field(description="Every commitment the list broke; empty when it kept "
                                                       "every covered price at or below the baseline.")


class PriceListIn(Schema):
    facility: Id = Field(description="The facility's id (GET /api/v1/prices/facilities).")
    effective_from: IsoDate = Field(description="YYYY-MM-DD: the day the prices take effect; not before the "
                                                "facility's latest list.", examples=["2026-03-09"])
    prices: dict[ServiceCode, Amount] = Field(
        description="Service code → price in whole đồng: a number, or a text as written (\"1.250.000\"). Codes "
                    "from the catalogue; a list has at most %d services." % services.MAX_SERVICES,
        examples=[{"NH20": 1250000, "LB20": 85000}])
    note: str = Field("", max_length=500)


class PriceCommitmentBaselineOut(Schema):
    id: int
    effective_from: date
    version: int


class PriceCommitmentFacilityOut(Schema):
    id: int
    name: str
    baseline: PriceCommitmentBaselineOut = Field(description="Its list in force the day the commitment was "
                                                             "signed, which no covered price may exceed.")


class PriceFollowUpNoteOut(Schema):
    follow_up: str = Field(description="contacted, withdrawn, justified or closed.")
    follow_up_label: str
    note: str
    by: str = Field(description="The coordinator's name.")
    at: datetime


class PriceCommitmentBreachOut(Schema):
    id: int
    facility: int = Field(description="The facility's id.")
    price_list: PriceCommitmentBaselineOut = Field(description="The list that raised the prices.")
    found_at: datetime
    services: list[PriceBreachItemOut]
    follow_up: str | None = Field(description="open, contacted, withdrawn, justified or closed; null unless the "
                                              "caller is customs staff.")
    notes: list[PriceFollowUpNoteOut] | None = Field(description="What was done, oldest first; null unless the "
                                                                 "caller is customs staff.")


class PriceCommitmentOut(Schema):
    id: int
    status: str = Field(description="kept or broken.")
    status_label: str
    operator: FacilityOperatorOut
    facilities: list[PriceCommitmentFacilityOut]
    covers_all: bool = Field(description="It covers every service; otherwise only `services`.")
    services: list[str] = Field(description="Codes of the services covered when not every service is.")
    period_from: date
    period_to: date
    signed_on: date
    first_breach_on: date | None = Field(description="The effective day of the first list that broke it.")
    services_affected: list[str] = Field(description="Codes of every service priced above its baseline.")
    breaches: list[PriceCommitmentBreachOut]
    url: str = Field(description="The commitment's public page.")


class PriceCommitmentPageOut(Schema):
    count: int
    items: list[PriceCommitmentOut]


class PriceCommitmentFilters(Schema):
    status: Literal[tuple(CommitmentStatus.values)] | None = None

    @field_validator("status", mode="before")
    @classmethod
    def _blank_is_none(cls, value):
        return None if isinstance(value, str) and not value.strip() else value


# --- serialising ---------------------------------------------------------------------------

def _page_url(path: str) -> str:
    return settings.KETNOI_BASE_URL + path


def _local(moment: datetime | None) -> datetime | None:
    return timezone.localtime(moment) if moment else None


def _operator_out(enterprise: Enterprise) -> dict:
    return {"id": enterprise.pk, "name": enterprise.name, "tax_code": enterprise.tax_code}


def _facility_out(facility: Facility, current: PriceList | None) -> dict:
    if not hasattr(facility, "commitment_status"):  # one facility, not from selectors.facilities
        facility.commitment_status = selectors.facilities().filter(pk=facility.pk).values_list(
            "commitment_status", flat=True).first() or "none"
    return {
        "id": facility.pk, "name": facility.name, "kind": facility.kind, "kind_label": facility.get_kind_display(),
        "address": facility.address, "operator": _operator_out(facility.operator),
        "unit": {"id": facility.unit.pk, "code": facility.unit.code, "name": facility.unit.name},
        "commitment": facility.commitment_status,
        "current_list": {"id": current.pk, "effective_from": current.effective_from, "version": current.version}
        if current else None,
        "url": _page_url(facility.get_absolute_url()),
    }


def _price_out(price: Price) -> dict:
    service = price.service
    return {"service": service.code, "name": service.name, "charge_unit": service.charge_unit,
            "charge_unit_label": service.get_charge_unit_display(), "amount": price.amount}


def _price_list_out(price_list: PriceList, current_id: int | None) -> dict:
    return {
        "id": price_list.pk, "facility": price_list.facility_id, "version": price_list.version,
        "effective_from": price_list.effective_from, "in_force": price_list.pk == current_id,
        "filed_at": _local(price_list.filed_at), "source": price_list.source, "note": price_list.note,
        "prices": [_price_out(price) for price in sorted(price_list.prices.all(), key=lambda p: p.service.code)],
    }


def _item_out(item: BreachItem) -> dict:
    change = pricecheck.Change(service=item.service.code, baseline=item.baseline, price=item.price, covered=True)
    percent = change.percent
    return {"service": item.service.code, "name": item.service.name, "baseline": item.baseline, "price": item.price,
            "difference": item.difference, "percent": float(percent) if percent is not None else 0.0}


def _list_ref(price_list: PriceList) -> dict:
    return {"id": price_list.pk, "effective_from": price_list.effective_from, "version": price_list.version}


def _breach_out(breach: Breach, follow_up: bool) -> dict:
    return {
        "id": breach.pk, "facility": breach.price_list.facility_id, "price_list": _list_ref(breach.price_list),
        "found_at": _local(breach.found_at), "services": [_item_out(item) for item in breach.items.all()],
        "follow_up": breach.follow_up if follow_up else None,
        "notes": [{"follow_up": note.follow_up, "follow_up_label": note.get_follow_up_display(), "note": note.note,
                   "by": note.by.get_full_name(), "at": _local(note.at)} for note in breach.notes.all()]
        if follow_up else None,
    }


def _commitment_out(commitment: Commitment, follow_up: bool) -> dict:
    baselines = sorted(commitment.baselines.all(), key=lambda b: b.facility.name)
    breaches = list(commitment.breaches.all())
    return {
        "id": commitment.pk, "status": commitment.status, "status_label": commitment.get_status_display(),
        "operator": _operator_out(commitment.operator),
        "facilities": [{"id": b.facility_id, "name": b.facility.name, "baseline": _list_ref(b)} for b in baselines],
        "covers_all": commitment.covers_all,
        "services": [] if commitment.covers_all else sorted(s.code for s in commitment.services.all()),
        "period_from": commitment.period_from, "period_to": commitment.period_to,
        "signed_on": commitment.signed_on, "first_breach_on": commitment.first_breach_on,
        "services_affected": sorted({item.service.code for breach in breaches for item in breach.items.all()}),
        "breaches": [_breach_out(breach, follow_up) for breach in breaches],
        "url": _page_url(commitment.get_absolute_url()),
    }


# --- parsing -------------------------------------------------------------------------------





def _operator(ref: str) -> Enterprise:
    ref = ref.strip()
    operator = Enterprise.objects.filter(tax_code=ref).first()
    if operator is None and ref.isdecimal() and int(ref) <= MAX_ID:
        operator = Enterprise.objects.filter(pk=int(ref)).first()
    if operator is None:
        raise ValidationError({"operator": _("No operator has the id or tax code “%(operator)s”.")
                               % {"operator": ref}})
    return operator


def _facility(facility_id: int) -> Facility:
    facility = (Facility.objects.select_related("operator", "unit").filter(pk=facility_id).first()
                if facility_id <= MAX_ID else None)
    if facility is None:
        raise Http404
    return facility


def _lists(facility: Facility):
    return (PriceList.objects.filter(facility=facility).order_by("-effective_from", "-version")
            .prefetch_related(Prefetch("prices", queryset=Price.objects.select_related("service"))))


# --- endpoints -----------------------------------------------------------------------------

@router.get("/prices/facilities", auth=None, response={200: FacilityPageOut, **ERRORS},
            summary="Warehouses, yards and ports with their commitment status; public",
            description="Every facility in operation, by name, with its operator, the customs unit in whose area "
                        "it lies, whether it keeps its commitments not to raise prices, and the list in force "
                        "today. Filter by `unit` (id or office code), `kind` and `operator` (id or tax code).")
def facilities(request, filters: Query[FacilityFilters]):
    optional_caller(request)
    unit = unit_param(filters.unit) if filters.unit else None
    operator = _operator(filters.operator) if filters.operator else None
    found = list(selectors.facilities(unit=unit, kind=filters.kind, operator=operator))
    current = selectors.current_lists(found)
    return {"count": len(found), "items": [_facility_out(f, current.get(f.pk)) for f in found]}


@router.get("/prices/facilities/{int:facility_id}/price-lists", auth=None,
            response={200: PriceListPageOut, **ERRORS},
            summary="Every price list of a facility, newest first; public",
            description="Each list with its prices (service code, name, unit of charge, amount in đồng), the day "
                        "it took effect, its version and when and how it was filed. `in_force` marks the list "
                        "in force today (a list filed ahead takes effect later). 404 for an unknown facility.")
def price_lists(request, facility_id: int):
    optional_caller(request)
    facility = _facility(facility_id)
    current = services.current_list(facility)
    current_id = current.pk if current else None
    return {"facility": _facility_out(facility, current),
            "items": [_price_list_out(price_list, current_id) for price_list in _lists(facility)]}


@router.post("/prices/price-lists", response={201: PriceListFiledOut, **ERRORS},
             summary="File a facility's new price list (its operator; customs on its behalf)",
             description="The facility's next version, in force from `effective_from`. It is checked at once "
                         "against every commitment of the facility whose period contains that day: `breaches` "
                         "lists each commitment broken with the covered services priced above the baseline "
                         "(the commitment is then broken, and customs and the operator are told). Filed by a user "
                         "of the facility's operator, or by a coordinator or the staff of the facility's unit. "
                         "400 with every bad price under `details.prices`; nothing is saved unless everything "
                         "is valid. 404 for an unknown facility.")
def price_list_file(request, payload: PriceListIn):
    facility = _facility(payload.facility)
    price_list, breaches = services.price_list_file(
        facility=facility, prices=payload.prices, effective_from=payload.effective_from, by=request.auth,
        note=payload.note, source=PriceList.Source.API)
    current = services.current_list(facility)
    price_list = _lists(facility).get(pk=price_list.pk)
    found = (Breach.objects.filter(pk__in=[b.pk for b in breaches]).select_related("commitment")
             .prefetch_related(Prefetch("items", queryset=BreachItem.objects.select_related("service"))))
    return Status(201, {
        **_price_list_out(price_list, current.pk if current else None),
        "breaches": [{"commitment": breach.commitment_id, "commitment_url": _page_url(breach.commitment.get_absolute_url()),
                      "services": [_item_out(item) for item in breach.items.all()]}
                     for breach in sorted(found, key=lambda b: b.commitment_id)],
    })


@router.get("/prices/commitments", auth=None, response={200: PriceCommitmentPageOut, **ERRORS},
            summary="Commitments not to raise prices, kept or broken; public",
            description="Each commitment with its operator, its facilities and their baseline lists, the period, "
                        "the day it was signed, the first breach and the services priced above the baseline, the "
                        "newest period first; `status` keeps the kept or the broken ones. The follow-up of each "
                        "breach (status and notes) only with a customs staff member's token.")
def commitments(request, filters: Query[PriceCommitmentFilters]):
    follow_up = access.may_see_follow_up(principal_for(optional_caller(request)))
    breaches = (Breach.objects.select_related("price_list")
                .prefetch_related(Prefetch("items", queryset=BreachItem.objects.select_related("service"))))
    if follow_up:
        breaches = breaches.prefetch_related(Prefetch("notes", queryset=FollowUpNote.objects.select_related("by")))
    found = list(selectors.commitments(status=filters.status).prefetch_related("services",
                                                                               Prefetch("breaches", queryset=breaches)))
    return {"count": len(found), "items": [_commitment_out(commitment, follow_up) for commitment in found]}
