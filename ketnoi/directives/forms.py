"""Forms of the directives pages. They parse what was typed; the rules (a document number,
dates in order, who it goes to) are the services' and come back through add_service_errors."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketnoi.front.forms import DateField
from ketnoi.org.models import Unit

from .models import Change, Target, Urgency

SEARCH_MAX = 200
TIME_MESSAGE = _("Write the time as hh:mm, for example 08:30.")


class _MultipleFiles(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files; each is checked by the service (kind from the content, size)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", _MultipleFiles(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.xlsx,.docx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        return [f for f in (data if isinstance(data, list | tuple) else [data]) if f]


def _units():
    return Unit.objects.filter(valid_to__isnull=True).order_by("kind", "code", "name_vi")


class DirectiveForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=60, help_text=_("As on the document, e.g. 125/HQHCM-VP."),
                             error_messages={"required": _("Write the directive's number, e.g. 125/HQHCM-VP.")})
    title = forms.CharField(label=_("Title"), max_length=300,
                            error_messages={"required": _("Write the directive's title.")})
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}),
                           help_text=_("The whole text as it now stands, one paragraph a line. You may write "
                                       "**bold**, *italic*, numbered lists (1. …) and links [text](https://…)."),
                           error_messages={"required": _("Write the text of the directive.")})
    issuing_unit = forms.ModelChoiceField(label=_("Issuing unit"), queryset=_units(),
                                          error_messages={"required": _("Choose the unit that issues the directive."),
                                                          "invalid_choice": _("Choose the unit that issues the directive.")})
    signer_name = forms.CharField(label=_("Signed by"), max_length=150,
                                  error_messages={"required": _("Write who signed the directive.")})
    signer_title = forms.CharField(label=_("Signer's position"), max_length=150, required=False)
    issued_on = DateField(label=_("Issued on"), help_text=_("dd/mm/yyyy; leave empty for now."))
    issued_time = forms.TimeField(label=_("Time of issue"), required=False, input_formats=["%H:%M"],
                                  help_text=_("hh:mm"), error_messages={"invalid": TIME_MESSAGE},
                                  widget=forms.TimeInput(format="%H:%M", attrs={"inputmode": "numeric", "placeholder": "hh:mm"}))
    effective_from = DateField(label=_("In force from"), help_text=_("dd/mm/yyyy; leave empty for the day of issue."))
    effective_to = DateField(label=_("In force until"), help_text=_("dd/mm/yyyy; leave empty when it has no end."))
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL,
                                widget=forms.RadioSelect)
    target = forms.ChoiceField(label=_("Sent to"), choices=Target.choices, initial=Target.ALL, widget=forms.RadioSelect)
    target_kinds = forms.MultipleChoiceField(label=_("Kinds of units"), required=False, choices=Unit.Kind.choices,
                                             widget=forms.CheckboxSelectMultiple)
    target_units = forms.ModelMultipleChoiceField(label=_("Units"), required=False, queryset=_units(),
                                                  widget=forms.SelectMultiple(attrs={"size": 10}),
                                                  help_text=_("Hold Ctrl to choose several."))
    # The range is the service's rule: its message comes back with the others at once.
    ack_within_hours = forms.IntegerField(label=_("Acknowledge within (hours)"), required=False,
                                          help_text=_("Leave empty when no acknowledgement is needed."),
                                          error_messages={"invalid": _("Write a whole number of hours, e.g. 4.")})
    report_due = DateField(label=_("Implementation report due"), help_text=_("dd/mm/yyyy; leave empty when no report is needed."))
    attachments = FilesField(label=_("Attachments"), help_text=_("The signed document and its annexes: PDF, JPEG, PNG, XLSX or DOCX."))

    def __init__(self, *args, previous=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.previous = previous
        if previous is not None:
            self.fields["change"] = forms.ChoiceField(
                label=_("The new directive"), widget=forms.RadioSelect, initial=Change.REPLACES,
                choices=[(Change.REPLACES, _("replaces it")), (Change.AMENDS, _("amends it"))],
                error_messages={"required": _("Say whether the new directive replaces or amends the previous one.")})
            self.order_fields(["change"])

    def clean(self):
        data = super().clean()
        day, moment = data.get("issued_on"), data.get("issued_time")
        if day or moment:
            now = timezone.localtime()
            data["issued_at"] = timezone.make_aware(datetime.combine(day or now.date(), moment or now.time().replace(second=0, microsecond=0)))
        else:
            data["issued_at"] = None
        if data.get("effective_from") is None and "effective_from" not in self.errors:
            data["effective_from"] = (data["issued_at"] and timezone.localtime(data["issued_at"]).date()) or timezone.localdate()
        return data


def initial_from(directive) -> dict:
    """A new version starts from the text as it stands."""
    return {
        "title": directive.title, "body": directive.body, "issuing_unit": directive.issuing_unit_id,
        "signer_name": directive.signer_name, "signer_title": directive.signer_title, "urgency": directive.urgency,
        "target": directive.target, "target_kinds": directive.target_kinds,
        "target_units": [r.unit_id for r in directive.recipients.all()] if directive.target == Target.UNITS else [],
        "ack_within_hours": directive.ack_within_hours,
    }


class ReportForm(forms.Form):
    unit = forms.IntegerField(widget=forms.HiddenInput)
    report_text = forms.CharField(label=_("What the unit has done"), widget=forms.Textarea(attrs={"rows": 6}),
                                  error_messages={"required": _("Write what the unit has done to carry out the directive.")})


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the directives"), required=False, max_length=SEARCH_MAX,
                        help_text=_("Number, title or words of the text, with or without Vietnamese marks."),
                        error_messages={"max_length": _("Type at most %(limit_value)d characters.")},
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())


class DayForm(forms.Form):
    """The day and unit the "in force" page shows."""

    day = DateField(label=_("Day"), help_text=_("dd/mm/yyyy; today when empty."))
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)

