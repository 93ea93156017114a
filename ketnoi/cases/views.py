"""The pages of the cases capability. Thin: parse a form, check access, call one service or
selector, then render or redirect. A case the user may not see answers 404 (references cannot be
probed); an action the user may not take on a case they see answers 403."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ketnoi.accounts import selectors as account_selectors
from ketnoi.accounts.access import principal_for
from ketnoi.accounts.models import Role
from ketnoi.front.forms import add_service_errors
from ketnoi.org.models import Unit

from . import access, forms, selectors, services
from .filetypes import download_name
from .models import Answer, CaseEvent, Channel, RoutingRule, SlaPolicy, Status
from .templatetags import case_tags

QUEUE_PAGE_SIZE = 25
Kind = CaseEvent.Kind


def _p(request):
    return principal_for(request.user)


def _case_or_404(request, reference):
    case = selectors.case_for(p=_p(request), reference=reference)
    if case is None:
        raise Http404
    return case


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else "—"


# --- the business's pages ------------------------------------------------------------------

def _business_enterprise(request):
    """The enterprise a business user files for (the first, if they act for several)."""
    enterprises = _p(request).enterprises(Role.BUSINESS)
    if not enterprises:
        raise PermissionDenied
    return account_selectors.enterprises_of(user=request.user).filter(pk__in=enterprises).order_by("pk").first()


@login_required
def my_cases(request):
    p = _p(request)
    enterprises = p.enterprises(Role.BUSINESS)
    if not enterprises:
        if p.is_staff_member:
            return redirect("cases:queue")
        raise PermissionDenied
    cases = selectors.case_queue(p=p, sort="-received").filter(enterprise_id__in=enterprises)
    # An enterprise has hundreds of cases at most: Django's Paginator (with its COUNT) is fine here.
    page = Paginator(cases, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/my_cases.html", {"page": page})


def _file(request, form, *, enterprise, channel):
    data = form.cleaned_data
    return services.case_file(
        enterprise=enterprise, by=request.user, channel=channel, topic=data["topic"], subject=data["subject"],
        description=data["description"], declaration_numbers=data["declaration_numbers"], hs_codes=data["hs_codes"],
        named_unit=data["unit"], attachments=data["attachments"],
    )


def _filed(request, case):
    messages.success(request, _(
        "Your difficulty was received. Its reference is %(reference)s. Customs will answer by %(due)s."
    ) % {"reference": case.reference, "due": _when(case.due_at)})
    return redirect("cases:detail", case.reference)


@login_required
def new(request):
    enterprise = _business_enterprise(request)
    form = forms.CaseForm(request.POST, request.FILES) if request.method == "POST" else forms.CaseForm()
    if form.is_bound and form.is_valid():
        try:
            case = _file(request, form, enterprise=enterprise, channel=Channel.WEB)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _filed(request, case)
    return render(request, "cases/new.html", {"form": form, "enterprise": enterprise},
                  status=400 if form.errors else 200)


def similar(request):
    """While a difficulty is typed: published answers like it and the topic it seems to be
    about, an HTML fragment for cases.js (empty when there is nothing to offer)."""
    subject = request.GET.get("q", "").strip()[:200]
    description = request.GET.get("d", "").strip()[:5000]
    if len(subject) + len(description) < 3:
        return render(request, "cases/similar.html", {})
    answers = selectors.similar_answers(text=f"{subject}\n{description}")
    suggestions = selectors.topic_suggestions(subject=subject, description=description)
    return render(request, "cases/similar.html", {"answers": answers, "suggestion": suggestions[0] if suggestions else None})


# --- staff: entering a case on behalf of a business -------------------------------------------

@login_required
def intake(request):
    if not access.may_file_on_behalf(_p(request)):
        raise PermissionDenied
    form = forms.IntakeForm(request.POST, request.FILES) if request.method == "POST" else forms.IntakeForm()
    if form.is_bound and form.is_valid():
        try:
            case = _file(request, form, enterprise=form.enterprise, channel=form.cleaned_data["channel"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _(
                "The difficulty of %(enterprise)s was entered as %(reference)s. Customs must answer by %(due)s."
            ) % {"enterprise": case.enterprise.name, "reference": case.reference, "due": _when(case.due_at)})
            return redirect("cases:detail", case.reference)
    return render(request, "cases/intake.html", {"form": form}, status=400 if form.errors else 200)


# --- the case page -------------------------------------------------------------------------

def _permitted(p, case) -> set[str]:
    """The actions the user's role allows on this case, whatever its state."""
    allowed = set()
    if access.is_business_party(p, case):
        allowed |= {"reply", "accept", "rating"}
    if access.may_handle(p, case):
        allowed |= {"assign", "message", "request_info", "answer", "draft", "share"}
    if access.may_add_note(p, case):
        allowed.add("note")
    if access.may_lead(p, case):
        allowed |= {"approve", "reject", "reassign", "forward", "escalate"}
    return allowed


def _offered(case, permitted: set[str]) -> set[str]:
    """Of the permitted actions, those the case's state makes sensible to offer."""
    status, is_open = case.status, case.is_open
    answerable = status in (Status.NEW, Status.IN_PROGRESS, Status.WAITING)
    when = {
        "reply": status not in (Status.RESOLVED, Status.FORWARDED),
        "accept": status == Status.ANSWERED,
        "rating": status == Status.RESOLVED and case.rated_at is None,
        "assign": is_open, "message": is_open, "share": is_open, "note": True,
        "request_info": is_open and status != Status.WAITING,
        "answer": answerable, "draft": answerable,
        "approve": status == Status.PENDING_APPROVAL, "reject": status == Status.PENDING_APPROVAL,
        "reassign": is_open, "forward": is_open, "escalate": is_open and case.escalation_step < 2,
    }
    return {name for name in permitted if when.get(name)}


# One form per action; "draft" shares the answer form (its own button posts it elsewhere).
ACTION_FORMS = {
    "assign": forms.AssignForm, "message": forms.MessageForm, "note": forms.NoteForm,
    "request_info": forms.RequestInfoForm, "answer": forms.AnswerForm, "approve": forms.AcceptForm,
    "reject": forms.RejectForm, "reassign": forms.ReassignForm, "share": forms.ShareForm,
    "forward": forms.ForwardForm, "escalate": forms.EscalateForm, "reply": forms.MessageForm,
    "accept": forms.AcceptForm, "rating": forms.RatingForm,
}


def _render_case(request, case, *, bound=None, status=200):
    p = _p(request)
    permitted = _permitted(p, case)
    offered = _offered(case, permitted)
    staff_view = p.is_staff_member and not access.is_business_party(p, case)
    events = list(selectors.timeline(case=case, p=p))

    # Answers in the making are staff business (no selector reads them yet).
    draft = pending = None
    if staff_view and ("answer" in offered or "approve" in offered):
        for answer in case.answers.filter(state__in=[Answer.State.DRAFT, Answer.State.REJECTED, Answer.State.SUBMITTED]):
            if answer.state == Answer.State.SUBMITTED:
                pending = pending or answer
            else:
                draft = draft or answer

    action_forms = {}
    for name in offered - {"draft"}:
        initial = {"body": draft.body} if name == "answer" and draft else None
        action_forms[name] = ACTION_FORMS[name](action=name, case=case, initial=initial)
    if bound is not None:
        action_forms[bound.action] = bound

    unit_names = {}
    if staff_view:
        ids = {e.data.get(key) for e in events for key in ("unit", "from") if isinstance(e.data, dict)}
        unit_names = {pk: forms.unit_label(u) for pk, u in Unit.objects.in_bulk([i for i in ids if i]).items()}
    # Who wrote each entry: the business sees who handles its case (the home page promises it).
    for event in events:
        event.unit_name = unit_names.get((event.data or {}).get("unit")) if staff_view else None
        event.signature = event.actor.get_full_name() if event.actor else _("ketnoi (automatic)")
    answer_event = next((e for e in reversed(events) if e.kind == Kind.ANSWERED), None)

    return render(request, "cases/detail.html", {
        "case": case,
        "staff_view": staff_view,
        "events": events,
        "attachments": [a for a in selectors.attachments_visible(case=case, p=p) if a.event_id is None],
        "shared_with": list(case.shared_with.all()) if staff_view else [],
        "answer_event": answer_event,
        "draft": draft,
        "pending": pending,
        "needs_approval": "answer" in offered and access.answer_needs_approval(p, case),
        "leads": access.may_lead(p, case),
        "f": action_forms,
        "error_form": bound if bound is not None and bound.errors else None,
    }, status=status)


@login_required
def detail(request, reference):
    return _render_case(request, _case_or_404(request, reference))


def _act(request, reference, action, perform, *, form_action=None):
    """One action on a case: the form of `form_action` (default: the action's own), one service
    call, then back to the case page with a message; or the page again with the errors (400)."""
    case = _case_or_404(request, reference)
    if action not in _permitted(_p(request), case):
        raise PermissionDenied
    slot = form_action or action
    form = ACTION_FORMS[slot](request.POST, request.FILES, action=slot, case=case)
    if form.is_valid():
        try:
            done = perform(case, form.cleaned_data)
        except services.CaseChanged:
            # Nothing was saved. The page again as the case is now (what changed is in its
            # history, the forms carry its new version), with what was typed kept in the form.
            form.add_error(None, _(
                "Someone else updated this case after you opened this page, so nothing was saved. See what "
                "changed in the history below; what you typed is kept: send it again if it still applies."))
            return _render_case(request, _case_or_404(request, reference), bound=form, status=409)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            if selectors.case_for(p=_p(request), reference=case.reference) is None:
                return redirect("cases:queue")  # moved to a unit the user does not belong to
            return redirect("cases:detail", case.reference)
    return _render_case(request, case, bound=form, status=400)


@require_POST
@login_required
def assign(request, reference):
    def perform(case, data):
        assignee = data["assignee"] or request.user
        services.case_assign(case=case, assignee=assignee, by=request.user, expected_version=data["version"])
        if assignee == request.user:
            return _("You handle this case now.")
        return _("The case is assigned to %(name)s.") % {"name": assignee.get_full_name()}
    return _act(request, reference, "assign", perform)


@require_POST
@login_required
def message(request, reference):
    def perform(case, data):
        services.case_message(case=case, body=data["body"], attachments=data["attachments"], by=request.user,
                              expected_version=data["version"])
        return _("Your message was sent to the business.")
    return _act(request, reference, "message", perform)


@require_POST
@login_required
def note(request, reference):
    def perform(case, data):
        services.case_message(case=case, body=data["body"], attachments=data["attachments"], internal=True,
                              by=request.user, expected_version=data["version"])
        return _("Your internal note was added. The business does not see it.")
    return _act(request, reference, "note", perform)


@require_POST
@login_required
def request_info(request, reference):
    def perform(case, data):
        services.case_request_info(case=case, body=data["body"], by=request.user, expected_version=data["version"])
        return _("The business was asked for more information. The deadline stops until it replies.")
    return _act(request, reference, "request_info", perform)


@require_POST
@login_required
def draft(request, reference):
    def perform(case, data):
        services.answer_save_draft(case=case, body=data["body"], by=request.user, expected_version=data["version"])
        return _("The draft answer was saved. The business does not see it.")
    return _act(request, reference, "draft", perform, form_action="answer")


@require_POST
@login_required
def answer(request, reference):
    def perform(case, data):
        case = services.case_answer(case=case, body=data["body"], by=request.user, expected_version=data["version"])
        if case.status == Status.PENDING_APPROVAL:
            return _("The answer awaits the approval of a unit leader before it is sent to the business.")
        return _("The answer was sent to the business.")
    return _act(request, reference, "answer", perform)


@require_POST
@login_required
def approve(request, reference):
    def perform(case, data):
        services.answer_decide(case=case, approve=True, by=request.user, expected_version=data["version"])
        return _("The answer is approved and was sent to the business.")
    return _act(request, reference, "approve", perform)


@require_POST
@login_required
def reject(request, reference):
    def perform(case, data):
        services.answer_decide(case=case, approve=False, reason=data["reason"], by=request.user,
                               expected_version=data["version"])
        return _("The answer was sent back to its author.")
    return _act(request, reference, "reject", perform)


@require_POST
@login_required
def reassign(request, reference):
    def perform(case, data):
        services.case_reassign(case=case, unit=data["unit"], reason=data["reason"], by=request.user,
                               expected_version=data["version"])
        if data["unit"] is None:
            return _("The case was moved to the department coordinators’ queue.")
        return _("The case was moved to %(unit)s.") % {"unit": data["unit"].name}
    return _act(request, reference, "reassign", perform)


@require_POST
@login_required
def share(request, reference):
    def perform(case, data):
        services.case_share(case=case, unit=data["unit"], by=request.user, expected_version=data["version"])
        return _("The case is shared with %(unit)s.") % {"unit": data["unit"].name}
    return _act(request, reference, "share", perform)


@require_POST
@login_required
def forward(request, reference):
    def perform(case, data):
        services.case_forward(case=case, to=data["to"], reason=data["reason"], by=request.user,
                              expected_version=data["version"])
        return _("The case is recorded as forwarded to %(body)s.") % {"body": data["to"]}
    return _act(request, reference, "forward", perform)


@require_POST
@login_required
def escalate(request, reference):
    def perform(case, data):
        services.case_escalate(case=case, reason=data["reason"], by=request.user, expected_version=data["version"])
        return _("The case was escalated.")
    return _act(request, reference, "escalate", perform)


@require_POST
@login_required
def reply(request, reference):
    # The business's actions (reply, accept, rating) carry no version: staff's internal notes and
    # assignments would put its page out of date with nothing new for it to see, and the
    # services refuse what its case's state no longer allows (accepting or rating twice); a
    # reply is always new information, recorded whatever happened since.
    def perform(case, data):
        services.case_message(case=case, body=data["body"], attachments=data["attachments"], by=request.user)
        return _("Your reply was sent to customs.")
    return _act(request, reference, "reply", perform)


@require_POST
@login_required
def accept(request, reference):
    def perform(case, data):
        services.case_accept(case=case, by=request.user)
        return _("Thank you. The case is resolved. Please tell us how well we answered.")
    return _act(request, reference, "accept", perform)


@require_POST
@login_required
def rating(request, reference):
    def perform(case, data):
        services.case_rate(case=case, score=data["score"], comment=data["comment"], by=request.user)
        return _("Thank you for rating the answer.")
    return _act(request, reference, "rating", perform)


@login_required
def attachment(request, reference, attachment_id):
    """A file of a case, to those who may see it (internal ones to staff only), never shown inline."""
    case = _case_or_404(request, reference)
    item = selectors.attachments_visible(case=case, p=_p(request)).filter(pk=attachment_id).first()
    if item is None:
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, as_attachment=True, filename=download_name(item.original_name, item.content_type), content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- the one-click rating link from the e-mail (no login) ------------------------------------

def _link_failed(request, message):
    return render(request, "cases/rate_failed.html", {"message": message}, status=400)


def rate(request, token):
    try:
        case = services.case_from_rating_token(token)
    except ValidationError as error:
        return _link_failed(request, error.messages[0])
    if case.rated_at is not None:
        return _link_failed(request, _("This case was already rated. Thank you."))
    if case.status != Status.RESOLVED:
        return _link_failed(request, _("A case can be rated once it is resolved."))
    if request.method == "POST":
        form = forms.RatingForm(request.POST)
        if form.is_valid():
            try:
                services.case_rate(case=case, score=form.cleaned_data["score"], comment=form.cleaned_data["comment"],
                                   token=token)
            except PermissionDenied:
                return _link_failed(request, _("This rating link is not valid. Copy the whole link from the e-mail."))
            except ValidationError as error:
                if not hasattr(error, "error_dict"):
                    return _link_failed(request, error.messages[0])
                add_service_errors(form, error)
            else:
                return render(request, "cases/rate_done.html", {"case": case, "score": form.cleaned_data["score"]})
    else:
        score = request.GET.get("score", "")
        form = forms.RatingForm(initial={"score": int(score)} if score in {"1", "2", "3", "4", "5"} else None)
    return render(request, "cases/rate.html", {"case": case, "form": form}, status=400 if form.errors else 200)


# --- the staff queue ----------------------------------------------------------------------

SORTABLE = ["reference", "received", "due"]


@dataclass
class QueueRow:
    """A row of the staff queue with its text and links ready: the page is rendered many times
    a minute, and 25 rows of `{% url %}`, date filters and tags cost more than the query
    (bench/cases_cpu.py)."""
    reference: str
    url: str
    subject: str
    details: str
    enterprise: str
    tax_code: str
    status: str
    received: str
    time_left: str
    due: str
    overdue: bool


class _QueueRows:
    """Builds the rows of one queue page: what is the same on every row (the link pattern, the
    time zone, the status tags, the word “Department”) is worked out once per page."""

    def __init__(self, *, now, coordinator: bool):
        self.now, self.coordinator = now, coordinator
        self.zone = timezone.get_current_timezone()
        # A reference is plain ASCII (VM-2026-000123): a URL carries it unchanged.
        self.detail_url = reverse("cases:detail", args=["REFERENCE"])
        self.department = _("Department")
        self.status_tags = {}

    def local(self, moment) -> str:
        """As the `date:"d/m/Y H:i"` filter writes it."""
        return moment.astimezone(self.zone).strftime("%d/%m/%Y %H:%M")

    def row(self, case) -> QueueRow:
        details = [case.topic.name]
        if self.coordinator:
            details.append(case.unit.short_name if case.unit else self.department)
        if case.assignee:
            details.append(case.assignee.get_full_name())
        status = self.status_tags.get(case.status)
        if status is None:
            status = self.status_tags[case.status] = case_tags.status_tag(case)
        return QueueRow(
            reference=case.reference, url=self.detail_url.replace("REFERENCE", case.reference),
            subject=case.subject, details=" · ".join(details), enterprise=case.enterprise.name,
            tax_code=case.enterprise.tax_code, status=status, received=self.local(case.received_at),
            time_left=case_tags.time_left(case, self.now),
            due=self.local(case.due_at) if case.is_open and case.due_at else "", overdue=case.is_overdue,
        )


@login_required
def queue(request):
    p = _p(request)
    if not p.is_staff_member:
        raise PermissionDenied
    coordinator = p.has(Role.COORDINATOR)
    data = request.GET.copy()
    data.setdefault("status", "open")  # a work queue opens on the cases still to answer
    form = forms.QueueFilterForm(data, every_unit=coordinator)
    form.is_valid()
    f = form.cleaned_data
    sort = f.get("sort") or "due"
    unit = f.get("unit") or ""
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    now = timezone.now()
    page = selectors.queue_page(
        p=p, number=number, size=QUEUE_PAGE_SIZE, now=now,
        status=f.get("status") or None, topic=f.get("topic") or None,
        unit=int(unit) if unit.isdecimal() else None, overdue=bool(f.get("overdue")), due_soon=bool(f.get("due_soon")),
        q=f.get("q") or "", assignee=request.user.pk if f.get("mine") else None, sort=sort,
        no_unit=unit == forms.NO_UNIT,
    )
    rows = list(map(_QueueRows(now=now, coordinator=coordinator).row, page.cases))

    columns = {}
    for column in SORTABLE:
        current = sort.lstrip("-") == column
        columns[column] = {
            "next": f"-{column}" if sort == column else column,
            "aria": ("descending" if sort.startswith("-") else "ascending") if current else "",
        }
    return render(request, "cases/queue.html", {
        "form": form, "rows": rows, "number": number, "has_next": page.has_next, "has_previous": number > 1,
        "counts": page.counts, "columns": columns, "coordinator": coordinator, "no_unit": forms.NO_UNIT,
    }, status=400 if form.errors else 200)


# --- coordinators: routing table and deadline policies ------------------------------------------

def _coordinator(request):
    if not access.may_manage_routing(_p(request)):
        raise PermissionDenied


@login_required
def routing(request):
    _coordinator(request)
    form = forms.RoutingRuleForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            services.routing_rule_save(topic=data["topic"], named_unit=data["named_unit"],
                                       handling_unit=data["handling_unit"], by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The routing rule is saved. It applies to cases filed from now on."))
            return redirect("cases:routing")
    rules = RoutingRule.objects.select_related("topic", "named_unit", "handling_unit").order_by(
        "topic__position", "topic__code", "named_unit__code")
    return render(request, "cases/routing.html", {"form": form, "rules": rules}, status=400 if form.errors else 200)


@require_POST
@login_required
def routing_delete(request, rule_id):
    _coordinator(request)
    rule = get_object_or_404(RoutingRule, pk=rule_id)
    services.routing_rule_delete(rule=rule, by=request.user)
    messages.success(request, _("The routing rule is deleted."))
    return redirect("cases:routing")


@login_required
def deadlines(request):
    _coordinator(request)
    policies = SlaPolicy.objects.select_related("topic").order_by("topic__position", "topic__code", "level", "priority")
    return render(request, "cases/deadlines.html", {"policies": policies})


def _policy_form(request, form, template_context):
    status = 200
    if form.is_bound and form.is_valid():
        try:
            services.sla_policy_save(policy=form.instance, by=request.user,
                                     expected_version=form.cleaned_data.get("version"))
        except ValidationError as error:
            if getattr(error, "code", None) == "stale":  # a dict of field errors has no code
                # The form again with the policy as it is now, and its version: saved again,
                # having read it, it goes through.
                policy = SlaPolicy.objects.select_related("topic").get(pk=form.instance.pk)
                current = {name: "" if value is None else value
                           for name, value in model_to_dict(policy, fields=form._meta.fields).items()}
                form = type(form)({**current, "version": policy.version}, instance=policy)
                form.is_valid()
                template_context = {**template_context, "policy": policy}
                status = 409
            add_service_errors(form, error)
        else:
            messages.success(request, _("The deadline policy is saved. It applies to cases filed from now on."))
            return redirect("cases:deadlines")
    return render(request, "cases/deadline_form.html", {"form": form, **template_context},
                  status=status if status != 200 else (400 if form.errors else 200))


@login_required
def deadline_edit(request, policy_id):
    _coordinator(request)
    policy = get_object_or_404(SlaPolicy.objects.select_related("topic"), pk=policy_id)
    form = forms.SlaPolicyForm(request.POST if request.method == "POST" else None, instance=policy)
    return _policy_form(request, form, {"policy": policy})


@login_required
def deadline_new(request):
    _coordinator(request)
    form = forms.NewSlaPolicyForm(request.POST if request.method == "POST" else None)
    return _policy_form(request, form, {"policy": None})
