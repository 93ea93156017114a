"""Reads of the prices capability: the public board, a facility's prices and their history, one
service across facilities, commitments and breaches."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, CharField, Exists, OuterRef, Prefetch, QuerySet, Value, When
from django.utils import timezone

from ketnoi.lib import pricecheck

from .models import Breach, BreachItem, Commitment, Facility, Price, PriceList, Service
from .services import current_list


def catalogue() -> QuerySet[Service]:
    """The services in use, by code: what a price list may price."""
    return Service.objects.filter(active=True).order_by("code")


def facilities(*, unit=None, kind: str | None = None, operator=None) -> QuerySet[Facility]:
    qs = Facility.objects.filter(active=True).select_related("operator", "unit")
    if unit is not None:
        qs = qs.filter(unit=unit)
    if kind:
        qs = qs.filter(kind=kind)
    if operator is not None:
        qs = qs.filter(operator=operator)
    # The board's word for a facility: "broken" once a list of its own raised a covered price,
    # "kept" while it is under a commitment and never did, "none" without a commitment.
    broken = Breach.objects.filter(price_list__facility=OuterRef("pk"))
    committed = Commitment.objects.filter(baselines__facility=OuterRef("pk"))
    return qs.annotate(commitment_status=Case(
        When(Exists(broken), then=Value("broken")), When(Exists(committed), then=Value("kept")),
        default=Value("none"), output_field=CharField())).order_by("name")


def current_lists(facilities, on: date | None = None) -> dict[int, PriceList]:
    """The list in force on ``on`` (today) at each facility, in one query (services.current_list, for many)."""
    on = on or timezone.localdate()
    found = {}
    for price_list in (PriceList.objects.filter(facility__in=facilities, effective_from__lte=on)
                       .order_by("facility_id", "-effective_from", "-version")):
        found.setdefault(price_list.facility_id, price_list)
    return found


def commitments_of(facility: Facility, on: date | None = None) -> list[Commitment]:
    """The facility's commitments, those in their period on ``on`` (today) first."""
    on = on or timezone.localdate()
    found = list(Commitment.objects.filter(baselines__facility=facility).distinct().select_related("operator"))
    return sorted(found, key=lambda c: (not (c.period_from <= on <= c.period_to), -c.period_from.toordinal()))


@dataclass(frozen=True)
class Row:
    service: Service
    amount: int
    baseline: int | None
    covered: bool = True  # by the commitment in its period (a rise of an uncovered service is no breach)

    @property
    def change(self) -> pricecheck.Change:
        return pricecheck.Change(service=self.service.code, baseline=self.baseline, price=self.amount,
                                 covered=self.covered)


def current_prices(facility: Facility, on: date | None = None) -> tuple[PriceList | None, list[Row]]:
    """The list in force and its prices, each beside its baseline in the facility's commitment
    in its period (if any)."""
    on = on or timezone.localdate()
    price_list = current_list(facility, on)
    if price_list is None:
        return None, []
    baseline, covered = {}, None
    active = [c for c in commitments_of(facility, on) if c.period_from <= on <= c.period_to]
    if active:
        base_list = active[0].baselines.filter(facility=facility).first()
        if base_list:
            baseline = dict(Price.objects.filter(price_list=base_list).values_list("service_id", "amount"))
        if not active[0].covers_all:
            covered = set(active[0].services.values_list("pk", flat=True))
    rows = [Row(service=p.service, amount=p.amount, baseline=baseline.get(p.service_id),
                covered=covered is None or p.service_id in covered)
            for p in price_list.prices.select_related("service").order_by("service__code")]
    return price_list, rows


def upcoming_lists(facility: Facility, today: date) -> QuerySet[PriceList]:
    """Lists already filed that take effect after ``today``."""
    return PriceList.objects.filter(facility=facility, effective_from__gt=today).order_by("effective_from", "version")


def services_raised(commitment: Commitment, facility: Facility | None = None) -> list[str]:
    """The codes of the services whose increase broke the commitment (at one facility, or any)."""
    items = BreachItem.objects.filter(breach__commitment=commitment)
    if facility is not None:
        items = items.filter(breach__price_list__facility=facility)
    return sorted(set(items.values_list("service__code", flat=True)))


def history(facility: Facility) -> dict[Service, list[tuple[date, int]]]:
    """Each service's price at every list of the facility, oldest first (the points of its chart)."""
    points: dict[Service, list[tuple[date, int]]] = {}
    for price in (Price.objects.filter(price_list__facility=facility).select_related("service", "price_list")
                  .order_by("service__code", "price_list__effective_from", "price_list__version")):
        points.setdefault(price.service, []).append((price.price_list.effective_from, price.amount))
    return points


def service_across_facilities(service: Service, on: date | None = None) -> list[tuple[Facility, int]]:
    """The price of one service at every facility that prices it, cheapest first."""
    on = on or timezone.localdate()
    rows = []
    for facility in facilities():
        price_list = current_list(facility, on)
        if price_list is None:
            continue
        amount = price_list.prices.filter(service=service).values_list("amount", flat=True).first()
        if amount is not None:
            rows.append((facility, amount))
    return sorted(rows, key=lambda row: (row[1], row[0].name))


def commitments(*, status: str | None = None, operator=None) -> QuerySet[Commitment]:
    qs = Commitment.objects.select_related("operator").prefetch_related(
        Prefetch("baselines", queryset=PriceList.objects.select_related("facility")))
    if status:
        qs = qs.filter(status=status)
    if operator is not None:
        qs = qs.filter(operator=operator)
    return qs


def breaches_to_follow() -> QuerySet[Breach]:
    return (Breach.objects.exclude(follow_up=Breach.FollowUp.CLOSED)
            .select_related("commitment__operator", "price_list__facility").order_by("found_at"))
