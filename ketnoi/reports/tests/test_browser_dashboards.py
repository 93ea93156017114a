"""Issue 9 through real pages in headless Chromium: the department's leader opens the department
dashboard for 2020, reads a chart and the table beside it (the same labels and numbers, as drawn
on the screen), filters by a unit and downloads the workbook; a branch leader opens the branch's
dashboard, compares another chart with its table and downloads the branch's workbook; anyone
opens the public scorecard. Screenshots go to var/screenshots/."""

import io

import pytest
from openpyxl import load_workbook

from ketnoi.testing import browser_login

from .dashboard_helpers import build_world, number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What a chart draws and what its table says, read from the page as the browser has it.
READ_CHART = """(key) => {
  const figure = document.getElementById('chart-' + key);
  const kind = figure.dataset.kind;
  const drawn = [];
  if (kind === 'columns') {
    figure.querySelectorAll('g.column').forEach(g => g.querySelectorAll('rect').forEach(r =>
      drawn.push([g.dataset.label, Number(r.dataset.series), Number(r.dataset.value)])));
  } else if (kind === 'lines') {
    figure.querySelectorAll('g.series').forEach(g => g.querySelectorAll('circle').forEach(c =>
      drawn.push([c.dataset.label, Number(g.dataset.series), Number(c.dataset.value)])));
  } else {
    figure.querySelectorAll('g.bar').forEach(g => drawn.push([g.dataset.label, 0, Number(g.dataset.value)]));
  }
  const table = [];
  figure.querySelectorAll('table tbody tr').forEach(tr => {
    const label = tr.querySelector('th').innerText.trim();
    tr.querySelectorAll('td[data-series]').forEach(td => table.push([label, Number(td.dataset.series), td.innerText]));
  });
  const visible = figure.querySelector('svg').getBoundingClientRect().height > 0
                  && figure.querySelector('table').getBoundingClientRect().height > 0;
  return {kind, drawn, table, visible};
}"""


def login(browser, live_server, user):
    user.language = "en"
    user.save(update_fields=["language"])
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    return browser_login(page, live_server.url, user)


def chart_agrees_with_its_table(page, key: str) -> int:
    """Compares the chart `key` with its table; returns how many values were compared."""
    read = page.evaluate(READ_CHART, key)
    assert read["visible"], key
    drawn = {(label, series): value for label, series, value in read["drawn"]}
    table = {}
    for label, series, text in read["table"]:
        value = number(text)
        if read["kind"] == "columns":
            value = value or 0
        elif value is None:
            continue  # a line breaks where a month has no value, and the table says "–"
        table[(label, series)] = value
    if read["kind"] == "columns":
        drawn = {**{k: 0 for k in table}, **drawn}   # a part of 0 is not drawn
    assert drawn == table, key
    return len(table)


def fill_period(page, start: str, end: str):
    page.select_option("#id_period", "custom")
    page.fill("#id_start", start)
    page.fill("#id_end", end)


def received_in_workbook(book) -> int:
    """The cases received, added up from the month table of the workbook's first sheet."""
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == "Cases by month") + 2
    total = 0
    for row in rows[start:]:
        if row[0] is None:
            return total
        total += row[1]
    return total


def download_workbook(page):
    with page.expect_download() as download:
        page.click("#download-xlsx")
    assert download.value.suggested_filename.endswith(".xlsx")
    return load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))


def test_leaders_read_their_dashboards_charts_and_tables_agree_and_download_the_workbook(
        browser, live_server, screenshots):
    w = build_world()

    # --- the department's leader: the whole department in 2020 --------------------------------------
    page = login(browser, live_server, w.users["department_leader"])
    page.goto(live_server.url + "/bao-cao/")
    fill_period(page, "01/01/2020", "31/12/2020")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert page.inner_text("#period") == "From 01/01/2020 to 31/12/2020"
    page.screenshot(path=str(screenshots / "reports-department.png"), full_page=True)
    assert chart_agrees_with_its_table(page, "cases-by-month") == 36       # 12 months × 3 lines
    assert chart_agrees_with_its_table(page, "answers-on-time") == 24
    assert chart_agrees_with_its_table(page, "directive-status") == 8
    march = page.locator("#table-cases-by-month tbody tr", has_text="03/2020").inner_text()
    assert march.split("\t")[1:3] == ["7", "7"]
    book = download_workbook(page)
    assert book.sheetnames[0].startswith("Difficulties raised")
    assert received_in_workbook(book) == 17

    # … then one unit of it
    page.select_option("#id_unit", str(w.other.pk))
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert w.other.name_en in page.inner_text("h1")
    assert chart_agrees_with_its_table(page, "cases-by-month") == 36
    assert received_in_workbook(download_workbook(page)) == 3

    # --- a bad date is a message on the page ----------------------------------------------------
    fill_period(page, "31/02/2020", "31/12/2020")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert "Write the date as dd/mm/yyyy" in page.inner_text(".error-summary")

    # --- the branch's leader: the branch and its team -------------------------------------------------
    page = login(browser, live_server, w.users["leader"])
    page.goto(live_server.url + "/bao-cao/cong-khai/")
    with page.expect_navigation():
        page.click("#dashboard-link")
    assert page.url.endswith(f"/bao-cao/don-vi/{w.branch.pk}/")
    fill_period(page, "01/01/2020", "31/12/2020")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    page.screenshot(path=str(screenshots / "reports-unit.png"), full_page=True)
    assert w.branch.name_en in page.inner_text("h1")
    assert chart_agrees_with_its_table(page, "sessions-by-month") == 24
    assert chart_agrees_with_its_table(page, "units-on-time") == 2          # the branch and its team
    assert chart_agrees_with_its_table(page, "backlog") == 4
    book = download_workbook(page)
    assert book.worksheets[0]["A1"].value == f"Figures of {w.branch.name_en}"

    # --- anyone: the public scorecard -------------------------------------------------------------
    public = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    public.add_cookies([{"name": "ketnoi_language", "value": "en", "url": live_server.url}])
    scorecard = public.new_page()
    scorecard.goto(live_server.url + "/bao-cao/cong-khai/?year=2020")
    scorecard.screenshot(path=str(screenshots / "reports-scorecard.png"), full_page=True)
    branch = scorecard.locator("#scorecard tbody tr", has_text=w.branch.name_en).inner_text()
    assert branch.split("\t")[1:] == ["9", "89 %", "3.0", "4.2", "2"]
    assert "too few to measure" in scorecard.locator("#scorecard tbody tr", has_text=w.other.name_en).inner_text()
