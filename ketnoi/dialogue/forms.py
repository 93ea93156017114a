"""Forms of the dialogue pages. They parse what was typed (a rule chosen in plain words, rows of
attendees and questions, a date and a time); the rules (capacity, the registration deadline, a
valid RFC 5545 rule, who may do what) are the services' and come back through add_service_errors."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from ketnoi.accounts.models import Enterprise, Role, User
from ketnoi.cases.models import Topic
from ketnoi.front.forms import DATE_MESSAGE, DateField
from ketnoi.org.models import Unit

from .models import Registration
from .services import MAX_ATTENDEES

TIME_FORMAT = "%H:%M"
TIME_MESSAGE = _("Write the time as hh:mm, for example 07:30.")
REASON_MAX = 1000
# Questions a business may send ahead with its registration (one form row each).
QUESTION_ROWS = 3
# Attendee rows shown without JavaScript: one per person the programme allows (3 by default).
MAX_ATTENDEE_ROWS = MAX_ATTENDEES


class TimeField(forms.TimeField):
    """A time typed hh:mm (07:30), as on an invitation."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", [TIME_FORMAT])
        kwargs.setdefault("widget", forms.TimeInput(format=TIME_FORMAT, attrs={
            "inputmode": "numeric", "autocomplete": "off", "placeholder": "hh:mm", "class": "time"}))
        messages = {"invalid": TIME_MESSAGE}
        messages.update(kwargs.pop("error_messages", {}))
        kwargs["error_messages"] = messages
        super().__init__(*args, **kwargs)


def _topics():
    return Topic.objects.filter(active=True).order_by("position", "code")


def _topic_label(topic: Topic) -> str:
    return topic.name


# --- the calendar ---------------------------------------------------------------------------

class CalendarFilterForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Customs unit"), required=False, empty_label=_("All units"),
                                  queryset=Unit.objects.none(),
                                  error_messages={"invalid_choice": _("Choose a unit from the list.")})
    topic = forms.ModelChoiceField(label=_("Topic"), required=False, empty_label=_("All topics"),
                                   queryset=Topic.objects.none(), to_field_name="code",
                                   error_messages={"invalid_choice": _("Choose a topic from the list.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (Unit.objects.filter(dialogue_programmes__active=True).distinct()
                                        .order_by("code", "name_vi"))
        self.fields["topic"].queryset = _topics()
        self.fields["topic"].label_from_instance = _topic_label


# --- a programme ----------------------------------------------------------------------------

WEEKDAYS = [("MO", _("Monday")), ("TU", _("Tuesday")), ("WE", _("Wednesday")), ("TH", _("Thursday")),
            ("FR", _("Friday")), ("SA", _("Saturday")), ("SU", _("Sunday"))]

# The plain choices of recurrence and the RFC 5545 rule each stands for ({day}: MO … SU).
PATTERNS = {
    "monthly_1": "FREQ=MONTHLY;BYDAY=1{day}",
    "monthly_2": "FREQ=MONTHLY;BYDAY=2{day}",
    "weekly": "FREQ=WEEKLY;BYDAY={day}",
    "fortnightly": "FREQ=WEEKLY;INTERVAL=2;BYDAY={day}",
}
PATTERN_CHOICES = [
    ("monthly_1", _("Every month, on the first … of the month")),
    ("monthly_2", _("Every month, on the second … of the month")),
    ("weekly", _("Every week")),
    ("fortnightly", _("Every two weeks")),
    ("advanced", _("Advanced: an RFC 5545 rule")),
]


def pattern_of(rule: str) -> tuple[str, str]:
    """(pattern, weekday) when `rule` is one of the plain choices, else ("advanced", "")."""
    normalised = rule.strip().upper().removeprefix("RRULE:")
    for pattern, template in PATTERNS.items():
        for day, _label in WEEKDAYS:
            if normalised == template.format(day=day):
                return pattern, day
    return "advanced", ""


class ProgrammeForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Customs unit"), queryset=Unit.objects.none(),
                                  error_messages={"required": _("Choose the unit that holds the programme."),
                                                  "invalid_choice": _("Choose the unit that holds the programme.")})
    name = forms.CharField(label=_("Name"), max_length=200,
                           help_text=_("For example “Cà phê sáng cùng doanh nghiệp”."),
                           error_messages={"required": _("Write the programme's name.")})
    description = forms.CharField(label=_("Description"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text=_("What businesses can expect, who should come."))
    pattern = forms.ChoiceField(label=_("How often"), choices=PATTERN_CHOICES, widget=forms.RadioSelect,
                                initial="monthly_1",
                                error_messages={"required": _("Choose how often the sessions are held."),
                                                "invalid_choice": _("Choose how often the sessions are held.")})
    weekday = forms.ChoiceField(label=_("Day of the week"), choices=WEEKDAYS, required=False, initial="FR",
                                error_messages={"invalid_choice": _("Choose a day of the week.")})
    rrule = forms.CharField(label=_("RFC 5545 rule"), required=False, max_length=200,
                            help_text=_("Only for “Advanced”, e.g. FREQ=MONTHLY;BYDAY=-1TH (the last Thursday of each month)."),
                            widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    starts_on = DateField(label=_("First day"), required=True, help_text=_("dd/mm/yyyy: no session before this day."),
                          error_messages={"required": _("Write the first day of the programme."), "invalid": DATE_MESSAGE})
    ends_on = DateField(label=_("Last day"), help_text=_("dd/mm/yyyy; leave empty when it has no end."))
    start_time = TimeField(label=_("Starts at"), help_text=_("hh:mm, e.g. 07:30"),
                           error_messages={"required": _("Write the time the sessions start, e.g. 07:30.")})
    end_time = TimeField(label=_("Ends at"), help_text=_("hh:mm, e.g. 09:00"),
                         error_messages={"required": _("Write the time the sessions end, e.g. 09:00.")})
    venue = forms.CharField(label=_("Venue"), max_length=300,
                            error_messages={"required": _("Write where the sessions are held.")})
    capacity = forms.IntegerField(label=_("Businesses per session"), min_value=1, max_value=500,
                                  error_messages={"required": _("Write how many businesses a session can receive."),
                                                  "invalid": _("Write a whole number of businesses, e.g. 20."),
                                                  "min_value": _("Write a whole number of businesses, e.g. 20."),
                                                  "max_value": _("At most 500 businesses a session.")})
    # The range is the service's rule (services.MAX_ATTENDEES): its message comes back on this field.
    max_attendees = forms.IntegerField(label=_("People per business"), initial=3,
                                       error_messages={"required": _("Write how many people each business may bring."),
                                                       "invalid": _("Write a whole number of people, e.g. 3.")})
    registration_closes_hours = forms.IntegerField(
        label=_("Registration closes (hours before)"), min_value=0, max_value=24 * 30, initial=24,
        error_messages={"required": _("Write how many hours before a session registration closes, e.g. 24."),
                        "invalid": _("Write a whole number of hours, e.g. 24."),
                        "min_value": _("Write a whole number of hours, e.g. 24."),
                        "max_value": _("At most 720 hours (30 days).")})
    topics = forms.ModelMultipleChoiceField(label=_("Topics"), required=False, queryset=Topic.objects.none(), to_field_name="code",
                                            widget=forms.CheckboxSelectMultiple,
                                            help_text=_("What businesses may ask about; none chosen: any topic."),
                                            error_messages={"invalid_choice": _("Choose topics from the list."),
                                                            "invalid_pk_value": _("Choose topics from the list.")})
    hosts = forms.ModelMultipleChoiceField(label=_("Hosts"), required=False, queryset=User.objects.none(),
                                           widget=forms.CheckboxSelectMultiple,
                                           help_text=_("The leaders and officers who receive the businesses."),
                                           error_messages={"invalid_choice": _("Choose hosts from the list."),
                                                           "invalid_pk_value": _("Choose hosts from the list.")})

    def __init__(self, *args, units, hosts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["topics"].queryset = _topics()
        self.fields["topics"].label_from_instance = _topic_label
        self.fields["hosts"].queryset = hosts
        self.fields["hosts"].label_from_instance = lambda u: f"{u.get_full_name()}{f' – {u.position}' if u.position else ''}"

    def clean(self):
        data = super().clean()
        pattern = data.get("pattern")
        if pattern == "advanced":
            rule = (data.get("rrule") or "").strip().upper().removeprefix("RRULE:")
            if not rule:
                self.add_error("rrule", _("Write the RFC 5545 rule, e.g. FREQ=MONTHLY;BYDAY=1FR, or choose a plain option."))
            data["rule"] = rule
        elif pattern:
            day = data.get("weekday")
            if not day:
                self.add_error("weekday", _("Choose the day of the week the sessions are held."))
            else:
                data["rule"] = PATTERNS[pattern].format(day=day)
        return data

    @staticmethod
    def initial_for(programme) -> dict:
        pattern, day = pattern_of(programme.rrule)
        return {
            "unit": programme.unit_id, "name": programme.name, "description": programme.description,
            "pattern": pattern, "weekday": day or "FR", "rrule": programme.rrule if pattern == "advanced" else "",
            "starts_on": programme.starts_on, "ends_on": programme.ends_on, "start_time": programme.start_time,
            "end_time": programme.end_time, "venue": programme.venue, "capacity": programme.capacity,
            "max_attendees": programme.max_attendees, "registration_closes_hours": programme.registration_closes_hours,
            "topics": list(programme.topics.all()), "hosts": list(programme.hosts.all()),
        }


# --- moving or cancelling a session -------------------------------------------------------------

class SessionMoveForm(forms.Form):
    day = DateField(label=_("New day"), required=True, help_text=_("dd/mm/yyyy"),
                    error_messages={"required": _("Write the new day of the session."), "invalid": DATE_MESSAGE})
    start_time = TimeField(label=_("Starts at"), help_text=_("hh:mm, e.g. 07:30"),
                           error_messages={"required": _("Write the time the session starts, e.g. 07:30.")})
    end_time = TimeField(label=_("Ends at"), required=False, help_text=_("hh:mm; leave empty to keep its length."))
    venue = forms.CharField(label=_("Venue"), max_length=300, required=False,
                            help_text=_("Leave empty to keep the venue."))
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Sent to every registered business."),
                             error_messages={"required": _("Write why the session is moved: the businesses are told.")})


class SessionCancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Sent to every registered business."),
                             error_messages={"required": _("Write why the session is cancelled: the businesses are told.")})


# --- registering ----------------------------------------------------------------------------

def attendee_rows(max_attendees: int) -> int:
    return min(max(max_attendees, 1), MAX_ATTENDEE_ROWS)


class RegistrationForm(forms.Form):
    """One business's registration: rows of attendees (name, position) and up to QUESTION_ROWS
    questions (topic, subject, description), as plain fields so that the page works without
    JavaScript. Empty rows are ignored; a half-filled row is named."""

    def __init__(self, *args, session, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        self.rows = attendee_rows(session.programme.max_attendees)
        if len(enterprises) > 1:
            self.fields["enterprise"] = forms.ModelChoiceField(
                label=_("Enterprise"), queryset=Enterprise.objects.filter(pk__in=[e.pk for e in enterprises]).order_by("name"),
                error_messages={"required": _("Choose the enterprise you register."),
                                "invalid_choice": _("Choose the enterprise you register.")})
        self.enterprises = enterprises
        for i in range(self.rows):
            self.fields[f"attendee_{i}_name"] = forms.CharField(
                label=_("Full name"), required=False, max_length=150, widget=forms.TextInput(attrs={"autocomplete": "off"}))
            self.fields[f"attendee_{i}_position"] = forms.CharField(
                label=_("Position"), required=False, max_length=150, widget=forms.TextInput(attrs={"autocomplete": "off"}))
        topics = session.programme.topics.filter(active=True).order_by("position", "code")
        if not topics.exists():
            topics = _topics()
        for i in range(QUESTION_ROWS):
            topic = forms.ModelChoiceField(label=_("Topic"), required=False, queryset=topics, to_field_name="code",
                                           empty_label=_("Choose a topic"),
                                           error_messages={"invalid_choice": _("Choose a topic from the list.")})
            topic.label_from_instance = _topic_label
            self.fields[f"question_{i}_topic"] = topic
            self.fields[f"question_{i}_subject"] = forms.CharField(label=_("Subject"), required=False, max_length=200)
            self.fields[f"question_{i}_description"] = forms.CharField(
                label=_("Your question"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 3}))

    def attendee_fields(self):
        return [(self[f"attendee_{i}_name"], self[f"attendee_{i}_position"]) for i in range(self.rows)]

    def question_fields(self):
        return [(self[f"question_{i}_topic"], self[f"question_{i}_subject"], self[f"question_{i}_description"])
                for i in range(QUESTION_ROWS)]

    def clean(self):
        data = super().clean()
        attendees = []
        for i in range(self.rows):
            name = (data.get(f"attendee_{i}_name") or "").strip()
            position = (data.get(f"attendee_{i}_position") or "").strip()
            if position and not name:
                self.add_error(f"attendee_{i}_name", _("Write the name of the person in row %(row)d, or empty the row.")
                               % {"row": i + 1})
            elif name:
                attendees.append({"name": name, "position": position})
        if not attendees and not self.has_error("attendee_0_name"):
            self.add_error("attendee_0_name", _("Write the name of at least one person who will come."))
        questions = []
        for i in range(QUESTION_ROWS):
            if self.has_error(f"question_{i}_topic"):
                continue
            topic = data.get(f"question_{i}_topic")
            subject = (data.get(f"question_{i}_subject") or "").strip()
            description = (data.get(f"question_{i}_description") or "").strip()
            if not (topic or subject or description):
                continue
            if topic is None:
                self.add_error(f"question_{i}_topic", _("Choose the topic of question %(n)d.") % {"n": i + 1})
            if not subject:
                self.add_error(f"question_{i}_subject", _("Write a short subject for question %(n)d.") % {"n": i + 1})
            if not description:
                self.add_error(f"question_{i}_description", _("Write question %(n)d: what happened, and what you need from customs.")
                               % {"n": i + 1})
            if topic is not None and subject and description:
                questions.append({"topic": topic, "subject": subject, "description": description})
        data["attendees"] = attendees
        data["questions"] = questions
        if "enterprise" not in self.fields:
            data["enterprise"] = self.enterprises[0] if self.enterprises else None
        return data


# --- on the day -----------------------------------------------------------------------------

class CheckinCodeForm(forms.Form):
    code = forms.CharField(label=_("Check-in code"), max_length=500,
                           help_text=_("Scan the QR code, or paste the code or the check-in link from the e-mail."),
                           widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"}),
                           error_messages={"required": _("Paste the check-in code, or scan the QR code.")})

    def clean_code(self):
        """The token alone, whether the code, the whole check-in link or its query was pasted."""
        code = self.cleaned_data["code"].strip()
        found = re.search(r"/diem-danh/([^/?#\s]+)/?", code)
        if found:
            return found.group(1)
        found = re.search(r"[?&]ma=([^&#\s]+)", code)
        return found.group(1) if found else code


class QuestionRaiseForm(forms.Form):
    registration = forms.ModelChoiceField(label=_("Business"), queryset=Registration.objects.none(),
                                          error_messages={"required": _("Choose the business that asks."),
                                                          "invalid_choice": _("Choose the business that asks.")})
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.none(), to_field_name="code",
                                   error_messages={"required": _("Choose the topic of the question."),
                                                   "invalid_choice": _("Choose the topic of the question.")})
    subject = forms.CharField(label=_("Subject"), max_length=200,
                              error_messages={"required": _("Write a short subject.")})
    description = forms.CharField(label=_("The question as asked"), max_length=20000,
                                  widget=forms.Textarea(attrs={"rows": 3}),
                                  error_messages={"required": _("Write the question as the business asked it.")})

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registration"].queryset = (Registration.objects.filter(session=session)
                                                .exclude(status=Registration.Status.CANCELLED)
                                                .select_related("enterprise").order_by("enterprise__name"))
        self.fields["registration"].label_from_instance = lambda r: r.enterprise.name
        self.fields["topic"].queryset = _topics()
        self.fields["topic"].label_from_instance = _topic_label


class AnswerOnSpotForm(forms.Form):
    answer = forms.CharField(label=_("The answer given"), max_length=50000, widget=forms.Textarea(attrs={"rows": 4}),
                             help_text=_("What the leader answered at the session: the business receives it as the answer to its case."),
                             error_messages={"required": _("Write the answer given at the session.")})


def staff_of(unit) -> "forms.QuerySet":
    """Officers and leaders of the unit, who may answer or own a follow-up."""
    return (User.objects.filter(is_active=True, role_assignments__unit=unit,
                                role_assignments__role__in=[Role.OFFICER, Role.LEADER])
            .distinct().order_by("full_name", "username"))


class FollowUpForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("Who follows it up"), queryset=User.objects.none(),
                                   error_messages={"required": _("Choose the officer who follows it up."),
                                                   "invalid_choice": _("Choose the officer who follows it up.")})
    due = DateField(label=_("Answer due"), required=True, help_text=_("dd/mm/yyyy: the business is answered by the end of that day."),
                    error_messages={"required": _("Write the day the answer is due."), "invalid": DATE_MESSAGE})
    note = forms.CharField(label=_("What is to be done"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("Write what is to be done.")})

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_of(unit)
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name()


# --- minutes and survey ---------------------------------------------------------------------

class MinutesForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=60, required=False,
                             help_text=_("Số, ký hiệu, e.g. 12/BB-HQCNC; required to issue the minutes."))
    opening = forms.CharField(label=_("Opening"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 6}))
    conclusion = forms.CharField(label=_("Conclusion"), required=False, max_length=20000,
                                 widget=forms.Textarea(attrs={"rows": 8}))
    signer_name = forms.CharField(label=_("Signed by"), max_length=150, required=False)
    signer_position = forms.CharField(label=_("Signer's position"), max_length=150, required=False)


SCORES = [(str(n), str(n)) for n in range(1, 6)]


class SurveyForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("How satisfied are you with the session?"), choices=SCORES, coerce=int, widget=forms.RadioSelect,
        help_text=_("1: not at all, 5: very satisfied"),
        error_messages={"required": _("Choose how satisfied you are, from 1 to 5."),
                        "invalid_choice": _("Choose how satisfied you are, from 1 to 5.")})
    usefulness = forms.TypedChoiceField(
        label=_("How useful were the answers to your business?"), choices=SCORES, coerce=int, widget=forms.RadioSelect,
        help_text=_("1: not useful, 5: very useful"),
        error_messages={"required": _("Choose how useful it was, from 1 to 5."),
                        "invalid_choice": _("Choose how useful it was, from 1 to 5.")})
    comment = forms.CharField(label=_("Anything to tell us?"), required=False, max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("What went well, what we should change."))
