"""Forms of the Q&A pages. They parse what was typed; the rules (what a document number is, who
may publish, which citations make an article stale) are the services' and come back through
ketnoi.front.forms.add_service_errors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ketnoi.cases import selectors as case_selectors
from ketnoi.front.forms import DateField
from ketnoi.lib import citations

from . import selectors
from .models import DocumentKind, DocumentStatus

SEARCH_MAX = 200


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class LinesField(forms.CharField):
    """One value a line → a list of the non-empty lines."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4, "autocomplete": "off", "spellcheck": "false"}))
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return [line.strip() for line in (super().to_python(value) or "").splitlines() if line.strip()]


def topic_field(**kwargs) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Topic"), queryset=case_selectors.topics(), to_field_name="code",
        error_messages={"required": _("Choose one of the topics in the list."),
                        "invalid_choice": _("Choose one of the topics in the list.")}, **kwargs)


# --- the public search ------------------------------------------------------------------------

class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the questions and answers"), required=False, max_length=SEARCH_MAX,
        help_text=_("With or without Vietnamese marks, for example “hoan thue nguyen lieu xuat khau”."),
        error_messages={"max_length": _("Type at most %(limit_value)d characters.")},
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    topic = forms.ChoiceField(label=_("Topic"), required=False,
                              error_messages={"invalid_choice": _("Choose one of the topics in the list.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.topics = {topic.code: topic for topic in case_selectors.topics()}
        self.fields["topic"].choices = [("", _("Any topic"))] + [(code, t.name) for code, t in self.topics.items()]

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())


# --- articles ---------------------------------------------------------------------------------

class ArticleForm(forms.Form):
    question = forms.CharField(
        label=_("Question"), widget=_textarea(4),
        help_text=_("As a business would ask it, without the name of any enterprise or person."),
        error_messages={"required": _("Enter the question.")})
    answer = forms.CharField(
        label=_("Answer"), widget=_textarea(12),
        help_text=_("Cite the legal documents by their number, for example “Thông tư 38/2015/TT-BTC”: "
                    "they are linked on the public page. You may write **bold**, *italic*, numbered lists "
                    "(1. …) and links [text](https://…)."),
        error_messages={"required": _("Enter the answer.")})
    topic = topic_field(empty_label=_("Choose a topic"))
    legal_references = LinesField(
        label=_("Legal references"),
        help_text=_("One document a line, for example “Nghị định 08/2015/NĐ-CP”. The documents cited in "
                    "the answer are added by themselves."))
    valid_from = DateField(label=_("Valid from"), help_text=_("dd/mm/yyyy"))
    valid_to = DateField(label=_("Valid until"), help_text=_("dd/mm/yyyy; leave empty while the documents are in force."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = case_selectors.topics()

    def clean(self):
        data = super().clean()
        if data.get("valid_from") and data.get("valid_to") and data["valid_to"] < data["valid_from"]:
            self.add_error("valid_to", _("The end of validity cannot be before its start."))
        return data


def article_initial(article) -> dict:
    return {
        "question": article.question, "answer": article.answer, "topic": article.topic.code,
        "legal_references": "\n".join(c.document.name for c in article.citations.all()),
        "valid_from": article.valid_from, "valid_to": article.valid_to,
    }


# --- the registry of legal documents ------------------------------------------------------------

class DocumentFilterForm(forms.Form):
    q = forms.CharField(label=_("Number or words of the title"), required=False, max_length=SEARCH_MAX,
                        error_messages={"max_length": _("Type at most %(limit_value)d characters.")},
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status"))] + list(DocumentStatus.choices),
                               error_messages={"invalid_choice": _("Choose one of the statuses in the list.")})


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Choose the kind of document"))] + list(DocumentKind.choices),
                             error_messages={"required": _("Choose the kind of document."),
                                             "invalid_choice": _("Choose the kind of document.")})
    number = forms.CharField(
        label=_("Number"), max_length=80, help_text=_("As written on the document, for example 38/2015/TT-BTC."),
        error_messages={"required": _("Write the number as in “38/2015/TT-BTC” or “08/2015/NĐ-CP”.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    title = forms.CharField(label=_("Title"), max_length=500, required=False, widget=_textarea(2),
                            help_text=_("For example: Quy định về thủ tục hải quan; kiểm tra, giám sát hải quan …"))
    issuer = forms.CharField(label=_("Issued by"), max_length=200, required=False,
                             help_text=_("For example: Bộ Tài chính"))
    issued_on = DateField(label=_("Issued on"), help_text=_("dd/mm/yyyy"))
    effective_on = DateField(label=_("In force from"), help_text=_("dd/mm/yyyy"))
    status = forms.ChoiceField(label=_("Status"), choices=DocumentStatus.choices, initial=DocumentStatus.IN_FORCE,
                               help_text=_("Marking it replaced or expired flags every published answer that cites it for review."),
                               error_messages={"required": _("Choose the document's status."),
                                               "invalid_choice": _("Choose the document's status.")})
    replaced_by = forms.CharField(
        label=_("Replaced by"), max_length=120, required=False,
        help_text=_("The number of the document that replaces it, for example 39/2018/TT-BTC. It must be in the registry."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "list": "registry-numbers"}))

    amended_by = LinesField(
        label=_("Amended by"),
        help_text=_("The numbers of the documents that amend it, one a line. They must be in the registry."),
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off", "spellcheck": "false"}))

    def clean_replaced_by(self):
        """The registry's document for the number typed (None when empty)."""
        written = self.cleaned_data["replaced_by"].strip()
        return _registry_documents([written])[0] if written else None

    def clean_amended_by(self):
        return _registry_documents(self.cleaned_data["amended_by"])


def _registry_documents(written: list[str]) -> list:
    """The registry's documents for numbers typed by hand, or a ValidationError for each that is
    not a number or not in the registry."""
    numbers = []
    for text in written:
        parsed = citations.parse(text)
        if parsed is None:
            raise forms.ValidationError(_("Write the number as in “38/2015/TT-BTC” or “08/2015/NĐ-CP”."))
        numbers.append(parsed.number)
    found = selectors.documents_by_number(numbers)
    missing = [number for number in dict.fromkeys(numbers) if number not in found]
    if missing:
        raise forms.ValidationError([
            _("%(number)s is not in the registry: add it first, then choose it here.") % {"number": number}
            for number in missing])
    return [found[number] for number in dict.fromkeys(numbers)]


def document_initial(document) -> dict:
    return {
        "kind": document.kind, "number": document.number, "title": document.title, "issuer": document.issuer,
        "issued_on": document.issued_on, "effective_on": document.effective_on, "status": document.status,
        "replaced_by": document.replaced_by.number if document.replaced_by else "",
        "amended_by": "\n".join(other.number for other in document.amended_by.all()),
    }
