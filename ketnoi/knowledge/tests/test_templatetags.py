"""The filters that turn the Q&A's texts into HTML escape what they are given: an answer, a query
or a business's text can hold any markup and it is shown as text."""

from types import SimpleNamespace

import pytest
from django.utils import translation
from django.template import Context, Template

from ketnoi.accounts.models import Role
from ketnoi.knowledge.templatetags.knowledge import (cite_links, highlight, highlighted_title, may_publish_qa,
                                                     replacements)
from ketnoi.lib.anonymise import Anonymised, Replacement
from ketnoi.testing import make_user


@pytest.fixture(autouse=True)
def english():
    """The messages below are checked in English (the default language is Vietnamese)."""
    with translation.override("en"):
        yield


class Document(SimpleNamespace):
    """What the filter reads of a LegalDocument, without the database."""

    def get_absolute_url(self):
        return f"/hoi-dap/van-ban/{self.pk}/"


def document(number="38/2015/TT-BTC", **fields):
    values = {"pk": 7, "number": number, "name": f"Thông tư {number}", "title": "Quy định về thủ tục hải quan",
              "is_stale": False, **fields}
    return Document(**values)


# --- highlight ---------------------------------------------------------------------------------

def test_highlight_marks_the_matched_pieces():
    assert highlight([("Hồ sơ ", False), ("hoàn thuế", True), (" gồm gì?", False)]) == \
        "Hồ sơ <mark>hoàn thuế</mark> gồm gì?"


def test_highlight_escapes_every_piece():
    html = highlight([('<img src=x onerror="a()">', False), ("<b>thuế</b>", True)])
    assert html == "&lt;img src=x onerror=&quot;a()&quot;&gt;<mark>&lt;b&gt;thuế&lt;/b&gt;</mark>"


def test_highlight_of_nothing_is_empty():
    assert highlight(None) == "" and highlight([]) == ""


def test_a_result_title_is_highlighted_with_the_words_its_snippets_matched():
    result = SimpleNamespace(
        article=SimpleNamespace(title="Hoàn thuế <nhập khẩu> nguyên liệu?"),
        question=[("Hoàn thuế", True), (" <nhập khẩu> nguyên liệu?", False)],
        answer=[("Hồ sơ ", False), ("Nguyên Liệu", True)])
    assert highlighted_title(result) == "<mark>Hoàn thuế</mark> &lt;nhập khẩu&gt; <mark>nguyên liệu</mark>?"


# --- cite_links --------------------------------------------------------------------------------

def test_a_citation_in_the_registry_becomes_a_link():
    html = cite_links("Căn cứ Thông tư 38/2015/TT-BTC, công ty nộp tờ khai.", {"38/2015/TT-BTC": document()})
    assert html == ('<p>Căn cứ <a href="/hoi-dap/van-ban/7/" title="Quy định về thủ tục hải quan" class="citation" '
                    'rel="noopener noreferrer nofollow">Thông tư 38/2015/TT-BTC</a>, công ty nộp tờ khai.</p>\n')


def test_a_citation_typed_loosely_links_to_its_canonical_number():
    html = cite_links("theo nghị định 08/2015/nd-cp", {"08/2015/NĐ-CP": document("08/2015/NĐ-CP", pk=3)})
    assert '<a href="/hoi-dap/van-ban/3/"' in html and ">nghị định 08/2015/nd-cp</a>" in html


def test_a_citation_not_in_the_registry_stays_text():
    assert cite_links("Theo Thông tư 39/2018/TT-BTC.", {"38/2015/TT-BTC": document()}) == \
        "<p>Theo Thông tư 39/2018/TT-BTC.</p>\n"


def test_a_stale_document_is_marked_on_its_link():
    html = cite_links("Thông tư 38/2015/TT-BTC", {"38/2015/TT-BTC": document(is_stale=True)})
    assert 'class="citation stale"' in html


def test_a_citation_inside_a_link_the_author_wrote_is_not_linked_again():
    html = cite_links("[Thông tư 38/2015/TT-BTC](https://thuvienphapluat.example.vn/tt38)", {"38/2015/TT-BTC": document()})
    assert html.count("<a ") == 1 and 'href="https://thuvienphapluat.example.vn/tt38"' in html


def test_a_citation_in_bold_and_in_a_list_is_linked():
    html = cite_links("1. **Thông tư 38/2015/TT-BTC**\n2. khác", {"38/2015/TT-BTC": document()})
    assert html.startswith('<ol>\n<li><strong><a href="/hoi-dap/van-ban/7/"')


def test_paragraphs_and_line_breaks_are_kept():
    html = cite_links("Dòng một\ndòng hai\r\n\r\nĐoạn hai\n\n\n", {})
    assert html == "<p>Dòng một<br>\ndòng hai</p>\n<p>Đoạn hai</p>\n"


@pytest.mark.parametrize("text", [
    '<script>alert("x")</script> Thông tư 38/2015/TT-BTC',
    'Thông tư 38/2015/TT-BTC"><script>alert(1)</script>',
    "<a href='javascript:alert(1)'>Thông tư 38/2015/TT-BTC</a>",
    "&lt;script&gt; &amp; Thông tư 38/2015/TT-BTC",
])
def test_cite_links_lets_no_markup_through(text):
    html = cite_links(text, {"38/2015/TT-BTC": document(title='"><script>alert(2)</script>')})
    assert "<script" not in html and "javascript:alert(1)'>" not in html and "<a href='" not in html
    assert html.count("<a ") == html.count("</a>") == 1
    assert 'title="&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"' in html


def test_an_escaped_entity_stays_as_typed():
    assert "&amp;lt;script&amp;gt;" in cite_links("&lt;script&gt;", {})


def test_it_works_in_a_template_with_autoescape():
    rendered = Template("{% load knowledge %}{{ text|cite_links:documents }}").render(Context({
        "text": "<i>x</i> Thông tư 38/2015/TT-BTC", "documents": {"38/2015/TT-BTC": document()}}))
    assert rendered.startswith("<p>&lt;i&gt;x&lt;/i&gt; <a href=\"/hoi-dap/van-ban/7/\"")


# --- replacements ------------------------------------------------------------------------------

def test_every_replacement_is_marked_with_its_original():
    text = "[doanh nghiệp] (MST [mã số thuế]) hỏi."
    anonymised = Anonymised(text=text, replacements=[
        Replacement(start=0, end=14, original="Công ty TNHH Ánh Dương", label="[doanh nghiệp]", kind="enterprise"),
        Replacement(start=20, end=32, original="0312345678", label="[mã số thuế]", kind="tax_code"),
    ])
    assert text[20:32] == "[mã số thuế]"
    assert replacements(anonymised) == (
        '<p><mark class="replacement" data-kind="enterprise" title="original: Công ty TNHH Ánh Dương">'
        "[doanh nghiệp]</mark> (MST "
        '<mark class="replacement" data-kind="tax_code" title="original: 0312345678">[mã số thuế]</mark>) hỏi.</p>')


def test_replacements_escape_the_text_and_the_original():
    text = "<b>[họ tên]</b>"
    anonymised = Anonymised(text=text, replacements=[
        Replacement(start=3, end=11, original='Lan"><script>', label="[họ tên]", kind="person")])
    html = replacements(anonymised)
    assert "<script>" not in html and "<b>" not in html
    assert 'title="original: Lan&quot;&gt;&lt;script&gt;"' in html


# --- may_publish_qa ----------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("role, allowed", [(Role.COORDINATOR, True), (Role.LEADER, False), (Role.OFFICER, False),
                                           (Role.BUSINESS, False), (Role.ADMIN, False), (None, False)])
def test_only_coordinators_may_publish_to_the_qa(role, allowed):
    assert may_publish_qa(make_user(role)) is allowed


def test_an_anonymous_visitor_may_not_publish():
    from django.contrib.auth.models import AnonymousUser

    assert may_publish_qa(AnonymousUser()) is False
