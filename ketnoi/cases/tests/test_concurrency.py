"""Two people acting on the same case at the same time lose nothing, and what may happen once
happens once. The threaded tests need a server database (each thread its own connection); the
ones that work from stale copies of the case run on every engine."""

import pytest
from django.core.exceptions import ValidationError

from ketnoi.audit.models import AuditEvent
from ketnoi.cases import services
from ketnoi.cases.models import Answer, Case, CaseEvent, Sequence, Status
from ketnoi.testing import race

from .core_helpers import assert_state_is_replayable, build_world, file_case, fresh

Kind = CaseEvent.Kind


# --- threads on PostgreSQL -----------------------------------------------------------------

@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_two_officers_writing_at_once_lose_nothing(attempt):
    w = build_world()
    case = file_case(w)
    results, errors = race(
        lambda: services.case_message(case=case, body="Tin nhắn của cán bộ thứ nhất.", by=w.officer),
        lambda: services.case_message(case=case, body="Ghi chú của cán bộ thứ hai.", by=w.officer2, internal=True),
        lambda: services.case_message(case=case, body="Tin nhắn của lãnh đạo.", by=w.leader),
    )
    assert errors == [None, None, None]
    bodies = set(case.events.values_list("body", flat=True))
    assert {"Tin nhắn của cán bộ thứ nhất.", "Ghi chú của cán bộ thứ hai.", "Tin nhắn của lãnh đạo."} <= bodies
    assert AuditEvent.objects.filter(object_id=str(case.pk), action__in=["case.message", "case.note"]).count() == 3
    assert_state_is_replayable(case)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_a_message_and_a_request_for_information_at_once_keep_the_state_whole(attempt):
    w = build_world()
    case = file_case(w)
    _, errors = race(
        lambda: services.case_message(case=case, body="Đang xem xét.", by=w.officer),
        lambda: services.case_request_info(case=case, body="Bổ sung hợp đồng.", by=w.officer2),
        lambda: services.case_assign(case=case, assignee=w.officer, by=w.leader),
    )
    assert errors == [None, None, None]
    case = fresh(case)
    assert case.status == Status.WAITING and case.paused_at is not None and case.assignee == w.officer
    assert {Kind.MESSAGE, Kind.INFO_REQUESTED, Kind.ASSIGNED} <= set(case.events.values_list("kind", flat=True))
    assert_state_is_replayable(case)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_of_two_answers_racing_only_one_is_sent(attempt):
    w = build_world()
    case = file_case(w)
    _, errors = race(
        lambda: services.case_answer(case=case, body="Trả lời của cán bộ thứ nhất.", by=w.officer),
        lambda: services.case_answer(case=case, body="Trả lời của cán bộ thứ hai.", by=w.officer2),
    )
    assert sorted(type(e).__name__ for e in errors if e) == ["ValidationError"]
    assert case.events.filter(kind=Kind.ANSWERED).count() == 1
    assert Answer.objects.filter(case=case, state=Answer.State.SENT).count() == 1
    assert fresh(case).status == Status.ANSWERED
    assert_state_is_replayable(case)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_an_approval_and_a_rejection_racing_decide_once():
    w = build_world()
    case = file_case(w, topic="thue")
    services.case_answer(case=case, body="Dự thảo.", by=w.officer)
    _, errors = race(
        lambda: services.answer_decide(case=case, approve=True, by=w.leader),
        lambda: services.answer_decide(case=case, approve=False, reason="Sửa lại.", by=w.coordinator),
    )
    assert sum(1 for e in errors if isinstance(e, ValidationError)) == 1
    assert case.events.filter(kind__in=[Kind.ANSWERED, Kind.ANSWER_REJECTED]).count() == 1
    assert_state_is_replayable(case)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_cases_filed_at_once_get_distinct_consecutive_references():
    w = build_world()
    results, errors = race(*[lambda: file_case(w) for _ in range(4)])
    assert errors == [None] * 4
    numbers = sorted(int(case.reference[-6:]) for case in results)
    assert numbers == [1, 2, 3, 4]
    assert Sequence.objects.get().last == 4


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_ratings_through_the_link_at_once_count_once():
    w = build_world()
    case = file_case(w)
    services.case_answer(case=case, body="Trả lời.", by=w.officer)
    services.case_accept(case=case, by=w.business)
    token = services.rating_token(case)
    _, errors = race(lambda: services.case_rate(case=case, score=1, token=token),
                     lambda: services.case_rate(case=case, score=5, token=token))
    assert sum(1 for e in errors if isinstance(e, ValidationError)) == 1
    assert case.events.filter(kind=Kind.RATED).count() == 1
    assert_state_is_replayable(case)


# --- stale copies, on every engine ----------------------------------------------------------

@pytest.mark.django_db
def test_a_service_works_from_the_database_not_from_a_stale_copy(w):
    case = file_case(w)
    first, second = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)  # two open pages
    services.case_request_info(case=first, body="Bổ sung.", by=w.officer)
    services.case_message(case=second, body="Đang xem xét.", by=w.officer2)  # `second` still says "new"
    case = fresh(case)
    assert case.status == Status.WAITING and case.paused_at is not None
    assert_state_is_replayable(case)


@pytest.mark.django_db
def test_a_second_answer_from_a_stale_page_is_refused(w):
    case = file_case(w)
    first, second = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)
    services.case_answer(case=first, body="Một.", by=w.officer)
    with pytest.raises(ValidationError):
        services.case_answer(case=second, body="Hai.", by=w.officer2)
    assert case.events.filter(kind=Kind.ANSWERED).count() == 1
