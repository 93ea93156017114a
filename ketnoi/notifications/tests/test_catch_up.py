"""`ketnoi tick` catches up with the outbox: a delivery left "being sent" by a worker that died
goes back to the queue, and one due for a while that no worker took (its task lost, or no worker
running) is sent by the tick itself."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ketnoi.accounts.models import Role
from ketnoi.jobs import JOBS
from ketnoi.notifications.models import EmailDelivery
from ketnoi.notifications.services import emails_catch_up, notify
from ketnoi.testing import make_user

pytestmark = pytest.mark.django_db


def test_a_delivery_left_by_a_dead_worker_is_sent_again(email_templates, by_the_worker):
    user = make_user(Role.BUSINESS)
    notify(user=user, template="test/hello", context=email_templates)
    # A worker took it twenty minutes ago and was killed before it could say how it went.
    EmailDelivery.objects.update(state=EmailDelivery.State.SENDING, attempts=1,
                                 updated_at=timezone.now() - timedelta(minutes=20))
    assert emails_catch_up(now=timezone.now() + timedelta(minutes=5)) == {
        "requeued": 1, "sent": 1, "failed": 0, "retrying": 0}
    [message] = mail.outbox
    assert message.to == [user.email]
    assert EmailDelivery.objects.get().state == EmailDelivery.State.SENT


def test_a_delivery_being_sent_now_is_left_alone(email_templates, by_the_worker):
    notify(user=make_user(Role.BUSINESS), template="test/hello", context=email_templates)
    EmailDelivery.objects.update(state=EmailDelivery.State.SENDING, attempts=1, updated_at=timezone.now())
    assert emails_catch_up()["requeued"] == 0
    assert mail.outbox == [] and EmailDelivery.objects.get().state == EmailDelivery.State.SENDING


def test_a_due_delivery_whose_task_was_lost_is_sent_and_a_fresh_one_left_to_the_worker(email_templates, by_the_worker):
    old, fresh = make_user(Role.BUSINESS), make_user(Role.BUSINESS)
    notify(user=old, template="test/hello", context=email_templates)
    EmailDelivery.objects.update(created_at=timezone.now() - timedelta(minutes=10))
    DBTaskResult.objects.all().delete()  # its task is lost
    notify(user=fresh, template="test/hello", context=email_templates)
    assert emails_catch_up()["sent"] == 1
    assert [m.to for m in mail.outbox] == [[old.email]]
    assert EmailDelivery.objects.get(to=fresh.email).state == EmailDelivery.State.QUEUED


def test_it_is_a_job_of_the_tick():
    assert "notifications.outbox_catch_up" in [name for name, _job in JOBS]
