"""``{{ text|richtext }}``: a long text written by staff (an answer, a Q&A article, a directive,
minutes) with its small formatting — paragraphs, line breaks, bold, italic, lists, links,
tables — as safe HTML (ketnoi/lib/richtext.py: Markdown without raw HTML, then nh3). The one
place templates turn such a text into HTML."""

from django import template
from django.utils.safestring import mark_safe

from ketnoi.lib import richtext as rich

register = template.Library()


@register.filter
def richtext(text) -> str:
    return mark_safe(rich.render(str(text) if text is not None else ""))  # noqa: S308 (nh3 cleaned it)
