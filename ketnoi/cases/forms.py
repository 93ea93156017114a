"""Forms of the cases pages. They parse what was typed; the rules (valid declaration numbers,
HS codes, file types, who may do what) are checked by the services, whose messages the views put
back on these forms. Required-field messages repeat the services' own wording, so that a form
error and a service error read the same (and share one translation)."""

from django import forms
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ketnoi.accounts.models import UNIT_ROLES, Enterprise, Role, User, clean_tax_code
from ketnoi.lib import customs
from ketnoi.org import selectors as org_selectors
from ketnoi.org.models import Unit

from . import selectors
from .models import Channel, SlaPolicy, Status

# What the business is asked when it rates an answer (the e-mail link and the case page).
RATING_CHOICES = [
    (1, _("Very dissatisfied")),
    (2, _("Dissatisfied")),
    (3, _("Neither satisfied nor dissatisfied")),
    (4, _("Satisfied")),
    (5, _("Very satisfied")),
]
# Channels staff use when they enter a case on behalf of a business (web and API are the business's own).
STAFF_CHANNELS = [Channel.PHONE, Channel.LETTER, Channel.EMAIL, Channel.DIALOGUE]


# --- widgets and fields --------------------------------------------------------------------

class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleaned to a list (empty when none was chosen)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class PythonRendered:
    """A widget whose markup is Django's own (its `select.html`, `select_option.html`,
    `input.html` and `attrs.html` templates), written by Python: through the template renderer
    a select costs an include per option, ~5 ms for the 70 units of the queue's filter."""

    def _render(self, template_name, context, renderer=None):
        widget = context["widget"]
        if "optgroups" in widget:
            return mark_safe(_select_html(widget))
        return mark_safe(_input_html(widget))


def _attrs_html(attrs: dict) -> str:
    return "".join(format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value))
                   for name, value in attrs.items() if value is not False)


def _input_html(widget: dict) -> str:
    value = "" if widget["value"] is None else format_html(' value="{}"', str(widget["value"]))
    return format_html('<input type="{}" name="{}"', widget["type"], widget["name"]) + value + _attrs_html(widget["attrs"]) + ">"


def _select_html(widget: dict) -> str:
    parts = [format_html('<select name="{}"', widget["name"]), _attrs_html(widget["attrs"]), ">"]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        for option in options:
            parts += [format_html('\n  <option value="{}"', str(option["value"])), _attrs_html(option["attrs"]),
                      ">", conditional_escape(str(localize(option["label"]))), "</option>\n"]
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class QuickSelect(PythonRendered, forms.Select):
    pass


class QuickTextInput(PythonRendered, forms.TextInput):
    pass


class QuickCheckboxInput(PythonRendered, forms.CheckboxInput):
    pass


class QuickHiddenInput(PythonRendered, forms.HiddenInput):
    pass


def unit_label(unit: Unit) -> str:
    return f"{unit.code} – {unit.name}" if unit.code else unit.name


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return unit_label(unit)


class ListField(forms.CharField):
    """Values typed in one box, separated by commas or new lines → a list of strings."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2, "autocomplete": "off", "spellcheck": "false"}))
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return customs.split_list(super().to_python(value))


def _textarea(rows: int = 5) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def named_units():
    """The units a business may name: active branches and teams, which have an office code."""
    return (org_selectors.units_active().filter(kind__in=[Unit.Kind.BRANCH, Unit.Kind.TEAM])
            .exclude(code="").order_by("code"))


def all_units():
    return org_selectors.units_active().order_by("kind", "code", "name_vi")


# --- filing --------------------------------------------------------------------------------

class CaseForm(forms.Form):
    topic = forms.ModelChoiceField(
        label=_("Topic"), queryset=selectors.topics(), to_field_name="code", empty_label=_("Choose a topic"),
        error_messages={"required": _("Choose the topic the difficulty is about."),
                        "invalid_choice": _("Choose the topic the difficulty is about.")},
    )
    subject = forms.CharField(
        label=_("Subject"), max_length=200,
        help_text=_("A short line, for example “Hoàn thuế nhập khẩu nguyên liệu sản xuất xuất khẩu”."),
        error_messages={"required": _(
            "Write a short subject, for example “Hoàn thuế nhập khẩu nguyên liệu sản xuất xuất khẩu”.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    description = forms.CharField(
        label=_("Describe the difficulty"), max_length=20000, widget=_textarea(8),
        help_text=_("What happened, which goods and procedure it concerns, and what you need from customs."),
        error_messages={"required": _("Describe the difficulty: what happened, and what you need from customs.")},
    )
    declaration_numbers = ListField(
        label=_("Customs declaration numbers"),
        help_text=_("12 digits each, for example 104512345670. Separate several with commas or new lines."),
        widget=forms.Textarea(attrs={"rows": 2, "inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}),
    )
    hs_codes = ListField(
        label=_("HS codes"),
        help_text=_("8 digits each, written together or as 0000.00.00. Separate several with commas or new lines."),
    )
    unit = UnitChoiceField(
        label=_("Customs unit where you do your procedures"), queryset=named_units(), required=False,
        empty_label=_("Not sure"),
        help_text=_("Choose “Not sure” and the department will send your difficulty to the right unit."),
    )
    attachments = MultipleFileField(
        label=_("Attach documents"),
        help_text=_("PDF, JPEG, PNG, XLSX or DOCX; at most 10 MB each. You can choose several files."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Querysets are evaluated per form, so a unit opened or closed today shows at once.
        self.fields["unit"].queryset = named_units()
        self.fields["topic"].queryset = selectors.topics()


class IntakeForm(CaseForm):
    """Staff enter a difficulty received by phone, letter, e-mail or at a dialogue session."""

    tax_code = forms.CharField(
        label=_("Tax code of the enterprise"), max_length=20,
        help_text=_("10 digits, or 13 digits written 0123456789-001 for a dependent unit."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("Type the tax code of the enterprise that raised the difficulty.")},
    )
    channel = forms.ChoiceField(
        label=_("Received by"), choices=[(c.value, c.label) for c in STAFF_CHANNELS], widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the difficulty was received."),
                        "invalid_choice": _("Choose how the difficulty was received.")},
    )

    field_order = ["tax_code", "channel"]

    def clean_tax_code(self):
        # Read out on the phone or copied from a letter, it often comes with spaces.
        tax_code = clean_tax_code("".join(self.cleaned_data["tax_code"].split()))
        enterprise = Enterprise.objects.filter(tax_code=tax_code).first()
        if enterprise is None:
            raise forms.ValidationError(_(
                "No enterprise with tax code %(tax_code)s is registered in ketnoi. Check the number, or ask "
                "an administrator to add the enterprise."
            ) % {"tax_code": tax_code})
        self.enterprise = enterprise
        return tax_code


# --- actions on a case ---------------------------------------------------------------------

class ActionForm(forms.Form):
    """Every form on the case page gets ids of its own (id_<action>_<field>), so that several
    forms with a "body" field can sit on one page; field names stay plain.

    `version`: the case's version when the page was read (a hidden input written by the
    template, not by this field, so that the page's forms share no id); staff actions send it
    to the service, which refuses the change if the case changed since."""

    version = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput,
                                 error_messages={"invalid": _("This page is out of date: reload it."),
                                                 "min_value": _("This page is out of date: reload it."),
                                                 "max_value": _("This page is out of date: reload it.")})

    def __init__(self, *args, action: str, case=None, **kwargs):
        kwargs.setdefault("auto_id", f"id_{action}_%s")
        super().__init__(*args, **kwargs)
        self.action, self.case = action, case


class BodyForm(ActionForm):
    body = forms.CharField(label=_("Message"), max_length=20000, widget=_textarea(),
                           error_messages={"required": _("Write the message.")})


class MessageForm(BodyForm):
    attachments = MultipleFileField(label=_("Attach documents"),
                                    help_text=_("PDF, JPEG, PNG, XLSX or DOCX; at most 10 MB each."))


class NoteForm(MessageForm):
    pass


class RequestInfoForm(ActionForm):
    body = forms.CharField(label=_("What the business must send"), max_length=20000, widget=_textarea(),
                           help_text=_("The deadline stops until the business replies."),
                           error_messages={"required": _("Say what information the business must send.")})


class AnswerForm(ActionForm):
    body = forms.CharField(label=_("Answer"), max_length=50000, widget=_textarea(12),
                           help_text=_("Cite the legal documents the answer relies on (number, date, article). "
                                       "You may write **bold**, *italic*, numbered lists (1. …) and links "
                                       "[text](https://…)."),
                           error_messages={"required": _("Write the answer.")})


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("Reason"), max_length=5000, widget=_textarea(3),
                             error_messages={"required": _("Give a reason.")})


class RejectForm(ActionForm):
    reason = forms.CharField(label=_("What must change in the answer"), max_length=5000, widget=_textarea(3),
                             error_messages={"required": _("Say what must change in the answer.")})


class EscalateForm(ActionForm):
    reason = forms.CharField(label=_("Why the case is escalated"), max_length=5000, widget=_textarea(3),
                             error_messages={"required": _("Say why the case is escalated.")})


class AssignForm(ActionForm):
    """Assign to an officer of the handling unit (leaders). Without `assignee`: take it yourself."""

    assignee = forms.ModelChoiceField(label=_("Officer"), queryset=User.objects.none(), required=False,
                                      empty_label=_("Choose an officer"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        case = self.case
        if case is not None and case.unit_id is not None:
            staff = User.objects.filter(role_assignments__unit_id=case.unit_id, role_assignments__role__in=UNIT_ROLES)
        else:
            staff = User.objects.filter(role_assignments__role=Role.COORDINATOR)
        self.fields["assignee"].queryset = staff.filter(is_active=True).distinct().order_by("full_name", "username")
        self.fields["assignee"].label_from_instance = lambda user: user.get_full_name()


class ReassignForm(ActionForm):
    unit = UnitChoiceField(label=_("Move to"), queryset=Unit.objects.none(), required=False,
                           empty_label=_("The department coordinators’ queue"))
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=_textarea(3),
                             error_messages={"required": _("Say why the case moves to another unit.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _other_units(self.case)


class ShareForm(ActionForm):
    unit = UnitChoiceField(label=_("Share with"), queryset=Unit.objects.none(), empty_label=_("Choose a unit"),
                           error_messages={"required": _("Choose the unit to share the case with.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _other_units(self.case)


def _other_units(case):
    """The units a case can move to or be shared with: every unit but its own."""
    units = all_units()
    return units.exclude(pk=case.unit_id) if case is not None and case.unit_id else units


class ForwardForm(ActionForm):
    to = forms.CharField(label=_("Body the case is forwarded to"), max_length=255,
                         help_text=_("For example: Sở Công Thương TP. Hồ Chí Minh"),
                         error_messages={"required": _("Name the body the case is forwarded to.")})
    reason = forms.CharField(label=_("Why it is outside the department’s competence"), max_length=5000,
                             widget=_textarea(3),
                             error_messages={"required": _("Say why the case is outside the department's competence.")})


class AcceptForm(ActionForm):
    pass


class RatingForm(ActionForm):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you with the answer?"), choices=RATING_CHOICES, coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a score from 1 (very poor) to 5 (very good)."),
                        "invalid_choice": _("Choose a score from 1 (very poor) to 5 (very good).")},
    )
    comment = forms.CharField(label=_("Comment"), max_length=5000, required=False, widget=_textarea(3),
                              help_text=_("What was good, what could be better."))

    def __init__(self, *args, action: str = "rating", **kwargs):
        super().__init__(*args, action=action, **kwargs)
        # Rated by the business, on the case page or through the e-mail's link: once only,
        # which the service checks; no version (see views.reply).
        del self.fields["version"]
        self.fields["score"].choices = [(value, f"{value} – {label}") for value, label in RATING_CHOICES]


# --- the staff queue -----------------------------------------------------------------------

NO_UNIT = "none"  # the department coordinators' queue: cases with no handling unit


class QueueFilterForm(forms.Form):
    """The staff queue's filters. The queue is the page staff open most: its widgets are written
    by Python (`PythonRendered`) and its unit list read as plain values (bench/cases_cpu.py)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200,
                        help_text=_("A reference, words of the subject, an enterprise's name or tax code."),
                        widget=QuickTextInput(attrs={"type": "search"}))
    status = forms.ChoiceField(label=_("Status"), required=False, widget=QuickSelect)
    topic = forms.ChoiceField(label=_("Topic"), required=False, widget=QuickSelect)
    unit = forms.ChoiceField(label=_("Handling unit"), required=False, widget=QuickSelect)
    overdue = forms.BooleanField(label=_("Overdue"), required=False, widget=QuickCheckboxInput)
    due_soon = forms.BooleanField(label=_("Due soon"), required=False, widget=QuickCheckboxInput)
    mine = forms.BooleanField(label=_("Assigned to me"), required=False, widget=QuickCheckboxInput)
    sort = forms.ChoiceField(required=False, choices=[(key, key) for key in selectors.SORTS],
                             widget=QuickHiddenInput)

    def __init__(self, *args, every_unit: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any status")), ("open", _("Open (not answered yet)"))] + list(Status.choices)
        self.fields["topic"].choices = [("", _("Any topic"))] + [(t.code, t.name) for t in selectors.topics()]
        if every_unit:
            # The labels of unit_label(), from four columns rather than 70 units and their parents.
            english = (get_language() or "vi").startswith("en")
            self.fields["unit"].choices = [("", _("Any unit")), (NO_UNIT, _("The department coordinators’ queue"))] + [
                (str(pk), f"{code} – {name}" if code else name)
                for pk, code, name_vi, name_en in all_units().values_list("pk", "code", "name_vi", "name_en")
                for name in [name_en if english and name_en else name_vi]]
        else:
            del self.fields["unit"]


# --- coordinators' configuration -----------------------------------------------------------

class RoutingRuleForm(forms.Form):
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=selectors.topics(), required=False,
                                   empty_label=_("Any topic"))
    named_unit = UnitChoiceField(label=_("Unit named by the business (or its usual unit)"), queryset=Unit.objects.none(),
                                 required=False, empty_label=_("Any unit"))
    handling_unit = UnitChoiceField(label=_("Handling unit"), queryset=Unit.objects.none(),
                                    empty_label=_("Choose a unit"),
                                    error_messages={"required": _("Choose the unit that handles these cases.")})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_rule_%s")
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = selectors.topics()
        self.fields["named_unit"].queryset = named_units()
        self.fields["handling_unit"].queryset = all_units()


class SlaPolicyForm(forms.ModelForm):
    # The policy's version when the page was read (optimistic locking: services.sla_policy_save).
    version = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput,
                                 error_messages={"invalid": _("This page is out of date: reload it."),
                                                 "min_value": _("This page is out of date: reload it."),
                                                 "max_value": _("This page is out of date: reload it.")})

    class Meta:
        model = SlaPolicy
        fields = ["acknowledge_workdays", "answer_workdays", "answer_work_hours", "reminder_work_hours", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version


class NewSlaPolicyForm(forms.ModelForm):
    class Meta:
        model = SlaPolicy
        fields = ["topic", "level", "priority", "acknowledge_workdays", "answer_workdays", "answer_work_hours",
                  "reminder_work_hours", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = selectors.topics()
        self.fields["topic"].empty_label = _("All topics (the default)")
