"""The filters of the report pages: a period (named, or from–to dates) and a unit."""

from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketnoi.front.forms import DateField
from ketnoi.org.models import Unit
from ketnoi.org.selectors import unit_tree

# A custom period longer than this is refused: the month charts would be unreadable and the
# figures no faster to read than a year at a time.
MAX_PERIOD_DAYS = 5 * 366
OLDEST = date(2000, 1, 1)

PERIODS = [
    ("this_month", _("This month")),
    ("last_month", _("Last month")),
    ("this_quarter", _("This quarter")),
    ("this_year", _("This year")),
    ("last_year", _("Last year")),
    ("custom", _("From … to …")),
]


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    key: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def named_period(key: str, today: date) -> Period:
    """The named period containing (or just before) `today`. A running period ends today: its
    figures are those so far."""
    first = today.replace(day=1)
    if key == "last_month":
        end = first - timedelta(days=1)
        return Period(end.replace(day=1), end, key)
    if key == "this_quarter":
        return Period(first.replace(month=(today.month - 1) // 3 * 3 + 1), today, key)
    if key == "this_year":
        return Period(date(today.year, 1, 1), today, key)
    if key == "last_year":
        return Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31), key)
    return Period(first, today, "this_month")


class UnitSelect(forms.Select):
    """A select of every unit (some seventy), written here: Django writes each option through a
    template, which took a good part of the dashboard's time."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        chosen = "" if value is None else str(value)
        options = format_html_join(
            "", '<option value="{}"{}>{}</option>',
            ((key, mark_safe(" selected") if str(key) == chosen else "", label) for key, label in self.choices))
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(attrs), options)


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label=_("Period of the figures"), choices=PERIODS, required=False,
                               error_messages={"invalid_choice": _("Choose a period from the list.")})
    start = DateField(label=_("From"), help_text=_("dd/mm/yyyy"))
    end = DateField(label=_("To"), help_text=_("dd/mm/yyyy"))

    def __init__(self, *args, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        key = data.get("period") or ("custom" if start or end else "this_year")
        data["period"] = key
        if key != "custom":
            return data
        # A date typed wrong already has its message; one left empty gets its own.
        if start is None and "start" not in self.errors:
            self.add_error("start", _("Write the first day of the period, as dd/mm/yyyy."))
        if end is None and "end" not in self.errors:
            self.add_error("end", _("Write the last day of the period, as dd/mm/yyyy."))
        if start is None or end is None:
            return data
        if end < start:
            self.add_error("end", _("The last day of the period cannot be before its first day."))
        elif start < OLDEST or end > self.today.replace(year=self.today.year + 1):
            self.add_error("start", _("Choose a period between 01/01/2000 and next year."))
        elif (end - start).days >= MAX_PERIOD_DAYS:
            self.add_error("end", _("Choose a period of five years at most."))
        return data

    def period_chosen(self) -> Period:
        """The period of a valid form."""
        data = self.cleaned_data
        if data["period"] == "custom":
            return Period(data["start"], data["end"], "custom")
        return named_period(data["period"], self.today)


class DashboardForm(PeriodForm):
    unit = forms.ChoiceField(label=_("Unit"), required=False, widget=UnitSelect,
                             error_messages={"invalid_choice": _("Choose a unit from the list.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Every unit active today, indented under its parent; "all" first.
        self.fields["unit"].choices = [("", _("All units"))] + [
            (str(unit.pk), "\u2003" * depth + unit.short_name) for unit, depth in unit_tree()]

    def unit_chosen(self) -> Unit | None:
        value = self.cleaned_data.get("unit")
        return Unit.objects.filter(pk=int(value)).first() if value else None


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False,
                                  error_messages={"invalid_choice": _("Choose a year from the list.")})

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(str(year), str(year)) for year in years]
        self.default = years[0] if years else timezone.localdate().year

    def year_chosen(self) -> int:
        return self.cleaned_data.get("year") or self.default
