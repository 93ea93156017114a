"""The one-click rating link of the e-mail: no login, works once, expires, cannot be forged."""

import re
import time

import pytest
from django.core import mail, signing

from ketnoi.cases import services
from ketnoi.cases.models import Case, Status

from .page_helpers import page_text, world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    """Assertions below read the English texts; the page is Vietnamese by default."""
    client.cookies["ketnoi_language"] = "en"


@pytest.fixture
def w():
    return world()


@pytest.fixture
def case(w):
    case = w.case(subject="Khai báo xuất xứ C/O mẫu E")
    services.case_answer(case=case, body="Trả lời về C/O.", by=w.officer)
    return services.case_accept(case=case, by=w.business)


def link(case, **query):
    url = f"/cases/rate/{services.rating_token(case)}/"
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_email_carries_the_link(w, django_capture_on_commit_callbacks):
    case = w.case()
    services.case_answer(case=case, body="Trả lời.", by=w.officer)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(case=case, by=w.business)
    bodies = [m.body for m in mail.outbox if w.business.email in m.to]
    assert any("/cases/rate/" in body for body in bodies)


def test_it_shows_the_case_and_the_score_chosen_in_the_email(client, case):
    response = client.get(link(case, score=4))
    assert response.status_code == 200
    text = page_text(response)
    assert case.reference in text and "Khai báo xuất xứ C/O mẫu E" in text
    radios = re.findall(r'<input type="radio" name="score"[^>]*>', response.content.decode())
    assert [("checked" in radio) for radio in radios] == [False, False, False, True, False]


def test_it_rates_in_one_click_without_logging_in(client, case):
    response = client.post(link(case), {"score": "4", "comment": "Cán bộ hướng dẫn tận tình."})
    assert response.status_code == 200
    assert "Thank you for rating the answer" in page_text(response)
    case = Case.objects.get(pk=case.pk)
    assert (case.rating, case.rating_comment) == (4, "Cán bộ hướng dẫn tận tình.")
    assert case.events.get(kind="rated").data["via_link"] is True


def test_it_works_once(client, case):
    client.post(link(case), {"score": "4"})
    again = client.post(link(case), {"score": "1"})
    assert again.status_code == 400
    assert "already rated" in page_text(again)
    assert client.get(link(case)).status_code == 400
    assert Case.objects.get(pk=case.pk).rating == 4


def test_a_poor_rating_by_link_reopens_the_case(client, case):
    client.post(link(case), {"score": "2", "comment": "Chưa rõ."})
    case = Case.objects.get(pk=case.pk)
    assert case.status == Status.IN_PROGRESS and case.needs_review


def test_an_expired_link_is_refused_clearly(client, case, monkeypatch):
    token = services.rating_token(case)
    later = time.time() + 31 * 86400  # the link lasts 30 days (policy.rating_link_days)
    monkeypatch.setattr(signing.time, "time", lambda: later)
    response = client.get(f"/cases/rate/{token}/")
    assert response.status_code == 400
    assert "This rating link has expired" in page_text(response)
    assert client.post(f"/cases/rate/{token}/", {"score": "5"}).status_code == 400
    assert Case.objects.get(pk=case.pk).rating is None


@pytest.mark.parametrize("token", ["tampered", "eyJjIjoxfQ:1abc:xyz", "%20"])
def test_a_tampered_link_is_refused_clearly(client, case, token):
    response = client.get(f"/cases/rate/{token}/")
    assert response.status_code == 400
    assert "This rating link is not valid" in page_text(response)


def test_a_link_signed_for_another_case_number_is_refused(client, case):
    forged = signing.dumps({"c": case.pk, "r": "VM-2020-000001"}, salt=services.RATING_SALT, compress=True)
    assert client.get(f"/cases/rate/{forged}/").status_code == 400


def test_a_link_to_a_case_not_yet_resolved_is_refused(client, w):
    case = w.case()
    response = client.get(f"/cases/rate/{services.rating_token(case)}/")
    assert response.status_code == 400
    assert "once it is resolved" in page_text(response)


def test_a_missing_score_shows_the_form_again(client, case):
    response = client.post(link(case), {"score": "", "comment": "Bình luận giữ lại."})
    assert response.status_code == 400
    assert "Choose a score from 1" in page_text(response)
    assert "Bình luận giữ lại." in response.content.decode()
