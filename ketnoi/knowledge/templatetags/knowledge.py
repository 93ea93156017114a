"""How the Q&A's texts are shown: highlighted search snippets, answers whose citations link to the
registry, anonymised proposals with every replacement marked. Every filter escapes the text it is
given and adds only markup of its own, so an answer can hold any character safely."""

import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ketnoi.accounts.access import principal_for
from ketnoi.lib import citations, richtext
from ketnoi.lib.highlight import segments
from ketnoi.lib.vntext import syllables

from .. import access

register = template.Library()

_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")


def _paragraphs(html: str) -> str:
    """Escaped HTML whose line breaks are still "\\n" → paragraphs (blank lines) and <br>."""
    parts = [part.strip("\n") for part in _BLANK_LINE.split(html.strip())]
    return "".join(f"<p>{part.replace(chr(10), '<br>')}</p>" for part in parts if part)


def _plain(text: str) -> str:
    return escape(text).replace("\r\n", "\n").replace("\r", "\n")


def _marked(text: str, spans) -> str:
    """``text`` escaped, each (start, end, render) span of it replaced by ``render(span_text)``
    (markup, kept on one line), as paragraphs."""
    out, position = [], 0
    for start, end, render in sorted(spans, key=lambda s: s[0]):
        if start < position or end <= start:
            continue  # overlapping spans: the first one wins
        out.append(_plain(text[position:start]))
        out.append(render(" ".join(text[start:end].split())))
        position = end
    out.append(_plain(text[position:]))
    return _paragraphs("".join(out))


@register.filter
def highlight(pieces) -> str:
    """Search-result pieces ``[(text, matched)]`` → the text with the matched words in <mark>."""
    return mark_safe("".join(format_html("<mark>{}</mark>", text) if matched else escape(text)
                             for text, matched in pieces or []))


@register.filter
def highlighted_title(result) -> str:
    """A search result's title (the question's first line) with the words its snippets matched
    in <mark>: the snippets say which syllables matched, the title is highlighted with the same."""
    matched = {syllable for text, is_match in [*result.question, *result.answer] if is_match
               for syllable in syllables(text)}
    return highlight(segments(result.article.title, matched))


@register.filter
def cite_links(text, documents) -> str:
    """An answer or a question with its small formatting (lib/richtext.py: Markdown without raw
    HTML, cleaned by nh3), every citation of a document of ``documents`` (a dict: canonical
    number → LegalDocument) linked to its page."""
    documents = documents or {}

    def linker(run: str):
        for c in citations.find(run):
            document = documents.get(c.number)
            if document is not None:
                yield richtext.Link(start=c.start, end=c.end, href=document.get_absolute_url(),
                                    title=document.title or document.name,
                                    classes="citation stale" if document.is_stale else "citation")

    return mark_safe(richtext.render(str(text or ""), linker=linker))  # noqa: S308 (nh3 cleaned it)


@register.filter
def replacements(anonymised) -> str:
    """An anonymised text (ketnoi.lib.anonymise.Anonymised) → paragraphs with every replacement
    in <mark class="replacement"> whose title gives the original, for the coordinator's review."""
    def mark(replacement):
        return lambda written: format_html('<mark class="replacement" data-kind="{}" title="{}">{}</mark>',
                                           replacement.kind, _("original: %(text)s") % {"text": replacement.original},
                                           written)

    return mark_safe(_marked(anonymised.text, [(r.start, r.end, mark(r)) for r in anonymised.replacements]))


@register.filter
def replacement_kind(kind: str) -> str:
    # The msgids are spelt out so that makemessages finds them.
    names = {
        "enterprise": _("Enterprise name"), "tax_code": _("Tax code"), "declaration": _("Declaration number"),
        "container": _("Container number"), "phone": _("Phone number"), "email": _("E-mail address"),
        "person": _("Personal name"),
    }
    return names.get(kind, kind)


@register.filter
def may_publish_qa(user) -> bool:
    """Whether the signed-in user may publish to the Q&A (for pages of other apps, such as the
    case page's "Publish as Q&A" link)."""
    return access.may_edit_articles(principal_for(user))


@register.simple_tag
def document_status(document):
    return format_html('<span class="tag document-{}{}">{}</span>', document.status,
                       " status-overdue" if document.is_stale else "", document.get_status_display())
