"""Filing a price list: by the form (one field per service) or by the XLSX template; the operator
of the facility, or customs on its behalf; what the page says about the commitments afterwards."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from ketnoi.prices.models import CommitmentStatus, PriceList

from .page_helpers import BASELINE, as_user, counts, error_summary, make_world, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def url(world, name="yard"):
    return f"/gia-dich-vu/{world[name].pk}/nop-bang-gia/"


def form_data(world, prices, **extra):
    data = {"via": "form", "effective_from": f"{world['today']:%d/%m/%Y}", "note": "Quyết định số 12/QĐ-TCL"}
    data.update({f"price_{code}": amount for code, amount in prices.items()})
    data.update(extra)
    return data


def workbook(rows, header=("Mã dịch vụ", "Dịch vụ", "Đơn vị tính", "Đơn giá (đồng)")) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(["Bảng giá dịch vụ"])
    sheet.append([])
    sheet.append([])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("bang-gia.xlsx", out.getvalue(),
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# --- who may file -------------------------------------------------------------------------------

def test_it_sends_anonymous_visitors_to_the_login_page(client, world):
    before = counts()
    for response in (client.get(url(world)), client.post(url(world), form_data(world, {"NH20": "900.000"}))):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert counts() == before


@pytest.mark.parametrize("name", ["other_operator", "business", "airport_officer"])
def test_it_refuses_who_may_not_file_for_the_facility(client, world, name):
    as_user(client, world, name)
    before = counts()
    assert client.get(url(world)).status_code == 403
    assert client.post(url(world), form_data(world, {"NH20": "900.000"})).status_code == 403
    assert client.get(f"/gia-dich-vu/{world['yard'].pk}/mau-bang-gia.xlsx").status_code == 403
    assert counts() == before


@pytest.mark.parametrize("name", ["operator", "coordinator", "port_officer"])
def test_the_operator_and_customs_on_its_behalf_may_open_the_form(client, world, name):
    as_user(client, world, name)
    assert client.get(url(world)).status_code == 200


def test_an_unknown_facility_is_a_404(client, world):
    as_user(client, world, "coordinator")
    assert client.get("/gia-dich-vu/999999/nop-bang-gia/").status_code == 404


# --- the form -----------------------------------------------------------------------------------

def test_the_form_has_one_field_per_service_filled_with_the_current_prices(client, world):
    as_user(client, world, "operator")
    html = client.get(url(world)).content.decode()
    assert 'name="price_NH20" value="1.000.000"' in html
    assert 'name="price_LB20" value="110.000"' in html
    assert 'name="price_HKKG"' in html and 'name="price_HKKG" value' not in html
    assert 'href="/gia-dich-vu/%d/mau-bang-gia.xlsx"' % world["yard"].pk in html


def test_it_files_a_list_that_keeps_the_commitment(client, world, django_capture_on_commit_callbacks):
    as_user(client, world, "operator", "en")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(world), form_data(world, {"NH20": "950.000", "NH40": "1 500 000", "LB20": "110000"}),
                               follow=True)
    assert response.redirect_chain[-1][0] == f"/gia-dich-vu/{world['yard'].pk}/"
    latest = PriceList.objects.filter(facility=world["yard"]).order_by("-version").first()
    assert latest.version == 3 and latest.source == PriceList.Source.FORM and latest.note == "Quyết định số 12/QĐ-TCL"
    assert dict(latest.prices.values_list("service__code", "amount")) == {"NH20": 950_000, "NH40": 1_500_000, "LB20": 110_000}
    assert "The price list (version 3" in text(response) and "breaks the commitment" not in text(response)
    world["commitment"].refresh_from_db()
    assert world["commitment"].status == CommitmentStatus.KEPT and mail.outbox == []


def test_it_says_which_services_broke_the_commitment(client, world, django_capture_on_commit_callbacks):
    as_user(client, world, "operator", "en")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(world), form_data(world, {**BASELINE, "LB20": "110.000", "NH20": "1.050.000"}), follow=True)
    page = text(response)
    assert "This list breaks the commitment" in page and "NH20 (1.000.000 ₫ → 1.050.000 ₫)" in page
    assert "LB20 (" not in page
    world["commitment"].refresh_from_db()
    assert world["commitment"].status == CommitmentStatus.BROKEN
    assert {m.to[0] for m in mail.outbox} >= {world["users"]["coordinator"].email, world["users"]["port_leader"].email}


def test_customs_filing_on_the_operators_behalf_is_recorded_as_such(client, world):
    as_user(client, world, "port_officer")
    assert client.post(url(world), form_data(world, {"NH20": "900.000"})).status_code == 302
    assert PriceList.objects.filter(facility=world["yard"]).order_by("-version").first().source == PriceList.Source.STAFF


@pytest.mark.parametrize("data, message", [
    ({"price_NH20": "một triệu"}, "Write a whole number of đồng"),
    ({"price_NH20": "1.000,5"}, "Write a whole number of đồng"),
    ({"price_NH20": "-5"}, "Write a whole number of đồng"),
    ({"price_NH20": "0"}, "Write a whole number of đồng"),
    ({"effective_from": ""}, "Write the day the prices take effect."),
    ({"effective_from": "31/02/2025"}, "Write the date as dd/mm/yyyy"),
])
def test_bad_input_is_a_400_with_the_message_and_writes_nothing(client, world, data, message):
    as_user(client, world, "operator", "en")
    before = counts()
    response = client.post(url(world), form_data(world, {"NH20": "900.000", "DO": "250.000"}, **data))
    assert response.status_code == 400
    assert message in error_summary(response)
    assert counts() == before


def test_an_empty_list_is_refused(client, world):
    as_user(client, world, "operator", "en")
    before = counts()
    response = client.post(url(world), {"via": "form", "effective_from": f"{world['today']:%d/%m/%Y}"})
    assert response.status_code == 400 and "Write at least one price." in error_summary(response)
    assert counts() == before


def test_a_list_cannot_take_effect_before_the_last_one(client, world):
    as_user(client, world, "operator", "en")
    before = counts()
    day = world["today"] - timedelta(days=60)
    response = client.post(url(world), form_data(world, {"NH20": "900.000"}, effective_from=f"{day:%d/%m/%Y}"))
    assert response.status_code == 400 and "cannot take effect before it" in error_summary(response)
    assert counts() == before


def test_it_rejects_other_methods(client, world):
    as_user(client, world, "operator")
    assert client.put(url(world)).status_code == 405


# --- the XLSX file -------------------------------------------------------------------------------

def test_the_template_lists_the_catalogue_with_the_current_prices(client, world):
    as_user(client, world, "operator")
    response = client.get(f"/gia-dich-vu/{world['yard'].pk}/mau-bang-gia.xlsx")
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {row[0]: row[3] for row in sheet.iter_rows(min_row=5, values_only=True)}
    assert rows["NH20"] == 1_000_000 and rows["LB20"] == 110_000 and rows["HKKG"] is None


def test_a_valid_file_is_saved_as_an_xlsx_list(client, world):
    as_user(client, world, "operator")
    response = client.post(url(world), {"via": "xlsx", "xlsx-file": workbook([("NH20", "Nâng hạ", "", 980_000),
                                                                              ("LB20", "Lưu bãi", "", "110.000")]),
                                        "xlsx-effective_from": f"{world['today']:%d/%m/%Y}"})
    assert response.status_code == 302
    latest = PriceList.objects.filter(facility=world["yard"]).order_by("-version").first()
    assert latest.source == PriceList.Source.XLSX
    assert dict(latest.prices.values_list("service__code", "amount")) == {"NH20": 980_000, "LB20": 110_000}


def test_a_file_with_bad_rows_names_every_row_and_saves_nothing(client, world):
    as_user(client, world, "operator", "en")
    before = counts()
    response = client.post(url(world), {"via": "xlsx", "xlsx-file": workbook([
        ("NH20", "Nâng hạ", "", 980_000), ("XX99", "?", "", 100), ("LB20", "Lưu bãi", "", "mười nghìn")]),
        "xlsx-effective_from": f"{world['today']:%d/%m/%Y}"})
    assert response.status_code == 400
    summary = error_summary(response)
    assert "Row 6: “XX99” is not a service code of the catalogue." in summary
    assert "Row 7: “mười nghìn” is not a price." in summary
    assert counts() == before


@pytest.mark.parametrize("upload, message", [
    (None, "Choose the XLSX file of the price list."),
    (SimpleUploadedFile("bang-gia.xlsx", b"not a workbook"), "This is not an XLSX workbook."),
])
def test_a_missing_or_broken_file_is_refused(client, world, upload, message):
    as_user(client, world, "operator", "en")
    before = counts()
    data = {"via": "xlsx", "xlsx-effective_from": f"{world['today']:%d/%m/%Y}"}
    if upload is not None:
        data["xlsx-file"] = upload
    response = client.post(url(world), data)
    assert response.status_code == 400 and message in error_summary(response)
    assert counts() == before


# --- my prices ------------------------------------------------------------------------------------

def test_an_operator_sees_its_own_facilities_only(client, world):
    as_user(client, world, "operator")
    page = text(client.get("/gia-dich-vu/cua-toi/"))
    assert world["yard"].name in page and world["cfs"].name in page and world["cargo"].name not in page


@pytest.mark.parametrize("name", ["business", "coordinator"])
def test_my_prices_is_for_operators(client, world, name):
    as_user(client, world, name)
    assert client.get("/gia-dich-vu/cua-toi/").status_code == 403
