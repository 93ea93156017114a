from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ketnoi.audit.models import AppendOnlyModel


class Topic(models.Model):
    """What a difficulty is about (RULES.md: topics used by customs for business questions).
    Data, editable by coordinators; seeded by a migration."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)
    requires_approval = models.BooleanField(
        _("answers need a leader's approval"), default=False,
        help_text=_("An officer's answer is sent only after a unit leader approves it."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi


class Level(models.TextChoices):
    UNIT = "unit", _("Unit")
    DEPARTMENT = "department", _("Department")


class SlaPolicy(models.Model):
    """How fast a case must be acknowledged and answered. The most specific policy applies:
    the topic's own before the default (topic empty), for the case's level and priority.

    Defaults (RULES.md): acknowledge in 1 working day; answer in 10 working days at unit level
    and 10 more after escalation to the department — a policy of ketnoi, Decree 20/2008/NĐ-CP
    sets no general answer deadline; priority (AEO) enterprises: 8 working hours
    (TT 72/2015/TT-BTC Art. 7.2 as amended by TT 07/2019).
    """

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="sla_policies", verbose_name=_("topic"))
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, default=Level.UNIT)
    priority = models.BooleanField(_("for priority (AEO) enterprises"), default=False)
    acknowledge_workdays = models.PositiveSmallIntegerField(_("acknowledge within (working days)"), default=1)
    answer_workdays = models.PositiveSmallIntegerField(_("answer within (working days)"), null=True, blank=True)
    answer_work_hours = models.PositiveSmallIntegerField(
        _("answer within (working hours)"), null=True, blank=True,
        help_text=_("When set, used instead of working days."),
    )
    reminder_work_hours = models.PositiveSmallIntegerField(
        _("remind this many working hours before the deadline"), default=8)
    source = models.CharField(_("legal source or decision"), max_length=255, blank=True)
    # Optimistic locking, as on a case: two coordinators editing one policy do not overwrite
    # each other unseen (services.sla_policy_save).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")
        constraints = [
            models.UniqueConstraint(fields=["topic", "level", "priority"], condition=models.Q(topic__isnull=False),
                                    name="sla_unique_per_topic"),
            models.UniqueConstraint(fields=["level", "priority"], condition=models.Q(topic__isnull=True),
                                    name="sla_unique_default"),
            models.CheckConstraint(condition=models.Q(answer_workdays__isnull=False) | models.Q(answer_work_hours__isnull=False),
                                   name="sla_has_an_answer_deadline",
                                   violation_error_message=_("Give the answer deadline in working days or in working hours.")),
        ]

    def __str__(self):
        what = f"{self.answer_work_hours} h" if self.answer_work_hours else f"{self.answer_workdays} d"
        return f"{self.topic or '*'} / {self.level}{' / AEO' if self.priority else ''}: {what}"


class RoutingRule(models.Model):
    """Topic × the unit the business named (or its jurisdiction) → the unit that handles it.
    An empty topic or named unit matches any."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="routing_rules", verbose_name=_("topic"))
    named_unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="+", verbose_name=_("unit named by the business"))
    handling_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("handling unit"))

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.UniqueConstraint(fields=["topic", "named_unit"], name="routing_unique",
                                    violation_error_message=_("There is already a rule for this topic and unit.")),
            models.CheckConstraint(condition=models.Q(topic__isnull=False) | models.Q(named_unit__isnull=False),
                                   name="routing_has_a_condition",
                                   violation_error_message=_("A rule needs a topic, a unit, or both.")),
        ]

    def __str__(self):
        return f"{self.topic or '*'} × {self.named_unit or '*'} → {self.handling_unit}"


class Channel(models.TextChoices):
    WEB = "web", _("Website")
    API = "api", _("API")
    PHONE = "phone", _("Phone")
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("E-mail")
    DIALOGUE = "dialogue", _("Dialogue session")


class Status(models.TextChoices):
    NEW = "new", _("Received")
    IN_PROGRESS = "in_progress", _("Being handled")
    WAITING = "waiting", _("Waiting for the business")
    PENDING_APPROVAL = "pending_approval", _("Answer awaiting approval")
    ANSWERED = "answered", _("Answered")
    RESOLVED = "resolved", _("Resolved")
    FORWARDED = "forwarded", _("Forwarded to another body")


OPEN_STATUSES = [Status.NEW, Status.IN_PROGRESS, Status.WAITING, Status.PENDING_APPROVAL]


class Case(models.Model):
    """A business's difficulty or recommendation (vướng mắc, kiến nghị). Its state is derived
    from its append-only timeline (CaseEvent) and cached on this row by the services."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    enterprise = models.ForeignKey("accounts.Enterprise", on_delete=models.PROTECT, related_name="cases",
                                   verbose_name=_("enterprise"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("filed by"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="cases", verbose_name=_("topic"))
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"))
    declaration_numbers = models.JSONField(_("customs declaration numbers"), default=list, blank=True)
    hs_codes = models.JSONField(_("HS codes"), default=list, blank=True)
    named_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("unit named by the business"))
    # The handling unit; empty while the case is in the department coordinators' queue.
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="cases",
                             verbose_name=_("handling unit"))
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="assigned_cases", verbose_name=_("officer"))
    shared_with = models.ManyToManyField("org.Unit", blank=True, related_name="shared_cases",
                                         verbose_name=_("shared with"))

    # --- cached state (derived from the timeline) ---
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, default=Level.UNIT)
    priority = models.BooleanField(_("priority (AEO) enterprise"), default=False)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    acknowledge_due_at = models.DateTimeField(_("acknowledge by"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    due_at = models.DateTimeField(_("answer due"), null=True, blank=True)
    paused_at = models.DateTimeField(_("waiting for the business since"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    escalation_step = models.PositiveSmallIntegerField(_("escalation step"), default=0)
    needs_review = models.BooleanField(_("needs the leader's review"), default=False)
    forwarded_to = models.CharField(_("forwarded to"), max_length=255, blank=True)
    forward_due_at = models.DateTimeField(_("forward by"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.TextField(_("rating comment"), blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Optimistic locking: one more at every change people (or an escalation) make to the case.
    # A form or API call carries the version it was read at, and is refused when the case has
    # changed since (services._check_version): two officers acting on one case never overwrite
    # each other's work unseen. A column, not the timeline's last event: read with the row the
    # page reads anyway, and compared under the row lock the services already take.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["unit", "status", "due_at"], name="case_queue"),
            models.Index(fields=["status", "due_at"], name="case_status_due"),
            models.Index(fields=["enterprise", "-received_at"], name="case_enterprise"),
            models.Index(fields=["assignee", "status"], name="case_assignee"),
            # The work queues read open cases only: a small index that stays small.
            models.Index(fields=["unit", "due_at", "id"], name="case_open_queue",
                         condition=models.Q(status__in=OPEN_STATUSES)),
            # The reports fold in the cases changed since their last refresh (reports.services).
            models.Index(fields=["updated_at"], name="case_updated"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                                   name="case_rating_1_to_5"),
        ]

    def __str__(self):
        return f"{self.reference} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.paused_at is None and self.due_at is not None and self.due_at < timezone.now()


class CaseEvent(AppendOnlyModel):
    """One entry on a case's timeline. Append-only: the timeline is the case's history."""

    class Kind(models.TextChoices):
        FILED = "filed", _("Filed")
        ROUTED = "routed", _("Routed")
        REASSIGNED = "reassigned", _("Moved to another unit")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        ASSIGNED = "assigned", _("Assigned")
        MESSAGE = "message", _("Message to the business")
        NOTE = "note", _("Internal note")
        INFO_REQUESTED = "info_requested", _("More information requested")
        BUSINESS_REPLIED = "business_replied", _("Reply from the business")
        ANSWER_DRAFTED = "answer_drafted", _("Answer drafted")
        ANSWER_SUBMITTED = "answer_submitted", _("Answer submitted for approval")
        ANSWER_REJECTED = "answer_rejected", _("Answer sent back")
        ANSWERED = "answered", _("Answered")
        ACCEPTED = "accepted", _("Answer accepted")
        REOPENED = "reopened", _("Reopened")
        RESOLVED = "resolved", _("Resolved")
        RATED = "rated", _("Rated")
        REMINDED = "reminded", _("Deadline reminder")
        BREACH = "breach", _("Deadline missed")
        ESCALATED = "escalated", _("Escalated")
        FORWARDED = "forwarded", _("Forwarded to another body")
        SHARED = "shared", _("Shared with a unit")
        DUE_SET = "due_set", _("Answer due date set")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    public = models.BooleanField(_("visible to the business"), default=True)
    body = models.TextField(_("text"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    # Marks a step the periodic jobs take once only (e.g. "remind:answer:2026-03-02T17:00"):
    # the unique constraint makes two ticks running at once record it once.
    once_key = models.CharField(max_length=80, null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        constraints = [
            models.UniqueConstraint(fields=["case", "once_key"], condition=models.Q(once_key__isnull=False),
                                    name="case_event_once"),
        ]

    def __str__(self):
        return f"{self.case_id} {self.kind} {self.at:%d/%m/%Y %H:%M}"



class Answer(models.Model):
    """The answer to a case, drafted by an officer; sent at once, or after a leader's approval
    when the topic requires it."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting approval")
        REJECTED = "rejected", _("Sent back")
        SENT = "sent", _("Sent")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="answers")
    body = models.TextField(_("answer"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")


def attachment_path(instance, filename):
    # Never the uploaded name: a random name inside the private files folder.
    return f"cases/{timezone.now():%Y/%m}/{instance.sha256[:2]}/{instance.sha256}-{instance.token}"


class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(CaseEvent, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=255)
    token = models.CharField(max_length=16)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    public = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name


class Sequence(models.Model):
    """Per-year counter for public references (VM-2026-000123)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)
