"""Coordinators add and correct documents of the registry: /hoi-dap/van-ban/moi/ and
/hoi-dap/van-ban/<id>/sua/. Marking one replaced or expired flags the answers that cite it."""

from datetime import date

import pytest

from ketnoi.knowledge.models import Article, DocumentStatus, LegalDocument
from ketnoi.testing import make_article

from .page_helpers import STAFF_ONLY_REFUSED, make_document, page_text, sign_in

pytestmark = pytest.mark.django_db
NEW = "/hoi-dap/van-ban/moi/"

FORM = {"kind": "nghi-dinh", "number": "08/2015/nd-cp", "title": "Quy định chi tiết và biện pháp thi hành Luật Hải quan",
        "issuer": "Chính phủ", "issued_on": "21/01/2015", "effective_on": "15/03/2015", "status": "in_force",
        "replaced_by": "", "amended_by": ""}


def edit_url(document):
    return f"/hoi-dap/van-ban/{document.pk}/sua/"


def test_a_coordinator_adds_a_document(client, w):
    sign_in(client, w, "coordinator")
    assert client.get(NEW).status_code == 200
    response = client.post(NEW, FORM)
    document = LegalDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/hoi-dap/van-ban/{document.pk}/"
    assert (document.number, document.kind, document.issuer) == ("08/2015/NĐ-CP", "nghi-dinh", "Chính phủ")
    assert (document.issued_on, document.effective_on) == (date(2015, 1, 21), date(2015, 3, 15))
    assert not document.needs_completion
    assert "Nghị định 08/2015/NĐ-CP is saved in the registry." in page_text(client.get(response["Location"]))


def test_the_edit_form_shows_the_document_as_saved(client, w):
    new = make_document(w.coordinator, number="39/2018/TT-BTC")
    old = make_document(w.coordinator, number="38/2015/TT-BTC", issued_on=date(2015, 3, 25),
                        status=DocumentStatus.REPLACED, replaced_by=new)
    sign_in(client, w, "coordinator")
    html = client.get(edit_url(old)).content.decode()
    assert 'value="38/2015/TT-BTC"' in html and 'value="25/03/2015"' in html and 'value="39/2018/TT-BTC"' in html
    assert '<option value="39/2018/TT-BTC">' in html  # the numbers to choose from, without JavaScript
    assert '<option value="38/2015/TT-BTC">' not in html


def test_marking_a_document_replaced_flags_the_answers_citing_it(client, w):
    new = make_document(w.coordinator, number="39/2018/TT-BTC")
    old = make_document(w.coordinator, number="38/2015/TT-BTC")
    first = make_article(answer="Theo Thông tư 38/2015/TT-BTC.", by=w.coordinator)
    second = make_article(answer="Căn cứ Thông tư 38/2015/TT-BTC, Điều 16.", by=w.coordinator)
    untouched = make_article(answer="Theo Thông tư 39/2018/TT-BTC.", by=w.coordinator)
    sign_in(client, w, "coordinator")
    response = client.post(edit_url(old), {**FORM, "kind": "thong-tu", "number": "38/2015/TT-BTC",
                                           "status": "replaced", "replaced_by": "39/2018/tt-btc"})
    assert response.status_code == 302
    old.refresh_from_db()
    assert (old.status, old.replaced_by) == (DocumentStatus.REPLACED, new)
    assert set(Article.objects.filter(needs_review=True).values_list("pk", flat=True)) == {first.pk, second.pk}
    assert not Article.objects.get(pk=untouched.pk).needs_review
    assert "2 published answers that cite it are flagged for review." in page_text(client.get(response["Location"]))


def test_correcting_a_document_already_replaced_flags_nothing_again(client, w):
    new = make_document(w.coordinator, number="39/2018/TT-BTC")
    old = make_document(w.coordinator, number="38/2015/TT-BTC", status=DocumentStatus.REPLACED, replaced_by=new)
    sign_in(client, w, "coordinator")
    response = client.post(edit_url(old), {**FORM, "kind": "thong-tu", "number": "38/2015/TT-BTC",
                                           "status": "replaced", "replaced_by": "39/2018/TT-BTC", "title": "Sửa tên"})
    assert "flagged for review" not in page_text(client.get(response["Location"]))


@pytest.mark.parametrize("change, field_message", [
    ({"number": "Điều 5"}, "Write the number as in “38/2015/TT-BTC” or “08/2015/NĐ-CP”."),
    ({"number": ""}, "Write the number as in “38/2015/TT-BTC” or “08/2015/NĐ-CP”."),
    ({"kind": ""}, "Choose the kind of document."),
    ({"issued_on": "2015-01-21"}, "Write the date as dd/mm/yyyy, for example 01/07/2025."),
    ({"issued_on": "31/02/2015"}, "Write the date as dd/mm/yyyy, for example 01/07/2025."),
    ({"effective_on": "01/01/2014"}, "A document cannot take effect before it is issued."),
    ({"status": "replaced"}, "Say which document replaces it."),
    ({"status": "replaced", "replaced_by": "99/2099/TT-BTC"},
     "99/2099/TT-BTC is not in the registry: add it first, then choose it here."),
    ({"replaced_by": "không rõ"}, "Write the number as in “38/2015/TT-BTC” or “08/2015/NĐ-CP”."),
    ({"status": "abolished"}, "Choose the document's status."),
    ({"amended_by": "Thông tư 38/2015/TT-BTC\n12/2099/NĐ-CP"},
     "12/2099/NĐ-CP is not in the registry: add it first, then choose it here."),
])
def test_bad_input_is_explained_and_nothing_is_saved(client, w, change, field_message):
    sign_in(client, w, "coordinator")
    response = client.post(NEW, {**FORM, **change})
    assert response.status_code == 400
    text = page_text(response)
    assert "There is a problem" in text and field_message in text
    assert not LegalDocument.objects.exists()


def test_it_records_the_documents_that_amend_it(client, w):
    decree = make_document(w.coordinator, number="08/2015/NĐ-CP", kind="nghi-dinh")
    amending = make_document(w.coordinator, number="59/2018/NĐ-CP", kind="nghi-dinh")
    sign_in(client, w, "coordinator")
    response = client.post(edit_url(decree), {**FORM, "status": "amended", "amended_by": "Nghị định 59/2018/ND-CP"})
    assert response.status_code == 302
    assert list(decree.amended_by.all()) == [amending]
    assert "Amended by Nghị định 59/2018/NĐ-CP" in page_text(client.get(response["Location"]))
    assert "59/2018/NĐ-CP</textarea>" in client.get(edit_url(decree)).content.decode()


def test_a_number_already_in_the_registry_is_refused(client, w):
    make_document(w.coordinator, number="08/2015/NĐ-CP", kind="nghi-dinh")
    sign_in(client, w, "coordinator")
    response = client.post(NEW, FORM)
    assert response.status_code == 400
    assert "Nghị định 08/2015/NĐ-CP is already in the registry." in page_text(response)
    assert LegalDocument.objects.count() == 1


def test_a_document_cannot_replace_itself(client, w):
    document = make_document(w.coordinator, number="38/2015/TT-BTC")
    sign_in(client, w, "coordinator")
    response = client.post(edit_url(document), {**FORM, "kind": "thong-tu", "number": "38/2015/TT-BTC",
                                                "status": "replaced", "replaced_by": "38/2015/TT-BTC"})
    assert response.status_code == 400
    assert "A document cannot replace itself." in page_text(response)
    assert LegalDocument.objects.get().status == DocumentStatus.IN_FORCE


def test_an_unknown_document_is_404(client, w):
    sign_in(client, w, "coordinator")
    assert client.get("/hoi-dap/van-ban/999999/sua/").status_code == 404


@pytest.mark.parametrize("role", STAFF_ONLY_REFUSED)
def test_it_refuses_everyone_but_coordinators(client, w, role):
    document = make_document(w.coordinator, number="38/2015/TT-BTC")
    sign_in(client, w, role)
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, FORM).status_code == 403
    assert client.get(edit_url(document)).status_code == 403
    assert client.post(edit_url(document), {**FORM, "status": "expired"}).status_code == 403
    assert LegalDocument.objects.get().status == DocumentStatus.IN_FORCE


def test_anonymous_visitors_are_sent_to_log_in(client, w):
    document = make_document(w.coordinator, number="38/2015/TT-BTC")
    for url in (NEW, edit_url(document)):
        response = client.post(url, FORM)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert LegalDocument.objects.count() == 1


def test_it_reads_in_vietnamese(client, w):
    w.coordinator.language = "vi"
    w.coordinator.save()
    client.force_login(w.coordinator)
    response = client.post(NEW, {**FORM, "issued_on": "21-01-2015"})
    assert response.status_code == 400
    assert '<html lang="vi">' in response.content.decode()
