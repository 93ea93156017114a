from django import template
from django.utils.html import format_html

from ketnoi.lib import directive_status as status

from ..exports import status_label

register = template.Library()

CLASSES = {status.OVERDUE: "status-overdue", status.LATE: "status-waiting", status.ON_TIME: "status-answered",
           status.PENDING: "status-new", status.NOT_REQUIRED: "closed"}


@register.simple_tag
def status_tag(value: str, prefix: str = ""):
    """A coloured tag for an acknowledgement or report status ("Acknowledgement: overdue")."""
    label = status_label(value)
    return format_html('<span class="tag {}">{}{}</span>', CLASSES[value], f"{prefix} " if prefix else "", label)


@register.filter
def urgency_class(directive) -> str:
    return "" if directive.urgency == "normal" else "status-overdue"
