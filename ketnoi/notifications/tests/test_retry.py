"""A temporary failure of the mail server is tried again after a delay that doubles each time,
up to the attempts allowed; an address the server refuses fails at once, the other messages
leave, and the administrators see the failure in the admin site and can send it again."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ketnoi.accounts.models import Role
from ketnoi.notifications.models import EmailDelivery
from ketnoi.notifications.services import is_permanent, notify, notify_all
from ketnoi.testing import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def _waiting_task():
    return DBTaskResult.objects.get(status=TaskResultStatus.READY)


def _let_time_pass():
    """The retries' time moved to now, as if their delay had passed."""
    past = timezone.now() - timedelta(seconds=1)
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=past)
    EmailDelivery.objects.filter(state=EmailDelivery.State.QUEUED).update(next_attempt_at=past)


def test_a_busy_mailbox_is_tried_again_later_and_later(email_templates, by_the_worker, smtp):
    user = make_user(Role.BUSINESS, email="thu.le@logisticsbinhan.example.vn")
    smtp.busy.add(user.email)
    notify(user=user, template="test/hello", context=email_templates)
    delays = []
    for attempt in (1, 2):
        failed_at = timezone.now()
        assert by_the_worker() == 1
        delivery = EmailDelivery.objects.get()
        assert (delivery.state, delivery.attempts) == (EmailDelivery.State.QUEUED, attempt)
        assert "451" in delivery.error
        task = _waiting_task()
        assert task.run_after == delivery.next_attempt_at
        delays.append((task.run_after - failed_at).total_seconds())
        assert by_the_worker() == 0  # not due yet: the worker leaves it alone
        _let_time_pass()
    assert [round(d) for d in delays] == [30, 60]
    smtp.busy.clear()
    assert by_the_worker() == 1
    delivery = EmailDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.error) == (EmailDelivery.State.SENT, 3, "")
    assert smtp.recipients() == [user.email]


def test_it_gives_up_when_the_server_stays_down(email_templates, by_the_worker, no_mail_server):
    notify(user=make_user(Role.BUSINESS), template="test/hello", context=email_templates)
    for _attempt in range(3):  # KETNOI_EMAIL_ATTEMPTS of the fixture
        assert by_the_worker() == 1
        _let_time_pass()
    delivery = EmailDelivery.objects.get()
    assert (delivery.state, delivery.attempts) == (EmailDelivery.State.FAILED, 3)
    assert "ConnectionRefusedError" in delivery.error
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()
    assert by_the_worker() == 0


def test_a_refused_address_fails_at_once_and_the_others_leave(email_templates, by_the_worker, smtp):
    good = make_user(Role.BUSINESS, email="minh.tran@cokhisongthan.example.vn")
    wrong = make_user(Role.BUSINESS, email="minh.tran@cokhisongthan.example.com")
    smtp.refused.add(wrong.email)
    notify_all(users=[wrong, good], template="test/hello", context=email_templates)
    assert by_the_worker() == 1
    assert smtp.recipients() == [good.email]
    refused = EmailDelivery.objects.get(to=wrong.email)
    assert (refused.state, refused.attempts) == (EmailDelivery.State.FAILED, 1)
    assert "550" in refused.error and "User unknown" in refused.error
    assert EmailDelivery.objects.get(to=good.email).state == EmailDelivery.State.SENT
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()  # no retry


def test_the_administrators_see_the_failure_and_send_it_again(client, email_templates, by_the_worker, smtp):
    user = make_user(Role.BUSINESS, email="hoa.vo@giaynamviet.example.vn")
    smtp.refused.add(user.email)
    notify(user=user, template="test/hello", context=email_templates)
    sent = make_user(Role.BUSINESS)
    notify(user=sent, template="test/hello", context=email_templates)
    by_the_worker()
    failed, done = EmailDelivery.objects.get(to=user.email), EmailDelivery.objects.get(to=sent.email)
    client.force_login(make_user(Role.ADMIN, full_name="Lê Minh Quân"))
    page = client.get("/admin/notifications/emaildelivery/?state__exact=failed").content.decode()
    assert f"/admin/notifications/emaildelivery/{failed.pk}/change/" in page
    assert f"/admin/notifications/emaildelivery/{done.pk}/change/" not in page
    assert "Recipient address rejected: User unknown" in page
    detail = client.get(f"/admin/notifications/emaildelivery/{failed.pk}/change/").content.decode()
    assert "SMTPRecipientsRefused" in detail and "Hoàn thuế nhập khẩu" in detail
    # The mailbox is fixed; the administrator sends it again.
    smtp.refused.clear()
    response = client.post("/admin/notifications/emaildelivery/",
                           {"action": "send_again", "_selected_action": [failed.pk, done.pk]})
    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == (EmailDelivery.State.QUEUED, 0)
    assert by_the_worker() == 1
    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == (EmailDelivery.State.SENT, 1)
    assert sorted(smtp.recipients()) == sorted([sent.email, user.email])  # the sent one not again


@pytest.mark.parametrize(("error", "permanent"), [
    (smtplib.SMTPRecipientsRefused({"a@b.vn": (550, b"5.1.1 User unknown")}), True),
    (smtplib.SMTPRecipientsRefused({"a@b.vn": (452, b"4.2.2 Mailbox full")}), False),
    (smtplib.SMTPRecipientsRefused({"a@b.vn": (550, b"no"), "c@d.vn": (451, b"later")}), False),
    (smtplib.SMTPDataError(554, b"5.7.1 Message rejected as spam"), True),
    (smtplib.SMTPSenderRefused(421, b"4.7.0 Too many connections", "no-reply@ketnoi.local"), False),
    (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), False),
    (ConnectionRefusedError(111, "Connection refused"), False),
    (TimeoutError("timed out"), False),
    (ValueError('Invalid address "minh.tran@"'), True),
])
def test_what_is_tried_again(error, permanent):
    assert is_permanent(error) is permanent


def test_nothing_is_sent_twice_when_two_workers_run_the_same_batch(email_templates, by_the_worker):
    from ketnoi.notifications.services import emails_send

    users = [make_user(Role.OFFICER) for _ in range(3)]
    notify_all(users=users, template="test/hello", context=email_templates)
    [batch] = set(EmailDelivery.objects.values_list("email__batch", flat=True))
    assert emails_send(batch=batch) == {"sent": 3, "failed": 0, "retrying": 0}
    assert emails_send(batch=batch) == {"sent": 0, "failed": 0, "retrying": 0}
    assert by_the_worker() == 1  # the batch's own task finds nothing left
    assert len(mail.outbox) == 3


def test_two_workers_at_once_send_each_message_once(email_templates, by_the_worker):
    from ketnoi.notifications.services import emails_send
    from ketnoi.testing import race

    users = [make_user(Role.OFFICER) for _ in range(30)]
    notify_all(users=users, template="test/hello", context=email_templates)
    [batch] = set(EmailDelivery.objects.values_list("email__batch", flat=True))
    results, errors = race(lambda: emails_send(batch=batch), lambda: emails_send(batch=batch))
    assert errors == [None, None]
    assert sum(result["sent"] for result in results) == 30
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)


def test_the_outbox_counts_what_waits_and_what_failed(email_templates, by_the_worker, smtp):
    from ketnoi.notifications.selectors import outbox_counts

    refused, waiting = make_user(Role.BUSINESS), make_user(Role.BUSINESS)
    smtp.refused.add(refused.email)
    notify(user=refused, template="test/hello", context=email_templates)
    by_the_worker()
    notify(user=waiting, template="test/hello", context=email_templates)
    assert outbox_counts() == {"waiting": 1, "failed": 1}
