"""The small, safe formatting officers may use in long texts (answers, Q&A articles, directives,
minutes): paragraphs and line breaks, **bold**, *italic*, numbered and bulleted lists, links and
tables, written the Markdown (CommonMark) way. Text typed without any of it reads as before: a
blank line starts a paragraph, a line break stays a line break.

Two locks, so that a text can never run in a reader's browser:
- markdown-it-py with raw HTML off: anything typed as HTML is shown as text (escaped); links
  whose address is javascript:, vbscript:, file: or data: are not made links;
- whatever it writes then passes nh3 (the ammonia sanitiser) with an allow-list of tags,
  attributes, classes and URL schemes, and every link gets rel="noopener noreferrer nofollow".
  A change to the Markdown settings, or a bug in them, cannot let anything else through.

Rules a civil servant's plain text would trip over are off: headings ("#", a line of "---"
under a line), indented code, quotes, horizontal rules, images, reference definitions
("[1]: ..." stays a line of text), inline code, HTML entities ("&lt;" stays as typed).

Pure: no Django.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

TAGS = frozenset({"p", "br", "strong", "em", "ul", "ol", "li", "a",
                  "table", "thead", "tbody", "tr", "th", "td"})
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
CLASSES = {"a": {"citation", "stale"}}  # the Q&A's links to the legal documents it cites
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow"
# Elements whose content is dropped with them, not shown as text (only reachable if the HTML
# came from elsewhere than the Markdown renderer, which escapes every tag).
DROPPED_WITH_CONTENT = frozenset({"script", "style"})

_BLOCK_RULES_OFF = ["code", "fence", "blockquote", "hr", "heading", "lheading", "html_block", "reference"]
# "entity" too: "&lt;" typed in a text is shown as typed, as it always was.
_INLINE_RULES_OFF = ["image", "backticks", "html_inline", "entity"]


@dataclass(frozen=True)
class Link:
    """A span of a text to link, found by the caller (e.g. a citation of a legal document)."""
    start: int
    end: int
    href: str
    title: str = ""
    classes: str = ""


Linker = Callable[[str], Iterable[Link]]

_cleaner = nh3.Cleaner(tags=set(TAGS), attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
                       allowed_classes={tag: set(names) for tag, names in CLASSES.items()},
                       url_schemes=set(URL_SCHEMES), link_rel=LINK_REL, strip_comments=True,
                       clean_content_tags=set(DROPPED_WITH_CONTENT))


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": False, "typographer": False})
    md.enable("table")
    md.disable(_BLOCK_RULES_OFF + _INLINE_RULES_OFF)
    md.core.ruler.push("ketnoi_links", _apply_linker)
    return md


def _link_tokens(state: StateCore, text: str, links: list[Link]) -> list[Token]:
    """The text token split around ``links`` (sorted, not overlapping)."""
    out, position = [], 0
    for link in links:
        if link.start > position:
            token = Token("text", "", 0)
            token.content = text[position:link.start]
            out.append(token)
        opening = Token("link_open", "a", 1)
        opening.attrs = {"href": link.href}
        if link.title:
            opening.attrs["title"] = link.title
        if link.classes:
            opening.attrs["class"] = link.classes
        label = Token("text", "", 0)
        label.content = text[link.start:link.end]
        out.extend([opening, label, Token("link_close", "a", -1)])
        position = link.end
    if position < len(text):
        token = Token("text", "", 0)
        token.content = text[position:]
        out.append(token)
    return out


def _apply_linker(state: StateCore) -> None:
    linker: Linker | None = state.env.get("linker")
    if linker is None:
        return
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children, depth = [], 0
        for token in block.children:
            if token.type == "link_open":
                depth += 1
            elif token.type == "link_close":
                depth -= 1
            if token.type != "text" or depth > 0 or not token.content:
                children.append(token)
                continue
            spans, position = [], 0
            for link in sorted(linker(token.content), key=lambda link: link.start):
                if link.start >= position and link.end > link.start:  # overlapping: the first wins
                    spans.append(link)
                    position = link.end
            children.extend(_link_tokens(state, token.content, spans) if spans else [token])
        block.children = children


_md = _markdown()


def clean(html: str) -> str:
    """Any HTML → only what the allow-list above keeps."""
    return _cleaner.clean(html)


def render(text: str | None, *, linker: Linker | None = None) -> str:
    """The text (Markdown or plain) as safe HTML. ``linker`` finds spans of each run of text
    (outside links the author wrote) to make into links."""
    # A lone surrogate (bad Unicode from a broken client) cannot be encoded for nh3: "?" instead.
    text = (text or "").encode("utf-8", "replace").decode("utf-8")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
    if not text.strip():
        return ""
    return clean(_md.render(text, {"linker": linker} if linker else {}))
