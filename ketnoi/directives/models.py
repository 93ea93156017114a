"""Directives (văn bản chỉ đạo): numbered instructions to units, in chains of versions, with
the units that must acknowledge them and report on what they did.

A directive that replaces or amends another is a new version in the same chain (``chain``),
carrying the full text as it now stands. The earlier version stays as it was issued; it stops
being in force on the day the new one takes effect (``superseded_from``), so "what is in force
on a day" is one indexed query on dates.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketnoi.lib.vnquery import pair_tokens
from ketnoi.lib.vntext import syllables


class Urgency(models.TextChoices):
    """Độ khẩn (Decree 30/2020/NĐ-CP, Appendix I): Khẩn, Thượng khẩn, Hỏa tốc."""

    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    VERY_URGENT = "very_urgent", _("Very urgent")
    IMMEDIATE = "immediate", _("Immediate")


class Change(models.TextChoices):
    NEW = "new", _("New directive")
    REPLACES = "replaces", _("Replaces the previous version")
    AMENDS = "amends", _("Amends the previous version")


class Target(models.TextChoices):
    ALL = "all", _("Every branch and division")
    UNITS = "units", _("The units listed")
    KINDS = "kinds", _("Every unit of the kinds listed")


class Directive(models.Model):
    chain = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_version",
        verbose_name=_("previous version"),
    )
    change = models.CharField(_("change"), max_length=10, choices=Change.choices, default=Change.NEW)
    # Số, ký hiệu (Decree 30/2020/NĐ-CP, Art. 8): "125/HQHCM-VP", in ketnoi.lib.citations' canonical spelling.
    number = models.CharField(_("number"), max_length=60)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"))
    issuing_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="directives_issued",
                                     verbose_name=_("issuing unit"))
    signer_name = models.CharField(_("signed by"), max_length=150)
    signer_title = models.CharField(_("signer's position"), max_length=150, blank=True)
    issued_at = models.DateTimeField(_("issued"))
    # Numbers start again each year (Decree 30/2020/NĐ-CP, Art. 15): unique within the year of
    # issue, local time, written by save().
    year = models.PositiveSmallIntegerField(_("year"), editable=False, default=0)
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    # The day the next version takes effect: this one is in force until the day before.
    superseded_from = models.DateField(_("replaced from"), null=True, blank=True, editable=False)
    urgency = models.CharField(_("urgency"), max_length=12, choices=Urgency.choices, default=Urgency.NORMAL)
    target = models.CharField(_("sent to"), max_length=6, choices=Target.choices, default=Target.ALL)
    target_kinds = models.JSONField(_("kinds of units"), default=list, blank=True)
    target_units = models.ManyToManyField("org.Unit", blank=True, related_name="+", verbose_name=_("units"))
    ack_within_hours = models.PositiveSmallIntegerField(_("acknowledge within (hours)"), null=True, blank=True)
    report_due = models.DateField(_("implementation report due"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("entered by"))
    # Folded syllables of number, title and text, and their adjacent pairs (ketnoi.lib.vnquery).
    search_text = models.TextField(editable=False, default="")
    search_pairs = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("directive")
        verbose_name_plural = _("directives")
        constraints = [
            models.UniqueConstraint(fields=["chain", "version"], name="directive_version_once"),
            models.UniqueConstraint(fields=["number", "year"], name="directive_number_once_a_year",
                                    violation_error_message=_("A directive with this number was already issued that year.")),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="directive_ends_after_it_starts",
                violation_error_message=_("The end of the period cannot be before its start."),
            ),
            models.CheckConstraint(
                condition=Q(ack_within_hours__isnull=True) | Q(ack_within_hours__gte=1, ack_within_hours__lte=720),
                name="directive_ack_hours_range",
                violation_error_message=_("Acknowledgement must be asked within 1 to 720 hours."),
            ),
        ]
        indexes = [
            models.Index(fields=["effective_from", "superseded_from", "effective_to"], name="directive_in_force"),
        ]

    def __str__(self):
        return f"{self.number} – {self.title}"

    def save(self, *args, **kwargs):
        self.year = timezone.localtime(self.issued_at).year
        words = syllables(f"{self.number} {self.title}\n{self.body}")
        self.search_text, self.search_pairs = " ".join(words), " ".join(pair_tokens(words))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("directives:detail", args=[self.pk])

    @property
    def is_latest(self) -> bool:
        return not hasattr(self, "next_version") or self.next_version is None

    def in_force_on(self, day) -> bool:
        return (self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)
                and (self.superseded_from is None or day < self.superseded_from))


class Recipient(models.Model):
    """A unit a version is sent to: its acknowledgement and its implementation report."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="recipients")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="directives_received",
                             verbose_name=_("unit"))
    ack_due_at = models.DateTimeField(_("acknowledge by"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name=_("acknowledged by"))
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    report_text = models.TextField(_("implementation report"), blank=True)
    reported_at = models.DateTimeField(_("report filed"), null=True, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("report filed by"))

    class Meta:
        verbose_name = _("recipient unit")
        verbose_name_plural = _("recipient units")
        constraints = [models.UniqueConstraint(fields=["directive", "unit"], name="recipient_once")]
        indexes = [
            models.Index(fields=["unit", "directive"], name="recipient_unit"),
            models.Index(fields=["ack_due_at"], name="recipient_ack_pending",
                         condition=Q(acknowledged_at__isnull=True, escalated_at__isnull=True, ack_due_at__isnull=False)),
        ]

    def __str__(self):
        return f"{self.directive.number} → {self.unit}"


class Delegate(models.Model):
    """An officer a unit leader allows to acknowledge directives and file reports for the unit."""

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="directive_delegates",
                             verbose_name=_("unit"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="directive_delegations",
                             verbose_name=_("officer"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")
        constraints = [models.UniqueConstraint(fields=["unit", "user"], name="delegate_once")]

    def __str__(self):
        return f"{self.user} – {self.unit}"


def attachment_path(instance, filename):
    # Never the uploaded name: a random name inside the private files folder.
    return f"directives/{instance.sha256[:2]}/{instance.sha256}-{instance.token}"


class Attachment(models.Model):
    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=255)
    token = models.CharField(max_length=16)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name


class DigestSent(models.Model):
    """The daily digest a user got for a day: sent once, however often `ketnoi tick` runs."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="directive_digest_once")]


class DigestDay(models.Model):
    """The days the digest run finished: later ticks that day do nothing."""

    day = models.DateField(primary_key=True)
