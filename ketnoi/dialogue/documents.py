"""What the dialogue programmes hand out as files: a session's calendar entry (.ics), the
check-in QR code of a registration, and the minutes (biên bản) as DOCX and PDF."""

from email.utils import parseaddr

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ketnoi.lib import calendar_ics, qr

from .models import Session

def _host() -> str:
    return settings.KETNOI_BASE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "ketnoi"


def session_uid(session: Session) -> str:
    """The calendar UID of a session: the same in every .ics sent about it (confirmation, move,
    cancellation), so that the registrant's calendar updates the entry instead of adding one."""
    return f"dialogue-session-{session.pk}@{_host()}"


def session_event(session: Session) -> dict:
    """The session as the calendar module's event fields, in Vietnamese (the invitation's
    language); the organiser is the unit (its e-mail, or the platform's sender address)."""
    programme = session.programme
    with translation.override("vi"):
        summary = f"{programme.name} – {programme.unit.short_name}"
        description = "\n".join(part for part in [
            _("Session %(number)d of %(programme)s, %(unit)s.") % {
                "number": session.number, "programme": programme.name, "unit": programme.unit.name},
            programme.description,
            session.change_reason and _("Change: %(reason)s") % {"reason": session.change_reason},
        ] if part)
        organizer_name = programme.unit.name
    return dict(uid=session_uid(session), start=session.starts_at, end=session.ends_at, summary=summary,
                description=description, location=session.venue,
                url=settings.KETNOI_BASE_URL + session.get_absolute_url(), sequence=session.sequence,
                organizer_email=programme.unit.email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1],
                organizer_name=organizer_name,
                status="CANCELLED" if session.status == Session.Status.CANCELLED else "CONFIRMED")


def session_ics(session: Session, *, method: str | None = None) -> bytes:
    """The session's .ics: METHOD:CANCEL once it is cancelled, PUBLISH otherwise; the same UID
    every time and a SEQUENCE that rises with every change, so calendars replace their entry."""
    method = method or ("CANCEL" if session.status == Session.Status.CANCELLED else "PUBLISH")
    return calendar_ics.event_ics(method=method, **session_event(session))


def programme_feed(programme, sessions) -> bytes:
    """A programme's calendar feed: one entry per session (cancelled ones marked so)."""
    with translation.override("vi"):
        name = f"{programme.name} – {programme.unit.short_name}"
    return calendar_ics.calendar_ics(name=name, events=[session_event(session) for session in sessions])


def qr_png(data: str) -> bytes:
    return qr.qr_png(data)


def checkin_url(token: str) -> str:
    """The address the check-in QR code holds: an officer's phone camera opens it."""
    return settings.KETNOI_BASE_URL + reverse("dialogue:checkin_token", args=[token])
