from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import YEAR_END_FORMATS, year_end_years


class YearEndForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int,
                                  error_messages={"invalid_choice": _("Choose one of the years in the list."),
                                                  "required": _("Choose the year of the review.")})
    fmt = forms.ChoiceField(label=_("Format"), widget=forms.RadioSelect,
                            choices=[(key, label) for key, (label, _type) in YEAR_END_FORMATS.items()],
                            error_messages={"invalid_choice": _("Choose DOCX or PDF."),
                                            "required": _("Choose DOCX or PDF.")},
                            help_text=_("DOCX can be edited in Word before signing; PDF is ready to print."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = year_end_years()
        self.fields["year"].choices = [(year, str(year)) for year in years]
        # The review is written in January for the year just ended.
        self.fields["year"].initial = years[1] if len(years) > 1 else years[0]
        self.fields["fmt"].initial = "docx"
