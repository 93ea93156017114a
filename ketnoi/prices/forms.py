"""Forms of the prices pages. They parse what was typed; the rules (a price is whole đồng, a new
list cannot take effect before the last one, a commitment needs a baseline) are the services'
and come back through add_service_errors."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ketnoi.accounts.models import Enterprise, clean_tax_code
from ketnoi.front.forms import DATE_MESSAGE, DateField
from ketnoi.lib import pricecheck
from ketnoi.org.models import Unit

from . import selectors
from .models import Breach, CommitmentStatus, Facility, FacilityKind, Service

NOTE_MAX = 500
PRICE_MESSAGE = _("Write a whole number of đồng, e.g. 1.250.000, or leave it empty if you do not offer the service.")


class BoardFilterForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Customs unit"), required=False, empty_label=_("All units"),
                                  queryset=Unit.objects.filter(facilities__isnull=False).distinct().order_by("code", "name_vi"),
                                  error_messages={"invalid_choice": _("Choose a unit from the list.")})
    kind = forms.ChoiceField(label=_("Kind of facility"), required=False,
                             choices=[("", _("All kinds"))] + FacilityKind.choices,
                             error_messages={"invalid_choice": _("Choose a kind from the list.")})


class CommitmentFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All"))] + CommitmentStatus.choices,
                               error_messages={"invalid_choice": _("Choose kept or broken.")})


def price_field_name(service: Service) -> str:
    return f"price_{service.code}"


class _ListDetails(forms.Form):
    effective_from = DateField(label=_("In force from"), help_text=_("dd/mm/yyyy: the day the new prices apply."),
                               required=True, error_messages={"required": _("Write the day the prices take effect."),
                                                              "invalid": DATE_MESSAGE})
    note = forms.CharField(label=_("Note"), required=False, max_length=NOTE_MAX,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("For example the number of the operator's decision on the new prices."))


class PriceListForm(_ListDetails):
    """One field per service of the catalogue, as typed ("1.250.000"); an empty field is a
    service the facility does not offer."""

    def __init__(self, *args, services: list[Service], **kwargs):
        super().__init__(*args, **kwargs)
        self.services = services
        for service in services:
            self.fields[price_field_name(service)] = forms.CharField(
                label=f"{service.code} – {service.name}", required=False, max_length=30,
                help_text=service.get_charge_unit_display(),
                widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "price", "autocomplete": "off"}))
        # The details after the prices, as on a paper list.
        self.order_fields([price_field_name(s) for s in services] + ["effective_from", "note"])

    def price_fields(self):
        return [self[price_field_name(service)] for service in self.services]

    def clean(self):
        data = super().clean()
        prices = {}
        for service in self.services:
            typed = (data.get(price_field_name(service)) or "").strip()
            if not typed:
                continue
            amount = pricecheck.parse_amount(typed)
            if amount is None or amount == 0:
                self.add_error(price_field_name(service), PRICE_MESSAGE)
            else:
                prices[service.code] = amount
        if not prices and not self.errors:
            raise forms.ValidationError(_("Write at least one price."))
        data["prices"] = prices
        return data


class XlsxForm(_ListDetails):
    file = forms.FileField(label=_("Price list file (XLSX)"),
                           error_messages={"required": _("Choose the XLSX file of the price list.")},
                           help_text=_("The template filled in; at most 5 MB."),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))


class CommitmentForm(forms.Form):
    operator = forms.ModelChoiceField(
        label=_("Operator"), queryset=None, error_messages={"required": _("Choose the operator that signed."),
                                                            "invalid_choice": _("Choose the operator that signed.")})
    facilities = forms.ModelMultipleChoiceField(
        label=_("Facilities"), queryset=Facility.objects.filter(active=True).select_related("operator").order_by("operator__name", "name"),
        required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("The operator's facilities the commitment names; the baseline of each is its list in force on the day it was signed."),
        error_messages={"invalid_choice": _("Choose facilities from the list."), "invalid_pk_value": _("Choose facilities from the list.")})
    period_from = DateField(label=_("Period from"), help_text=_("dd/mm/yyyy"))
    period_to = DateField(label=_("Period until"), help_text=_("dd/mm/yyyy"))
    signed_on = DateField(label=_("Signed on"), help_text=_("dd/mm/yyyy"))
    covers_all = forms.TypedChoiceField(
        label=_("Services covered"), widget=forms.RadioSelect, coerce=lambda value: value == "all", initial="all",
        choices=[("all", _("Every service")), ("some", _("Only the services chosen below"))],
        error_messages={"required": _("Say which services it covers."), "invalid_choice": _("Say which services it covers.")})
    services = forms.ModelMultipleChoiceField(
        label=_("Services"), required=False, queryset=selectors.catalogue(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose services from the list."), "invalid_pk_value": _("Choose services from the list.")})
    document = forms.FileField(label=_("Signed document"), required=False,
                               help_text=_("The commitment as signed: PDF, JPEG or PNG."),
                               widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = Enterprise.objects.filter(facilities__isnull=False).distinct().order_by("name")
        self.fields["facilities"].label_from_instance = lambda f: f"{f.name} ({f.operator.name})"
        self.fields["services"].label_from_instance = lambda s: f"{s.code} – {s.name}"


class FollowUpForm(forms.Form):
    follow_up = forms.ChoiceField(
        label=_("What was done"), widget=forms.RadioSelect,
        choices=[(value, label) for value, label in Breach.FollowUp.choices if value != Breach.FollowUp.OPEN],
        error_messages={"required": _("Choose what was done."), "invalid_choice": _("Choose what was done.")})
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000,
                           error_messages={"required": _("Write what was done or found.")})


class FacilityForm(forms.Form):
    """A coordinator registers a facility of an operator already known to ketnoi by its tax code."""

    operator = forms.CharField(label=_("Operator's tax code"), max_length=20,
                               help_text=_("The tax code of the enterprise that runs it, e.g. 0309163421."),
                               error_messages={"required": _("Write the operator's tax code.")})
    name = forms.CharField(label=_("Name of the facility"), max_length=200,
                           error_messages={"required": _("Write the facility's name.")})
    kind = forms.ChoiceField(label=_("Kind"), choices=FacilityKind.choices, widget=forms.RadioSelect,
                             error_messages={"required": _("Choose the kind of facility."),
                                             "invalid_choice": _("Choose the kind of facility.")})
    unit = forms.ModelChoiceField(label=_("Customs unit of the area"), queryset=Unit.objects.none(),
                                  error_messages={"required": _("Choose the customs unit in whose area it lies."),
                                                  "invalid_choice": _("Choose the customs unit in whose area it lies.")})
    address = forms.CharField(label=_("Address"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(kind=Unit.Kind.BRANCH, valid_to__isnull=True).order_by("code")

    def clean_operator(self):
        try:
            tax_code = clean_tax_code(self.cleaned_data["operator"])
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None
        operator = Enterprise.objects.filter(tax_code=tax_code).first()
        if operator is None:
            raise forms.ValidationError(_("No enterprise with tax code %(code)s is registered: the operator registers "
                                          "its enterprise first.") % {"code": tax_code})
        return operator
