"""Reads of cases, always through what the reader may see; the business's timeline hides
internal events."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile

from ketnoi.accounts.access import principal_for
from ketnoi.cases import selectors, services
from ketnoi.lib.workdays import work_hours_between
from ketnoi.cases.models import CaseEvent, Status, Topic

from .core_helpers import at, file_case, fresh

pytestmark = pytest.mark.django_db

Kind = CaseEvent.Kind
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
INTERNAL = {Kind.ROUTED, Kind.ASSIGNED, Kind.NOTE, Kind.ANSWER_DRAFTED, Kind.ANSWER_SUBMITTED,
            Kind.ANSWER_REJECTED, Kind.SHARED, Kind.ESCALATED, Kind.REASSIGNED}


def p(user):
    return principal_for(user)


@pytest.fixture
def busy(w, clock):
    """A case with internal and public events of every kind."""
    case = file_case(w, topic="thue")
    services.case_share(case=case, unit=w.shared_unit, by=w.officer)
    services.case_assign(case=case, assignee=w.officer, by=w.leader)
    services.case_message(case=case, body="Ý kiến nội bộ: cần xem lại biểu thuế.", by=w.officer, internal=True,
                          attachments=[SimpleUploadedFile("noi-bo.pdf", PDF)])
    services.case_message(case=case, body="Chi cục đã nhận.", by=w.officer,
                          attachments=[SimpleUploadedFile("bien-nhan.pdf", PDF)])
    services.answer_save_draft(case=case, body="Nháp.", by=w.officer)
    services.case_answer(case=case, body="Trả lời lần 1.", by=w.officer)
    services.answer_decide(case=case, approve=False, reason="Thiếu căn cứ.", by=w.leader)
    services.case_escalate(case=case, by=w.leader, reason="Cần ý kiến lãnh đạo.")
    services.case_answer(case=case, body="Trả lời lần 2.", by=w.officer)
    services.answer_decide(case=case, approve=True, by=w.coordinator)  # the department leads it now
    return fresh(case)


# --- timeline ---------------------------------------------------------------------------------

def test_the_business_sees_the_public_timeline_only(w, busy):
    for user in (w.business, w.business2):
        seen = list(selectors.timeline(case=busy, p=p(user)))
        assert [e.kind for e in seen] == [Kind.FILED, Kind.MESSAGE, Kind.ANSWERED]
        assert all(e.public for e in seen)
        assert not {e.kind for e in seen} & INTERNAL
        assert "nội bộ" not in " ".join(e.body for e in seen)
        assert "Thiếu căn cứ" not in " ".join(e.body for e in seen)


@pytest.mark.parametrize("who", ["officer", "leader", "shared_officer", "coordinator"])
def test_staff_who_may_see_the_case_see_every_event(w, busy, who):
    seen = list(selectors.timeline(case=busy, p=p(getattr(w, who))))
    assert seen == list(busy.events.all())
    assert {Kind.NOTE, Kind.ANSWER_REJECTED, Kind.ESCALATED} <= {e.kind for e in seen}


@pytest.mark.parametrize("who", ["party", "admin", "operator"])
def test_anyone_else_gets_no_internal_event(w, busy, who):
    assert all(e.public for e in selectors.timeline(case=busy, p=p(getattr(w, who))))
    assert all(e.public for e in selectors.timeline(case=busy, p=principal_for(AnonymousUser())))


def test_the_timeline_is_in_order(w, busy):
    seen = list(selectors.timeline(case=busy, p=p(w.officer)))
    assert [(e.at, e.pk) for e in seen] == sorted((e.at, e.pk) for e in seen)


def test_the_business_sees_the_attachments_of_public_messages_only(w, busy):
    assert [a.original_name for a in selectors.attachments_visible(case=busy, p=p(w.business))] == ["bien-nhan.pdf"]
    assert {a.original_name for a in selectors.attachments_visible(case=busy, p=p(w.officer))} == {
        "bien-nhan.pdf", "noi-bo.pdf"}


# --- one case by its reference ---------------------------------------------------------------

def test_a_case_is_found_by_its_reference_written_loosely(w, clock):
    case = file_case(w)
    for written in (case.reference, case.reference.lower(), f"  {case.reference} ", "VM-2026-0000001"):
        assert selectors.case_for(p=p(w.business), reference=written) == case


@pytest.mark.parametrize("who", ["other_business", "operator", "other_officer", "other_leader", "party", "admin"])
def test_a_case_someone_may_not_see_is_not_found(w, clock, who):
    case = file_case(w)
    assert selectors.case_for(p=p(getattr(w, who)), reference=case.reference) is None


@pytest.mark.parametrize("reference", ["VM-2026-999999", "VM-26-1", "", "1", "VM-2026-00000A"])
def test_an_unknown_or_malformed_reference_is_not_found(w, clock, reference):
    file_case(w)
    assert selectors.case_for(p=p(w.coordinator), reference=reference) is None


# --- the queue ---------------------------------------------------------------------------------

@pytest.fixture
def queue(w, clock):
    """Four cases of the unit and one of another unit, at Wed 25/03/2026 10:00."""
    cases = {
        "late": file_case(w, subject="Thủ tục tạm nhập tái xuất máy móc"),  # due Mon 23/03 17:00
        "waiting": file_case(w, topic="thue", subject="Hoàn thuế nguyên liệu"),
        "answered": file_case(w, topic="xuat-xu", subject="C/O mẫu E"),
    }
    services.case_request_info(case=cases["waiting"], body="Bổ sung.", by=w.officer)
    services.case_answer(case=cases["answered"], body="Trả lời.", by=w.officer)
    clock.set(2026, 3, 12, 9)
    cases["soon"] = file_case(w, enterprise=w.other_enterprise, by=w.other_business, subject="Kiểm tra chuyên ngành",
                              received_at=at(2026, 3, 12, 9))  # due Thu 26/03 17:00
    services.case_assign(case=cases["soon"], assignee=w.officer2, by=w.officer2)
    cases["elsewhere"] = file_case(w, named_unit=w.other_unit, subject="Ở đơn vị khác")
    clock.set(2026, 3, 25, 10)
    return {name: fresh(case) for name, case in cases.items()}


def refs(qs):
    return {case.reference for case in qs}


def names(queue, *keys):
    return {queue[key].reference for key in keys}


def test_an_officer_sees_the_units_cases_only(w, queue):
    assert refs(selectors.case_queue(p=p(w.officer))) == names(queue, "late", "waiting", "answered", "soon")
    assert refs(selectors.case_queue(p=p(w.other_officer))) == names(queue, "elsewhere")
    assert refs(selectors.case_queue(p=p(w.coordinator))) == names(queue, *queue)
    assert refs(selectors.case_queue(p=p(w.business))) == names(queue, "late", "waiting", "answered", "elsewhere")


def test_it_filters_by_status(w, queue):
    officer = p(w.officer)
    assert refs(selectors.case_queue(p=officer, status="open")) == names(queue, "late", "waiting", "soon")
    assert refs(selectors.case_queue(p=officer, status=Status.WAITING)) == names(queue, "waiting")
    everything = names(queue, "late", "waiting", "answered", "soon")
    assert refs(selectors.case_queue(p=officer, status="nonsense")) == everything


def test_it_filters_overdue_and_due_soon(w, queue, clock):
    officer = p(w.officer)
    assert refs(selectors.case_queue(p=officer, overdue=True, now=clock.now)) == names(queue, "late")
    assert refs(selectors.case_queue(p=officer, due_soon=True, now=clock.now)) == names(queue, "soon")


def test_it_filters_by_topic_unit_enterprise_and_officer(w, queue):
    coordinator = p(w.coordinator)
    assert refs(selectors.case_queue(p=coordinator, topic="thue")) == names(queue, "waiting")
    assert refs(selectors.case_queue(p=coordinator, unit=w.other_unit.pk)) == names(queue, "elsewhere")
    assert refs(selectors.case_queue(p=coordinator, enterprise=w.other_enterprise.pk)) == names(queue, "soon")
    assert refs(selectors.case_queue(p=coordinator, assignee=w.officer2.pk)) == names(queue, "soon")


def test_it_searches_the_reference_subject_and_enterprise(w, queue):
    coordinator = p(w.coordinator)
    assert refs(selectors.case_queue(p=coordinator, q=queue["waiting"].reference.lower())) == names(queue, "waiting")
    assert refs(selectors.case_queue(p=coordinator, q="tạm nhập")) == names(queue, "late")
    assert refs(selectors.case_queue(p=coordinator, q=w.other_enterprise.tax_code)) == names(queue, "soon")
    assert refs(selectors.case_queue(p=coordinator, q=w.other_enterprise.name)) == names(queue, "soon")
    assert refs(selectors.case_queue(p=p(w.other_officer), q="tạm nhập")) == set()


def test_it_sorts(w, queue):
    officer = p(w.officer)
    by_due = [c.reference for c in selectors.case_queue(p=officer, sort="due")]
    assert by_due[0] == queue["late"].reference
    assert [c.reference for c in selectors.case_queue(p=officer, sort="-due")] == by_due[::-1]
    by_reference = [c.reference for c in selectors.case_queue(p=officer, sort="reference")]
    assert by_reference == sorted(by_reference)


def test_queue_counts(w, queue, clock):
    assert selectors.queue_counts(p=p(w.officer), now=clock.now) == {"open": 3, "overdue": 1, "unassigned": 2}
    assert selectors.queue_counts(p=p(w.party), now=clock.now) == {"open": 0, "overdue": 0, "unassigned": 0}


def test_time_left_is_office_time_stops_while_waiting_and_ends_with_the_case(w, queue, clock):
    late = queue["late"]
    assert selectors.work_hours_left(late, clock.now) == work_hours_between(clock.now, at(2026, 3, 23, 17))
    assert selectors.work_hours_left(late, clock.now) < 0
    waiting = queue["waiting"]
    assert selectors.work_hours_left(waiting, clock.now) == work_hours_between(waiting.paused_at, waiting.due_at)
    assert selectors.work_hours_left(waiting, clock.now + timedelta(days=9)) == selectors.work_hours_left(waiting, clock.now)
    assert selectors.work_hours_left(queue["answered"], clock.now) is None


def test_topics_lists_the_active_ones(w):
    Topic.objects.filter(code="khac").update(active=False)
    codes = [topic.code for topic in selectors.topics()]
    assert "khac" not in codes and codes[0] == "thu-tuc" and len(codes) == 9


def test_similar_answers_are_none_until_the_knowledge_base_has_some():
    assert selectors.similar_answers(text="Hoàn thuế nhập khẩu") == []


def test_similar_answers_are_published_articles_like_the_text():
    from ketnoi.testing import make_article

    article = make_article(question="Hoàn thuế nhập khẩu nguyên liệu", topic="thue")
    assert selectors.similar_answers(text="hoan thue nhap khau") == [article]


def test_no_topic_is_suggested_before_a_model_is_trained():
    assert selectors.topic_suggestions(subject="Hoàn thuế nhập khẩu") == []
