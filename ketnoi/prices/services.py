"""Writes of the prices capability: facilities, price lists (form, XLSX, API, staff), commitments
and the follow-up of breaches. Filing a list checks it against every commitment of its facility
in the same transaction, so the public board is right as soon as the request ends."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.accounts.access import principal_for
from ketnoi.accounts.models import Role, User
from ketnoi.audit.services import audit_record, snapshot
from ketnoi.cases.filetypes import DOCUMENTS, checked_uploads
from ketnoi.lib import pricecheck
from ketnoi.notifications.services import notify_all

from . import access
from .models import (
    Breach, BreachItem, Commitment, CommitmentStatus, Facility, FacilityKind, FollowUpNote, Price, PriceList, Service,
)

MAX_PRICE = pricecheck.MAX_AMOUNT  # đồng
MAX_SERVICES = 500
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _text(value, field: str, message: str, max_length: int) -> str:
    value = " ".join(str(value or "").split())
    if not value:
        raise ValidationError({field: message})
    if len(value) > max_length:
        raise ValidationError({field: _("Write at most %(n)d characters.") % {"n": max_length}})
    return value


# --- facilities --------------------------------------------------------------------------------

@transaction.atomic
def facility_create(*, operator, name: str, kind: str, unit, by, address: str = "") -> Facility:
    _require(access.may_manage(principal_for(by)))
    name = _text(name, "name", _("Write the facility's name."), 200)
    if kind not in FacilityKind.values:
        raise ValidationError({"kind": _("Choose the kind of facility.")})
    if Facility.objects.filter(operator=operator, name__iexact=name).exists():
        raise ValidationError({"name": _("%(operator)s already has a facility called “%(name)s”.")
                               % {"operator": operator.name, "name": name}})
    facility = Facility.objects.create(operator=operator, name=name, kind=kind, unit=unit, address=" ".join(address.split()))
    audit_record(actor=by, action="prices.facility_created", obj=facility, after=snapshot(facility))
    return facility


# --- price lists -------------------------------------------------------------------------------

def clean_prices(raw) -> dict[Service, int]:
    """{service or code: amount as typed} → {Service: whole đồng}, or a ValidationError on
    "prices" listing every problem."""
    items = list(raw.items()) if isinstance(raw, dict) else list(raw or [])
    if not items:
        raise ValidationError({"prices": _("Give at least one price.")})
    if len(items) > MAX_SERVICES:
        raise ValidationError({"prices": _("A price list has at most %(n)d services.") % {"n": MAX_SERVICES}})
    codes = [key.code if isinstance(key, Service) else str(key or "").strip().upper() for key, _amount in items]
    catalogue = {s.code: s for s in Service.objects.filter(code__in=codes, active=True)}
    cleaned, problems, seen = {}, [], set()
    for code, (_key, typed) in zip(codes, items):
        service = catalogue.get(code)
        amount = pricecheck.parse_amount(typed)
        if service is None:
            problems.append(_("“%(code)s” is not a service of the catalogue.") % {"code": code})
        elif code in seen:  # even when its first price was refused
            problems.append(_("%(code)s is priced twice.") % {"code": code})
        elif amount is None or amount == 0 or amount > MAX_PRICE:
            problems.append(_("%(code)s: “%(amount)s” is not a price. Write a whole number of đồng, e.g. 1.250.000.")
                            % {"code": code, "amount": typed})
        else:
            cleaned[service] = amount
        seen.add(code)
    if problems:
        raise ValidationError({"prices": problems})
    return cleaned


def current_list(facility: Facility, on: date | None = None) -> PriceList | None:
    """The list in force at ``facility`` on a day (today by default): the latest version among
    those already in effect."""
    on = on or timezone.localdate()
    return (PriceList.objects.filter(facility=facility, effective_from__lte=on)
            .order_by("-effective_from", "-version").first())


@transaction.atomic
def price_list_file(*, facility: Facility, prices, effective_from: date | None, by, note: str = "",
                    source: str = PriceList.Source.FORM) -> tuple[PriceList, list[Breach]]:
    """File a new price list for ``facility`` and check it against its commitments at once.

    Returns the list and the breaches it made (none when every covered price stayed at or below
    its baseline). Nothing is written unless everything is valid.
    """
    p = principal_for(by)
    _require(access.may_file_for(p, facility))
    errors = {}
    try:
        cleaned = clean_prices(prices)
    except ValidationError as error:
        errors.update(error.message_dict)
        cleaned = {}
    facility = Facility.objects.select_for_update().get(pk=facility.pk)
    if not facility.active:
        errors["facility"] = [_("%(name)s is no longer in operation.") % {"name": facility.name}]
    if effective_from is None:
        errors["effective_from"] = [_("Write the day the prices take effect.")]
    else:
        latest = PriceList.objects.filter(facility=facility).aggregate(day=Max("effective_from"))["day"]
        if latest and effective_from < latest:
            errors["effective_from"] = [_("A list in force from %(day)s was already filed: a new list cannot take effect before it.")
                                        % {"day": f"{latest:%d/%m/%Y}"}]
    if errors:
        raise ValidationError(errors)
    if source == PriceList.Source.FORM and facility.operator_id not in p.enterprises(Role.OPERATOR):
        source = PriceList.Source.STAFF
    version = (PriceList.objects.filter(facility=facility).aggregate(v=Max("version"))["v"] or 0) + 1
    price_list = PriceList.objects.create(facility=facility, version=version, effective_from=effective_from, source=source,
                                          note=" ".join((note or "").split())[:500], filed_by=by, filed_at=timezone.now())
    Price.objects.bulk_create([Price(price_list=price_list, service=s, amount=a) for s, a in cleaned.items()])
    audit_record(actor=by, action="prices.price_list_filed", obj=price_list,
                 after={**snapshot(price_list), "prices": {s.code: a for s, a in cleaned.items()}})
    found = [breach for commitment in _commitments_of(facility, effective_from)
             if (breach := _check(commitment, price_list, {s.code: a for s, a in cleaned.items()})) is not None]
    return price_list, found


def _commitments_of(facility: Facility, day: date):
    """The commitments a list of ``facility`` taking effect on ``day`` can break: it is the newest
    list, so it stays in force from ``day`` on, and is in force during every period that has not
    ended by then (RULES.md: any price above the baseline during the period), including one that
    starts later."""
    # A subquery rather than DISTINCT over the join: PostgreSQL refuses FOR UPDATE with DISTINCT.
    ids = Commitment.objects.filter(baselines__facility=facility, period_to__gte=day).values("pk")
    return Commitment.objects.select_for_update().filter(pk__in=ids)


def _in_force_during(price_list: PriceList, start: date, end: date) -> bool:
    """Whether a list was the one in force on some day of [start, end]: it took effect by
    ``end`` and the next list of its facility did not take effect by ``start``."""
    if price_list.effective_from > end:
        return False
    following = (PriceList.objects.filter(facility=price_list.facility_id, version__gt=price_list.version)
                 .order_by("effective_from").values_list("effective_from", flat=True).first())
    return following is None or following > start


def _baseline_prices(commitment: Commitment, facility: Facility) -> dict[str, int]:
    baseline = commitment.baselines.filter(facility=facility).first()
    if baseline is None:
        return {}
    return dict(Price.objects.filter(price_list=baseline).values_list("service__code", "amount"))


def _check(commitment: Commitment, price_list: PriceList, filed: dict[str, int]) -> Breach | None:
    """Compare a list with the commitment's baseline for its facility; record the breach, mark
    the commitment broken and tell the people concerned (after the commit) when a covered price rose."""
    baseline = commitment.baselines.filter(facility=price_list.facility_id).first()
    if baseline is None or price_list.version <= baseline.version:
        return None  # the baseline itself, or a list before it
    covered = None if commitment.covers_all else set(commitment.services.values_list("code", flat=True))
    base = dict(Price.objects.filter(price_list=baseline).values_list("service__code", "amount"))
    rises = pricecheck.breaches(pricecheck.compare(base, filed, covered))
    if not rises:
        return None
    breach, created = Breach.objects.get_or_create(commitment=commitment, price_list=price_list,
                                                   defaults={"found_at": timezone.now()})
    if not created:
        return breach
    services = {s.code: s for s in Service.objects.filter(code__in=[r.service for r in rises])}
    BreachItem.objects.bulk_create([BreachItem(breach=breach, service=services[r.service], baseline=r.baseline,
                                               price=r.price) for r in rises])
    before = snapshot(commitment)
    commitment.status = CommitmentStatus.BROKEN
    broken_on = max(price_list.effective_from, commitment.period_from)
    if commitment.first_breach_on is None or broken_on < commitment.first_breach_on:
        commitment.first_breach_on = broken_on
    commitment.save(update_fields=["status", "first_breach_on"])
    audit_record(actor=None, action="prices.commitment_broken", obj=commitment, before=before,
                 after={**snapshot(commitment), "price_list": price_list.pk, "services": sorted(services)})
    _tell_breach(breach)
    return breach


def _tell_breach(breach: Breach) -> None:
    facility = breach.price_list.facility
    staff = list(User.objects.filter(is_active=True).filter(
        Q(role_assignments__role=Role.COORDINATOR)
        | Q(role_assignments__role=Role.LEADER, role_assignments__unit=facility.unit_id)).distinct())
    context = {"breach": breach, "facility": facility, "items": list(breach.items.select_related("service"))}
    if staff:
        notify_all(users=staff, template="prices/breach", url=breach.commitment.get_absolute_url(), context=context)
    operators = list(User.objects.filter(is_active=True, role_assignments__role=Role.OPERATOR,
                                         role_assignments__enterprise=facility.operator_id).distinct())
    if operators:
        notify_all(users=operators, template="prices/breach_operator", url=facility.get_absolute_url(), context=context)


# --- commitments -------------------------------------------------------------------------------

@transaction.atomic
def commitment_create(*, operator, facilities, period_from: date | None, period_to: date | None,
                      signed_on: date | None, by, covers_all: bool = True, services=(), document=None) -> Commitment:
    """Record an operator's commitment. Each facility's baseline is its list in force on the
    day the commitment was signed. Lists already filed in the period are checked at once."""
    _require(access.may_manage(principal_for(by)))
    errors = {}
    facilities = list(facilities or [])
    if not facilities:
        errors["facilities"] = [_("Choose at least one facility of the operator.")]
    elif any(f.operator_id != operator.pk for f in facilities):
        errors["facilities"] = [_("Choose facilities of %(operator)s only.") % {"operator": operator.name}]
    for field, value, message in [("period_from", period_from, _("Write the first day of the period.")),
                                  ("period_to", period_to, _("Write the last day of the period.")),
                                  ("signed_on", signed_on, _("Write the day it was signed."))]:
        if value is None:
            errors[field] = [message]
    if period_from and period_to and period_to < period_from:
        errors["period_to"] = [_("The end of the period cannot be before its start.")]
    if signed_on and period_to and signed_on > period_to:
        errors["signed_on"] = [_("A commitment is signed before its period ends.")]
    services = list(services or [])
    if not covers_all and not services:
        errors["services"] = [_("Choose the services it covers, or say it covers every service.")]
    baselines = []
    if signed_on and facilities and "facilities" not in errors:
        for facility in facilities:
            baseline = current_list(facility, signed_on)
            if baseline is None:
                errors.setdefault("facilities", []).append(
                    _("%(name)s has no price list in force on %(day)s: file its baseline list first.")
                    % {"name": facility.name, "day": f"{signed_on:%d/%m/%Y}"})
            baselines.append(baseline)
    checked = []
    if document is not None:
        try:
            checked = checked_uploads([document], max_files=1, max_bytes=DOCUMENT_MAX_BYTES, kinds=DOCUMENTS)
        except ValidationError as error:
            errors["document"] = error.message_dict.get("attachments", error.messages)
    if errors:
        raise ValidationError(errors)
    commitment = Commitment(operator=operator, covers_all=covers_all, period_from=period_from, period_to=period_to,
                            signed_on=signed_on, created_by=by)
    if checked:
        commitment.document.save("signed", checked[0].file, save=False)
        commitment.document_name = checked[0].name[:255]
    commitment.save()
    commitment.baselines.set(baselines)
    if not covers_all:
        commitment.services.set(services)
    audit_record(actor=by, action="prices.commitment_created", obj=commitment,
                 after={**snapshot(commitment), "baselines": [b.pk for b in baselines], "services": [s.code for s in services]})
    for facility in facilities:
        for price_list in PriceList.objects.filter(facility=facility, effective_from__lte=period_to).order_by("version"):
            if _in_force_during(price_list, period_from, period_to):
                _check(commitment, price_list, dict(price_list.prices.values_list("service__code", "amount")))
    return commitment


@transaction.atomic
def breach_follow_up(*, breach: Breach, follow_up: str, note: str, by) -> Breach:
    """Record what was done about a breach; a closed breach takes no more notes."""
    _require(access.may_manage(principal_for(by)))
    breach = Breach.objects.select_for_update().get(pk=breach.pk)
    if breach.is_closed:
        raise ValidationError({"follow_up": _("This breach is closed.")})
    if follow_up not in Breach.FollowUp.values or follow_up == Breach.FollowUp.OPEN:
        raise ValidationError({"follow_up": _("Choose what was done.")})
    note = _text(note, "note", _("Write what was done or found."), 5000)
    before = snapshot(breach)
    FollowUpNote.objects.create(breach=breach, follow_up=follow_up, note=note, by=by)
    breach.follow_up = follow_up
    breach.save(update_fields=["follow_up"])
    audit_record(actor=by, action="prices.breach_follow_up", obj=breach, before=before,
                 after={**snapshot(breach), "note": note})
    return breach

