"""The staff queue /cases/queue/: filters, sorting, the time left, and a bounded number of queries."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from ketnoi.accounts.models import Role
from ketnoi.cases import services
from ketnoi.cases.models import Case
from ketnoi.testing import make_case, make_enterprise, make_user

from .page_helpers import page_text, world

pytestmark = pytest.mark.django_db
URL = "/cases/queue/"


@pytest.fixture
def w():
    return world()


def references(response) -> list[str]:
    return re.findall(r'<a href="/cases/(VM-\d{4}-\d{6})/">', response.content.decode())


def test_an_officer_sees_the_open_cases_of_the_unit(client, w):
    mine = w.case(subject="Việc của Khu vực I")
    other = make_case(by=w.other_business, enterprise=w.other_enterprise, unit=w.other_unit)
    done = w.case()
    services.case_answer(case=done, body="Đã trả lời.", by=w.officer)
    client.force_login(w.officer)
    response = client.get(URL)
    assert response.status_code == 200
    assert references(response) == [mine.reference]
    text = page_text(response)
    assert "Việc của Khu vực I" in text and "Công ty TNHH Ánh Dương" in text and "Customs procedures" in text
    assert other.reference not in text


def test_any_status_shows_answered_cases_too(client, w):
    done = w.case()
    services.case_answer(case=done, body="Đã trả lời.", by=w.officer)
    client.force_login(w.officer)
    assert references(client.get(URL, {"status": ""})) == [done.reference]
    assert references(client.get(URL, {"status": "answered"})) == [done.reference]
    assert references(client.get(URL, {"status": "open"})) == []


def test_overdue_cases_are_filtered_and_stand_out(client, w):
    late, on_time = w.case(), w.case()
    Case.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(days=2))
    client.force_login(w.officer)
    response = client.get(URL, {"overdue": "on"})
    assert references(response) == [late.reference]
    html = response.content.decode()
    assert '<tr class="overdue">' in html and "Overdue by" in html
    assert on_time.reference in references(client.get(URL))


def test_due_soon(client, w):
    soon, later = w.case(), w.case()
    Case.objects.filter(pk=soon.pk).update(due_at=timezone.now() + timedelta(minutes=30))
    Case.objects.filter(pk=later.pk).update(due_at=timezone.now() + timedelta(days=30))
    client.force_login(w.officer)
    assert references(client.get(URL, {"due_soon": "on"})) == [soon.reference]


def test_filter_by_topic_text_enterprise_and_assignee(client, w):
    tax = w.case(topic="thue", subject="Hoàn thuế nguyên liệu")
    procedure = w.case(subject="Thủ tục tạm nhập tái xuất")
    services.case_assign(case=procedure, assignee=w.officer, by=w.officer)
    client.force_login(w.officer)
    assert references(client.get(URL, {"topic": "thue"})) == [tax.reference]
    assert references(client.get(URL, {"q": "tạm nhập"})) == [procedure.reference]
    assert references(client.get(URL, {"q": tax.reference})) == [tax.reference]
    assert sorted(references(client.get(URL, {"q": w.enterprise.tax_code}))) == sorted([tax.reference, procedure.reference])
    assert references(client.get(URL, {"mine": "on"})) == [procedure.reference]


def test_it_sorts_by_the_columns(client, w):
    first, second = w.case(), w.case()
    Case.objects.filter(pk=first.pk).update(due_at=timezone.now() + timedelta(days=9))
    Case.objects.filter(pk=second.pk).update(due_at=timezone.now() + timedelta(days=1))
    client.force_login(w.officer)
    response = client.get(URL)
    assert references(response) == [second.reference, first.reference]  # most urgent first
    assert 'aria-sort="ascending"' in response.content.decode()
    assert references(client.get(URL, {"sort": "-due"})) == [first.reference, second.reference]
    assert references(client.get(URL, {"sort": "reference"})) == [first.reference, second.reference]
    assert references(client.get(URL, {"sort": "-received"}))[0] == second.reference


def test_the_sort_links_keep_the_filters(client, w):
    w.case()
    client.force_login(w.officer)
    html = client.get(URL, {"topic": "thu-tuc", "sort": "due"}).content.decode()
    assert 'href="?topic=thu-tuc&amp;sort=-due"' in html


def test_it_pages_by_25_without_counting_everything(client, w):
    for _ in range(27):
        w.case()
    client.force_login(w.officer)
    first = client.get(URL)
    assert len(references(first)) == 25
    assert "Next" in page_text(first) and "Page 1" in page_text(first)
    second = client.get(URL, {"page": "2"})
    assert len(references(second)) == 2
    assert "Previous" in page_text(second) and "Next" not in page_text(second)
    assert set(references(first)).isdisjoint(references(second))


def test_the_counts_on_top(client, w):
    late = w.case()
    w.case()
    Case.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(days=2))
    client.force_login(w.officer)
    text = page_text(client.get(URL))
    assert "2 open" in text and "1 overdue" in text and "2 not assigned" in text


def test_a_coordinator_sees_every_unit_and_the_department_queue(client, w):
    ours = w.case()
    theirs = make_case(by=w.other_business, enterprise=w.other_enterprise, unit=w.other_unit)
    nobody = make_case(by=w.other_business, enterprise=w.other_enterprise, unit=None)
    client.force_login(w.coordinator)
    assert sorted(references(client.get(URL))) == sorted([ours.reference, theirs.reference, nobody.reference])
    assert references(client.get(URL, {"unit": str(w.other_unit.pk)})) == [theirs.reference]
    response = client.get(URL, {"unit": "none"})
    assert references(response) == [nobody.reference]
    assert "The department coordinators’ queue" in page_text(response)


def test_an_officer_has_no_unit_filter(client, w):
    client.force_login(w.officer)
    assert 'name="unit"' not in client.get(URL).content.decode()


def test_a_bad_filter_value_is_a_400_not_a_500(client, w):
    client.force_login(w.officer)
    response = client.get(URL, {"status": "nonsense", "sort": "drop table", "page": "x"})
    assert response.status_code == 400


@pytest.mark.parametrize("rows", [1, 25])
def test_the_number_of_queries_does_not_grow_with_the_rows(client, w, django_assert_max_num_queries, rows):
    other_officer = make_user(Role.OFFICER, unit=w.unit)
    for n in range(rows):
        case = make_case(by=make_user(Role.BUSINESS, enterprise=make_enterprise()), unit=w.unit)
        if n % 2:
            services.case_assign(case=case, assignee=other_officer, by=other_officer)
    client.force_login(w.coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"status": "", "sort": "-received"})
    assert len(references(response)) == rows


@pytest.mark.parametrize("who", ["business", "operator"])
def test_it_refuses_businesses(client, w, who):
    client.force_login(getattr(w, who))
    assert client.get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, w):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
