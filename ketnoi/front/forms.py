"""What every page's forms share."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def add_service_errors(form, error: ValidationError) -> None:
    """A service's ValidationError onto the form: keyed messages on their field (or on top when
    the form has no such field), the others on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


DATE_FORMAT = "%d/%m/%Y"
DATE_MESSAGE = _("Write the date as dd/mm/yyyy, for example 01/07/2025.")


class DateField(forms.DateField):
    """A date typed dd/mm/yyyy (the way every Vietnamese form writes it)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("input_formats", [DATE_FORMAT])
        kwargs.setdefault("widget", forms.DateInput(format=DATE_FORMAT, attrs={
            "inputmode": "numeric", "autocomplete": "off", "placeholder": "dd/mm/yyyy", "class": "date"}))
        kwargs.setdefault("error_messages", {"invalid": DATE_MESSAGE})
        super().__init__(*args, **kwargs)
