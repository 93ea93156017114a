import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ketnoi.dialogue import selectors, services

from .service_helpers import audit, clock, counts, fresh, session_with_questions, w  # noqa: F401


@pytest.fixture
def session(w):
    return session_with_questions(w)[0]


def _subjects(questions):
    return [q.case.subject for q in questions]


def test_the_default_agenda_groups_the_questions_by_topic(w, session):
    questions = services.agenda_default(session)
    # the topics' own order (thủ tục, …, thuế, xuất xứ), not the order they came
    assert [q.case.topic.code for q in questions] == ["thu-tuc", "thue", "thue", "xuat-xu"]
    assert _subjects(questions)[1:3] == ["Hoàn thuế nhập khẩu linh kiện sản xuất hàng xuất khẩu",
                                        "Miễn thuế hàng tạo tài sản cố định"]  # in the order they came


def test_the_leader_orders_the_agenda_names_who_answers_and_who_chairs(w, session):
    default = [q.pk for q in services.agenda_default(session)]
    first = default[0]
    services.agenda_save(session=session, by=w.leader, order=default, answerers={first: w.officer.pk},
                         chair=w.deputy)
    agenda = list(selectors.agenda(session))
    assert [q.pk for q in agenda] == default and [q.agenda_position for q in agenda] == [1, 2, 3, 4]
    assert agenda[0].answerer == w.officer and agenda[1].answerer is None
    assert fresh(session).chaired_by == w.deputy
    [event] = audit("dialogue.agenda_saved", session)
    assert event.after["order"] == default and event.after["chair"] == w.deputy.pk


def test_questions_left_out_of_the_order_follow_in_their_present_order(w, session):
    present = [q.pk for q in selectors.agenda(session)]
    services.agenda_save(session=session, by=w.leader, order=[present[2]])
    assert [q.pk for q in selectors.agenda(session)] == [present[2], present[0], present[1], present[3]]


def test_an_answerer_is_cleared_with_none(w, session):
    first = selectors.agenda(session)[0]
    services.agenda_save(session=session, by=w.leader, order=[], answerers={first.pk: w.officer.pk})
    services.agenda_save(session=session, by=w.leader, order=[], answerers={first.pk: None})
    assert fresh(first).answerer is None


@pytest.mark.parametrize("user", ["officer", "department_leader", "other_leader", "business", "admin"])
def test_only_the_leaders_and_coordinators_save_the_agenda(w, session, user):
    before = counts()
    with pytest.raises(PermissionDenied):
        services.agenda_save(session=session, by=getattr(w, user), order=[])
    assert counts() == before


def test_it_refuses_an_unknown_or_repeated_question_and_changes_nothing(w, session):
    present = [q.pk for q in selectors.agenda(session)]
    for order in ([present[0], present[0]], [999999]):
        with pytest.raises(ValidationError) as raised:
            services.agenda_save(session=session, by=w.leader, order=order)
        assert "order" in raised.value.message_dict
    assert [q.pk for q in selectors.agenda(session)] == present and not audit("dialogue.agenda_saved")


@pytest.mark.parametrize("who", ["business", "other_officer", "team_officer"])
def test_it_refuses_an_answerer_who_does_not_run_the_session(w, session, who):
    first = selectors.agenda(session)[0]
    with pytest.raises(ValidationError) as raised:
        services.agenda_save(session=session, by=w.leader, order=[], answerers={first.pk: getattr(w, who).pk})
    assert "answerers" in raised.value.message_dict and fresh(first).answerer is None


def test_it_refuses_a_chair_who_does_not_lead_the_unit(w, session):
    with pytest.raises(ValidationError) as raised:
        services.agenda_save(session=session, by=w.leader, order=[], chair=w.officer)
    assert "chair" in raised.value.message_dict and fresh(session).chaired_by is None


def test_a_cancelled_registrations_questions_leave_the_agenda(w, session):
    registration = session.registrations.get(enterprise=w.enterprise2)
    services.registration_cancel(registration=registration, by=w.business2)
    assert "xuat-xu" not in [q.case.topic.code for q in services.agenda_default(session)]
    assert len(selectors.agenda(session)) == 3
