"""The dialogue pages (“Cà phê sáng cùng doanh nghiệp”): the public calendar and .ics feeds, a
programme's and a session's pages, registration by a business, and the staff's side of a
session (registrations, check-in, agenda, the outcome of each question, closing, minutes); the
survey by its signed link; a business's registrations and the staff's follow-ups.

Thin: parse, check access, call one service or selector, render. A page someone may not see
answers 403 (the session itself is public, so its number reveals nothing); a registration or
question someone may not see answers 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ketnoi.accounts.access import principal_for
from ketnoi.accounts.models import Role, User
from ketnoi.cases import access as cases_access
from ketnoi.front.forms import add_service_errors
from ketnoi.front.headers import permissions_policy
from ketnoi.org.models import Unit

from . import access, forms, selectors, services
from .models import Minutes, Programme, Question, Registration, Session


def _p(request):
    return principal_for(request.user)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _session(pk) -> Session:
    return get_object_or_404(Session.objects.select_related("programme", "programme__unit", "chaired_by"), pk=pk)


def _counted(pk) -> Session:
    """The session with its confirmed and waiting counts (as on the calendar)."""
    found = selectors.programme_sessions(_session(pk).programme).filter(pk=pk).select_related(
        "programme", "programme__unit", "chaired_by").first()
    if found is None:
        raise Http404
    return found


def _seats(session: Session, now=None) -> dict:
    """What the calendar says of a session's seats: counts only, never who registered."""
    now = now or timezone.now()
    confirmed = getattr(session, "confirmed_count", 0)
    waiting = getattr(session, "waiting_count", 0)
    return {
        "session": session, "confirmed": confirmed, "waiting": waiting,
        "left": max(session.capacity - confirmed, 0), "full": confirmed >= session.capacity,
        "open": session.status == Session.Status.SCHEDULED and now < session.registration_closes_at,
    }


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def _ics_response(content, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _units_to_create(p):
    """The units whose programmes `p` may create: the units it leads; every open unit for a
    coordinator."""
    units = Unit.objects.filter(valid_to__isnull=True)
    if not p.has(Role.COORDINATOR):
        units = units.filter(pk__in=p.units(Role.LEADER))
    return units.order_by("kind", "code", "name_vi")


def _hosts_for(units, *, roles=(Role.OFFICER, Role.LEADER), also=()):
    """The people who may host a programme of `units` (and the hosts it already has)."""
    staff = User.objects.filter(is_active=True, role_assignments__unit__in=units,
                                role_assignments__role__in=list(roles)).values("pk")
    return User.objects.filter(Q(pk__in=staff) | Q(pk__in=[u.pk for u in also])).order_by("full_name", "username")


# --- the public calendar --------------------------------------------------------------------

@require_safe
def calendar(request):
    form = forms.CalendarFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    now = timezone.now()
    rows = [_seats(s, now) for s in selectors.upcoming_sessions(unit=data.get("unit"), topic=data.get("topic"))]
    p = _p(request)
    my_programmes = []
    if p.is_staff_member:
        my_programmes = list(selectors.programmes().filter(
            pk__in=access.sessions_run_by(p).values("programme_id")).distinct())
    return render(request, "dialogue/calendar.html", {
        "form": form, "rows": rows, "programmes": selectors.programmes(unit=data.get("unit")),
        "my_programmes": my_programmes, "may_create": _units_to_create(p).exists() if p.is_staff_member else False,
        "is_business": bool(p.enterprises(Role.BUSINESS)), "may_see_department": p.has(Role.COORDINATOR),
    }, status=400 if form.errors else 200)


# --- programmes -------------------------------------------------------------------------------

def _describe(programme: Programme) -> str:
    from ketnoi.lib import calendar_ics

    try:
        return calendar_ics.describe_rrule(programme.rrule, translation.get_language() or "vi")
    except ValueError:
        return programme.rrule


@require_safe
def programme(request, pk):
    item = get_object_or_404(Programme.objects.select_related("unit").prefetch_related("topics", "hosts"), pk=pk)
    p = _p(request)
    now = timezone.now()
    sessions = list(selectors.programme_sessions(item))
    upcoming = [_seats(s, now) for s in sessions if s.ends_at > now and s.status != Session.Status.HELD]
    past = [s for s in reversed(sessions) if not (s.ends_at > now and s.status != Session.Status.HELD)]
    probe = sessions[0] if sessions else Session(programme=item)
    may_run = p.is_staff_member and access.may_run_session(p, probe)
    minutes = {}
    if may_run:
        minutes = {m.session_id: m for m in Minutes.objects.filter(session__in=[s.pk for s in past])}
    return render(request, "dialogue/programme.html", {
        "programme": item, "rule": _describe(item), "upcoming": upcoming,
        "past": [(s, minutes.get(s.pk)) for s in past],
        "may_manage": access.may_manage_programme(p, item), "may_run": may_run,
    })


def _programme_form(request, *, units, hosts, initial=None):
    return forms.ProgrammeForm(request.POST or None, units=units, hosts=hosts, initial=initial)


def _programme_fields(data) -> dict:
    return {name: data[name] for name in (
        "name", "description", "starts_on", "ends_on", "start_time", "end_time", "venue", "capacity",
        "max_attendees", "registration_closes_hours")} | {
        "rrule": data["rule"], "topics": list(data["topics"]), "hosts": list(data["hosts"])}


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def programme_new(request):
    p = _p(request)
    units = _units_to_create(p)
    _require(p.is_staff_member and units.exists())
    # A coordinator may create for any unit: the choice of hosts is then the leaders, not every officer.
    hosts = _hosts_for(units) if units.count() <= 3 else _hosts_for(units, roles=[Role.LEADER])
    initial = {"unit": units.first().pk} if units.count() == 1 else {}
    form = _programme_form(request, units=units, hosts=hosts, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.programme_create(by=request.user, unit=data["unit"], **_programme_fields(data))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The programme is created and its sessions for the next six months are on the calendar."))
            return redirect(item.get_absolute_url())
    return render(request, "dialogue/programme_form.html", {"form": form, "programme": None},
                  status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def programme_edit(request, pk):
    item = get_object_or_404(Programme.objects.select_related("unit"), pk=pk)
    p = _p(request)
    _require(access.may_manage_programme(p, item))
    units = Unit.objects.filter(pk=item.unit_id)
    hosts = _hosts_for(units, also=item.hosts.all())
    form = _programme_form(request, units=units, hosts=hosts, initial=forms.ProgrammeForm.initial_for(item))
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update(programme=item, by=request.user, **_programme_fields(form.cleaned_data))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The programme is saved. Sessions nobody has registered for follow the new schedule; "
                                        "move or cancel the others one by one so that their businesses are told."))
            return redirect(item.get_absolute_url())
    return render(request, "dialogue/programme_form.html", {"form": form, "programme": item},
                  status=400 if request.method == "POST" else 200)


# --- the .ics files ---------------------------------------------------------------------------

@require_safe
def session_ics(request, pk):
    from . import documents

    item = _session(pk)
    return _ics_response(documents.session_ics(item), f"phien-{item.pk}.ics")


@require_safe
def programme_ics(request, pk):
    """The programme's feed: every session, past and coming (a calendar keeps its history)."""
    from . import documents

    item = get_object_or_404(Programme.objects.select_related("unit"), pk=pk)
    return _ics_response(documents.programme_feed(item, item.sessions.select_related("programme", "programme__unit")),
                         f"chuong-trinh-{item.pk}.ics")


@require_safe
def calendar_ics(request):
    """Every upcoming session of every unit as one feed."""
    from ketnoi.lib import calendar_ics as ics

    from . import documents

    with translation.override("vi"):
        name = _("Dialogue with businesses")
    events = [documents.session_event(s) for s in selectors.upcoming_sessions()]
    return _ics_response(ics.calendar_ics(name=name, events=events), "doi-thoai.ics")


# --- a session --------------------------------------------------------------------------------

def _my_registration(p, session: Session) -> Registration | None:
    enterprises = p.enterprises(Role.BUSINESS)
    if not enterprises:
        return None
    return (Registration.objects.filter(session=session, enterprise_id__in=enterprises)
            .exclude(status=Registration.Status.CANCELLED).select_related("enterprise")
            .prefetch_related("attendees", "questions__case").first())


def _business_enterprises(p):
    from ketnoi.accounts.models import Enterprise

    return list(Enterprise.objects.filter(pk__in=p.enterprises(Role.BUSINESS)).order_by("name"))


def _render_session(request, pk, *, register_form=None, move_form=None, cancel_form=None, status=200):
    item = _counted(pk)
    p = _p(request)
    now = timezone.now()
    seats = _seats(item, now)
    mine = _my_registration(p, item)
    enterprises = _business_enterprises(p) if p.enterprises(Role.BUSINESS) else []
    registrable = [e for e in enterprises if not (mine and mine.enterprise_id == e.pk)]
    if register_form is None and seats["open"] and registrable and mine is None:
        register_form = forms.RegistrationForm(session=item, enterprises=registrable)
    may_run = access.may_run_session(p, item) if p.is_staff_member else False
    may_lead = may_run and access.may_lead_session(p, item)
    context = {
        "session": item, "programme": item.programme, "s": seats, "mine": mine,
        "mine_position": selectors.waiting_position(mine) if mine else None,
        "mine_qr": _qr_svg(mine) if mine and mine.status == Registration.Status.CONFIRMED
        and item.status == Session.Status.SCHEDULED else None,
        "mine_cancellable": bool(mine) and item.status == Session.Status.SCHEDULED and item.starts_at > now,
        "register_form": register_form, "may_run": may_run, "may_lead": may_lead,
        "future": item.starts_at > now, "today": timezone.localdate(item.starts_at) == timezone.localdate(),
    }
    if may_run:
        context["registrations"] = selectors.session_registrations(item)
        context["checked_in"] = sum(1 for r in context["registrations"] if r.checked_in_at)
    if may_lead and item.status == Session.Status.SCHEDULED:
        local = timezone.localtime(item.starts_at)
        context["move_form"] = move_form or forms.SessionMoveForm(initial={
            "day": local.date(), "start_time": local.time(), "end_time": timezone.localtime(item.ends_at).time(),
            "venue": item.venue})
        context["cancel_form"] = cancel_form or forms.SessionCancelForm()
    context["error_form"] = next((f for f in (register_form, move_form, cancel_form) if f is not None and f.errors), None)
    return render(request, "dialogue/session.html", context, status=status)


@require_safe
def session(request, pk):
    return _render_session(request, pk)


@require_POST
@login_required
def register(request, pk):
    item = _session(pk)
    p = _p(request)
    enterprises = _business_enterprises(p)
    _require(bool(enterprises))
    form = forms.RegistrationForm(request.POST, session=item, enterprises=enterprises)
    if form.is_valid():
        data = form.cleaned_data
        try:
            registration = services.registration_create(
                session=item, by=request.user, enterprise=data["enterprise"], attendees=data["attendees"],
                questions=data["questions"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if registration.status == Registration.Status.CONFIRMED:
                messages.success(request, _("You are registered. The confirmation, with the calendar file and the check-in QR code, "
                                            "is on its way to your e-mail."))
            else:
                messages.warning(request, _("The session is full: you are number %(n)d on the waiting list. We will e-mail you "
                                            "if a seat frees up.") % {"n": selectors.waiting_position(registration) or 1})
            return redirect(reverse("dialogue:registration", args=[registration.pk]))
    return _render_session(request, pk, register_form=form, status=400)


@require_POST
@login_required
def session_move(request, pk):
    item = _session(pk)
    _require(access.may_lead_session(_p(request), item))
    form = forms.SessionMoveForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        starts = timezone.make_aware(timezone.datetime.combine(data["day"], data["start_time"]))
        ends = timezone.make_aware(timezone.datetime.combine(data["day"], data["end_time"])) if data["end_time"] else None
        try:
            services.session_move(session=item, by=request.user, starts_at=starts, ends_at=ends,
                                  venue=data["venue"] or None, reason=data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The session is moved; the registered businesses are told, with the new calendar file."))
            return redirect(item.get_absolute_url())
    return _render_session(request, pk, move_form=form, status=400)


@require_POST
@login_required
def session_cancel(request, pk):
    item = _session(pk)
    _require(access.may_lead_session(_p(request), item))
    form = forms.SessionCancelForm(request.POST)
    if form.is_valid():
        try:
            services.session_cancel(session=item, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The session is cancelled; the registered businesses are told."))
            return redirect(item.get_absolute_url())
    return _render_session(request, pk, cancel_form=form, status=400)


# --- a registration ---------------------------------------------------------------------------

def _registration(request, pk) -> Registration:
    found = get_object_or_404(Registration.objects.select_related(
        "session", "session__programme", "session__programme__unit", "enterprise"), pk=pk)
    if not access.may_see_registration(_p(request), found):
        raise Http404
    return found


@require_safe
@login_required
def registration(request, pk):
    item = _registration(request, pk)
    p = _p(request)
    questions = list(item.questions.select_related("case", "case__topic").order_by("id"))
    live = item.status != Registration.Status.CANCELLED
    return render(request, "dialogue/registration.html", {
        "registration": item, "session": item.session, "attendees": item.attendees.all(),
        "questions": [(q, cases_access.may_view(p, q.case)) for q in questions],
        "position": selectors.waiting_position(item),
        "qr": _qr_svg(item) if item.status == Registration.Status.CONFIRMED else None,
        "checkin_url": _checkin_url(item) if item.status == Registration.Status.CONFIRMED else None,
        "may_cancel": live and item.session.status == Session.Status.SCHEDULED and item.session.starts_at > timezone.now()
        and access.may_cancel_registration(p, item),
        "staff": access.may_run_session(p, item.session) if p.is_staff_member else False,
    })


def _checkin_url(registration: Registration) -> str:
    """The address the check-in QR code holds (with the site's address)."""
    from . import documents

    return documents.checkin_url(services.checkin_token(registration))


def _qr_svg(registration: Registration) -> str:
    from ketnoi.lib import qr

    return qr.qr_svg(_checkin_url(registration), title=_("QR code for check-in"))


@require_safe
@login_required
def registration_qr(request, pk):
    item = _registration(request, pk)
    if item.status != Registration.Status.CONFIRMED:
        raise Http404
    response = HttpResponse(_qr_svg(item), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def registration_cancel(request, pk):
    item = _registration(request, pk)
    try:
        services.registration_cancel(registration=item, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The registration is cancelled. The questions you sent stay with customs as your "
                                    "difficulties and will be answered."))
    return redirect(_safe_next(request, item.session.get_absolute_url()))


@require_POST
@login_required
def registration_check_in(request, pk):
    item = _registration(request, pk)
    _require(access.may_run_session(_p(request), item.session))
    try:
        services.registration_check_in(registration=item, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is checked in.") % {"name": item.enterprise.name})
    return redirect(_safe_next(request, f"{item.session.get_absolute_url()}#registrations"))


# --- check-in ---------------------------------------------------------------------------------

@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@permissions_policy(camera=("self",))  # the phone's camera reads the QR codes (static/js/dialogue-scan.js)
def checkin_scan(request, pk):
    item = _session(pk)
    _require(access.may_run_session(_p(request), item))
    form = forms.CheckinCodeForm(request.POST or None, initial={"code": request.GET.get("ma", "")})
    if request.method == "POST" and form.is_valid():
        try:
            found = services.registration_for_checkin(form.cleaned_data["code"])
            if found.session_id != item.pk:
                raise ValidationError({"code": _("This code is for another session (%(session)s, %(day)s).") % {
                    "session": found.session.programme.name, "day": f"{timezone.localtime(found.session.starts_at):%d/%m/%Y}"}})
            services.registration_check_in(registration=found, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s is checked in.") % {"name": found.enterprise.name})
            return redirect(reverse("dialogue:checkin", args=[item.pk]))
    registrations = selectors.session_registrations(item)
    confirmed = [r for r in registrations if r.status == Registration.Status.CONFIRMED]
    return render(request, "dialogue/checkin.html", {
        "session": item, "form": form, "confirmed": confirmed,
        "checked_in": sum(1 for r in confirmed if r.checked_in_at),
    }, status=400 if form.errors else 200)


@require_safe
def checkin_token(request, token):
    """Where the QR code leads. The session's staff are sent to the scan page with the code
    filled in; anyone else is told to show the code at the entrance."""
    try:
        found = services.registration_for_checkin(token)
    except ValidationError:
        return render(request, "dialogue/checkin_code.html", {"invalid": True}, status=404)
    p = _p(request)
    if p.is_staff_member and access.may_run_session(p, found.session):
        return redirect(f"{reverse('dialogue:checkin', args=[found.session_id])}?ma={token}")
    return render(request, "dialogue/checkin_code.html", {"session": found.session, "invalid": False})


# --- the agenda -------------------------------------------------------------------------------

def _agenda_rows(item: Session):
    """The agenda's questions, each with whether its topic starts a new group."""
    rows, last = [], None
    for question in selectors.agenda(item):
        topic = question.case.topic_id
        rows.append((question, topic != last))
        last = topic
    return rows


def _render_agenda(request, item: Session, *, may_lead: bool, status=200):
    staff = list(forms.staff_of(item.programme.unit))
    return render(request, "dialogue/agenda.html", {
        "session": item, "rows": _agenda_rows(item), "may_lead": may_lead and item.status == Session.Status.SCHEDULED,
        "answerers": staff, "chairs": [u for u in staff if item.programme.unit_id in principal_for(u).units(Role.LEADER)],
    }, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def agenda(request, pk):
    """The questions grouped by topic, with who answers each; the leader reorders them with
    up and down buttons (no JavaScript), names who answers and who chairs."""
    item = _session(pk)
    p = _p(request)
    _require(access.may_run_session(p, item))
    may_lead = access.may_lead_session(p, item)
    if request.method != "POST":
        return _render_agenda(request, item, may_lead=may_lead)
    _require(may_lead)
    order = [int(v) for v in request.POST.getlist("order") if v.isdecimal()]
    move = request.POST.get("move", "")
    if move == "default":
        order = [q.pk for q in selectors.agenda_default(item)]
    elif ":" in move:
        qid, _sep, direction = move.partition(":")
        if qid.isdecimal() and int(qid) in order:
            i = order.index(int(qid))
            j = i - 1 if direction == "up" else i + 1
            if 0 <= j < len(order):
                order[i], order[j] = order[j], order[i]
    answerers = {}
    for qid in order:
        value = request.POST.get(f"answerer_{qid}")
        if value is not None:
            answerers[qid] = int(value) if value.isdecimal() else None
    chair_id = request.POST.get("chair", "")
    chair = User.objects.filter(pk=int(chair_id)).first() if chair_id.isdecimal() else None
    try:
        services.agenda_save(session=item, by=request.user, order=order, answerers=answerers, chair=chair)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _render_agenda(request, item, may_lead=may_lead, status=400)
    messages.success(request, _("The agenda is saved."))
    anchor = f"#question-{move.partition(':')[0]}" if ":" in move else ""
    return redirect(reverse("dialogue:agenda", args=[item.pk]) + anchor)


@require_safe
@login_required
def agenda_print(request, pk):
    item = _session(pk)
    _require(access.may_run_session(_p(request), item))
    return render(request, "dialogue/agenda_print.html", {"session": item, "rows": _agenda_rows(item)})


# --- on the day -------------------------------------------------------------------------------

def _render_on_the_day(request, item: Session, *, bound=None, raise_form=None, status=200):
    p = _p(request)
    bound = bound or {}
    rows = []
    for question, new_group in _agenda_rows(item):
        answer_form = follow_form = None
        if question.outcome == Question.Outcome.PENDING:
            answer_form = bound.get((question.pk, "answer")) or forms.AnswerOnSpotForm(prefix=f"q{question.pk}a")
            follow_form = bound.get((question.pk, "follow_up")) or forms.FollowUpForm(
                prefix=f"q{question.pk}f", unit=item.programme.unit,
                initial={"owner": question.answerer_id or request.user.pk})
        rows.append((question, new_group, answer_form, follow_form))
    error_form = next((f for f in list(bound.values()) + [raise_form] if f is not None and f.errors), None)
    return render(request, "dialogue/on_the_day.html", {
        "session": item, "rows": rows, "may_lead": access.may_lead_session(p, item), "error_form": error_form,
        "raise_form": raise_form or forms.QuestionRaiseForm(session=item),
        "closable": item.status == Session.Status.SCHEDULED
        and timezone.localdate(item.starts_at) <= timezone.localdate(),
    }, status=status)


@require_safe
@login_required
def on_the_day(request, pk):
    item = _session(pk)
    _require(access.may_run_session(_p(request), item))
    return _render_on_the_day(request, item)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def question_new(request, pk):
    item = _session(pk)
    _require(access.may_run_session(_p(request), item))
    if request.method != "POST":
        return redirect(reverse("dialogue:on_the_day", args=[item.pk]) + "#raise")
    form = forms.QuestionRaiseForm(request.POST, session=item)
    if form.is_valid():
        data = form.cleaned_data
        try:
            question = services.question_raise(session=item, by=request.user, registration=data["registration"],
                                               topic=data["topic"], subject=data["subject"],
                                               description=data["description"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The question is on the agenda as case %(reference)s.") % {
                "reference": question.case.reference})
            return redirect(reverse("dialogue:on_the_day", args=[item.pk]) + f"#question-{question.pk}")
    return _render_on_the_day(request, item, raise_form=form, status=400)


@require_POST
@login_required
def question(request, pk):
    found = get_object_or_404(Question.objects.select_related("session", "session__programme",
                                                              "session__programme__unit", "case"), pk=pk)
    item = found.session
    _require(access.may_run_session(_p(request), item))
    action = request.POST.get("action")
    if action == "answer":
        form = forms.AnswerOnSpotForm(request.POST, prefix=f"q{found.pk}a")
        if form.is_valid():
            try:
                services.question_answer_on_spot(question=found, by=request.user, answer=form.cleaned_data["answer"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The answer is recorded and sent to the business as the answer to case %(reference)s.")
                                 % {"reference": found.case.reference})
                return redirect(reverse("dialogue:on_the_day", args=[item.pk]) + f"#question-{found.pk}")
    elif action == "follow_up":
        form = forms.FollowUpForm(request.POST, prefix=f"q{found.pk}f", unit=item.programme.unit)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.question_follow_up(question=found, by=request.user, owner=data["owner"], due=data["due"],
                                            note=data["note"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The follow-up is recorded: case %(reference)s stays open with %(owner)s, due %(day)s.")
                                 % {"reference": found.case.reference, "owner": data["owner"].get_full_name(),
                                    "day": f"{data['due']:%d/%m/%Y}"})
                return redirect(reverse("dialogue:on_the_day", args=[item.pk]) + f"#question-{found.pk}")
    else:
        return HttpResponse(_("Choose to record an answer or a follow-up."), status=400, content_type="text/plain; charset=utf-8")
    return _render_on_the_day(request, item, bound={(found.pk, action): form}, status=400)


@require_POST
@login_required
def session_close(request, pk):
    item = _session(pk)
    _require(access.may_lead_session(_p(request), item))
    try:
        services.session_close(session=item, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("dialogue:on_the_day", args=[item.pk]))
    messages.success(request, _("The session is closed; the businesses that came are sent the survey."))
    return redirect(reverse("dialogue:minutes", args=[item.pk]))


# --- the minutes ------------------------------------------------------------------------------

@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def minutes(request, pk):
    item = _session(pk)
    p = _p(request)
    _require(access.may_run_session(p, item))
    record = Minutes.objects.filter(session=item).first()
    may_lead = access.may_lead_session(p, item)
    form = None
    if record is not None:
        form = forms.MinutesForm(initial={
            "number": record.number, "opening": record.opening, "conclusion": record.conclusion,
            "signer_name": record.signer_name, "signer_position": record.signer_position})
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "prepare":
                services.minutes_prepare(session=item, by=request.user)
                messages.success(request, _("The draft minutes are written from the session's record: read them and complete them."))
                return redirect(reverse("dialogue:minutes", args=[item.pk]))
            if record is None:
                raise Http404
            if action in ("save", "issue"):
                _require(action == "save" or may_lead)
                form = forms.MinutesForm(request.POST)
                if form.is_valid():
                    # Saved and issued together, or neither: a refused issue keeps the draft as it was.
                    with transaction.atomic():
                        services.minutes_save(minutes=record, by=request.user, **form.cleaned_data)
                        if action == "issue":
                            record.refresh_from_db()
                            services.minutes_issue(minutes=record, by=request.user)
                    if action == "issue":
                        messages.success(request, _("The minutes are issued and their summary is sent to the participants."))
                    else:
                        messages.success(request, _("The minutes are saved."))
                    return redirect(reverse("dialogue:minutes", args=[item.pk]))
                status = 400
            else:
                return HttpResponse(_("Choose to save or to issue the minutes."), status=400,
                                    content_type="text/plain; charset=utf-8")
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect(reverse("dialogue:minutes", args=[item.pk]))
            add_service_errors(form, error)
            status = 400
        record = Minutes.objects.filter(session=item).first()
    return render(request, "dialogue/minutes.html", {
        "session": item, "minutes": record, "form": form, "may_lead": may_lead,
        "editable": record is not None and record.state == Minutes.State.DRAFT,
    }, status=status)


def _minutes_file(request, pk, kind: str):
    item = _session(pk)
    _require(access.may_run_session(_p(request), item))
    record = Minutes.objects.filter(session=item).first()
    if record is None:
        raise Http404
    from . import documents

    if kind == "docx":
        content, mime = documents.minutes_docx(record), \
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        content, mime = documents.minutes_pdf(record), "application/pdf"
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="bien-ban-phien-{item.pk}.{kind}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@login_required
def minutes_docx(request, pk):
    return _minutes_file(request, pk, "docx")


@require_safe
@login_required
def minutes_pdf(request, pk):
    return _minutes_file(request, pk, "pdf")


# --- the survey -------------------------------------------------------------------------------

@require_http_methods(["GET", "HEAD", "POST"])
def survey(request, token):
    """The survey by its signed link, without logging in. A forged link answers 404 and a
    used one 400, each with a page that says so."""
    try:
        found = services.registration_for_survey(token)
    except ValidationError as error:
        return render(request, "dialogue/survey_done.html", {"problem": "invalid", "message": " ".join(error.messages)},
                      status=404)
    if hasattr(found, "survey_response") and request.method != "POST":
        return render(request, "dialogue/survey_done.html", {"problem": "used", "session": found.session}, status=400)
    form = forms.SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_submit(token=token, **form.cleaned_data)
        except ValidationError as error:
            if Registration.objects.filter(pk=found.pk, survey_response__isnull=False).exists():
                return render(request, "dialogue/survey_done.html", {"problem": "used", "session": found.session},
                              status=400)
            add_service_errors(form, error)
        else:
            return render(request, "dialogue/survey_done.html", {"problem": None, "session": found.session})
    return render(request, "dialogue/survey.html", {"form": form, "session": found.session,
                                                    "registration": found},
                  status=400 if request.method == "POST" else 200)


# --- lists --------------------------------------------------------------------------------------

@require_safe
@login_required
def mine(request):
    p = _p(request)
    enterprises = _business_enterprises(p)
    _require(bool(enterprises))
    now = timezone.now()
    groups = []
    for enterprise in enterprises:
        registrations = list(selectors.enterprise_registrations(enterprise))
        groups.append((enterprise, [r for r in registrations if r.session.ends_at > now],
                       [r for r in registrations if r.session.ends_at <= now]))
    return render(request, "dialogue/mine.html", {"groups": groups})


@require_safe
@login_required
def follow_ups(request):
    p = _p(request)
    _require(p.is_staff_member)
    show_all = request.GET.get("tat-ca") == "1"
    items = selectors.follow_ups(open_only=not show_all).filter(session__in=access.sessions_run_by(p))
    today = timezone.localdate()
    return render(request, "dialogue/follow_ups.html", {
        "rows": [(q, q.case.is_open and q.follow_up_due and q.follow_up_due < today) for q in items],
        "show_all": show_all,
    })
