"""The forms of the party pages: they parse what was typed (dates dd/mm/yyyy, choices); the
services check the rules and their messages go back onto the form (front.forms.add_service_errors)."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ketnoi.accounts.models import Role, User
from ketnoi.front.forms import DateField
from ketnoi.lib import badges as badge_rules
from ketnoi.lib import commendation as commendation_rules
from ketnoi.lib import party_age, party_org
from ketnoi.lib import party_rating as rating_rules
from ketnoi.org.models import Unit

from .models import Event, Initiative, Member, Organisation, OrganisationKind

PAGE_SIZE = 50


def _lang() -> str:
    return "en" if (get_language() or "").startswith("en") else "vi"


def _labelled(labels: dict) -> list[tuple[str, str]]:
    return [(str(code), text[_lang()]) for code, text in labels.items()]


class OrganisationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def _open_organisations(qs=None):
    return (qs if qs is not None else Organisation.objects.all()).filter(dissolved_on__isnull=True).order_by("name")


# --- organisations ----------------------------------------------------------------------------

class OrganisationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    short_name = forms.CharField(label=_("Short name"), max_length=80, required=False)
    parent = OrganisationChoice(label=_("Under"), queryset=Organisation.objects.none(), required=False,
                                empty_label=_("— none (the upper-grassroots committee) —"))
    unit = forms.ModelChoiceField(label=_("Customs unit"), queryset=Unit.objects.none(), required=False,
                                  help_text=_("The administrative unit whose staff it organises, where there is one."))
    founded_on = DateField(label=_("Founded"), help_text=_("dd/mm/yyyy"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = _open_organisations()
        self.fields["unit"].queryset = Unit.objects.filter(valid_to__isnull=True).order_by("kind", "code", "name_vi")


class CloseForm(forms.Form):
    change = forms.ChoiceField(label=_("How it closes"), choices=Organisation.Change.choices, widget=forms.RadioSelect)
    on = DateField(label=_("Date of the decision"), required=True, help_text=_("dd/mm/yyyy"))
    successor = OrganisationChoice(label=_("Merged into"), queryset=Organisation.objects.none(), required=False,
                                   help_text=_("For a merger: its active members move there."))

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = _open_organisations()
        self.fields["successor"].queryset = qs.exclude(pk=organisation.pk) if organisation else qs


def secretary_candidates():
    """Secretaries are customs staff or the party office's people."""
    return (User.objects.filter(is_active=True, role_assignments__role__in=[
        Role.OFFICER, Role.LEADER, Role.COORDINATOR, Role.PARTY_OFFICE]).distinct().order_by("full_name", "id"))


class SecretariesForm(forms.Form):
    secretaries = forms.ModelMultipleChoiceField(label=_("Secretaries"), queryset=User.objects.none(), required=False,
                                                 widget=forms.CheckboxSelectMultiple,
                                                 help_text=_("They read the members of this organisation and of "
                                                             "those below it."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["secretaries"].queryset = secretary_candidates()
        self.fields["secretaries"].label_from_instance = lambda u: f"{u.full_name} ({u.username})"


# --- members ----------------------------------------------------------------------------------

class MemberFilterForm(forms.Form):
    organisation = OrganisationChoice(label=_("Organisation"), queryset=Organisation.objects.none(), required=False,
                                      empty_label=_("All"))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All"))] + Member.Status.choices)
    q = forms.CharField(label=_("Name"), required=False, max_length=150,
                        help_text=_("Accents not needed: “tran thi lan” finds “Trần Thị Lan”."))

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations.order_by("name")
        self.fields["organisation"].error_messages["invalid_choice"] = _("Choose one of the organisations listed.")
        self.fields["status"].error_messages["invalid_choice"] = _("Choose one of the statuses listed.")


class ImportForm(forms.Form):
    file = forms.FileField(label=_("XLSX file of the members"), required=False,
                           help_text=_("Fill in the template; nothing is saved unless every row is right."))


class MemberForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    gender = forms.ChoiceField(label=_("Gender"), choices=Member.Gender.choices, widget=forms.RadioSelect)
    born_on = DateField(label=_("Date of birth"), required=True)
    admission_decision_on = DateField(label=_("Admission decision signed"),
                                      help_text=_("Party age runs from this date."))
    card_admitted_on = DateField(label=_("Admission date on the card"),
                                 help_text=_("Used when the decision is lost."))
    full_member_on = DateField(label=_("Full member since"))
    card_number = forms.CharField(label=_("Party card number"), max_length=20, required=False)
    position = forms.CharField(label=_("Party position"), max_length=150, required=False)
    seriously_ill = forms.BooleanField(label=_("Seriously ill (a badge may be awarded early)"), required=False)


class GapForm(forms.Form):
    start = DateField(label=_("From"), required=True)
    end = DateField(label=_("Back on"), help_text=_("Empty while the member is still outside party activity."))
    reason = forms.ChoiceField(label=_("Reason"), choices=())
    rehabilitated = forms.BooleanField(label=_("Found wrong and rehabilitated (party age continuous)"), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = _labelled(party_age.GAP_REASON_LABELS)


class GapEndForm(forms.Form):
    end = DateField(label=_("Back on"), required=True)
    rehabilitated = forms.BooleanField(label=_("Found wrong and rehabilitated"), required=False)


class TransferForm(forms.Form):
    to = OrganisationChoice(label=_("To"), queryset=Organisation.objects.none(), required=False,
                            empty_label=_("— out of the department's party committee —"))
    on = DateField(label=_("Date"), required=True)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = _open_organisations()


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=[
        (Member.Status.DECEASED, _("Deceased")), (Member.Status.REMOVED, _("No longer a member")),
        (Member.Status.ACTIVE, _("Re-admitted"))])
    on = DateField(label=_("Date"), required=True)
    reason = forms.ChoiceField(label=_("Why the member left"), required=False, choices=())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {r: party_age.GAP_REASON_LABELS[r] for r in (party_age.GapReason.EXPELLED, party_age.GapReason.REMOVED)}
        self.fields["reason"].choices = [("", "—")] + _labelled(labels)


# --- badges -----------------------------------------------------------------------------------

class BadgeFilterForm(forms.Form):
    on = forms.DateField(label=_("Occasion"), required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"],
                         widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                         error_messages={"invalid": _("Write the date as dd/mm/yyyy, for example 19/01/2021.")})
    organisation = OrganisationChoice(label=_("Organisation"), queryset=Organisation.objects.none(), required=False,
                                      empty_label=_("All"))

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations.order_by("name")
        self.fields["organisation"].error_messages["invalid_choice"] = _("Choose one of the organisations listed.")


class BadgeAwardForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    threshold = forms.TypedChoiceField(coerce=int, widget=forms.HiddenInput,
                                       choices=[(t, t) for t in badge_rules.THRESHOLDS])
    occasion = DateField(label=_("Presented on"), required=True)
    early_ground = forms.ChoiceField(required=False, widget=forms.HiddenInput,
                                     choices=[("", "")] + [(str(g), str(g)) for g in badge_rules.EarlyGround])
    decision_number = forms.CharField(label=_("Decision number"), max_length=60, required=False,
                                      help_text=_("For example 125-QĐ/ĐU"))
    decided_on = DateField(label=_("Decision date"), required=True)
    event = forms.ModelChoiceField(label=_("Presented at"), queryset=Event.objects.none(), required=False,
                                   empty_label=_("— no ceremony recorded —"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = Event.objects.filter(kind=Event.Kind.CEREMONY).order_by("-held_on")


# --- ratings ----------------------------------------------------------------------------------

def member_level_choices():
    codes = [*rating_rules.LEVELS, *rating_rules.LegacyMemberLabel]
    return [(str(c), rating_rules.label(c, _lang())) for c in codes]


def organisation_level_choices():
    codes = [*rating_rules.OrgDistinction, *rating_rules.LEVELS, *rating_rules.LegacyOrgLabel]
    return [(str(c), rating_rules.label(c, _lang())) for c in codes]


class MemberRatingForm(forms.Form):
    card_number = forms.CharField(label=_("Party card number"), max_length=20)
    level = forms.ChoiceField(label=_("Quality rating"), choices=())
    score = forms.DecimalField(label=_("Score (100-point scale, from 2025)"), required=False, max_digits=5,
                               decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = member_level_choices()


class OrganisationRatingForm(forms.Form):
    organisation = OrganisationChoice(label=_("Organisation"), queryset=Organisation.objects.none())
    level = forms.ChoiceField(label=_("Quality rating"), choices=())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["level"].choices = organisation_level_choices()


class RatingImportForm(forms.Form):
    file = forms.FileField(label=_("XLSX file of the ratings"), required=False,
                           help_text=_("Columns “Họ và tên”, “Số thẻ đảng”, “Xếp loại”; nothing is saved unless "
                                       "every row is right."))


# --- commendations ----------------------------------------------------------------------------

class CommendationForm(forms.Form):
    subject = forms.ChoiceField(widget=forms.HiddenInput, choices=[(str(s), str(s)) for s in commendation_rules.Subject])
    subject_id = forms.IntegerField(widget=forms.HiddenInput)
    five_years = forms.BooleanField(required=False, widget=forms.HiddenInput)
    form = forms.ChoiceField(label=_("Form of commendation"), choices=())
    issuer = forms.ChoiceField(label=_("Awarding level"), choices=())
    issuer_name = forms.CharField(label=_("Issued by"), max_length=200, required=False)
    decision_number = forms.CharField(label=_("Decision number"), max_length=60, required=False)
    decided_on = DateField(label=_("Decision date"), required=True)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form"].choices = _labelled(commendation_rules.FORM_LABELS)
        self.fields["issuer"].choices = _labelled(commendation_rules.ISSUER_LABELS)


# --- events and creative models ----------------------------------------------------------------

class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Event.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=300, required=False)
    held_on = DateField(label=_("Held on"), required=True)
    organisation = OrganisationChoice(label=_("Organised by"), queryset=Organisation.objects.none())
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _open_organisations()


class ContributionForm(forms.Form):
    organisation = OrganisationChoice(label=_("Organisation"), queryset=Organisation.objects.none())
    title = forms.CharField(label=_("Title of the contribution"), max_length=300, required=False)
    presenter = forms.CharField(label=_("Presented by"), max_length=150, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _open_organisations()


class InitiativeLinkForm(forms.Form):
    """What a creative model runs in ketnoi, linked once it is set up there."""

    programme = forms.ModelChoiceField(label=_("Dialogue programme"), queryset=None, required=False)
    commitments = forms.ModelMultipleChoiceField(label=_("Price commitments"), queryset=None, required=False,
                                                 widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        from ketnoi.dialogue.models import Programme
        from ketnoi.prices.models import Commitment

        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.order_by("name")
        self.fields["commitments"].queryset = Commitment.objects.select_related("operator").order_by("-period_from")

    def clean(self):
        data = super().clean()
        if not data.get("programme") and not data.get("commitments"):
            raise forms.ValidationError(_("Choose the dialogue programme or the price commitments to link."))
        return data


class InitiativeForm(InitiativeLinkForm):
    organisation = OrganisationChoice(label=_("Organisation"), queryset=Organisation.objects.none())
    name = forms.CharField(label=_("Name"), max_length=300, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    started_on = DateField(label=_("Started"), required=True)
    status = forms.ChoiceField(label=_("Status"), choices=Initiative.Status.choices)
    recognition = forms.CharField(label=_("Recognition received"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ["organisation", "name", "description", "started_on", "status", "programme", "commitments",
                   "recognition"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _open_organisations()

    def clean(self):
        return forms.Form.clean(self)  # a new model may be linked to nothing yet


KIND_LABELS = party_org.KIND_LABELS
