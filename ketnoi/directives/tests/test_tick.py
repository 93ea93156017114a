"""directives_tick (`ketnoi tick`): units that did not acknowledge in time are escalated once,
and each morning the leaders and delegates get one digest of what changed — however often and
however many ticks run."""

import re
import threading
from datetime import date, datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from ketnoi.audit.models import AuditEvent
from ketnoi.directives import services
from ketnoi.directives.models import Delegate, DigestDay, DigestSent, Recipient
from ketnoi.notifications.models import Notification

from .service_helpers import (  # noqa: F401  (fixtures)
    at, audit, build_world, clock, fresh, issue, mail_to, recipient, replace, w,
)

pytestmark = pytest.mark.django_db

NOTHING = {"escalated": 0, "digests": 0}


def tick(clock, *args):
    if args:
        clock.set(*args)
    return services.directives_tick(now=clock.now)


def escalate(clock, *args) -> int:
    """The escalation alone (a tick after 07:00 also sends the day's digest)."""
    if args:
        clock.set(*args)
    return services.escalate_overdue(now=clock.now)


def escalated(directive) -> set[int]:
    return set(directive.recipients.filter(escalated_at__isnull=False).values_list("unit_id", flat=True))


@pytest.fixture
def directive(w):
    """Sent to the two branches Monday 09/03/2026 09:00: acknowledge by 13:00."""
    return issue(w, number="125/HQHCM-VP", target="kinds", target_kinds=["branch"], ack_within_hours=4)


# --- escalation ------------------------------------------------------------------------------------

def test_nothing_is_escalated_before_the_deadline(w, clock, directive):
    assert services.escalate_overdue(now=at(2026, 3, 9, 12, 59)) == 0
    assert services.escalate_overdue(now=at(2026, 3, 9, 13)) == 0  # exactly at the deadline: still in time
    assert escalated(directive) == set()


def test_units_that_did_not_acknowledge_are_escalated_after_the_deadline(w, clock, directive):
    clock.set(2026, 3, 9, 12)
    services.directive_acknowledge(directive=directive, unit=w.branch, by=w.leader, at=at(2026, 3, 9, 12))
    assert services.escalate_overdue(now=at(2026, 3, 9, 13, 0, 1)) == 1
    assert escalated(directive) == {w.branch2.pk}
    assert recipient(directive, w.branch2).escalated_at == at(2026, 3, 9, 13, 0, 1)


def test_an_escalation_happens_once_however_many_ticks(w, clock, directive, commit):
    with commit():
        assert tick(clock, 2026, 3, 9, 14)["escalated"] == 2
    sent = Notification.objects.filter(kind="directives/escalated").count()
    with commit():
        assert tick(clock)["escalated"] == 0  # the same moment again
        assert tick(clock, 2026, 3, 9, 14, 5)["escalated"] == 0
        assert tick(clock, 2026, 3, 12, 9)["escalated"] == 0
    assert sent == 4 + 3  # each branch: its leader(s), and the two coordinators
    assert Notification.objects.filter(kind="directives/escalated").count() == sent
    assert {r.escalated_at for r in directive.recipients.all()} == {at(2026, 3, 9, 14)}
    assert len(audit("directive.escalated")) == 2


def test_an_acknowledgement_after_the_deadline_but_before_the_tick_is_not_escalated(w, clock, directive):
    clock.set(2026, 3, 9, 13, 45)
    services.directive_acknowledge(directive=directive, unit=w.branch, by=w.leader, at=at(2026, 3, 9, 13, 30))
    services.directive_acknowledge(directive=directive, unit=w.branch2, by=w.leader2, at=at(2026, 3, 9, 13, 40))
    assert tick(clock, 2026, 3, 9, 14)["escalated"] == 0


def test_a_directive_without_a_deadline_is_never_escalated(w, clock):
    directive = issue(w)
    assert tick(clock, 2026, 4, 30, 9)["escalated"] == 0
    assert escalated(directive) == set()


def test_only_the_latest_version_is_escalated(w, clock, directive):
    clock.set(2026, 3, 9, 12)
    second = replace(w, directive, number="126/HQHCM-VP", ack_within_hours=8)  # due 20:00
    assert tick(clock, 2026, 3, 9, 14)["escalated"] == 0  # the first version's deadline passed: it is replaced
    assert tick(clock, 2026, 3, 9, 20, 1)["escalated"] == 2
    assert escalated(directive) == set() and escalated(second) == {w.branch.pk, w.branch2.pk}


def test_the_escalation_is_audited_with_its_deadline(w, clock, directive):
    escalate(clock, 2026, 3, 9, 14)
    (event,) = audit("directive.escalated", recipient(directive, w.branch))
    assert event.actor is None
    assert {key: datetime.fromisoformat(value) for key, value in event.after.items()} == {
        "escalated_at": at(2026, 3, 9, 14), "ack_due_at": at(2026, 3, 9, 13)}


def test_the_unit_s_leaders_and_delegates_and_the_coordinators_are_told(w, clock, directive, commit):
    Delegate.objects.create(unit=w.branch2, user=w.officer_b2, granted_by=w.leader2)
    services.directive_acknowledge(directive=directive, unit=w.branch, by=w.leader)
    mail.outbox.clear()
    with commit():
        escalate(clock, 2026, 3, 9, 14)
    told = {w.leader2.email, w.officer_b2.email, w.coordinator.email, w.coordinator2.email}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(told)
    for user in (w.leader, w.deputy, w.officer, w.division_leader, w.team_leader):
        assert mail_to(user) == []
    assert Notification.objects.filter(kind="directives/escalated").count() == 4
    (message,) = mail_to(w.leader2)
    assert "125/HQHCM-VP" in message.subject and directive.get_absolute_url() in message.body


def test_the_escalation_reads_in_the_reader_s_language(w, clock, directive, commit):
    mail.outbox.clear()
    with commit():
        escalate(clock, 2026, 3, 9, 14)
    (english,) = mail_to(w.deputy)
    assert english.subject == "Not acknowledged: Saigon Port Zone I Customs Branch has not acknowledged 125/HQHCM-VP"
    assert "had to acknowledge directive 125/HQHCM-VP by 13:00 09/03/2026 and has not done so." in english.body


def test_each_unit_late_is_one_message_to_the_coordinators(w, clock, directive, commit):
    mail.outbox.clear()
    with commit():
        escalate(clock, 2026, 3, 9, 14)
    assert len(mail_to(w.coordinator)) == 2 and len(mail_to(w.leader)) == 1 and len(mail_to(w.leader2)) == 1


def test_nothing_is_sent_before_the_commit(w, clock, directive, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks() as callbacks:
        escalate(clock, 2026, 3, 9, 14)
    assert mail.outbox == [] and len(callbacks) == 2


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_two_ticks_at_the_same_moment_escalate_once(attempt):
    w = build_world()
    directive = issue(w, number="125/HQHCM-VP", target="kinds", target_kinds=["branch"], ack_within_hours=4)
    Recipient.objects.filter(directive=directive).update(ack_due_at=at(2020, 1, 1))
    mail.outbox.clear()
    barrier = threading.Barrier(2)
    counts = [None, None]

    def run(index):
        try:
            barrier.wait(timeout=10)
            counts[index] = services.escalate_overdue(now=at(2026, 3, 9, 14))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(counts) in ([0, 2], [1, 1])
    assert AuditEvent.objects.filter(action="directive.escalated").count() == 2
    assert len(mail.outbox) == 4 + 3  # each branch: its leader(s), and the two coordinators, once


# --- ketnoi tick --------------------------------------------------------------------------------------

def test_ketnoi_tick_runs_the_escalation_and_the_digest(w, clock, directive, commit):
    clock.set(2026, 3, 9, 14)
    out = StringIO()
    with commit():
        call_command("tick", stdout=out)
    (result,) = re.findall(r"^directives\.escalations_digest: (.*) \(\d+\.\d\d s\)$", out.getvalue(), flags=re.M)
    # The digest of Monday: the first branch's two leaders, its team's, the second branch's.
    assert result == "{'escalated': 2, 'digests': 4}"
    assert escalated(directive) == {w.branch.pk, w.branch2.pk}
    out = StringIO()
    call_command("tick", stdout=out)
    assert "directives.escalations_digest: {'escalated': 0, 'digests': 0}" in out.getvalue()


# --- the digest -------------------------------------------------------------------------------------

def digests(user) -> list:
    return [m for m in mail_to(user) if "Directives: what changed on" in m.subject or "Văn bản chỉ đạo" in m.subject
            and "thay đổi" in m.subject]


def test_no_digest_before_seven_in_the_morning(w, clock, commit):
    clock.set(2026, 3, 8, 15)
    issue(w, number="125/HQHCM-VP", effective_from=date(2026, 3, 9))
    with commit():
        assert tick(clock, 2026, 3, 9, 6, 59) == NOTHING
    assert not DigestDay.objects.exists() and not DigestSent.objects.exists() and mail.outbox == []


def test_the_digest_leaves_with_the_first_tick_after_seven(w, clock, commit):
    clock.set(2026, 3, 8, 15)
    issue(w, number="125/HQHCM-VP", effective_from=date(2026, 3, 9), target="units", target_units=[w.branch])
    mail.outbox.clear()
    with commit():
        assert tick(clock, 2026, 3, 9, 7)["digests"] == 3  # the branch's leader and deputy, its team's leader
    assert len(mail_to(w.leader)) == 1 and len(mail_to(w.deputy)) == 1
    assert set(DigestSent.objects.values_list("user_id", flat=True)) == {w.leader.pk, w.deputy.pk, w.team_leader.pk}
    assert DigestDay.objects.filter(day=date(2026, 3, 9)).exists()


def test_seven_is_the_local_time(w, clock, commit):
    clock.set(2026, 3, 8, 15)
    issue(w, number="125/HQHCM-VP", effective_from=date(2026, 3, 9))
    from datetime import timezone as tz

    assert services.send_digests(now=datetime(2026, 3, 8, 23, 59, tzinfo=tz.utc)) == 0  # 06:59 in HCMC
    assert services.send_digests(now=datetime(2026, 3, 9, 0, 0, tzinfo=tz.utc)) > 0     # 07:00 in HCMC
    assert set(DigestSent.objects.values_list("day", flat=True)) == {date(2026, 3, 9)}


def test_the_digest_is_sent_once_a_day_to_each(w, clock, commit):
    clock.set(2026, 3, 8, 15)
    issue(w, number="125/HQHCM-VP", effective_from=date(2026, 3, 9))
    mail.outbox.clear()
    with commit():
        first = tick(clock, 2026, 3, 9, 7, 5)["digests"]
        assert tick(clock)["digests"] == 0
        assert tick(clock, 2026, 3, 9, 12)["digests"] == 0
        assert tick(clock, 2026, 3, 9, 23, 59)["digests"] == 0
    assert first == 5 and len(mail.outbox) == 5  # leaders of the branches (two in the first), the team, the division
    for user in (w.leader, w.deputy, w.leader2, w.team_leader, w.division_leader):
        assert len(digests(user)) == 1


def test_a_digest_run_cut_short_is_finished_by_the_next_tick_without_repeating(w, clock, commit):
    clock.set(2026, 3, 8, 15)
    issue(w, number="125/HQHCM-VP", effective_from=date(2026, 3, 9))
    DigestSent.objects.create(user=w.leader, day=date(2026, 3, 9))  # sent before the run stopped
    mail.outbox.clear()
    with commit():
        assert tick(clock, 2026, 3, 9, 7, 5)["digests"] == 4
    assert mail_to(w.leader) == [] and len(mail_to(w.deputy)) == 1


def test_nothing_changed_means_no_digest(w, clock, commit):
    issue(w, number="125/HQHCM-VP")  # in force since Monday, nothing to acknowledge
    mail.outbox.clear()
    with commit():
        assert tick(clock, 2026, 3, 11, 7, 5)["digests"] == 0  # Wednesday: nothing new since Tuesday
    assert mail.outbox == []
    assert DigestDay.objects.filter(day=date(2026, 3, 11)).exists()


def test_someone_leading_two_units_gets_one_digest_with_both(w, clock, commit):
    w.leader2.role_assignments.create(role="leader", unit=w.division)
    clock.set(2026, 3, 8, 15)
    issue(w, number="125/HQHCM-VP", effective_from=date(2026, 3, 9), target="units", target_units=[w.branch2])
    issue(w, number="126/HQHCM-VP", effective_from=date(2026, 3, 9), target="units", target_units=[w.division])
    mail.outbox.clear()
    with commit():
        tick(clock, 2026, 3, 9, 7, 5)
    (message,) = mail_to(w.leader2)
    assert "125/HQHCM-VP" in message.body and "126/HQHCM-VP" in message.body


def test_the_digest_lists_what_came_into_force_was_replaced_ended_and_awaits(w, clock, commit):
    # Known to Monday's digest: one ending Monday, one replaced from Tuesday. After it: the
    # replacement, a new directive for Tuesday, one still to acknowledge.
    clock.set(2026, 3, 9, 6)
    ending = issue(w, number="120/HQHCM-VP", title="Về việc tạm dừng tiếp khách", effective_to=date(2026, 3, 9))
    old = issue(w, number="121/HQHCM-VP", title="Về việc bố trí trực")
    clock.set(2026, 3, 9, 18)
    replace(w, old, number="122/HQHCM-VP", title="Về việc bố trí trực (thay thế)", effective_from=date(2026, 3, 10))
    issue(w, number="123/HQHCM-VP", title="Về việc đo thân nhiệt", effective_from=date(2026, 3, 10))
    issue(w, number="124/HQHCM-VP", title="Về việc báo cáo hằng ngày", ack_within_hours=24)
    mail.outbox.clear()
    with commit():
        tick(clock, 2026, 3, 10, 7, 5)
    (english,) = digests(w.deputy)
    assert english.subject == "Directives: what changed on 10/03/2026"
    body = english.body
    assert "== Saigon Port Zone I Customs Branch ==" in body
    now_in_force = body.split("Now in force:\n")[1].split("Replaced by")[0]
    # 124 was signed Monday evening, in force at once: after Monday's digest, so in Tuesday's.
    assert now_in_force.splitlines() == ["  - 124/HQHCM-VP – Về việc báo cáo hằng ngày",
                                         "  - 123/HQHCM-VP – Về việc đo thân nhiệt"]
    assert "Replaced by a new version:\n  - 121/HQHCM-VP → 122/HQHCM-VP – Về việc bố trí trực (thay thế)" in body
    assert "No longer in force:\n  - 120/HQHCM-VP – Về việc tạm dừng tiếp khách" in body
    assert "Still to acknowledge:\n  - 124/HQHCM-VP (due 18:00 10/03/2026)" in body
    assert ending.number not in body.split("No longer in force")[0]
    (vietnamese,) = [m for m in mail_to(w.leader) if m.extra_headers["Content-Language"] == "vi"]
    assert "123/HQHCM-VP" in vietnamese.body and "124/HQHCM-VP" in vietnamese.body


def test_a_directive_issued_after_the_morning_digest_is_in_the_next_one(w, clock, commit):
    # Most crisis directives take effect the day they are signed: one signed Monday at 10:00 has
    # missed Monday's digest and must be in Tuesday's.
    with commit():
        tick(clock, 2026, 3, 9, 7, 5)
    clock.set(2026, 3, 9, 10)
    same_day = issue(w, number="125/HQHCM-VP", title="Về việc khử khuẩn trụ sở", target="units", target_units=[w.branch])
    replacement = replace(w, issue(w, number="119/HQHCM-VP", issued_at=at(2026, 3, 6, 9), effective_from=date(2026, 3, 6),
                                   target="units", target_units=[w.branch]),
                          number="126/HQHCM-VP")
    mail.outbox.clear()
    with commit():
        assert tick(clock, 2026, 3, 10, 7, 5)["digests"] == 3  # the branch's two leaders and its team's
    (english,) = digests(w.deputy)
    assert f"Now in force:\n  - {same_day.number} – Về việc khử khuẩn trụ sở" in english.body
    assert f"Replaced by a new version:\n  - 119/HQHCM-VP → {replacement.number}" in english.body
    # ...and only once: Wednesday's digest does not repeat it.
    mail.outbox.clear()
    with commit():
        assert tick(clock, 2026, 3, 11, 7, 5)["digests"] == 0


def test_a_directive_in_monday_s_digest_is_not_in_tuesday_s(w, clock, commit):
    clock.set(2026, 3, 9, 6)
    issue(w, number="125/HQHCM-VP", target="units", target_units=[w.branch])
    with commit():
        assert tick(clock, 2026, 3, 9, 7, 5)["digests"] == 3
    mail.outbox.clear()
    with commit():
        assert tick(clock, 2026, 3, 10, 7, 5)["digests"] == 0


def test_only_the_units_concerned_get_a_digest(w, clock, commit):
    clock.set(2026, 3, 8, 15)
    issue(w, number="125/HQHCM-VP", effective_from=date(2026, 3, 9), target="units", target_units=[w.branch2])
    issue(w, number="126/HQHCM-VP", issued_at=at(2026, 3, 1, 9), effective_from=date(2026, 3, 1),
          target="units", target_units=[w.branch])  # in force for a week: not news
    mail.outbox.clear()
    with commit():
        assert tick(clock, 2026, 3, 9, 7, 5)["digests"] == 1
    assert len(mail_to(w.leader2)) == 1 and mail_to(w.leader) == [] and mail_to(w.coordinator) == []


def test_a_delegate_gets_the_digest_and_an_officer_does_not(w, clock, commit):
    Delegate.objects.create(unit=w.branch, user=w.officer, granted_by=w.leader)
    clock.set(2026, 3, 8, 15)
    issue(w, number="125/HQHCM-VP", effective_from=date(2026, 3, 9), target="units", target_units=[w.branch])
    mail.outbox.clear()
    with commit():
        tick(clock, 2026, 3, 9, 7, 5)
    assert len(digests(w.officer)) == 1 and mail_to(w.officer2) == []


def test_awaiting_acknowledgement_alone_is_worth_a_digest(w, clock, commit):
    issue(w, number="125/HQHCM-VP", issued_at=at(2026, 3, 6, 16), effective_from=date(2026, 3, 6),
          target="units", target_units=[w.branch], ack_within_hours=720)
    mail.outbox.clear()
    with commit():
        assert tick(clock, 2026, 3, 9, 7, 5)["digests"] == 2
    assert "Still to acknowledge:\n  - 125/HQHCM-VP" in digests(w.deputy)[0].body
    services.directive_acknowledge(directive=fresh(Recipient.objects.get().directive), unit=w.branch, by=w.leader)
    with commit():
        assert tick(clock, 2026, 3, 10, 7, 5)["digests"] == 0


def test_a_team_s_leader_gets_the_digest_of_its_branch_s_directives(w, clock, commit):
    # A team works under its branch's directives (selectors.in_force); only the branch acknowledges.
    clock.set(2026, 3, 8, 15)
    issue(w, number="125/HQHCM-VP", effective_from=date(2026, 3, 9), target="units", target_units=[w.branch],
          ack_within_hours=24)
    mail.outbox.clear()
    with commit():
        assert tick(clock, 2026, 3, 9, 7, 5)["digests"] == 3  # the branch's two leaders and the team's
    (message,) = digests(w.team_leader)
    assert "125/HQHCM-VP" in message.body
    assert "125/HQHCM-VP (" not in message.body  # nothing to acknowledge: the branch does
    assert mail_to(w.team_officer) == []
