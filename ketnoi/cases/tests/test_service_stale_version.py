"""Optimistic locking in the services: a change sent with the version of the case it was read at
(`expected_version`) is refused when the case has changed since, and then changes nothing — no
timeline entry, no audit event, no answer, no e-mail, no notice. Every change makes the case's
version one more, so that the copies read before it are out of date."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ketnoi.audit.models import AuditEvent
from ketnoi.cases import services
from ketnoi.cases.models import Answer, CaseEvent, Status
from ketnoi.notifications.models import Email, Notification

from .core_helpers import at, file_case, fresh, mail_to

pytestmark = pytest.mark.django_db
Kind = CaseEvent.Kind
ANSWER = "Căn cứ Điều 36 Nghị định 134/2016/NĐ-CP, hồ sơ hoàn thuế gồm công văn đề nghị và bảng kê tờ khai."


def everything(case) -> dict:
    """What a refused change must leave exactly as it was."""
    row = fresh(case)
    return {
        "row": {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields},
        "events": list(row.events.values_list("id", "kind", "body")),
        "shared_with": list(row.shared_with.values_list("id", flat=True)),
        "answers": list(Answer.objects.filter(case=row).values_list("id", "state", "body")),
        "audit": AuditEvent.objects.filter(object_id=str(row.pk)).count(),
        "emails": Email.objects.count(),
        "notices": Notification.objects.count(),
    }


def a_colleague_notes(w, case) -> None:
    services.case_message(case=case, body="Đã liên hệ doanh nghiệp qua điện thoại.", by=w.officer2, internal=True)


# --- assign and answer, the two every officer does ---------------------------------------------

def test_an_assignment_from_a_stale_page_is_refused_and_changes_nothing(w, commit):
    case = file_case(w)
    seen = fresh(case).version  # the officer's page, before the leader's assignment
    services.case_assign(case=case, assignee=w.officer2, by=w.leader)
    before = everything(case)
    mail.outbox.clear()
    with commit(), pytest.raises(services.CaseChanged) as refused:
        services.case_assign(case=case, assignee=w.officer, by=w.officer, expected_version=seen)
    assert isinstance(refused.value, ValidationError) and refused.value.code == "stale"
    assert everything(case) == before and mail.outbox == []
    assert fresh(case).assignee == w.officer2  # the leader's assignment stands


def test_an_answer_to_a_case_a_colleague_just_answered_is_refused_and_changes_nothing(w, commit):
    case = file_case(w)
    seen = fresh(case).version
    with commit():
        services.case_answer(case=case, body=ANSWER, by=w.officer2)
    before = everything(case)
    mail.outbox.clear()
    with commit(), pytest.raises(services.CaseChanged):
        services.case_answer(case=case, body="Một câu trả lời khác.", by=w.officer, expected_version=seen)
    assert everything(case) == before and mail.outbox == []
    assert case.events.filter(kind=Kind.ANSWERED).count() == 1
    assert Answer.objects.get(case=case).body == ANSWER


def test_an_answer_to_a_case_moved_to_another_unit_meanwhile_is_refused(w):
    case = file_case(w)
    seen = fresh(case).version
    services.case_reassign(case=case, unit=w.other_unit, reason="Thuộc địa bàn Chi cục khác.", by=w.leader)
    before = everything(case)
    # The officer's unit no longer handles it: refused for that first (who may act, then the version).
    with pytest.raises(PermissionDenied):
        services.case_answer(case=case, body=ANSWER, by=w.officer, expected_version=seen)
    assert everything(case) == before


def test_an_answer_sent_after_the_business_replied_is_refused_so_the_officer_reads_the_reply(w, commit):
    case = file_case(w)
    services.case_request_info(case=case, body="Đề nghị bổ sung hợp đồng ngoại thương.", by=w.officer)
    seen = fresh(case).version
    with commit():
        services.case_message(case=case, body="Công ty gửi bổ sung hợp đồng số 12/2026.", by=w.business)
    before = everything(case)
    mail.outbox.clear()
    with commit(), pytest.raises(services.CaseChanged):
        services.case_answer(case=case, body=ANSWER, by=w.officer, expected_version=seen)
    assert everything(case) == before and mail_to(w.business) == []


def test_a_draft_saved_by_a_colleague_is_not_overwritten_from_a_stale_page(w):
    case = file_case(w)
    seen = fresh(case).version
    services.answer_save_draft(case=case, body="Dự thảo của cán bộ thứ hai.", by=w.officer2)
    with pytest.raises(services.CaseChanged):
        services.answer_save_draft(case=case, body="Dự thảo khác.", by=w.officer, expected_version=seen)
    assert Answer.objects.get(case=case).body == "Dự thảo của cán bộ thứ hai."


# --- every staff action refuses a stale version, before anything else about the case ----------

def _actions(w):
    tomorrow = timezone.now() + timedelta(days=3)
    return {
        "assign": lambda c, v: services.case_assign(case=c, assignee=w.officer, by=w.officer, expected_version=v),
        "reassign": lambda c, v: services.case_reassign(case=c, unit=w.other_unit, reason="Sai địa bàn.", by=w.leader,
                                                        expected_version=v),
        "share": lambda c, v: services.case_share(case=c, unit=w.shared_unit, by=w.officer, expected_version=v),
        "forward": lambda c, v: services.case_forward(case=c, to="Sở Công Thương TP. Hồ Chí Minh",
                                                      reason="Ngoài thẩm quyền.", by=w.leader, expected_version=v),
        "message": lambda c, v: services.case_message(case=c, body="Đang xem xét.", by=w.officer, expected_version=v),
        "note": lambda c, v: services.case_message(case=c, body="Ghi chú.", by=w.officer, internal=True,
                                                   expected_version=v),
        "request_info": lambda c, v: services.case_request_info(case=c, body="Bổ sung C/O.", by=w.officer,
                                                                expected_version=v),
        "draft": lambda c, v: services.answer_save_draft(case=c, body=ANSWER, by=w.officer, expected_version=v),
        "answer": lambda c, v: services.case_answer(case=c, body=ANSWER, by=w.officer, expected_version=v),
        "approve": lambda c, v: services.answer_decide(case=c, approve=True, by=w.leader, expected_version=v),
        "reject": lambda c, v: services.answer_decide(case=c, approve=False, reason="Sửa căn cứ.", by=w.leader,
                                                      expected_version=v),
        "set_due": lambda c, v: services.case_set_due(case=c, due_at=tomorrow, reason="Hẹn tại hội nghị.",
                                                      by=w.leader, expected_version=v),
        "escalate": lambda c, v: services.case_escalate(case=c, reason="Cần ý kiến Cục.", by=w.leader,
                                                        expected_version=v),
        "accept": lambda c, v: services.case_accept(case=c, by=w.business, expected_version=v),
        "rate": lambda c, v: services.case_rate(case=c, score=5, by=w.business, expected_version=v),
    }


ACTIONS = ["assign", "reassign", "share", "forward", "message", "note", "request_info", "draft", "answer", "approve",
           "reject", "set_due", "escalate", "accept", "rate"]


@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_refuses_a_stale_version_and_changes_nothing(w, action, commit):
    case = file_case(w)
    seen = fresh(case).version
    a_colleague_notes(w, case)
    before = everything(case)
    mail.outbox.clear()
    with commit(), pytest.raises(services.CaseChanged):
        _actions(w)[action](case, seen)
    assert everything(case) == before and mail.outbox == []


@pytest.mark.parametrize("action", ["assign", "reassign", "share", "forward", "message", "note", "request_info",
                                    "draft", "answer", "set_due", "escalate"])
def test_every_action_with_the_current_version_goes_through_and_makes_the_version_one_more(w, action):
    case = file_case(w)
    current = fresh(case).version
    _actions(w)[action](case, current)
    assert fresh(case).version == current + 1


def test_without_a_version_there_is_no_check(w):
    """Commands, the tick, the dialogue sessions and the demo act on the case as it is."""
    case = file_case(w)
    a_colleague_notes(w, case)
    services.case_answer(case=case, body=ANSWER, by=w.officer)
    assert fresh(case).status == Status.ANSWERED


def test_the_business_and_the_leader_move_the_version_too(w):
    case = file_case(w, topic="thue")  # answers wait for a leader's approval
    versions = [fresh(case).version]
    for change in (lambda: services.case_answer(case=case, body=ANSWER, by=w.officer),
                   lambda: services.answer_decide(case=case, approve=True, by=w.leader),
                   lambda: services.case_accept(case=case, by=w.business),
                   lambda: services.case_rate(case=case, score=4, by=w.business)):
        change()
        versions.append(fresh(case).version)
    assert versions == [1, 2, 3, 4, 5]


def test_a_reminder_of_the_tick_does_not_put_open_pages_out_of_date(w, clock):
    case = file_case(w)  # Mon 09/03/2026 09:00, answer due Mon 23/03 17:00
    services.case_assign(case=case, assignee=w.officer, by=w.officer)
    seen = fresh(case).version
    clock.set(2026, 3, 23, 9)
    assert services.cases_tick(now=at(2026, 3, 23, 9))["reminded"] == 1
    assert fresh(case).version == seen
    services.case_answer(case=case, body=ANSWER, by=w.officer, expected_version=seen)
    assert fresh(case).status == Status.ANSWERED


def test_an_escalation_by_the_tick_does(w, clock):
    case = file_case(w)
    seen = fresh(case).version
    clock.set(2026, 4, 10, 9)  # long after the deadline: escalated to the leader, then the department
    assert services.cases_tick(now=at(2026, 4, 10, 9))["escalated"] >= 1
    assert fresh(case).version > seen
    with pytest.raises(services.CaseChanged):
        services.case_answer(case=case, body=ANSWER, by=w.officer, expected_version=seen)
