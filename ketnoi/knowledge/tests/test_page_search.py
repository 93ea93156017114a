"""The public search of the Q&A on /hoi-dap/."""

import pytest
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext

from ketnoi.knowledge.models import Article
from ketnoi.knowledge.views import TOPIC_COUNTS_KEY
from ketnoi.testing import make_article

from .page_helpers import ROLES, page_text, sign_in, world

pytestmark = pytest.mark.django_db
URL = "/hoi-dap/"

REFUND = "Hồ sơ hoàn thuế nhập khẩu nguyên liệu sản xuất hàng xuất khẩu gồm những gì?"
REFUND_ANSWER = ("Căn cứ Điều 36 Nghị định 134/2016/NĐ-CP, hồ sơ hoàn thuế gồm công văn đề nghị hoàn thuế "
                 "và hợp đồng xuất khẩu.")


@pytest.fixture
def w():
    cache.delete(TOPIC_COUNTS_KEY)  # the landing page keeps its topic counts a few minutes
    return world()


@pytest.fixture
def refund(w):
    return make_article(question=REFUND, answer=REFUND_ANSWER, topic="thue", by=w.coordinator)


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role or "anonymous")
def test_everyone_finds_an_answer_typed_without_marks(client, w, refund, role):
    sign_in(client, w, role)
    response = client.get(URL, {"q": "hoan thue nguyen lieu"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/hoi-dap/{refund.pk}/"' in html
    assert "<mark>hoàn thuế</mark>" in html and "<mark>nguyên liệu</mark>" in html
    assert "About 1 result" in page_text(response)


def test_it_says_which_words_were_not_searched(client, w, refund):
    sign_in(client, w, None)
    text = page_text(client.get(URL, {"q": "hoàn thuế nguyên liệu thì sao ko"}))
    assert "Not searched for: thì sao, ko" in text
    assert REFUND in text


def test_it_filters_by_topic(client, w, refund):
    other = make_article(question="Thủ tục hoàn thuế khi tái xuất hàng hóa?", answer="Theo quy định.",
                         topic="thu-tuc", by=w.coordinator)
    sign_in(client, w, None)
    html = client.get(URL, {"q": "hoàn thuế", "topic": "thu-tuc"}).content.decode()
    assert f'href="/hoi-dap/{other.pk}/"' in html and f'href="/hoi-dap/{refund.pk}/"' not in html
    html = client.get(URL, {"q": "hoàn thuế"}).content.decode()
    assert f'href="/hoi-dap/{other.pk}/"' in html and f'href="/hoi-dap/{refund.pk}/"' in html


def test_it_pages_ten_results_at_a_time(client, w):
    for n in range(12):
        make_article(question=f"Kiểm tra sau thông quan lần {n}?", answer="Theo quy định về kiểm tra sau thông quan.",
                     by=w.coordinator)
    sign_in(client, w, None)
    first = client.get(URL, {"q": "kiem tra sau thong quan"})
    assert first.content.decode().count('class="result"') == 10
    assert "About 12 results" in page_text(first) and "Page 1 of 2" in page_text(first)
    second = client.get(URL, {"q": "kiem tra sau thong quan", "page": "2"})
    assert second.content.decode().count('class="result"') == 2
    assert "Page 2 of 2" in page_text(second)


def test_a_page_past_the_last_says_so(client, w, refund):
    sign_in(client, w, None)
    text = page_text(client.get(URL, {"q": "hoàn thuế", "page": "7"}))
    assert "There are no more results." in text


def test_a_page_number_that_is_not_a_number_shows_the_first_page(client, w, refund):
    sign_in(client, w, None)
    response = client.get(URL, {"q": "hoàn thuế", "page": "abc"})
    assert response.status_code == 200 and REFUND in page_text(response)


def test_no_results_suggests_what_to_try(client, w, refund):
    sign_in(client, w, None)
    response = client.get(URL, {"q": "tàu bay vũ trụ", "topic": "thue"})
    assert response.status_code == 200
    text = page_text(response)
    assert "No answer found for “tàu bay vũ trụ”" in text
    assert "fewer words" in text and "rather than abbreviations" in text and "search every topic" in text
    html = response.content.decode()
    assert 'href="/cases/new/"' in html
    assert 'href="?q=t%C3%A0u+bay+v%C5%A9+tr%E1%BB%A5"' in html  # the same words, every topic


def test_it_never_echoes_markup_from_the_query(client, w, refund):
    sign_in(client, w, None)
    html = client.get(URL, {"q": '<script>alert("x")</script> hoàn thuế'}).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def test_without_a_query_it_lists_the_latest_answers_and_the_topics(client, w, refund):
    make_article(question="Bản nháp chưa công bố?", answer="Chưa.", publish=False, by=w.coordinator)
    sign_in(client, w, None)
    response = client.get(URL)
    assert response.status_code == 200
    text = page_text(response)
    assert "Latest answers" in text and REFUND in text
    assert "Bản nháp chưa công bố" not in text
    assert "Tax, exemption and refund (1 answer)" in text
    assert 'href="?topic=thue"' in response.content.decode()


def test_the_latest_answers_come_first(client, w, refund):
    newer = make_article(question="Câu hỏi mới nhất về thủ tục?", by=w.coordinator)
    sign_in(client, w, None)
    html = client.get(URL).content.decode()
    assert html.index(f'href="/hoi-dap/{newer.pk}/"') < html.index(f'href="/hoi-dap/{refund.pk}/"')


def test_a_topic_without_a_query_lists_its_answers(client, w, refund):
    other = make_article(question="Khai báo hải quan điện tử thế nào?", answer="Theo quy định.", topic="thu-tuc",
                         by=w.coordinator)
    sign_in(client, w, None)
    html = client.get(URL, {"topic": "thu-tuc"}).content.decode()
    assert f'href="/hoi-dap/{other.pk}/"' in html and f'href="/hoi-dap/{refund.pk}/"' not in html


def test_withdrawn_and_draft_answers_are_not_found(client, w, refund):
    Article.objects.filter(pk=refund.pk).update(status="withdrawn")
    sign_in(client, w, None)
    assert REFUND not in page_text(client.get(URL, {"q": "hoàn thuế"}))


@pytest.mark.parametrize("params, message", [
    ({"q": "x" * 201}, "Type at most 200 characters."),
    ({"q": "hoàn thuế", "topic": "khong-co"}, "Choose one of the topics in the list."),
    ({"q": "hoàn\x00thuế"}, "Null characters are not allowed."),
])
def test_bad_input_is_explained_on_the_page(client, w, refund, params, message):
    sign_in(client, w, None)
    response = client.get(URL, params)
    assert response.status_code == 400
    assert message in page_text(response)


def test_it_answers_a_post_with_405(client, w):
    sign_in(client, w, None)
    assert client.post(URL, {"q": "hoàn thuế"}).status_code == 405


def test_it_speaks_vietnamese_by_default(client, w, refund):
    response = client.get(URL, {"q": "hoan thue thì sao"})
    assert response.status_code == 200
    with translation.override("vi"):
        not_searched, topic = gettext("Not searched for:"), gettext("Topic")
    assert topic != "Topic"  # a label the catalogue already translates
    text = page_text(response)
    assert f"{not_searched} thì sao" in text and topic in text
    assert response.content.decode().startswith("<!doctype html>\n<html lang=\"vi\">")


def test_it_speaks_english_when_chosen(client, w, refund):
    sign_in(client, w, None)
    text = page_text(client.get(URL, {"q": "hoan thue thì sao"}))
    assert "Not searched for: thì sao" in text and "Topic" in text and "Lĩnh vực" not in text
