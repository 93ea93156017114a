"""The case page: who sees it, and what each sees."""

import pytest
from django.utils import timezone

from ketnoi.cases import services
from ketnoi.cases.models import Case

from .page_helpers import page_text, upload, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world()


@pytest.fixture
def case(w):
    case = w.case(subject="Hoàn thuế nguyên liệu nhập khẩu", declaration_numbers=["104512345670"],
                  hs_codes=["84713020"], attachments=[upload()])
    services.case_message(case=case, body="Ghi chú nội bộ: đã gọi điện cho doanh nghiệp.", internal=True, by=w.officer)
    services.case_message(case=case, body="Đề nghị doanh nghiệp chờ kết quả.", by=w.officer)
    return Case.objects.get(pk=case.pk)


def url(case):
    return f"/cases/{case.reference}/"


def test_the_business_sees_its_case_without_internal_notes(client, w, case):
    client.force_login(w.business)
    response = client.get(url(case))
    assert response.status_code == 200
    text = page_text(response)
    assert case.reference in text and "Hoàn thuế nguyên liệu nhập khẩu" in text
    assert "104512345670" in text and "8471.30.20" in text and "to-khai.pdf" in text
    assert "Date received" in text and "Customs procedures" in text
    assert "Đề nghị doanh nghiệp chờ kết quả." in text
    assert "Ghi chú nội bộ" not in text and "Internal" not in text
    assert "Handle the case" not in text


def test_it_shows_the_deadline_and_the_time_left(client, w, case):
    client.force_login(w.business)
    text = page_text(client.get(url(case)))
    assert timezone.localtime(case.due_at).strftime("%d/%m/%Y %H:%M") in text
    assert "working days" in text and "left" in text


def test_an_overdue_case_stands_out(client, w, case):
    Case.objects.filter(pk=case.pk).update(due_at=timezone.now() - timezone.timedelta(days=3))
    client.force_login(w.officer)
    html = client.get(url(case)).content.decode()
    assert 'class="time-left overdue"' in html and "Overdue by" in html


def test_a_waiting_case_shows_the_clock_stopped(client, w, case):
    services.case_request_info(case=case, body="Gửi hợp đồng.", by=w.officer)
    client.force_login(w.business)
    text = page_text(client.get(url(case)))
    assert "the clock is stopped until the business replies" in text
    assert "Send the information customs asked for" in text


def test_the_officer_of_the_unit_sees_internal_notes_marked(client, w, case):
    client.force_login(w.officer)
    response = client.get(url(case))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ghi chú nội bộ" in html
    assert 'class="event internal"' in html
    assert "Take the case" in html and "Answer the business" in html


def test_it_answers_404_to_another_enterprise(client, w, case):
    client.force_login(w.other_business)
    assert client.get(url(case)).status_code == 404


def test_it_answers_404_to_an_officer_of_another_unit(client, w, case):
    client.force_login(w.other_officer)
    assert client.get(url(case)).status_code == 404


def test_a_unit_it_was_shared_with_sees_it(client, w, case):
    services.case_share(case=case, unit=w.other_unit, by=w.officer)
    client.force_login(w.other_officer)
    response = client.get(url(case))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ghi chú nội bộ" in html
    assert "Add an internal note" in html
    assert "Take the case" not in html and "Answer the business" not in html


def test_a_coordinator_sees_every_case(client, w, case):
    client.force_login(w.coordinator)
    response = client.get(url(case))
    assert response.status_code == 200
    assert "Move to another unit" in response.content.decode()


def test_an_unknown_or_malformed_reference_is_404(client, w, case):
    client.force_login(w.coordinator)
    assert client.get("/cases/VM-1999-000001/").status_code == 404
    assert client.get("/cases/not-a-reference/").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, case):
    response = client.get(url(case))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_business_list_shows_its_own_cases_only(client, w, case):
    mine = case
    theirs = services.case_file(enterprise=w.other_enterprise, by=w.other_business, topic="thu-tuc",
                                subject="Việc của doanh nghiệp khác", description="Nội dung.")
    client.force_login(w.business)
    response = client.get("/cases/")
    assert response.status_code == 200
    text = page_text(response)
    assert mine.reference in text and theirs.reference not in text
    assert "Being handled" in text or "Received" in text


def test_staff_opening_my_difficulties_go_to_the_queue(client, w):
    client.force_login(w.officer)
    response = client.get("/cases/")
    assert response.status_code == 302 and response["Location"] == "/cases/queue/"


def test_it_is_in_vietnamese_by_default(client, w, case):
    w.business.language = "vi"
    w.business.save()
    client.force_login(w.business)
    response = client.get(url(case))
    assert response.status_code == 200
    assert '<html lang="vi">' in response.content.decode()


def test_every_entry_says_who_wrote_it(client, w, case):
    services.case_request_info(case=case, body="Gửi hợp đồng.", by=w.officer)
    services.case_message(case=case, body="Xin gửi hợp đồng.", by=w.business)
    client.force_login(w.business)
    text = page_text(client.get(url(case)))
    assert "· Lê Văn Hùng" in text and "· Nguyễn Thị Lan" in text


@pytest.mark.parametrize("hours, expected", [
    (19, "2 working days 3 hours"), (8, "1 working day"), (1.5, "1 hour"), (0.2, "less than an hour"),
    (-12, "1 working day 4 hours"),
])
def test_the_time_left_reads_in_working_days_and_hours(hours, expected):
    from django.utils import translation

    from ketnoi.cases.templatetags.case_tags import working_time

    with translation.override("en"):
        assert working_time(hours) == expected
