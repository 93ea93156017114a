"""The agenda page: questions grouped by topic with who answers each; the leader reorders them
with up and down buttons (no JavaScript), names who answers and who chairs; and the printable
agenda."""

import pytest

from ketnoi.dialogue import services
from ketnoi.dialogue.models import Question, Session

from .page_helpers import as_user, first_session, make_programme, text
from .page_helpers import clock, w  # noqa: F401 (fixtures)


@pytest.fixture
def session(w):
    session = first_session(make_programme(w))
    services.registration_create(
        session=session, by=w.business, enterprise=w.enterprise, attendees=[{"name": "Ngô Thị Hồng Nhung"}],
        questions=[{"topic": "thue", "subject": "Hoàn thuế nguyên liệu", "description": "Hồ sơ hoàn thuế gồm gì?"},
                   {"topic": "thu-tuc", "subject": "Kiểm tra chuyên ngành", "description": "Có phải kiểm tra không?"}])
    services.registration_create(
        session=session, by=w.business2, enterprise=w.enterprise2, attendees=[{"name": "Lý Văn Phát"}],
        questions=[{"topic": "thue", "subject": "Miễn thuế hàng tạo tài sản cố định", "description": "Điều kiện?"}])
    return session


def url(session, suffix="") -> str:
    return f"/doi-thoai/phien/{session.pk}/chuong-trinh-lam-viec/{suffix}"


def order(session) -> list[str]:
    return [q.case.subject for q in Question.objects.filter(session=session).order_by("agenda_position", "id")]


def test_the_staff_see_the_agenda_grouped_by_topic(client, w, session):
    response = as_user(client, w.officer, "en").get(url(session))
    assert response.status_code == 200
    page = text(response)
    for subject in ("Hoàn thuế nguyên liệu", "Kiểm tra chuyên ngành", "Miễn thuế hàng tạo tài sản cố định"):
        assert subject in page
    assert "Tax, exemption and refund" in page and "Customs procedures" in page
    assert 'name="move"' not in response.content.decode()  # an officer reads, the leader orders


def test_the_leader_moves_a_question_up(client, w, session):
    questions = list(Question.objects.filter(session=session).order_by("agenda_position", "id"))
    as_user(client, w.leader)
    response = client.post(url(session), {"order": [q.pk for q in questions], "move": f"{questions[2].pk}:up"})
    assert response.status_code == 302 and response["Location"].endswith(f"#question-{questions[2].pk}")
    assert order(session) == ["Hoàn thuế nguyên liệu", "Miễn thuế hàng tạo tài sản cố định", "Kiểm tra chuyên ngành"]


def test_the_leader_groups_again_by_topic(client, w, session):
    questions = list(Question.objects.filter(session=session).order_by("agenda_position", "id"))
    as_user(client, w.leader)
    client.post(url(session), {"order": [q.pk for q in reversed(questions)], "move": ""})
    client.post(url(session), {"order": [q.pk for q in questions], "move": "default"})
    assert order(session) == ["Kiểm tra chuyên ngành", "Hoàn thuế nguyên liệu", "Miễn thuế hàng tạo tài sản cố định"]


def test_the_leader_names_who_answers_and_who_chairs(client, w, session):
    questions = list(Question.objects.filter(session=session).order_by("agenda_position", "id"))
    as_user(client, w.leader)
    response = client.post(url(session), {"order": [q.pk for q in questions], "move": "", "chair": w.deputy.pk,
                                          f"answerer_{questions[0].pk}": w.officer.pk,
                                          f"answerer_{questions[1].pk}": ""})
    assert response.status_code == 302
    assert Question.objects.get(pk=questions[0].pk).answerer == w.officer
    assert Question.objects.get(pk=questions[1].pk).answerer is None
    assert Session.objects.get(pk=session.pk).chaired_by == w.deputy


def test_an_answerer_from_another_unit_is_refused_with_a_message(client, w, session):
    questions = list(Question.objects.filter(session=session).order_by("agenda_position", "id"))
    as_user(client, w.leader, "en")
    response = client.post(url(session), {"order": [q.pk for q in questions], "move": "",
                                          f"answerer_{questions[0].pk}": w.other_officer.pk})
    assert response.status_code == 400 and "Choose who answers among the staff" in text(response)
    assert Question.objects.get(pk=questions[0].pk).answerer is None


def test_a_stale_order_is_refused(client, w, session):
    as_user(client, w.leader, "en")
    before = order(session)
    response = client.post(url(session), {"order": [999999], "move": ""})
    assert response.status_code == 400 and "reload the page" in text(response)
    assert order(session) == before


@pytest.mark.parametrize("who", ["officer", "officer2"])
def test_an_officer_may_not_reorder(client, w, session, who):
    before = order(session)
    questions = list(Question.objects.filter(session=session).order_by("agenda_position", "id"))
    as_user(client, getattr(w, who))
    assert client.post(url(session), {"order": [q.pk for q in questions], "move": f"{questions[1].pk}:up"}).status_code == 403
    assert order(session) == before


@pytest.mark.parametrize("who", ["other_officer", "other_leader", "business", "operator", "party", "admin"])
def test_others_may_not_see_it(client, w, session, who):
    as_user(client, getattr(w, who))
    assert client.get(url(session)).status_code == 403
    assert client.get(url(session, "in/")).status_code == 403


def test_the_printable_agenda(client, w, session):
    response = as_user(client, w.officer).get(url(session, "in/"))
    assert response.status_code == 200
    assert "CHI CỤC HẢI QUAN KHU CÔNG NGHỆ CAO" in text(response)
    assert 'class="dialogue-agenda-print"' in response.content.decode()
    assert "Miễn thuế hàng tạo tài sản cố định" in text(response)
