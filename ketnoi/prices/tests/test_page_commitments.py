"""Commitments: the coordinators' list and form, the commitment's page (public part and the
staff's breaches), the follow-up of a breach and the queue of breaches to follow up."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ketnoi.prices import services
from ketnoi.prices.models import Breach, Commitment, CommitmentStatus, FollowUpNote

from .page_helpers import BASELINE, as_user, counts, error_summary, make_world, text

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def breach(world):
    _list, found = services.price_list_file(facility=world["yard"], prices={**BASELINE, "LB20": 110_000, "NH20": 1_050_000},
                                            effective_from=world["today"], by=world["users"]["operator"])
    return found[0]


def new_data(world, **extra):
    today = world["today"]
    data = {"operator": world["operator"].pk, "facilities": [world["cfs"].pk],
            "period_from": f"{today:%d/%m/%Y}", "period_to": f"{today + timedelta(days=180):%d/%m/%Y}",
            "signed_on": f"{today:%d/%m/%Y}", "covers_all": "some", "services": []}
    data.update(extra)
    return data


# --- the list --------------------------------------------------------------------------------------

def test_a_coordinator_lists_the_commitments_and_filters_by_status(client, world, breach):
    kept = services.commitment_create(operator=world["other_operator"], facilities=[world["cargo"]],
                                      period_from=world["today"], period_to=world["today"] + timedelta(days=30),
                                      signed_on=world["today"], by=world["users"]["coordinator"])
    as_user(client, world, "coordinator")
    page = text(client.get("/gia-dich-vu/cam-ket/"))
    assert world["operator"].name in page and world["other_operator"].name in page
    broken = text(client.get("/gia-dich-vu/cam-ket/?status=broken"))
    assert world["operator"].name in broken and kept.operator.name not in broken
    only_kept = text(client.get("/gia-dich-vu/cam-ket/?status=kept"))
    assert world["operator"].name not in only_kept and kept.operator.name in only_kept


def test_a_bad_status_is_a_400(client, world):
    as_user(client, world, "coordinator", "en")
    response = client.get("/gia-dich-vu/cam-ket/?status=maybe")
    assert response.status_code == 400 and "Choose kept or broken." in error_summary(response)


@pytest.mark.parametrize("name", ["operator", "port_officer", "business"])
def test_only_coordinators_see_the_list_the_form_and_the_queue(client, world, name):
    as_user(client, world, name)
    for url in ("/gia-dich-vu/cam-ket/", "/gia-dich-vu/cam-ket/moi/", "/gia-dich-vu/vi-pham/"):
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    for url in ("/gia-dich-vu/cam-ket/", "/gia-dich-vu/cam-ket/moi/", "/gia-dich-vu/vi-pham/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


# --- recording a commitment --------------------------------------------------------------------------

def test_a_coordinator_records_a_commitment_with_its_document(client, world):
    as_user(client, world, "coordinator")
    nh20 = world["yard"].price_lists.first().prices.get(service__code="NH20").service
    response = client.post("/gia-dich-vu/cam-ket/moi/", new_data(
        world, services=[nh20.pk], document=SimpleUploadedFile("cam-ket-tcl.pdf", PDF, content_type="application/pdf")))
    commitment = Commitment.objects.latest("id")
    assert response.status_code == 302 and response["Location"] == f"/gia-dich-vu/cam-ket/{commitment.pk}/"
    assert commitment.operator == world["operator"] and not commitment.covers_all
    assert list(commitment.services.values_list("code", flat=True)) == ["NH20"]
    assert [b.facility for b in commitment.baselines.all()] == [world["cfs"]]
    assert commitment.document_name == "cam-ket-tcl.pdf"
    document = client.get(f"/gia-dich-vu/cam-ket/{commitment.pk}/van-ban/")
    assert document.status_code == 200 and b"".join(document.streaming_content) == PDF


def test_the_form_offers_the_operators_and_their_facilities(client, world):
    as_user(client, world, "coordinator")
    html = client.get("/gia-dich-vu/cam-ket/moi/").content.decode()
    assert world["operator"].name in html and world["cfs"].name in html and 'name="services"' in html


@pytest.mark.parametrize("extra, message", [
    ({"facilities": []}, "Choose at least one facility of the operator."),
    ("cargo", "Choose facilities of"),
    ({"period_from": "", "period_to": ""}, "Write the first day of the period."),
    ({"period_to": "01/01/2000"}, "The end of the period cannot be before its start."),
    ({"signed_on": "32/01/2025"}, "Write the date as dd/mm/yyyy"),
    ({"covers_all": "some", "services": []}, "Choose the services it covers"),
    ({"operator": "999999"}, "Choose the operator that signed."),
])
def test_bad_input_is_a_400_with_the_message_and_writes_nothing(client, world, extra, message):
    as_user(client, world, "coordinator", "en")
    if extra == "cargo":
        extra = {"facilities": [world["cargo"].pk], "covers_all": "all"}
    before = counts()
    response = client.post("/gia-dich-vu/cam-ket/moi/", new_data(world, **extra))
    assert response.status_code == 400
    assert message in error_summary(response)
    assert counts() == before


def test_a_document_that_is_not_a_pdf_or_picture_is_refused(client, world):
    as_user(client, world, "coordinator", "en")
    before = counts()
    response = client.post("/gia-dich-vu/cam-ket/moi/", new_data(
        world, covers_all="all", document=SimpleUploadedFile("cam-ket.exe", b"MZ\x90\x00binary")))
    assert response.status_code == 400 and "is not a PDF" in error_summary(response)
    assert counts() == before


def test_an_operator_cannot_record_a_commitment(client, world):
    as_user(client, world, "operator")
    before = counts()
    assert client.post("/gia-dich-vu/cam-ket/moi/", new_data(world, covers_all="all")).status_code == 403
    assert counts() == before


# --- the commitment's page ---------------------------------------------------------------------------

def test_anyone_sees_status_period_and_facilities_but_not_the_breaches(client, world, breach):
    client.cookies["ketnoi_language"] = "en"
    response = client.get(f"/gia-dich-vu/cam-ket/{world['commitment'].pk}/")
    page = text(response)
    assert response.status_code == 200
    assert "Commitment broken" in page and world["yard"].name in page
    assert f"{world['commitment'].period_from:%d/%m/%Y} – {world['commitment'].period_to:%d/%m/%Y}" in page
    assert "Services raised NH20" in page
    assert "Breaches and their follow-up" not in page and 'id="breach-' not in response.content.decode()


def test_staff_see_the_breaches_with_their_items_only_coordinators_the_form(client, world, breach):
    as_user(client, world, "port_officer", "en")
    response = client.get(f"/gia-dich-vu/cam-ket/{world['commitment'].pk}/")
    html = response.content.decode()
    assert f'id="breach-{breach.pk}"' in html and "+50.000 ₫" in text(response)
    assert f'action="/gia-dich-vu/vi-pham/{breach.pk}/theo-doi/"' not in html
    as_user(client, world, "coordinator", "en")
    assert f'action="/gia-dich-vu/vi-pham/{breach.pk}/theo-doi/"' in client.get(f"/gia-dich-vu/cam-ket/{world['commitment'].pk}/").content.decode()


def test_an_unknown_commitment_is_a_404(client, world):
    assert client.get("/gia-dich-vu/cam-ket/999999/").status_code == 404


def test_the_signed_document_is_for_staff(client, world):
    assert client.get(f"/gia-dich-vu/cam-ket/{world['commitment'].pk}/van-ban/").status_code == 302
    as_user(client, world, "operator")
    assert client.get(f"/gia-dich-vu/cam-ket/{world['commitment'].pk}/van-ban/").status_code == 403
    as_user(client, world, "coordinator")
    assert client.get(f"/gia-dich-vu/cam-ket/{world['commitment'].pk}/van-ban/").status_code == 404  # none uploaded


# --- follow-up -------------------------------------------------------------------------------------

def follow_up_url(breach):
    return f"/gia-dich-vu/vi-pham/{breach.pk}/theo-doi/"


def test_a_coordinator_records_the_follow_up(client, world, breach):
    as_user(client, world, "coordinator", "en")
    response = client.post(follow_up_url(breach), {f"b{breach.pk}-follow_up": "contacted",
                                                   f"b{breach.pk}-note": "Đã gọi điện cho ông Lê Minh Tâm."}, follow=True)
    assert response.redirect_chain[-1][0] == f"/gia-dich-vu/cam-ket/{world['commitment'].pk}/#breach-{breach.pk}"
    breach.refresh_from_db()
    assert breach.follow_up == Breach.FollowUp.CONTACTED
    assert "Đã gọi điện cho ông Lê Minh Tâm." in text(response) and "The follow-up is recorded." in text(response)


@pytest.mark.parametrize("data, message", [
    ({"follow_up": "", "note": "Ghi chú"}, "Choose what was done."),
    ({"follow_up": "open", "note": "Ghi chú"}, "Choose what was done."),
    ({"follow_up": "closed", "note": "   "}, "Write what was done or found."),
])
def test_bad_follow_up_is_a_400_and_writes_nothing(client, world, breach, data, message):
    as_user(client, world, "coordinator", "en")
    before = counts()
    response = client.post(follow_up_url(breach), {f"b{breach.pk}-{key}": value for key, value in data.items()})
    assert response.status_code == 400 and message in error_summary(response)
    assert counts() == before


def test_a_closed_breach_takes_no_more_notes(client, world, breach):
    services.breach_follow_up(breach=breach, follow_up="closed", note="Đã rút lại mức tăng.", by=world["users"]["coordinator"])
    as_user(client, world, "coordinator", "en")
    before = counts()
    response = client.post(follow_up_url(breach), {f"b{breach.pk}-follow_up": "contacted", f"b{breach.pk}-note": "Thêm"})
    assert response.status_code == 400 and "This breach is closed." in text(response)
    assert counts() == before


@pytest.mark.parametrize("name", ["operator", "port_officer", "business"])
def test_only_coordinators_follow_up(client, world, breach, name):
    as_user(client, world, name)
    before = FollowUpNote.objects.count()
    response = client.post(follow_up_url(breach), {f"b{breach.pk}-follow_up": "contacted", f"b{breach.pk}-note": "x"})
    assert response.status_code == 403 and FollowUpNote.objects.count() == before


def test_follow_up_takes_only_a_post(client, world, breach):
    as_user(client, world, "coordinator")
    assert client.get(follow_up_url(breach)).status_code == 405


# --- the queue ------------------------------------------------------------------------------------

def test_the_queue_lists_open_breaches_and_drops_closed_ones(client, world, breach):
    as_user(client, world, "coordinator")
    page = text(client.get("/gia-dich-vu/vi-pham/"))
    assert world["operator"].name in page and "NH20 (+50.000 ₫)" in page
    services.breach_follow_up(breach=breach, follow_up="closed", note="Đã rút lại mức tăng.", by=world["users"]["coordinator"])
    assert world["operator"].name not in text(client.get("/gia-dich-vu/vi-pham/"))
    assert Commitment.objects.get(pk=world["commitment"].pk).status == CommitmentStatus.BROKEN  # closing keeps the record
