"""cases_tick (`ketnoi tick`): reminders, breaches, escalations and automatic resolution; every
step once, however often and however many ticks run at the same moment."""

import threading
from datetime import datetime

import pytest
from django.core import mail
from django.db import connection

from ketnoi.audit.models import AuditEvent
from ketnoi.cases import services
from ketnoi.cases.models import CaseEvent, Level, Status

from .core_helpers import assert_state_is_replayable, at, file_case, fresh, mail_to

pytestmark = pytest.mark.django_db

NOTHING = {"reminded": 0, "breaches": 0, "escalated": 0, "auto_resolved": 0}


@pytest.fixture
def case(w, clock):
    """Filed Mon 09/03/2026 09:00: acknowledge by Tue 10/03 17:00, answer by Mon 23/03 17:00."""
    return file_case(w)


@pytest.fixture
def taken(w, clock, case):
    clock.set(2026, 3, 9, 10)
    services.case_assign(case=case, assignee=w.officer, by=w.officer)
    return case


def tick(clock, *args):
    if args:
        clock.set(*args)
    return services.cases_tick(now=clock.now)


def events(case, kind):
    return list(case.events.filter(kind=kind))


def test_a_fresh_case_needs_nothing(w, clock, case):
    assert tick(clock, 2026, 3, 9, 10) == NOTHING


# --- reminders ------------------------------------------------------------------------------

def test_it_reminds_the_officer_before_the_deadline(w, clock, taken, commit):
    assert tick(clock, 2026, 3, 20, 10) == NOTHING  # 14 office hours left
    mail.outbox.clear()
    with commit():
        assert tick(clock, 2026, 3, 23, 9) == {**NOTHING, "reminded": 1}  # 8 h left at most
    (reminder,) = events(taken, CaseEvent.Kind.REMINDED)
    assert not reminder.public and reminder.at == at(2026, 3, 23, 9)
    assert len(mail_to(w.officer)) == 1 and mail_to(w.business) == []
    with commit():
        assert tick(clock) == NOTHING
        assert tick(clock, 2026, 3, 23, 15) == NOTHING
    assert len(mail.outbox) == 1


def test_an_unassigned_case_is_a_reminder_to_the_unit_leaders(w, clock, case, commit):
    services.case_message(case=case, body="Đã nhận.", by=w.officer)  # acknowledged, nobody assigned
    mail.outbox.clear()
    with commit():
        assert tick(clock, 2026, 3, 23, 9)["reminded"] == 1
    assert len(mail_to(w.leader)) == 1
    assert mail_to(w.officer) == [] and mail_to(w.officer2) == []


# --- breaches and escalation ----------------------------------------------------------------

def test_a_case_not_acknowledged_in_time_is_a_breach(w, clock, case):
    assert tick(clock, 2026, 3, 10, 16) == NOTHING
    assert tick(clock, 2026, 3, 11, 9) == {**NOTHING, "breaches": 1}
    (breach,) = events(case, CaseEvent.Kind.BREACH)
    assert breach.data == {"deadline": "acknowledge"} and not breach.public
    assert tick(clock) == NOTHING
    assert tick(clock, 2026, 3, 12, 9) == NOTHING
    assert fresh(case).escalation_step == 0  # a late acknowledgement is recorded, not escalated


def test_an_answer_breach_escalates_to_the_unit_leader(w, clock, taken, commit):
    mail.outbox.clear()
    with commit():
        assert tick(clock, 2026, 3, 24, 9) == {**NOTHING, "breaches": 1, "escalated": 1}
    case = fresh(taken)
    assert case.escalation_step == 1 and case.level == Level.UNIT and case.due_at == at(2026, 3, 23, 17)
    (breach,) = events(case, CaseEvent.Kind.BREACH)
    assert breach.data == {"deadline": "answer"}
    (escalated,) = events(case, CaseEvent.Kind.ESCALATED)
    assert escalated.data == {"step": 1} and escalated.actor is None and escalated.at == at(2026, 3, 24, 9)
    assert len(mail_to(w.leader)) == 1 and mail_to(w.coordinator) == []
    assert tick(clock) == NOTHING
    assert_state_is_replayable(case)


def test_then_to_the_department_which_gets_department_days(w, clock, taken, commit):
    tick(clock, 2026, 3, 24, 9)
    mail.outbox.clear()
    with commit():
        assert tick(clock, 2026, 3, 26, 9) == {**NOTHING, "escalated": 1}  # 17.5 office hours late
    case = fresh(taken)
    assert case.escalation_step == 2 and case.level == Level.DEPARTMENT
    assert case.due_at == at(2026, 4, 9, 17)  # 10 working days from the tick
    (_, second) = events(case, CaseEvent.Kind.ESCALATED)
    assert second.data["step"] == 2 and second.data["level"] == Level.DEPARTMENT
    assert datetime.fromisoformat(second.data["due"]) == at(2026, 4, 9, 17)
    assert len(mail_to(w.coordinator)) == 1
    assert tick(clock) == NOTHING
    assert_state_is_replayable(case)


def test_a_tick_long_after_the_deadline_takes_both_steps_at_once(w, clock, taken):
    assert tick(clock, 2026, 3, 26, 9) == {**NOTHING, "breaches": 1, "escalated": 2}
    case = fresh(taken)
    assert (case.escalation_step, case.level) == (2, Level.DEPARTMENT)
    assert [e.data["step"] for e in events(case, CaseEvent.Kind.ESCALATED)] == [1, 2]
    assert tick(clock) == NOTHING
    assert_state_is_replayable(case)


def test_the_department_deadline_missed_is_a_new_breach_but_no_further_escalation(w, clock, taken):
    tick(clock, 2026, 3, 26, 9)
    assert tick(clock, 2026, 4, 10, 9) == {**NOTHING, "breaches": 1}
    assert len(events(taken, CaseEvent.Kind.BREACH)) == 2
    assert tick(clock) == NOTHING


def test_the_escalation_steps_are_configurable(w, clock, taken, settings):
    settings.KETNOI_CASES = {"escalate_to_leader_after_hours": 4, "escalate_to_department_after_hours": 40}
    assert tick(clock, 2026, 3, 24, 9) == {**NOTHING, "breaches": 1}  # 1.5 h late
    assert tick(clock, 2026, 3, 24, 14) == {**NOTHING, "escalated": 1}  # 5 h late
    assert tick(clock, 2026, 3, 27, 17) == NOTHING  # 32 h late
    assert tick(clock, 2026, 3, 31, 9) == {**NOTHING, "escalated": 1}  # 41.5 h late
    assert fresh(taken).level == Level.DEPARTMENT


def test_an_answer_awaiting_approval_still_runs_against_the_deadline(w, clock):
    case = file_case(w, topic="thue")
    services.case_answer(case=case, body="Dự thảo.", by=w.officer)
    assert tick(clock, 2026, 3, 24, 9) == {**NOTHING, "breaches": 1, "escalated": 1}


def test_the_tick_acts_as_of_the_moment_it_is_given(w, clock, taken):
    # Django's clock still says Monday 09/03; the tick is asked about Thursday 26/03.
    assert services.cases_tick(now=at(2026, 3, 26, 9)) == {**NOTHING, "breaches": 1, "escalated": 2}
    case = fresh(taken)
    assert case.due_at == at(2026, 4, 9, 17)
    assert {e.at for e in events(case, CaseEvent.Kind.ESCALATED)} == {at(2026, 3, 26, 9)}
    assert services.cases_tick(now=at(2026, 3, 26, 9)) == NOTHING


def test_an_automatic_resolution_is_dated_by_the_tick(w, clock, taken):
    services.case_answer(case=taken, body="Trả lời.", by=w.officer)
    assert services.cases_tick(now=at(2026, 3, 26, 9))["auto_resolved"] == 1
    case = fresh(taken)
    assert case.resolved_at == at(2026, 3, 26, 9)
    assert {e.at for e in case.events.filter(kind__in=[CaseEvent.Kind.ACCEPTED, CaseEvent.Kind.RESOLVED])} == {
        at(2026, 3, 26, 9)}


# --- the clock stops while the business is asked ----------------------------------------

def test_a_case_waiting_for_the_business_is_never_breached_or_escalated(w, clock, taken):
    clock.set(2026, 3, 20, 10)
    services.case_request_info(case=taken, body="Bổ sung hợp đồng.", by=w.officer)
    for moment in [(2026, 3, 23, 16), (2026, 3, 24, 9), (2026, 3, 30, 9), (2026, 6, 1, 9)]:
        assert tick(clock, *moment) == NOTHING
    assert not events(taken, CaseEvent.Kind.BREACH) and not events(taken, CaseEvent.Kind.ESCALATED)
    assert not events(taken, CaseEvent.Kind.REMINDED)
    # The reply gives back the 13.5 office hours that were left when the clock stopped.
    clock.set(2026, 6, 1, 9)
    services.case_message(case=taken, body="Hợp đồng đính kèm.", by=w.business)
    assert fresh(taken).due_at == at(2026, 6, 2, 16)
    assert tick(clock, 2026, 6, 2, 16)["breaches"] == 0
    assert tick(clock, 2026, 6, 3, 9)["breaches"] == 1


def test_a_never_acknowledged_case_that_waits_is_not_an_acknowledgement_breach(w, clock, case):
    services.case_request_info(case=case, body="Bổ sung.", by=w.officer)  # asking acknowledges
    assert tick(clock, 2026, 3, 11, 9) == NOTHING


# --- automatic resolution -------------------------------------------------------------------

def test_an_answered_case_without_reply_is_resolved_after_five_working_days(w, clock, taken, commit):
    clock.set(2026, 3, 9, 11)
    services.case_answer(case=taken, body="Trả lời.", by=w.officer)
    assert tick(clock, 2026, 3, 16, 16) == NOTHING
    mail.outbox.clear()
    with commit():
        assert tick(clock, 2026, 3, 16, 17, 1) == {**NOTHING, "auto_resolved": 1}
    case = fresh(taken)
    assert case.status == Status.RESOLVED and case.resolved_at == at(2026, 3, 16, 17, 1)
    accepted = case.events.get(kind=CaseEvent.Kind.ACCEPTED)
    assert accepted.data == {"automatic": True} and accepted.actor is None
    assert case.events.get(kind=CaseEvent.Kind.RESOLVED).data == {"automatic": True}
    for user in (w.business, w.business2):
        (message,) = mail_to(user)
        assert "/cases/rate/" in message.body
    assert AuditEvent.objects.filter(action="case.auto_resolve").count() == 1
    assert tick(clock) == NOTHING and tick(clock, 2026, 3, 30, 9) == NOTHING
    assert_state_is_replayable(case)


def test_the_waiting_time_before_auto_resolution_is_configurable(w, clock, taken, settings):
    settings.KETNOI_CASES = {"auto_resolve_workdays": 1}
    services.case_answer(case=taken, body="Trả lời.", by=w.officer)
    assert tick(clock, 2026, 3, 10, 18)["auto_resolved"] == 1


def test_a_business_reply_keeps_the_case_from_being_resolved(w, clock, taken):
    services.case_answer(case=taken, body="Trả lời.", by=w.officer)
    clock.set(2026, 3, 10, 9)
    services.case_message(case=taken, body="Chưa rõ.", by=w.business)
    assert tick(clock, 2026, 3, 18, 9)["auto_resolved"] == 0
    assert fresh(taken).status == Status.IN_PROGRESS


# --- idempotence -----------------------------------------------------------------------------

def several_cases(w, clock):
    """One case of each kind of work the tick does, at Thu 26/03/2026 09:00."""
    late = file_case(w)
    services.case_assign(case=late, assignee=w.officer, by=w.officer)
    never_acknowledged = file_case(w)
    answered = file_case(w)
    services.case_answer(case=answered, body="Trả lời.", by=w.officer)
    clock.set(2026, 3, 17, 9)
    soon = file_case(w, received_at=at(2026, 3, 12, 9))  # due Thu 26/03 17:00
    services.case_assign(case=soon, assignee=w.officer2, by=w.officer2)
    clock.set(2026, 3, 26, 9)
    return [late, never_acknowledged, answered, soon]


EXPECTED = {"reminded": 1, "breaches": 3, "escalated": 4, "auto_resolved": 1}


def test_running_it_twice_at_the_same_moment_does_nothing_more(w, clock, commit):
    cases = several_cases(w, clock)
    mail.outbox.clear()
    with commit():
        assert services.cases_tick(now=clock.now) == EXPECTED
    sent, recorded = len(mail.outbox), CaseEvent.objects.count()
    with commit():
        assert services.cases_tick(now=clock.now) == NOTHING
    assert len(mail.outbox) == sent and CaseEvent.objects.count() == recorded
    for case in cases:
        assert_state_is_replayable(case)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_ticks_at_the_same_time_do_each_step_once(w, clock):
    cases = several_cases(w, clock)
    barrier, results, errors = threading.Barrier(2), [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(services.cases_tick(now=clock.now))
        except Exception as error:  # reported below: a thread's exception would be lost
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert {key: sum(r[key] for r in results) for key in NOTHING} == EXPECTED
    assert services.cases_tick(now=clock.now) == NOTHING
    keys = list(CaseEvent.objects.exclude(once_key=None).values_list("case_id", "once_key"))
    assert len(keys) == len(set(keys)) == 9
    for case in cases:
        assert_state_is_replayable(case)


# --- races between the tick's query and its lock ----------------------------------------

def test_a_case_answered_since_the_tick_read_it_is_left_alone(w, clock, taken):
    stale = fresh(taken)
    clock.set(2026, 3, 24, 9)
    services.case_answer(case=taken, body="Trả lời.", by=w.officer)
    assert services.case_escalate(case=stale, by=None, reason="", step=1, once_key="escalate:1:x") is None
    assert fresh(taken).escalation_step == 0
