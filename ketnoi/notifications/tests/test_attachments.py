"""notify() and notify_all() send files with the e-mail (an .ics, a QR code, the minutes' PDF)."""

from email.mime.image import MIMEImage

import pytest
from django.core import mail

from ketnoi.accounts.models import Role
from ketnoi.notifications.models import Notification
from ketnoi.notifications.services import notify, notify_all
from ketnoi.testing import make_user

pytestmark = pytest.mark.django_db

ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_notify_attaches_each_file(email_templates):
    user = make_user(Role.BUSINESS)
    notify(user=user, template="test/hello", context=email_templates,
           attachments=[("phien-1.ics", ICS, "text/calendar"), ("qr.png", PNG, "image/png")])
    [message] = mail.outbox
    assert [(name, mime) for name, _content, mime in message.attachments] == [
        ("phien-1.ics", "text/calendar"), ("qr.png", "image/png")]
    assert message.attachments[1][1] == PNG
    parsed = message.message()
    assert parsed.is_multipart() and "phien-1.ics" in parsed.as_string()


def test_notify_all_attaches_the_same_files_to_every_email(email_templates):
    users = [make_user(Role.BUSINESS, language=language) for language in ("vi", "en")]
    inline = MIMEImage(PNG, "png")
    inline.add_header("Content-ID", "<qr>")
    notify_all(users=users, template="test/hello", context=email_templates,
               attachments=[("phien-1.ics", ICS, "text/calendar"), inline])
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert message.attachments[0] == ("phien-1.ics", ICS.decode(), "text/calendar")
        assert "Content-ID: <qr>" in message.message().as_string()


def test_the_in_app_notification_carries_no_file(email_templates):
    user = make_user(Role.BUSINESS)
    notify(user=user, template="test/hello", context=email_templates, attachments=[("a.ics", ICS, "text/calendar")])
    assert Notification.objects.get(user=user).body.startswith("lang=")


def test_without_attachments_the_email_has_none(email_templates):
    notify(user=make_user(Role.BUSINESS), template="test/hello", context=email_templates)
    assert mail.outbox[0].attachments == []
