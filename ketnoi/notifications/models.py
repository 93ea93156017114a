from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """A message in a user's in-app notification list (the same message usually goes by e-mail)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=80)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self):
        return self.title


class Email(models.Model):
    """An e-mail as it was written, in one language, waiting in the outbox or gone: written in
    the transaction of the change it tells about (a rollback leaves none, a crash after the
    commit loses none), sent by the background worker to each of its deliveries."""

    # The e-mails one transaction wrote, sent by one task of the worker.
    batch = models.CharField(_("batch"), max_length=20, db_index=True, default="", editable=False)
    template = models.CharField(_("kind"), max_length=80)
    language = models.CharField(_("language"), max_length=8)
    subject = models.TextField(_("subject"))
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    # Files sent with it, once for all its deliveries: [{"filename", "mimetype", "content"}] with
    # the content in base64, or {"part": …} for a ready MIME part such as an inline image.
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.subject


class EmailDelivery(models.Model):
    """One e-mail to one address: waiting, sent, or failed with the reason the administrators
    read (the admin site lists failures). A temporary failure of the mail server is tried again
    later; a refused address is not."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    email = models.ForeignKey(Email, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("e-mail"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="email_deliveries", verbose_name=_("user"))
    to = models.CharField(_("address"), max_length=254)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    # Which worker took it for sending (two workers never send the same delivery).
    claim = models.CharField(max_length=24, blank=True, editable=False)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail delivery")
        verbose_name_plural = _("e-mail deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The outbox: what waits or is being sent (a sent delivery leaves the index).
            models.Index(fields=["state", "next_attempt_at"], name="delivery_unsent",
                         condition=models.Q(state__in=["queued", "sending"])),
            models.Index(fields=["state", "-created_at"], name="delivery_state"),
        ]

    def __str__(self):
        return f"{self.to}: {self.email}"
