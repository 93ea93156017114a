"""Prices (giá dịch vụ kho, bãi, cảng): operators' facilities, their versioned price lists, and
their commitments not to raise prices, with every increase found when a list is filed.

A price list is never changed once filed: a new price takes a new list (the next version of the
facility's lists), so the history of every price is the lists in order. A commitment's status is
kept on its row and written in the same transaction as the list that broke it.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class FacilityKind(models.TextChoices):
    WAREHOUSE = "warehouse", _("Warehouse")
    YARD = "yard", _("Container yard")
    PORT = "port", _("Port terminal")
    CFS = "cfs", _("CFS (container freight station)")
    BONDED = "bonded", _("Bonded warehouse")
    ICD = "icd", _("ICD (inland container depot)")
    AIR_CARGO = "air_cargo", _("Air cargo terminal")


class ChargeUnit(models.TextChoices):
    """Đơn vị tính of port and warehouse tariffs (Decree 146/2016/NĐ-CP posted price lists)."""

    CONTAINER_20 = "cont20", _("per 20' container")
    CONTAINER_40 = "cont40", _("per 40' container")
    CONTAINER_45 = "cont45", _("per 45' container")
    TONNE = "tonne", _("per tonne")
    CUBIC_METRE = "m3", _("per m³")
    DAY = "day", _("per day")
    SHIPMENT = "shipment", _("per shipment")
    KG = "kg", _("per kg")


class Facility(models.Model):
    operator = models.ForeignKey("accounts.Enterprise", on_delete=models.PROTECT, related_name="facilities",
                                 verbose_name=_("operator"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=FacilityKind.choices)
    # The customs unit in whose area it lies, which follows its prices.
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="facilities", verbose_name=_("customs unit"))
    address = models.CharField(_("address"), max_length=255, blank=True)
    active = models.BooleanField(_("in operation"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        constraints = [models.UniqueConstraint(fields=["operator", "name"], name="facility_name_once_per_operator")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("prices:facility", args=[self.pk])


class Service(models.Model):
    """A service of the catalogue every price list prices (e.g. NH20 lift-on/lift-off of a 20' container)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    charge_unit = models.CharField(_("unit of charge"), max_length=10, choices=ChargeUnit.choices)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self):
        return f"{self.code} – {self.name}"

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") and self.name_en else self.name_vi


class PriceList(models.Model):
    class Source(models.TextChoices):
        FORM = "form", _("form")
        XLSX = "xlsx", _("XLSX file")
        API = "api", _("API")
        STAFF = "staff", _("entered by customs")

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="price_lists",
                                 verbose_name=_("facility"))
    version = models.PositiveIntegerField(_("version"))
    effective_from = models.DateField(_("in force from"))
    source = models.CharField(_("filed through"), max_length=6, choices=Source.choices, default=Source.FORM)
    note = models.CharField(_("note"), max_length=500, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("filed by"))
    filed_at = models.DateTimeField(_("filed"))

    class Meta:
        ordering = ["facility", "-effective_from", "-version"]
        verbose_name = _("price list")
        verbose_name_plural = _("price lists")
        constraints = [models.UniqueConstraint(fields=["facility", "version"], name="price_list_version_once")]
        indexes = [models.Index(fields=["facility", "effective_from", "version"], name="price_list_current")]

    def __str__(self):
        return f"{self.facility} – {self.effective_from:%d/%m/%Y} (v{self.version})"


class Price(models.Model):
    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="prices")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="prices")
    amount = models.PositiveBigIntegerField(_("price (₫)"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["price_list", "service"], name="price_once_per_list")]
        indexes = [models.Index(fields=["service", "price_list"], name="price_by_service")]


class CommitmentStatus(models.TextChoices):
    KEPT = "kept", _("Kept")
    BROKEN = "broken", _("Broken")


class Commitment(models.Model):
    """Cam kết không tăng giá: an operator's word, for its facilities, against a baseline list each."""

    operator = models.ForeignKey("accounts.Enterprise", on_delete=models.PROTECT, related_name="price_commitments",
                                 verbose_name=_("operator"))
    baselines = models.ManyToManyField(PriceList, related_name="baseline_of", verbose_name=_("baseline price lists"))
    covers_all = models.BooleanField(_("covers every service"), default=True)
    services = models.ManyToManyField(Service, blank=True, related_name="commitments", verbose_name=_("services covered"))
    period_from = models.DateField(_("from"))
    period_to = models.DateField(_("until"))
    signed_on = models.DateField(_("signed on"))
    document = models.FileField(_("signed document"), upload_to="prices/commitments/", max_length=255, blank=True)
    document_name = models.CharField(max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=CommitmentStatus.choices, default=CommitmentStatus.KEPT)
    first_breach_on = models.DateField(_("first broken on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_from", "-id"]
        verbose_name = _("commitment not to raise prices")
        verbose_name_plural = _("commitments not to raise prices")
        constraints = [
            models.CheckConstraint(condition=Q(period_to__gte=F("period_from")), name="commitment_period_in_order",
                                   violation_error_message=_("The end of the period cannot be before its start.")),
        ]
        indexes = [models.Index(fields=["status"], name="commitment_status")]

    def __str__(self):
        return f"{self.operator} ({self.period_from:%d/%m/%Y} – {self.period_to:%d/%m/%Y})"

    def get_absolute_url(self):
        return reverse("prices:commitment", args=[self.pk])


class Breach(models.Model):
    """A price list that raised covered prices during a commitment, and its follow-up."""

    class FollowUp(models.TextChoices):
        OPEN = "open", _("To follow up")
        CONTACTED = "contacted", _("Operator contacted")
        WITHDRAWN = "withdrawn", _("Increase withdrawn")
        JUSTIFIED = "justified", _("Explanation recorded")
        CLOSED = "closed", _("Closed")

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="breaches")
    price_list = models.ForeignKey(PriceList, on_delete=models.PROTECT, related_name="breaches")
    found_at = models.DateTimeField(_("found"))
    follow_up = models.CharField(_("follow-up"), max_length=10, choices=FollowUp.choices, default=FollowUp.OPEN)

    class Meta:
        ordering = ["-found_at", "-id"]
        verbose_name = _("breach")
        verbose_name_plural = _("breaches")
        constraints = [models.UniqueConstraint(fields=["commitment", "price_list"], name="breach_once_per_list")]
        indexes = [models.Index(fields=["follow_up"], name="breach_follow_up")]

    def __str__(self):
        return f"{self.commitment.operator} – {self.price_list}"

    @property
    def is_closed(self) -> bool:
        return self.follow_up == self.FollowUp.CLOSED


class BreachItem(models.Model):
    breach = models.ForeignKey(Breach, on_delete=models.CASCADE, related_name="items")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    baseline = models.PositiveBigIntegerField(_("baseline price (₫)"))
    price = models.PositiveBigIntegerField(_("new price (₫)"))

    class Meta:
        ordering = ["service__code"]

    @property
    def difference(self) -> int:
        return self.price - self.baseline


class FollowUpNote(models.Model):
    """What a coordinator did about a breach, in order (never edited)."""

    breach = models.ForeignKey(Breach, on_delete=models.CASCADE, related_name="notes")
    follow_up = models.CharField(_("follow-up"), max_length=10, choices=Breach.FollowUp.choices)
    note = models.TextField(_("note"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
