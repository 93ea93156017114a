"""The public registry of legal documents, /hoi-dap/van-ban/, and a document's page."""

from datetime import date

import pytest

from ketnoi.knowledge.models import Article, DocumentStatus
from ketnoi.testing import make_article

from .page_helpers import ROLES, make_document, page_text, sign_in

pytestmark = pytest.mark.django_db
URL = "/hoi-dap/van-ban/"


@pytest.fixture
def registry(w):
    new = make_document(w.coordinator, number="39/2018/TT-BTC", title="Sửa đổi, bổ sung Thông tư 38/2015/TT-BTC",
                        issued_on=date(2018, 4, 20))
    old = make_document(w.coordinator, number="38/2015/TT-BTC", title="Quy định về thủ tục hải quan",
                        status=DocumentStatus.REPLACED, replaced_by=new)
    decree = make_document(w.coordinator, number="08/2015/NĐ-CP", kind="nghi-dinh", issuer="Chính phủ",
                           title="Quy định chi tiết Luật Hải quan", issued_on=date(2015, 1, 21))
    return {"new": new, "old": old, "decree": decree}


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role or "anonymous")
def test_everyone_reads_the_registry(client, w, registry, role):
    sign_in(client, w, role)
    response = client.get(URL)
    assert response.status_code == 200
    text = page_text(response)
    assert "Nghị định 08/2015/NĐ-CP Quy định chi tiết Luật Hải quan Chính phủ 21/01/2015" in text
    assert "Thông tư 38/2015/TT-BTC" in text and "Replaced Replaced by Thông tư 39/2018/TT-BTC" in text
    assert ("Add a document" in text) == (role == "coordinator")


def test_it_filters_by_status_and_text(client, w, registry):
    sign_in(client, w, None)
    text = page_text(client.get(URL, {"status": "replaced"}))
    assert "38/2015/TT-BTC" in text and "08/2015/NĐ-CP" not in text
    text = page_text(client.get(URL, {"q": "chi tiết luật"}))
    assert "08/2015/NĐ-CP" in text and "39/2018/TT-BTC" not in text
    text = page_text(client.get(URL, {"q": "08/2015/nd-cp"}))  # typed the way people type it
    assert "08/2015/NĐ-CP" in text and "38/2015/TT-BTC" not in text
    text = page_text(client.get(URL, {"q": "hoàn thuế"}))
    assert "No document matches these filters." in text


def test_it_counts_the_published_answers_citing_each_document(client, w, registry):
    make_article(answer="Theo Nghị định 08/2015/NĐ-CP.", by=w.coordinator)
    make_article(answer="Theo Nghị định 08/2015/NĐ-CP.", publish=False, by=w.coordinator)
    sign_in(client, w, None)
    html = client.get(URL, {"q": "08/2015"}).content.decode()
    assert '<td class="num">1</td>' in html


def test_a_bad_status_is_explained(client, w, registry):
    sign_in(client, w, None)
    response = client.get(URL, {"status": "abolished"})
    assert response.status_code == 400
    assert "Choose one of the statuses in the list." in page_text(response)


def test_the_registry_refuses_post(client, w):
    sign_in(client, w, None)
    assert client.post(URL).status_code == 405


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role or "anonymous")
def test_a_document_page_lists_the_published_answers_citing_it(client, w, registry, role):
    cited = make_article(question="Hồ sơ hải quan gồm những gì?", answer="Theo Thông tư 38/2015/TT-BTC.",
                         by=w.coordinator)
    draft = make_article(question="Bản nháp về hồ sơ?", answer="Theo Thông tư 38/2015/TT-BTC.", publish=False,
                         by=w.coordinator)
    sign_in(client, w, role)
    response = client.get(f"{URL}{registry['old'].pk}/")
    assert response.status_code == 200
    text = page_text(response)
    html = response.content.decode()
    assert "Quy định về thủ tục hải quan" in text
    assert "This document is no longer in force: it was replaced. Read instead: Thông tư 39/2018/TT-BTC" in text
    assert f'href="/hoi-dap/{cited.pk}/"' in html and f'href="/hoi-dap/{draft.pk}/"' not in html
    assert ("Change this document" in text) == (role == "coordinator")


def test_a_document_page_says_what_it_replaces(client, w, registry):
    sign_in(client, w, None)
    text = page_text(client.get(f"{URL}{registry['new'].pk}/"))
    assert "Replaces Thông tư 38/2015/TT-BTC" in text
    assert "No published answer cites this document." in text


def test_an_unknown_document_is_404(client, w):
    sign_in(client, w, None)
    assert client.get(f"{URL}999999/").status_code == 404


def test_the_document_page_refuses_post(client, w, registry):
    sign_in(client, w, None)
    assert client.post(f"{URL}{registry['new'].pk}/").status_code == 405


def test_a_document_cited_by_an_answer_under_review_says_so(client, w, registry):
    article = make_article(answer="Theo Thông tư 39/2018/TT-BTC.", by=w.coordinator)
    Article.objects.filter(pk=article.pk).update(needs_review=True)
    sign_in(client, w, None)
    assert "being reviewed" in page_text(client.get(f"{URL}{registry['new'].pk}/"))


def test_the_registry_reads_in_vietnamese_by_default(client, w, registry):
    response = client.get(URL)
    assert response.status_code == 200 and '<html lang="vi">' in response.content.decode()
