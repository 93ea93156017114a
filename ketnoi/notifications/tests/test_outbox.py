"""The e-mails of a change are written to the outbox in the change's transaction and the
background worker sends them: a rollback sends nothing, a crash after the commit loses nothing."""

import pytest
from django.core import mail
from django.db import connections, transaction
from django.test.utils import override_settings
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ketnoi.accounts.models import Role
from ketnoi.notifications.models import Email, EmailDelivery, Notification
from ketnoi.notifications.services import notify, notify_all
from ketnoi.testing import make_case, make_enterprise, make_unit, make_user, seed_reference_data

ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"


@pytest.mark.django_db
def test_it_writes_the_email_with_the_change_and_sends_nothing_yet(email_templates, by_the_worker):
    users = [make_user(Role.OFFICER, language=language) for language in ("vi", "en", "vi")]
    with transaction.atomic():
        notify_all(users=users, template="test/hello", context=email_templates, url="/cases/42/")
        # Inside the transaction: the message in each language, one delivery per user, the task.
        assert sorted(Email.objects.values_list("language", flat=True)) == ["en", "vi"]
        assert sorted(EmailDelivery.objects.values_list("to", flat=True)) == sorted(u.email for u in users)
        assert set(EmailDelivery.objects.values_list("state", flat=True)) == {EmailDelivery.State.QUEUED}
        [task] = DBTaskResult.objects.all()
        assert task.task_path == "ketnoi.notifications.tasks.send_emails"
        [batch] = set(Email.objects.values_list("batch", flat=True))
        assert task.args_kwargs["args"] == [batch]
    assert mail.outbox == []
    english = Email.objects.get(language="en")
    assert english.subject == "[en] Monday: Hoàn thuế nhập khẩu"
    assert "link=http" in english.text and "<b>Hoàn thuế nhập khẩu</b>" in english.html


@pytest.mark.django_db(transaction=True)
def test_a_rollback_sends_nothing(email_templates, by_the_worker):
    user = make_user(Role.BUSINESS)
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(user=user, template="test/hello", context=email_templates)
        raise RuntimeError("the change failed after the notice was written")
    assert not Email.objects.exists() and not EmailDelivery.objects.exists() and not Notification.objects.exists()
    assert not DBTaskResult.objects.exists()
    assert by_the_worker() == 0
    assert mail.outbox == []


class ProcessKilled(Exception):
    pass


def _kill_the_process():
    raise ProcessKilled


@pytest.mark.django_db(transaction=True)
def test_a_crash_after_the_commit_loses_nothing(by_the_worker):
    seed_reference_data()
    unit = make_unit(code="02CI", name_vi="Chi cục Hải quan cửa khẩu cảng Sài Gòn khu vực I")
    leader = make_user(Role.LEADER, unit=unit, full_name="Phạm Văn Hùng", email="hung.pv@haiquan.example.vn")
    business = make_user(Role.BUSINESS, enterprise=make_enterprise(name="Công ty TNHH Thép Phúc Long"),
                         email="lan.nt@thepphuclong.example.vn")
    # The process dies right after the commit, before anything else runs: the first thing to
    # run after the commit stops it (what would have run after it, never does).
    with pytest.raises(ProcessKilled), transaction.atomic():
        transaction.on_commit(_kill_the_process)
        case = make_case(by=business, unit=unit, subject="Hoàn thuế nhập khẩu nguyên liệu")
    connections.close_all()
    assert mail.outbox == []
    assert EmailDelivery.objects.filter(state=EmailDelivery.State.QUEUED).count() == 2
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1  # one batch for the case
    # A worker started later sends what the case wrote.
    assert by_the_worker() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["hung.pv@haiquan.example.vn", "lan.nt@thepphuclong.example.vn"]
    assert all(case.reference in m.subject for m in mail.outbox)
    assert set(EmailDelivery.objects.values_list("state", "attempts")) == {(EmailDelivery.State.SENT, 1)}
    assert not EmailDelivery.objects.filter(sent_at__isnull=True).exists()
    assert Notification.objects.filter(user=leader).count() == 1  # the in-app notice, as before


@pytest.mark.django_db(transaction=True)
def test_a_savepoint_rolled_back_takes_its_task_and_the_next_emails_get_their_own(email_templates, by_the_worker):
    first, second, third = (make_user(Role.OFFICER) for _ in range(3))
    with transaction.atomic():
        notify(user=first, template="test/hello", context=email_templates)
        with pytest.raises(RuntimeError), transaction.atomic():
            notify(user=second, template="test/hello", context=email_templates)
            raise RuntimeError("a step of the change failed and was undone")
        notify(user=third, template="test/hello", context=email_templates)
    assert DBTaskResult.objects.count() == 1  # one batch for the transaction
    assert by_the_worker() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, third.email])
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            notify(user=first, template="test/hello", context=email_templates)  # starts the batch, with its task
            raise RuntimeError("undone")
        notify(user=second, template="test/hello", context=email_templates)
    mail.outbox.clear()
    assert by_the_worker() == 1  # the second e-mail got a task of its own
    assert [m.to for m in mail.outbox] == [[second.email]]


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_through_the_mail_server_with_the_attachments(email_templates, by_the_worker, smtp):
    users = [make_user(Role.BUSINESS, email=f"nguoi{n}@dienmaysaigon.example.vn", language=language)
             for n, language in enumerate(("vi", "en"))]
    notify_all(users=users, template="test/hello", context=email_templates, url="/dialogue/1/",
               attachments=[("phien-1.ics", ICS, "text/calendar")])
    assert smtp.received == []
    assert by_the_worker() == 1  # one task for the batch, one connection for both
    assert sorted(smtp.recipients()) == [u.email for u in users]
    for _sender, _to, data in smtp.received:
        assert b"Content-Language: " in data
        assert b'filename="phien-1.ics"' in data and b"text/calendar" in data
        assert b"text/html" in data
    assert set(EmailDelivery.objects.values_list("state", flat=True)) == {EmailDelivery.State.SENT}


@pytest.mark.django_db
def test_the_demo_s_history_under_the_dummy_backend_queues_no_email(email_templates, by_the_worker):
    user = make_user(Role.BUSINESS)
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        notify(user=user, template="test/hello", context=email_templates)
    assert not Email.objects.exists() and not DBTaskResult.objects.exists()
    assert Notification.objects.filter(user=user).count() == 1


@pytest.mark.django_db
def test_the_tests_setting_sends_when_the_transaction_commits(email_templates, commit):
    user = make_user(Role.BUSINESS)
    with commit():
        with transaction.atomic():
            notify(user=user, template="test/hello", context=email_templates)
            assert mail.outbox == []
        assert mail.outbox == []  # the callbacks run when the capture ends, like a commit
    [message] = mail.outbox
    assert message.to == [user.email]
    assert EmailDelivery.objects.get().state == EmailDelivery.State.SENT
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_emails_are_written_with_their_task_or_not_at_all(email_templates, by_the_worker,
                                                                                    monkeypatch):
    from django.db import OperationalError

    from ketnoi.notifications import services

    def queue_is_locked(batch, **kwargs):
        raise OperationalError("database is locked")

    users = [make_user(Role.BUSINESS) for _ in range(2)]
    monkeypatch.setattr(services, "_schedule", queue_is_locked)
    with pytest.raises(OperationalError):
        notify_all(users=users, template="test/hello", context=email_templates, in_app=False)
    assert not Email.objects.exists() and not EmailDelivery.objects.exists()
    monkeypatch.undo()
    notify_all(users=users, template="test/hello", context=email_templates, in_app=False)
    assert (Email.objects.count(), EmailDelivery.objects.count(), DBTaskResult.objects.count()) == (1, 2, 1)
