"""The staff queue renders cheaply without changing what it shows: its filter widgets write
Django's own markup from Python, its rows come ready from the view, and its query of open cases
reads the open-cases index (bench/cases_cpu.py measures the page)."""

import copy
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.http import QueryDict
from django.utils import timezone, translation

from ketnoi.accounts.models import Role
from ketnoi.cases import forms, services
from ketnoi.cases.models import Case
from ketnoi.testing import make_case, make_user

from .page_helpers import world

pytestmark = pytest.mark.django_db
URL = "/cases/queue/"


@pytest.fixture
def w():
    return world()


def django_widget(widget):
    """The same widget as Django's own class, which renders through its templates."""
    plain = copy.deepcopy(widget)
    plain.__class__ = next(c for c in type(widget).__mro__ if c.__module__ == "django.forms.widgets")
    return plain


CHOICES = [("", "Any <topic>"), ("a", "Thương mại & Dịch vụ"), (1, "one"), ("G", [("x", "X"), ("y", 2)])]
ATTRS = [{}, {"id": "id_f", "aria-describedby": "id_f_helptext", "aria-invalid": "true", "required": True,
              "disabled": False, "data-x": 'say "hi" <b>'}]


@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("value", [None, "", "a", "1", 1, True, False, 'x"<&', ["a", "x"]])
@pytest.mark.parametrize("quick", [forms.QuickSelect, forms.QuickTextInput, forms.QuickCheckboxInput,
                                   forms.QuickHiddenInput])
def test_the_quick_widgets_write_djangos_own_markup(quick, value, attrs):
    widget = quick(attrs={"type": "search"} if quick is forms.QuickTextInput else None)
    if quick is forms.QuickSelect:
        widget.choices = CHOICES
    assert widget.render("f", value, dict(attrs)) == django_widget(widget).render("f", value, dict(attrs))


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("query", ["", "status=open&topic=thue&unit=none&overdue=on&sort=-due&q=Sao+%26+Mai",
                                   "status=nonsense&unit=999999&sort=drop"])
def test_every_filter_of_the_queue_reads_as_django_would_write_it(w, language, query):
    with translation.override(language):
        form = forms.QueueFilterForm(QueryDict(query), every_unit=True)
        form.is_valid()
        for field in form:
            assert str(field) == field.as_widget(widget=django_widget(field.field.widget)), field.name


def test_the_unit_filter_names_each_unit_by_code_and_name_in_the_readers_language(w):
    for language, name in [("vi", "Chi cục Hải quan Khu vực I"), ("en", "Customs Branch Area I")]:
        with translation.override(language):
            form = forms.QueueFilterForm(every_unit=True)
            assert (str(w.unit.pk), f"02CI – {name}") in form.fields["unit"].choices
            assert form.fields["unit"].choices[1][0] == forms.NO_UNIT


def cells(html: str, reference: str) -> list[str]:
    row = re.search(rf'<tr[^>]*>\s*<td[^>]*><a href="/cases/{reference}/">.*?</tr>', html, re.S).group(0)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_a_coordinators_row_names_the_unit_or_the_department_and_the_officer(client, w):
    taken = w.case(subject="Hàng tạm nhập tái xuất")
    services.case_assign(case=taken, assignee=w.officer, by=w.officer)
    nobody = make_case(by=w.other_business, enterprise=w.other_enterprise, unit=None)
    client.force_login(w.coordinator)
    html = client.get(URL).content.decode()
    subject, enterprise, status, received, left = cells(html, taken.reference)[1:]
    assert subject == "Hàng tạm nhập tái xuất Customs procedures · Customs Branch Area I · Lê Văn Hùng"
    assert enterprise == f"Công ty TNHH Ánh Dương {w.enterprise.tax_code}"
    assert status == "Being handled"
    assert received == timezone.localtime(taken.received_at).strftime("%d/%m/%Y %H:%M")
    assert left.endswith(timezone.localtime(taken.due_at).strftime("%d/%m/%Y %H:%M")) and "left" in left
    assert cells(html, nobody.reference)[1].endswith("Customs procedures · Department")
    assert 'data-label="Time left"' in html


def test_an_officers_row_does_not_repeat_the_unit(client, w):
    case = w.case(subject="Hàng tạm nhập tái xuất")
    client.force_login(w.officer)
    assert cells(client.get(URL).content.decode(), case.reference)[1] == "Hàng tạm nhập tái xuất Customs procedures"


def test_an_overdue_row_stands_out_and_a_closed_one_has_no_time_left(client, w):
    late = w.case()
    Case.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(days=3))
    done = w.case()
    Case.objects.filter(pk=done.pk).update(status="resolved")
    client.force_login(w.officer)
    html = client.get(URL, {"status": ""}).content.decode()
    assert re.search(rf'<tr class="overdue">\s*<td[^>]*><a href="/cases/{late.reference}/">', html)
    assert cells(html, late.reference)[5].startswith("Overdue by")
    assert cells(html, done.reference)[5] == "—"


def test_the_vietnamese_page_reads_in_vietnamese(client, w):
    w.case()
    client.force_login(make_user(Role.OFFICER, unit=w.unit, language="vi"))
    html = client.get(URL).content.decode()
    with translation.override("vi"):
        received, time_left, any_topic = (translation.gettext(text) for text in
                                          ("Received", "Time left", "Any topic"))
    assert received != "Received"
    assert f'<span class="tag status-new">{received}</span>' in html
    assert f'data-label="{time_left}"' in html
    assert f'<option value="" selected>{any_topic}</option>' in html


@pytest.mark.sqlite  # PostgreSQL's driver writes the values into the SQL anyway
def test_sqlite_walks_the_open_cases_index_for_a_units_queue(w):
    """SQLite uses the partial index only when the query repeats its condition with the values
    written out, not bound as parameters (selectors._WrittenIn)."""
    from ketnoi.accounts.access import principal_for
    from ketnoi.cases import selectors

    w.case()
    query = selectors.case_queue(p=principal_for(w.officer), status="open")[:26].query
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "case_open_queue" in plan
