"""The one way to tell a user something: an e-mail (HTML and text, in the user's language) and
an entry in the in-app notification list."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation

from .models import Notification


def _render_plain(name: str, context: dict) -> str:
    """A plain-text template (subject, text part) without HTML escaping: an enterprise called
    "Thương mại & Dịch vụ" must not arrive as "Thương mại &amp; Dịch vụ"."""
    return get_template(name).template.render(Context(context, autoescape=False))


def notify(*, user, template: str, context: dict | None = None, url: str = "", in_app: bool = True,
           email: bool = True) -> Notification | None:
    """Render `templates/email/<template>.subject.txt`, `.txt` and `.html` in the user's
    language, send the e-mail through Django's mail framework and add the in-app notification.

    `url` is a path inside ketnoi; the e-mail gets it as a full link.
    """
    language = getattr(user, "language", None) or settings.LANGUAGE_CODE
    with translation.override(language):
        full_url = settings.KETNOI_BASE_URL + url if url.startswith("/") else url
        ctx = {"user": user, "url": full_url, "base_url": settings.KETNOI_BASE_URL, **(context or {})}
        subject = " ".join(_render_plain(f"email/{template}.subject.txt", ctx).split())
        text = _render_plain(f"email/{template}.txt", ctx)
        html = render_to_string(f"email/{template}.html", ctx)
    notification = None
    if in_app:
        notification = Notification.objects.create(
            user=user, kind=template, title=subject[:255], body=text.strip(), url=url,
        )
    if email and user.email:
        message = EmailMultiAlternatives(subject=subject, body=text, to=[user.email],
                                         headers={"Content-Language": language})
        message.attach_alternative(html, "text/html")
        message.send()
    return notification


@transaction.atomic
def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    """Mark the user's notifications read (all of them when `ids` is None)."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
