"""Dialogue (“Cà phê sáng cùng doanh nghiệp”): a unit's recurring morning meetings with
businesses, from the invitation to the minutes and the follow-up of what was not solved there.

A programme holds the recurrence (an RFC 5545 rule); its sessions are generated ahead from it,
one per occurrence (``occurrence`` stays the rule's date even when the session is moved, so
generating again never duplicates a moved session). Each question a business sends ahead is a
case (channel "dialogue") linked to its session: the case workflow answers and follows it up.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Programme(models.Model):
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="dialogue_programmes",
                             verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # RFC 5545 RRULE without DTSTART, e.g. "FREQ=MONTHLY;BYDAY=1FR" (the first Friday of each month).
    rrule = models.CharField(_("recurrence"), max_length=200)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"), null=True, blank=True)
    start_time = models.TimeField(_("starts at"))
    end_time = models.TimeField(_("ends at"))
    venue = models.CharField(_("venue"), max_length=300)
    # Businesses per session (each registration is one business, with up to max_attendees people).
    capacity = models.PositiveSmallIntegerField(_("businesses per session"))
    max_attendees = models.PositiveSmallIntegerField(_("people per business"), default=3)
    # Registration closes this many hours before a session starts.
    registration_closes_hours = models.PositiveSmallIntegerField(_("registration closes (hours before)"), default=24)
    topics = models.ManyToManyField("cases.Topic", blank=True, related_name="+", verbose_name=_("topics"))
    hosts = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="dialogue_programmes_hosted",
                                   verbose_name=_("hosts"))
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit_id", "name"]
        verbose_name = _("dialogue programme")
        verbose_name_plural = _("dialogue programmes")
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=models.F("start_time")), name="programme_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="programme_capacity_positive"),
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                                   name="programme_ends_after_first_day"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("dialogue:programme", args=[self.pk])


class Session(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")
        HELD = "held", _("Held")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="sessions",
                                  verbose_name=_("programme"))
    # The rule's occurrence this session was generated for (unchanged when the session moves).
    occurrence = models.DateTimeField(_("planned for"))
    number = models.PositiveSmallIntegerField(_("number"))  # the n-th session of the programme
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = models.CharField(_("venue"), max_length=300)
    capacity = models.PositiveSmallIntegerField(_("businesses"))
    registration_closes_at = models.DateTimeField(_("registration closes"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    # Every change registrants' calendars must pick up (moved, cancelled) raises the sequence (RFC 5545 SEQUENCE).
    sequence = models.PositiveIntegerField(default=0, editable=False)
    change_reason = models.TextField(_("reason for the change"), blank=True)
    chaired_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("chaired by"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("dialogue session")
        verbose_name_plural = _("dialogue sessions")
        indexes = [models.Index(fields=["status", "starts_at"], name="dialogue_session_upcoming")]
        constraints = [
            models.UniqueConstraint(fields=["programme", "occurrence"], name="session_once_per_occurrence"),
            models.UniqueConstraint(fields=["programme", "number"], name="session_number_once"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.programme} #{self.number}"

    def get_absolute_url(self):
        return reverse("dialogue:session", args=[self.pk])


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="registrations",
                                verbose_name=_("session"))
    enterprise = models.ForeignKey("accounts.Enterprise", on_delete=models.PROTECT, related_name="dialogue_registrations",
                                   verbose_name=_("enterprise"))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("registered by"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    created_at = models.DateTimeField(_("registered"))
    promoted_at = models.DateTimeField(_("moved from the waiting list"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+", verbose_name=_("checked in by"))
    # The start of the session the day-before reminder was sent for: a moved session is reminded
    # of again, and two ticks at once send it once (a conditional UPDATE claims it).
    reminded_for = models.DateTimeField(_("reminded of the session starting"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            # One live registration per business and session; a cancelled one may be followed by another.
            models.UniqueConstraint(fields=["session", "enterprise"], condition=~Q(status="cancelled"),
                                    name="registration_once_per_enterprise"),
        ]

    def __str__(self):
        return f"{self.enterprise} @ {self.session}"


class Attendee(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="attendees",
                                     verbose_name=_("registration"))
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=150, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")

    def __str__(self):
        return self.name


class Question(models.Model):
    """A question sent ahead (or raised on the day) and what became of it at the session."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Not yet discussed")
        ANSWERED = "answered", _("Answered on the spot")
        FOLLOW_UP = "follow_up", _("To be followed up")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="questions", verbose_name=_("session"))
    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="questions", verbose_name=_("registration"))
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="dialogue_question",
                                verbose_name=_("case"))
    # The agenda: its place, and the officer who will answer it.
    agenda_position = models.PositiveSmallIntegerField(_("order on the agenda"), default=0)
    answerer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("answered by"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    answer_text = models.TextField(_("answer given"), blank=True)
    follow_up_owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="dialogue_follow_ups", verbose_name=_("follow-up owner"))
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    follow_up_note = models.TextField(_("what is to be done"), blank=True)
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))

    class Meta:
        ordering = ["session_id", "agenda_position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="follow_up") | Q(follow_up_owner__isnull=False, follow_up_due__isnull=False),
                name="question_follow_up_has_owner_and_due"),
        ]

    def __str__(self):
        return str(self.case)


class Minutes(models.Model):
    """Biên bản of a session: generated from the session's record, edited, then issued."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")

    session = models.OneToOneField(Session, on_delete=models.PROTECT, related_name="minutes", verbose_name=_("session"))
    number = models.CharField(_("number"), max_length=60, blank=True)  # Số, ký hiệu, e.g. "12/BB-HQCNC"
    opening = models.TextField(_("opening"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    signer_name = models.CharField(_("signed by"), max_length=150, blank=True)
    signer_position = models.CharField(_("signer's position"), max_length=150, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.DRAFT)
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    summary_sent_at = models.DateTimeField(_("summary sent"), null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("last edited by"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self):
        return f"{self.number or '—'} {self.session}"


class SurveyResponse(models.Model):
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="survey_responses",
                                verbose_name=_("session"))
    registration = models.OneToOneField(Registration, on_delete=models.PROTECT, related_name="survey_response",
                                        verbose_name=_("registration"))
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction"))
    usefulness = models.PositiveSmallIntegerField(_("usefulness"))
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"))

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.CheckConstraint(condition=Q(satisfaction__gte=1, satisfaction__lte=5), name="survey_satisfaction_1_to_5"),
            models.CheckConstraint(condition=Q(usefulness__gte=1, usefulness__lte=5), name="survey_usefulness_1_to_5"),
        ]
