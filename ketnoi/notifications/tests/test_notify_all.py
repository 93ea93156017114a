"""notify_all(): the same message to several users, rendered once per language, each user
getting what notify() would have sent them."""

import pytest
from django.core import mail
from django.test.signals import template_rendered

from ketnoi.accounts.models import Role
from ketnoi.notifications.models import Notification
from ketnoi.notifications.services import notify, notify_all
from ketnoi.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders():
    names = []

    def count(sender, template, **kwargs):
        names.append(template.name)
    template_rendered.connect(count)
    yield names
    template_rendered.disconnect(count)


def test_it_renders_each_template_once_per_language(email_templates, renders):
    users = [make_user(Role.OFFICER, language=language) for language in ("vi", "en", "vi", "en", "vi")]
    notify_all(users=users, template="test/hello", context=email_templates, url="/cases/42/")
    assert renders.count("email/test/hello.subject.txt") == 2
    assert renders.count("email/test/hello.txt") == 2
    assert renders.count("email/test/hello.html") == 2
    assert len(mail.outbox) == 5


def test_each_user_gets_what_notify_would_send_them(email_templates):
    users = [make_user(Role.OFFICER, language="en"), make_user(Role.OFFICER, language="vi")]
    for user in users:
        notify(user=user, template="test/hello", context=email_templates, url="/cases/42/")
    one_by_one = [(m.to, m.subject, m.body, m.alternatives[0][0], m.extra_headers) for m in mail.outbox]
    notes_one_by_one = list(Notification.objects.order_by("id").values_list("user", "kind", "title", "body", "url"))
    mail.outbox.clear()
    Notification.objects.all().delete()

    returned = notify_all(users=users, template="test/hello", context=email_templates, url="/cases/42/")
    assert [(m.to, m.subject, m.body, m.alternatives[0][0], m.extra_headers) for m in mail.outbox] == one_by_one
    assert list(Notification.objects.order_by("id").values_list("user", "kind", "title", "body", "url")) == \
        notes_one_by_one
    assert [n.user for n in returned] == users and all(n.pk for n in returned)


def test_the_users_are_told_in_the_order_given(email_templates):
    users = [make_user(Role.OFFICER, language=language) for language in ("vi", "en", "vi")]
    notify_all(users=users, template="test/hello", context=email_templates)
    assert [m.to for m in mail.outbox] == [[u.email] for u in users]


def test_a_user_without_an_email_address_gets_only_the_in_app_notification(email_templates):
    with_address, without = make_user(Role.OFFICER), make_user(Role.OFFICER, email="")
    notify_all(users=[with_address, without], template="test/hello", context=email_templates)
    assert [m.to for m in mail.outbox] == [[with_address.email]]
    assert Notification.objects.filter(user__in=[with_address, without]).count() == 2


def test_it_can_send_the_email_only(email_templates):
    users = [make_user(Role.BUSINESS), make_user(Role.BUSINESS)]
    assert notify_all(users=users, template="test/hello", context=email_templates, in_app=False) == []
    assert not Notification.objects.exists()
    assert len(mail.outbox) == 2


def test_no_users_no_message():
    assert notify_all(users=[], template="test/no-such-template") == []
    assert mail.outbox == [] and not Notification.objects.exists()


def test_an_unknown_template_sends_nothing_and_adds_nothing():
    from django.template import TemplateDoesNotExist

    with pytest.raises(TemplateDoesNotExist):
        notify_all(users=[make_user(Role.OFFICER), make_user(Role.OFFICER)], template="test/no-such-template")
    assert mail.outbox == []
    assert not Notification.objects.exists()
