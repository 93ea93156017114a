import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def result_path(instance, filename):
    # Never a name a person chose: a random name inside the private files folder (MEDIA_ROOT is
    # not served; the download view checks who asks).
    return f"background/{timezone.now():%Y/%m}/{instance.pk}-{secrets.token_hex(16)}"


class Job(models.Model):
    """Work a person asked for and waits for (a report render, an import): what it is, how far it
    has gone, and its result or why it failed. The queue itself is django-tasks-db's table; a job
    is what the person and the administrators see of it, across its attempts."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("In progress")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=40)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="background_jobs", verbose_name=_("requested by"),
    )
    # The requester's language: the step labels and the document are written in it.
    language = models.CharField(_("language"), max_length=8, default="vi")
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    progress_done = models.PositiveIntegerField(_("steps done"), default=0)
    progress_total = models.PositiveIntegerField(_("steps in all"), default=0)
    step = models.CharField(_("current step"), max_length=200, blank=True)
    result = models.FileField(_("result file"), upload_to=result_path, max_length=255, blank=True)
    result_name = models.CharField(_("file name"), max_length=200, blank=True)
    result_content_type = models.CharField(_("content type"), max_length=120, blank=True)
    error = models.TextField(_("message to the requester"), blank=True)
    error_detail = models.TextField(_("error (for administrators)"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("attempts allowed"), default=1)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    # The django-tasks-db result of the latest attempt (its row in the package's admin).
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["requested_by", "kind", "-created_at"], name="job_requester_kind"),
            models.Index(fields=["state", "-created_at"], name="job_state"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress_done__lte=models.F("progress_total"))
                                   | models.Q(progress_total=0), name="job_progress_within_total"),
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.state in {self.State.DONE, self.State.FAILED}

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))
