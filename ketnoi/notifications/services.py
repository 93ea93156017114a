"""The one way to tell a user something: an e-mail (HTML and text, in the user's language) and
an entry in the in-app notification list."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation

from .models import Notification


def _render_plain(name: str, context: dict) -> str:
    """A plain-text template (subject, text part) without HTML escaping: an enterprise called
    "Thương mại & Dịch vụ" must not arrive as "Thương mại &amp; Dịch vụ"."""
    return get_template(name).template.render(Context(context, autoescape=False))


def _render(template: str, context: dict) -> tuple[str, str, str]:
    """Subject, text and HTML of `templates/email/<template>.*` in the active language."""
    subject = " ".join(_render_plain(f"email/{template}.subject.txt", context).split())
    return subject, _render_plain(f"email/{template}.txt", context), render_to_string(f"email/{template}.html", context)


def _language(user) -> str:
    return getattr(user, "language", None) or settings.LANGUAGE_CODE


def _full_url(url: str) -> str:
    return settings.KETNOI_BASE_URL + url if url.startswith("/") else url


def _email(user, language: str, subject: str, text: str, html: str, attachments=()) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(subject=subject, body=text, to=[user.email], headers={"Content-Language": language})
    message.attach_alternative(html, "text/html")
    for attachment in attachments:
        # (file name, bytes, MIME type), or a ready MIME part (an inline image with its Content-ID).
        if isinstance(attachment, tuple):
            message.attach(*attachment)
        else:
            message.attach(attachment)
    return message


def notify(*, user, template: str, context: dict | None = None, url: str = "", in_app: bool = True,
           email: bool = True, attachments=()) -> Notification | None:
    """Render `templates/email/<template>.subject.txt`, `.txt` and `.html` in the user's
    language, send the e-mail through Django's mail framework and add the in-app notification.

    `url` is a path inside ketnoi; the e-mail gets it as a full link. `attachments` go with the
    e-mail: (file name, bytes, MIME type) tuples, or MIME parts (e.g. an inline image).
    """
    language = _language(user)
    with translation.override(language):
        ctx = {"user": user, "url": _full_url(url), "base_url": settings.KETNOI_BASE_URL, **(context or {})}
        subject, text, html = _render(template, ctx)
    notification = None
    if in_app:
        notification = Notification.objects.create(
            user=user, kind=template, title=subject[:255], body=text.strip(), url=url,
        )
    if email and user.email:
        _email(user, language, subject, text, html, attachments).send()
    return notification


def notify_all(*, users, template: str, context: dict | None = None, url: str = "", in_app: bool = True,
               email: bool = True, attachments=()) -> list[Notification]:
    """`notify` for several users with the same message: the templates are rendered once per
    language rather than once per user, the in-app notifications are written in one INSERT and
    the e-mails leave through one connection to the mail server.

    The templates get no `user`: a message that addresses its reader by name goes through `notify`.
    """
    rendered: dict[str, tuple[str, str, str]] = {}
    notifications, emails = [], []
    for user in users:
        language = _language(user)
        if language not in rendered:
            with translation.override(language):
                rendered[language] = _render(template, {
                    "url": _full_url(url), "base_url": settings.KETNOI_BASE_URL, **(context or {})})
        subject, text, html = rendered[language]
        if in_app:
            notifications.append(Notification(user=user, kind=template, title=subject[:255], body=text.strip(), url=url))
        if email and user.email:
            emails.append(_email(user, language, subject, text, html, attachments))
    Notification.objects.bulk_create(notifications)
    if emails:
        get_connection().send_messages(emails)
    return notifications


@transaction.atomic
def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    """Mark the user's notifications read (all of them when `ids` is None)."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
