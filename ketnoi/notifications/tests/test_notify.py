"""notify(): one e-mail (text and HTML, in the user's language) and one in-app notification."""

import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation

from ketnoi.accounts.models import Role
from ketnoi.notifications.models import Notification
from ketnoi.notifications.services import notify
from ketnoi.testing import make_enterprise, make_user

pytestmark = pytest.mark.django_db


def test_it_sends_one_email_with_text_and_html(email_templates):
    user = make_user(Role.BUSINESS, email="tung.vo@saokhaiviet.example.vn", language="en")
    notify(user=user, template="test/hello", context=email_templates, url="/cases/42/")
    [message] = mail.outbox
    assert message.to == ["tung.vo@saokhaiviet.example.vn"]
    assert message.subject == "[en] Monday: Hoàn thuế nhập khẩu"
    assert "topic=Hoàn thuế nhập khẩu" in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "<b>Hoàn thuế nhập khẩu</b>" in html
    assert message.extra_headers["Content-Language"] == "en"


def test_it_puts_the_full_link_in_the_email(email_templates):
    user = make_user(Role.BUSINESS, language="en")
    notify(user=user, template="test/hello", context=email_templates, url="/cases/42/")
    [message] = mail.outbox
    link = settings.KETNOI_BASE_URL + "/cases/42/"
    assert f"link={link}" in message.body
    assert f'href="{link}"' in message.alternatives[0][0]


def test_it_writes_in_the_users_language_not_the_current_one(email_templates):
    english = make_user(Role.BUSINESS, language="en")
    vietnamese = make_user(Role.BUSINESS, language="vi")
    with translation.override("vi"):
        notify(user=english, template="test/hello", context=email_templates)
    with translation.override("en"):
        notify(user=vietnamese, template="test/hello", context=email_templates)
        assert translation.get_language() == "en"  # the caller's language is left as it was
    to_english, to_vietnamese = mail.outbox
    assert to_english.subject.startswith("[en] Monday")
    assert "lang=en day=Monday" in to_english.body
    assert to_vietnamese.subject.startswith("[vi] ")
    assert "Monday" not in to_vietnamese.subject + to_vietnamese.body
    assert '<p lang="vi">' in to_vietnamese.alternatives[0][0]
    assert Notification.objects.get(user=vietnamese).title.startswith("[vi] ")


def test_it_sends_the_registration_email_in_the_users_language():
    enterprise = make_enterprise(name="Công ty TNHH Điện tử Sao Khải Việt")
    user = make_user(Role.BUSINESS, enterprise=enterprise, full_name="Võ Thanh Tùng", language="en")
    link = "http://127.0.0.1:8000/accounts/confirm/abc/"
    notify(user=user, template="accounts/confirm_email", context={"link": link, "enterprise": enterprise},
           in_app=False)
    [message] = mail.outbox
    assert message.subject == "Confirm your e-mail address for ketnoi"
    assert "Hello Võ Thanh Tùng," in message.body
    assert f"(tax code {enterprise.tax_code})" in message.body
    assert link in message.body
    assert f'href="{link}"' in message.alternatives[0][0]


def test_it_keeps_an_ampersand_in_the_plain_text_parts(email_templates):
    user = make_user(Role.BUSINESS, language="en")
    notify(user=user, template="test/hello", context={**email_templates, "topic": "Thương mại & Dịch vụ <Sao>"})
    [message] = mail.outbox
    assert message.subject == "[en] Monday: Thương mại & Dịch vụ <Sao>"
    assert "topic=Thương mại & Dịch vụ <Sao>" in message.body
    assert "<b>Thương mại &amp; Dịch vụ &lt;Sao&gt;</b>" in message.alternatives[0][0]  # HTML stays escaped
    notification = Notification.objects.get(user=user)
    assert notification.title == "[en] Monday: Thương mại & Dịch vụ <Sao>"


def test_the_registration_email_keeps_an_enterprise_name_with_an_ampersand_as_typed():
    enterprise = make_enterprise(name="Công ty TNHH Thương mại & Dịch vụ Hải Đăng")
    user = make_user(Role.BUSINESS, enterprise=enterprise, language="en")
    notify(user=user, template="accounts/confirm_email", context={"link": "http://x/", "enterprise": enterprise},
           in_app=False)
    [message] = mail.outbox
    assert "for Công ty TNHH Thương mại & Dịch vụ Hải Đăng (tax code" in message.body
    assert "Thương mại &amp; Dịch vụ Hải Đăng" in message.alternatives[0][0]


def test_it_adds_an_in_app_notification_with_the_path(email_templates):
    user = make_user(Role.OFFICER, language="en")
    returned = notify(user=user, template="test/hello", context=email_templates, url="/cases/42/")
    notification = Notification.objects.get(user=user)
    assert returned == notification
    assert notification.kind == "test/hello"
    assert notification.title == "[en] Monday: Hoàn thuế nhập khẩu"
    assert notification.body.startswith("lang=en")
    assert notification.url == "/cases/42/"
    assert notification.read_at is None


def test_it_adds_no_in_app_notification_when_told_not_to(email_templates):
    user = make_user(Role.BUSINESS)
    assert notify(user=user, template="test/hello", context=email_templates, in_app=False) is None
    assert not Notification.objects.exists()
    assert len(mail.outbox) == 1


def test_it_sends_no_email_when_told_not_to(email_templates):
    user = make_user(Role.BUSINESS)
    notify(user=user, template="test/hello", context=email_templates, email=False)
    assert mail.outbox == []
    assert Notification.objects.filter(user=user).count() == 1


def test_a_user_without_an_email_address_gets_only_the_in_app_notification(email_templates):
    user = make_user(Role.OFFICER, email="")
    notify(user=user, template="test/hello", context=email_templates, url="/cases/7/")
    assert mail.outbox == []
    assert Notification.objects.get(user=user).url == "/cases/7/"


def test_an_unknown_template_sends_nothing_and_adds_nothing():
    from django.template import TemplateDoesNotExist

    user = make_user(Role.OFFICER)
    with pytest.raises(TemplateDoesNotExist):
        notify(user=user, template="test/no-such-template")
    assert mail.outbox == []
    assert not Notification.objects.exists()
