"""The case page when someone else changed the case after it was opened: the officer's form is
refused with 409, nothing is saved, what they typed is still in the form, the page shows the case
as it is now (the colleague's entry in the history) and its forms carry the new version, so that
sending again, having read it, goes through."""

import re

import pytest

from ketnoi.cases import services
from ketnoi.cases.models import Answer, Case, CaseEvent, Status

from .page_helpers import page_text, world

pytestmark = pytest.mark.django_db
Kind = CaseEvent.Kind
TYPED = "Theo khoản 2 Điều 36 Nghị định 134/2016/NĐ-CP, Công ty nộp thêm bảng kê tờ khai <xuất khẩu> & hợp đồng."
NOTE = "Lãnh đạo Chi cục đề nghị chờ ý kiến Phòng Thuế trước khi trả lời."


@pytest.fixture
def w():
    return world()


@pytest.fixture
def case(w):
    return w.case()


def fresh(case):
    return Case.objects.get(pk=case.pk)


def versions_on(response) -> set[int]:
    return {int(v) for v in re.findall(r'name="version" value="(\d+)"', response.content.decode())}


def opened(client, user, case) -> int:
    """The case page as `user` opens it: the version its forms carry."""
    client.force_login(user)
    page = client.get(f"/cases/{case.reference}/")
    assert page.status_code == 200
    (version,) = versions_on(page)
    return version


def test_the_staff_forms_carry_the_version_the_page_was_read_at(client, w, case):
    services.case_message(case=case, body=NOTE, by=w.leader, internal=True)
    client.force_login(w.leader)
    html = client.get(f"/cases/{case.reference}/").content.decode()
    forms = re.findall(r"<form[^>]*action=\"/cases/[^\"]+/([a-z-]+)/\"[^>]*>(.*?)</form>", html, re.S)
    staff = {action for action, body in forms if 'name="version" value="2"' in body}
    assert {"assign", "answer", "message", "request-info", "note", "reassign", "share", "forward", "escalate"} <= staff
    assert versions_on(client.get(f"/cases/{case.reference}/")) == {2}


def test_the_business_forms_carry_none(client, w, case):
    client.force_login(w.business)
    page = client.get(f"/cases/{case.reference}/")
    assert 'action="/cases/%s/reply/"' % case.reference in page.content.decode()
    assert versions_on(page) == set()


def test_an_answer_from_a_page_opened_before_a_colleagues_note_is_refused_with_409_keeping_the_text(client, w, case):
    seen = opened(client, w.officer, case)
    services.case_message(case=case, body=NOTE, by=w.leader, internal=True)
    r = client.post(f"/cases/{case.reference}/answer/", {"body": TYPED, "version": seen})
    assert r.status_code == 409
    text = page_text(r)
    assert "Someone else updated this case after you opened this page" in text
    assert TYPED in text  # in the answer's text box, as typed
    assert 'name="body"' in r.content.decode() and "&lt;xuất khẩu&gt; &amp;" in r.content.decode()
    assert NOTE in text  # the colleague's note, in the history
    assert versions_on(r) == {fresh(case).version} != {seen}
    # Nothing was saved.
    assert not Answer.objects.filter(case=case).exists()
    assert not fresh(case).events.filter(kind__in=[Kind.ANSWERED, Kind.ANSWER_SUBMITTED]).exists()
    assert fresh(case).status == Status.NEW


def test_sent_again_from_the_page_that_refused_it_the_answer_goes_through(client, w, case):
    seen = opened(client, w.officer, case)
    services.case_message(case=case, body=NOTE, by=w.leader, internal=True)
    refused = client.post(f"/cases/{case.reference}/answer/", {"body": TYPED, "version": seen})
    (now,) = versions_on(refused)
    r = client.post(f"/cases/{case.reference}/answer/", {"body": TYPED, "version": now})
    assert r.status_code == 302
    assert fresh(case).status == Status.ANSWERED and Answer.objects.get(case=case).body == TYPED


def test_a_draft_saved_from_a_stale_page_is_refused_keeping_the_text(client, w, case):
    seen = opened(client, w.officer, case)
    services.answer_save_draft(case=case, body="Dự thảo của lãnh đạo.", by=w.leader)
    r = client.post(f"/cases/{case.reference}/draft/", {"body": TYPED, "version": seen})
    assert r.status_code == 409 and TYPED in page_text(r)
    assert Answer.objects.get(case=case).body == "Dự thảo của lãnh đạo."


def test_taking_a_case_a_colleague_was_just_given_is_refused(client, w, case):
    seen = opened(client, w.officer, case)
    services.case_assign(case=case, assignee=w.leader, by=w.leader)
    r = client.post(f"/cases/{case.reference}/assign/", {"version": seen})
    assert r.status_code == 409
    assert fresh(case).assignee == w.leader
    assert "Someone else updated this case" in page_text(r)


def test_a_request_for_information_after_the_case_was_answered_meanwhile_is_refused(client, w, case):
    seen = opened(client, w.officer, case)
    services.case_answer(case=case, body="Đã trả lời.", by=w.leader)
    r = client.post(f"/cases/{case.reference}/request-info/", {"body": "Bổ sung C/O mẫu D.", "version": seen})
    assert r.status_code == 409 and "Bổ sung C/O mẫu D." in page_text(r)
    assert fresh(case).status == Status.ANSWERED


def test_an_answer_from_a_current_page_goes_through_and_moves_the_version(client, w, case):
    seen = opened(client, w.officer, case)
    r = client.post(f"/cases/{case.reference}/answer/", {"body": TYPED, "version": seen})
    assert r.status_code == 302 and fresh(case).version == seen + 1


def test_a_garbled_version_is_a_400_and_changes_nothing(client, w, case):
    client.force_login(w.officer)
    r = client.post(f"/cases/{case.reference}/answer/", {"body": TYPED, "version": "7 OR 1=1"})
    assert r.status_code == 400 and "This page is out of date: reload it." in page_text(r)
    assert TYPED in page_text(r) and not Answer.objects.filter(case=case).exists()


def test_the_business_replies_whatever_staff_did_since_it_opened_the_page(client, w, case):
    client.force_login(w.business)
    client.get(f"/cases/{case.reference}/")
    services.case_message(case=case, body=NOTE, by=w.leader, internal=True)
    r = client.post(f"/cases/{case.reference}/reply/", {"body": "Công ty xin gửi thêm chứng từ."})
    assert r.status_code == 302
    assert fresh(case).events.filter(kind=Kind.BUSINESS_REPLIED).count() == 1
