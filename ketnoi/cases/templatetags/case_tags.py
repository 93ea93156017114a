"""How a case's status and the time left to answer it are shown on every list and page."""

from datetime import date, datetime, timedelta

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ketnoi.lib.workdays import OFFICE_HOURS

from ..selectors import DUE_SOON_WORK_HOURS, work_hours_left

register = template.Library()

# Office hours in one working day (8 with the hours of ketnoi.lib.workdays).
WORKDAY_HOURS = sum(
    (datetime.combine(date.min, end) - datetime.combine(date.min, begin) for begin, end in OFFICE_HOURS), timedelta()
) / timedelta(hours=1)


def working_time(hours: float) -> str:
    """“2 working days 3 hours”, “5 hours”, “less than an hour” (office time)."""
    hours = abs(hours)
    days, rest = int(hours // WORKDAY_HOURS), int(hours % WORKDAY_HOURS)
    parts = []
    if days:
        parts.append(ngettext("%(n)d working day", "%(n)d working days", days) % {"n": days})
    if rest:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", rest) % {"n": rest})
    return " ".join(parts) or _("less than an hour")


@register.simple_tag
def time_left(case, now=None):
    """The time left to answer, in office time; overdue in red; “—” once the case is closed."""
    if not case.is_open or case.due_at is None:
        return mark_safe('<span class="muted">—</span>')
    left = work_hours_left(case, now)
    if case.paused_at is not None:
        if left <= 0:
            return format_html('<strong class="time-left overdue">{}</strong>',
                               _("Overdue by %(time)s") % {"time": working_time(left)})
        return format_html('<span class="time-left paused">{}</span>', _(
            "%(time)s left: the clock is stopped until the business replies") % {"time": working_time(left)})
    if left <= 0:
        return format_html('<strong class="time-left overdue">{}</strong>',
                           _("Overdue by %(time)s") % {"time": working_time(left)})
    css = "time-left soon" if left <= DUE_SOON_WORK_HOURS else "time-left"
    return format_html('<span class="{}">{}</span>', css, _("%(time)s left") % {"time": working_time(left)})


@register.simple_tag
def status_tag(case):
    return format_html('<span class="tag status-{}">{}</span>', case.status, case.get_status_display())
