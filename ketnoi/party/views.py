"""The party register pages (Đảng bộ): the organisation tree, members, badges, ratings,
commendations, events and creative models.

Party membership is sensitive personal data: every view asks access.may_read_register first and
answers 403 to everyone else, whatever their other roles (administrators and superusers
included); writes are the party office's (access.may_edit_register). A member or organisation a
secretary may not see answers 404. Reads of members go through selectors, which log them.
Thin: parse, check access, call one service or selector, render."""

import io
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ketnoi.accounts.access import principal_for
from ketnoi.front.forms import add_service_errors
from ketnoi.lib import badges as badge_rules
from ketnoi.lib import commendation as commendation_rules
from ketnoi.lib import party_age, party_org
from ketnoi.lib import party_rating as rating_rules

from . import access, awards, forms, selectors, services, xlsx
from .models import Commendation, Event, Gap, Initiative, Member, Organisation, Rating

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _p(request):
    return principal_for(request.user)


def _reader(request):
    if not access.may_read_register(_p(request)):
        raise PermissionDenied


def _editor(request):
    if not access.may_edit_register(_p(request)):
        raise PermissionDenied


def _lang() -> str:
    return forms._lang()


def _organisation_or_404(request, pk) -> Organisation:
    found = access.visible_organisations(_p(request)).filter(pk=pk).select_related("parent", "unit", "successor").first()
    if found is None:
        raise Http404
    return found


def _member_or_404(request, pk) -> Member:
    found = access.visible_members(_p(request)).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- the organisation tree ----------------------------------------------------------------------

@require_safe
@login_required
def home(request):
    _reader(request)
    p = _p(request)
    nodes = selectors.organisation_tree(p, include_closed=True)
    language = _lang()
    rows = [(node, party_org.KIND_LABELS[party_org.Kind(node.organisation.kind)][language]) for node in nodes]
    return render(request, "party/home.html", {
        "open_rows": [row for row in rows if row[0].organisation.dissolved_on is None],
        "closed_rows": [row for row in rows if row[0].organisation.dissolved_on is not None],
        "may_edit": access.may_edit_register(p),
    })


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def organisation_new(request):
    _editor(request)
    form = forms.OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.organisation_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The organisation %(name)s was created.") % {"name": created.name})
            return redirect(created)
    return render(request, "party/organisation_form.html", {"form": form}, status=400 if form.errors else 200)


def _organisation_page(request, item, *, close_form=None, secretaries_form=None, status=200):
    p = _p(request)
    may_edit = access.may_edit_register(p)
    language = _lang()
    node = next((n for n in selectors.organisation_tree(p, include_closed=True) if n.organisation.pk == item.pk), None)
    return render(request, "party/organisation.html", {
        "organisation": item, "node": node, "may_edit": may_edit,
        "kind_label": party_org.KIND_LABELS[party_org.Kind(item.kind)][language],
        "children": item.children.order_by("dissolved_on", "name"),
        "secretaries": item.secretaries.order_by("full_name"),
        "close_form": close_form or (forms.CloseForm(organisation=item) if may_edit else None),
        "secretaries_form": secretaries_form or (
            forms.SecretariesForm(initial={"secretaries": list(item.secretaries.all())}) if may_edit else None),
        "predecessors": item.predecessors.order_by("name"),
    }, status=status)


@require_safe
@login_required
def organisation(request, pk):
    _reader(request)
    return _organisation_page(request, _organisation_or_404(request, pk))


@require_POST
@login_required
def organisation_close(request, pk):
    _editor(request)
    item = _organisation_or_404(request, pk)
    form = forms.CloseForm(request.POST, organisation=item)
    if form.is_valid():
        try:
            services.organisation_close(organisation=item, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The organisation was closed; it stays in the register's history."))
            return redirect(item)
    return _organisation_page(request, item, close_form=form, status=400)


@require_POST
@login_required
def organisation_secretaries(request, pk):
    _editor(request)
    item = _organisation_or_404(request, pk)
    form = forms.SecretariesForm(request.POST)
    if form.is_valid():
        services.organisation_set_secretaries(organisation=item, secretaries=form.cleaned_data["secretaries"],
                                              by=request.user)
        messages.success(request, _("The secretaries were saved."))
        return redirect(item)
    return _organisation_page(request, item, secretaries_form=form, status=400)


# --- members -----------------------------------------------------------------------------------

def _member_filters(request):
    p = _p(request)
    form = forms.MemberFilterForm(request.GET or None, organisations=access.visible_organisations(p))
    data = form.cleaned_data if form.is_valid() else {}
    return form, {"organisation": data.get("organisation"), "status": data.get("status") or None,
                  "q": data.get("q") or None}


@require_safe
@login_required
def members(request):
    _reader(request)
    form, filters = _member_filters(request)
    if form.errors:
        return render(request, "party/members.html", {"form": form, "page": None}, status=400)
    rows = selectors.members(_p(request), channel=selectors.Channel.PAGE, **filters)
    page = Paginator(rows, forms.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "party/members.html", {
        "form": form, "page": page, "query": query.urlencode(), "may_edit": access.may_edit_register(_p(request)),
    })


@require_safe
@login_required
def members_export(request):
    _reader(request)
    form, filters = _member_filters(request)
    if form.errors:
        return render(request, "party/members.html", {"form": form, "page": None}, status=400)
    content = selectors.members_export(_p(request), **filters)
    return _xlsx(content, f"dang-vien-{timezone.localdate():%Y%m%d}.xlsx")


@require_safe
@login_required
def import_template(request):
    _editor(request)
    return _xlsx(xlsx.template(), "mau-nhap-dang-vien.xlsx")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def members_import(request):
    """Send a workbook: it is kept and imported by the background worker, and the page sends
    the person to the job's page. Back here with ?tac-vu=<job>, a refused import's rows to
    correct are listed (only to the person who sent it)."""
    from ketnoi.background import kinds as background_kinds
    from ketnoi.background import selectors as background

    _editor(request)
    p = _p(request)
    form = forms.ImportForm(request.POST, request.FILES) if request.method == "POST" else forms.ImportForm()
    if request.method == "POST" and form.is_valid():
        try:
            job = background_kinds.members_import_request(file=form.cleaned_data["file"], by=request.user,
                                                          language=translation.get_language())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The file is being checked and imported. This page shows how far it has gone."))
            return redirect("background:job", job_id=job.pk)
    followed, problems = None, []
    if request.GET.get("tac-vu", "").isdecimal():
        followed = background.job_for(p=p, job_id=int(request.GET["tac-vu"]))
        if (followed is None or followed.kind != background_kinds.MEMBERS_IMPORT
                or followed.requested_by_id != p.user_id):
            raise Http404
        problems = background_kinds.members_import_problems(followed)
    return render(request, "party/import.html", {
        "form": form, "problems": problems, "followed": followed,
        "jobs": background.jobs_requested(p=p, kind=background_kinds.MEMBERS_IMPORT),
    }, status=400 if form.errors else 200)


def _member_page(request, item, status=200, **bound):
    p = _p(request)
    detail = selectors.member_detail(p, item, channel=selectors.Channel.PAGE)
    may_edit = access.may_edit_register(p)
    language = _lang()
    member = detail.member
    context = {
        "detail": detail, "member": member, "may_edit": may_edit,
        "gaps": [(gap, party_age.GAP_REASON_LABELS[party_age.GapReason(gap.reason)][language]) for gap in detail.gaps],
        "ratings": awards.rating_history(member),
        "commendations": [(c, commendation_rules.FORM_LABELS[commendation_rules.Form(c.form)][language],
                           commendation_rules.ISSUER_LABELS[commendation_rules.Issuer(c.issuer)][language])
                          for c in detail.commendations],
        "reads": list(selectors.member_reads(p, member=member)[:50]) if may_edit else [],
        "admission_source": "decision" if member.admission_decision_on else "card",
        "age": age_text(detail.party_age_months),
    }
    if may_edit:
        context.update({
            "gap_form": bound.get("gap_form") or forms.GapForm(),
            "gap_end_form": bound.get("gap_end_form") or forms.GapEndForm(),
            "gap_end_for": bound.get("gap_end_for"),
            "transfer_form": bound.get("transfer_form") or forms.TransferForm(),
            "status_form": bound.get("status_form") or forms.StatusForm(),
        })
    return render(request, "party/member.html", context, status=status)


@require_safe
@login_required
def member(request, pk):
    _reader(request)
    return _member_page(request, _member_or_404(request, pk))


def _member_initial(item: Member) -> dict:
    return {name: getattr(item, name) for name in services.MEMBER_FIELDS}


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def member_edit(request, pk):
    _editor(request)
    item = _member_or_404(request, pk)
    form = forms.MemberForm(request.POST or None, initial=_member_initial(item))
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(member=item, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The member's record was saved."))
            return redirect(item)
    selectors.log_read(_p(request), channel=selectors.Channel.PAGE, member=item, detail="edit form")
    return render(request, "party/member_form.html", {"form": form, "member": item},
                  status=400 if form.errors else 200)


def _member_write(request, pk, form_class, form_name, call, success):
    _editor(request)
    item = _member_or_404(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(item, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(item)
    return _member_page(request, item, status=400, **{form_name: form})


@require_POST
@login_required
def gap_add(request, pk):
    return _member_write(request, pk, forms.GapForm, "gap_form",
                         lambda m, d: services.gap_add(member=m, by=request.user, **d),
                         _("The period outside party activity was recorded."))


@require_POST
@login_required
def gap_end(request, pk, gap_pk):
    gap = get_object_or_404(Gap, pk=gap_pk, member_id=pk)
    response = _member_write(request, pk, forms.GapEndForm, "gap_end_form",
                             lambda m, d: services.gap_end(gap=gap, by=request.user, **d),
                             _("The member's return was recorded."))
    return response


@require_POST
@login_required
def transfer(request, pk):
    return _member_write(request, pk, forms.TransferForm, "transfer_form",
                         lambda m, d: services.member_transfer(member=m, by=request.user, **d),
                         _("The transfer was recorded."))


@require_POST
@login_required
def member_status(request, pk):
    return _member_write(request, pk, forms.StatusForm, "status_form",
                         lambda m, d: services.member_set_status(member=m, by=request.user, **d),
                         _("The member's status was recorded."))


# --- badges ------------------------------------------------------------------------------------

def _next_occasions(today: date) -> list[tuple[date, str]]:
    """The next occasion of each of the four anniversaries, soonest first."""
    language = _lang()
    found = []
    for occasion in badge_rules.OCCASIONS:
        day = date(today.year, occasion.month, occasion.day)
        if day < today:
            day = date(today.year + 1, occasion.month, occasion.day)
        found.append((day, getattr(occasion, language)))
    return sorted(found)


def age_text(months: int | None) -> str:
    """Party age as "32 năm 4 tháng"."""
    if months is None:
        return "–"
    years, months = divmod(months, 12)
    return _("%(years)d years %(months)d months") % {"years": years, "months": months}


def _badge_age(row, day: date) -> str:
    """The member's party age on ``day``: the threshold's months, plus or minus the whole months
    between the day it is reached and ``day`` (gaps are already in ``reaches_on``)."""
    if row.reaches_on is None:
        return "–"
    if row.reaches_on <= day:
        return age_text(12 * row.threshold + party_age.whole_months_between(row.reaches_on, day))
    return age_text(12 * row.threshold - party_age.whole_months_between(day, row.reaches_on)
                    - (0 if party_age.add_months(day, party_age.whole_months_between(day, row.reaches_on))
                       == row.reaches_on else 1))


def _badge_list(request):
    """(form, day, organisation, rows grouped by threshold) or a 400 response."""
    p = _p(request)
    form = forms.BadgeFilterForm(request.GET or None, organisations=access.visible_organisations(p))
    if request.GET and not form.is_valid():
        return form, None, None, None
    data = form.cleaned_data if request.GET else {}
    day = data.get("on") or badge_rules.next_occasion(timezone.localdate())
    scope = data.get("organisation")
    rows = awards.badge_eligibility(p, on=day, organisation=scope)
    selectors.log_read(p, channel=selectors.Channel.PAGE, count=len(rows), detail=f"badge eligibility {day:%d/%m/%Y}")
    groups = {}
    for row in rows:
        groups.setdefault(row.threshold, []).append((row, _badge_age(row, day)))
    return form, day, scope, sorted(groups.items())


@require_safe
@login_required
def badges(request):
    _reader(request)
    form, day, scope, groups = _badge_list(request)
    if day is None:
        return render(request, "party/badges.html", {"form": form, "groups": None,
                                                      "occasions": _next_occasions(timezone.localdate())}, status=400)
    query = f"on={day:%Y-%m-%d}" + (f"&organisation={scope.pk}" if scope else "")
    return render(request, "party/badges.html", {
        "form": form, "day": day, "scope": scope, "groups": groups, "query": query,
        "occasions": _next_occasions(timezone.localdate()), "may_edit": access.may_edit_register(_p(request)),
        "total": sum(len(rows) for _t, rows in groups),
    })


@require_safe
@login_required
def badges_print(request):
    _reader(request)
    form, day, scope, groups = _badge_list(request)
    if day is None:
        raise Http404
    return render(request, "party/badges_print.html", {"day": day, "scope": scope, "groups": groups,
                                                       "total": sum(len(rows) for _t, rows in groups)})


@require_safe
@login_required
def badges_xlsx(request):
    from openpyxl import Workbook

    _reader(request)
    form, day, scope, groups = _badge_list(request)
    if day is None:
        return render(request, "party/badges.html", {"form": form, "groups": None,
                                                      "occasions": _next_occasions(timezone.localdate())}, status=400)
    book = Workbook()
    sheet = book.active
    sheet.title = f"{day:%d-%m-%Y}"
    sheet.append([_("Badge"), _("Full name"), _("Organisation"), _("Admitted"), _("Party age"), _("Reaches the threshold on"),
                  _("Cash gift (₫)"), _("For decision")])
    for threshold, rows in groups:
        for row, age in rows:
            sheet.append([threshold, row.full_name, row.organisation, f"{row.admitted_on:%d/%m/%Y}", age,
                          f"{row.reaches_on:%d/%m/%Y}" if row.reaches_on else "", row.gift_amount, row.early_label])
    out = io.BytesIO()
    book.save(out)
    return _xlsx(out.getvalue(), f"huy-hieu-{day:%Y%m%d}.xlsx")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def badge_award(request):
    """The form recording an award decision, reached from a row of the badge list (the member,
    badge, occasion and early ground come with the link)."""
    _editor(request)
    data = request.POST if request.method == "POST" else request.GET
    member_id = str(data.get("member", ""))
    item = access.visible_members(_p(request)).filter(pk=member_id).first() if member_id.isdecimal() else None
    if item is None:
        raise Http404
    if request.method == "POST":
        form = forms.BadgeAwardForm(request.POST)
        if form.is_valid():
            values = dict(form.cleaned_data)
            values.pop("member")
            try:
                awards.badge_award(member=item, by=request.user, **values)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The %(years)d-year badge of %(name)s was recorded.")
                                 % {"years": values["threshold"], "name": item.full_name})
                return redirect(f"{reverse('party:badges')}?on={values['occasion']:%Y-%m-%d}")
    else:
        try:
            occasion = date.fromisoformat(data.get("on", ""))
        except ValueError:
            occasion = None
        form = forms.BadgeAwardForm(initial={"member": item.pk, "threshold": data.get("threshold"),
                                             "occasion": occasion, "early_ground": data.get("early_ground", ""),
                                             "decided_on": timezone.localdate()})
    selectors.log_read(_p(request), channel=selectors.Channel.PAGE, member=item, detail="badge award form")
    early = str(data.get("early_ground") or "")
    early_label = (badge_rules.EARLY_GROUND_LABELS[badge_rules.EarlyGround(early)][_lang()]
                   if early in badge_rules.EarlyGround.__members__.values() else "")
    return render(request, "party/badge_award.html", {
        "form": form, "member": item, "threshold": data.get("threshold"), "early_label": early_label,
    }, status=400 if form.errors else 200)


# --- ratings -----------------------------------------------------------------------------------

def _year_or_404(year: int) -> int:
    if not awards.FIRST_YEAR <= year <= timezone.localdate().year + 1:
        raise Http404
    return year


def _ratings_page(request, year, *, member_form=None, organisation_form=None, import_form=None, problems=(),
                  status=200):
    p = _p(request)
    visible = set(access.visible_organisations(p).values_list("id", flat=True))
    language = _lang()
    quotas = [q for q in awards.quota_by_organisation(year).values() if q.organisation_id in visible]
    levels = list(rating_rules.LEVELS)
    rows = []
    for quota in quotas:
        by_level = {level: 0 for level in levels}
        for code, n in quota.counts.items():
            by_level[rating_rules.current_level(code)] += n
        rows.append((quota, [by_level[level] for level in levels]))
    organisation_ratings = (Rating.objects.filter(year=year, organisation_id__in=visible)
                            .select_related("organisation").order_by("organisation__name"))
    may_edit = access.may_edit_register(p)
    return render(request, "party/ratings.html", {
        "year": year, "rows": rows, "level_labels": [rating_rules.label(level, language) for level in levels],
        "organisation_ratings": [(r, rating_rules.label(r.level, language)) for r in organisation_ratings],
        "may_edit": may_edit, "problems": problems,
        "member_form": member_form or forms.MemberRatingForm(),
        "organisation_form": organisation_form or forms.OrganisationRatingForm(),
        "import_form": import_form or forms.RatingImportForm(),
        "years": [year - 1, year + 1] if year < timezone.localdate().year + 1 else [year - 1],
    }, status=status)


@require_safe
@login_required
def ratings(request, year):
    _reader(request)
    return _ratings_page(request, _year_or_404(year))


@require_POST
@login_required
def rating_member(request, year):
    _editor(request)
    year = _year_or_404(year)
    form = forms.MemberRatingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        item = Member.objects.filter(card_number="".join(data["card_number"].split())).first()
        if item is None:
            form.add_error("card_number", _("No member has this party card number."))
        else:
            try:
                outcome = awards.rating_set(year=year, level=data["level"], member=item, score=data["score"],
                                            note=data["note"], by=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The rating of %(name)s for %(year)d was saved.")
                                 % {"name": item.full_name, "year": year})
                for warning in outcome.warnings:
                    messages.warning(request, warning)
                return redirect("party:ratings", year=year)
    return _ratings_page(request, year, member_form=form, status=400)


@require_POST
@login_required
def rating_organisation(request, year):
    _editor(request)
    year = _year_or_404(year)
    form = forms.OrganisationRatingForm(request.POST)
    if form.is_valid():
        try:
            awards.rating_set(year=year, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The rating of %(name)s for %(year)d was saved.")
                             % {"name": form.cleaned_data["organisation"].name, "year": year})
            return redirect("party:ratings", year=year)
    return _ratings_page(request, year, organisation_form=form, status=400)


@require_POST
@login_required
def ratings_import(request, year):
    _editor(request)
    year = _year_or_404(year)
    form = forms.RatingImportForm(request.POST, request.FILES)
    problems = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload is None:
            form.add_error("file", _("Choose the XLSX file of the ratings."))
        else:
            try:
                result = awards.ratings_import(year=year, file=upload, by=request.user)
            except ValidationError as error:
                problems = error.message_dict.get("file") or error.messages
                form.add_error("file", _("The file was not imported: nothing was saved. Correct the rows below and "
                                         "send it again."))
            else:
                messages.success(request, ngettext("%(n)d rating was imported.", "%(n)d ratings were imported.",
                                                   result["count"]) % {"n": result["count"]})
                for warning in result["warnings"]:
                    messages.warning(request, warning)
                return redirect("party:ratings", year=year)
    return _ratings_page(request, year, import_form=form, problems=problems, status=400)


# --- commendations -----------------------------------------------------------------------------

def _commendations_page(request, year, *, form=None, status=200):
    p = _p(request)
    candidates = awards.commendation_candidates(p, year=year)
    selectors.log_read(p, channel=selectors.Channel.PAGE,
                       count=len({c.subject_id for c in candidates if c.subject == "member"}),
                       detail=f"commendation candidates {year}")
    language = _lang()
    recorded = (Commendation.objects.filter(year=year)
                .filter(Q(member__in=access.visible_members(p)) | Q(organisation__in=access.visible_organisations(p)))
                .select_related("member", "organisation", "event").order_by("-decided_on", "id"))
    return render(request, "party/commendations.html", {
        "year": year, "candidates": candidates, "may_edit": access.may_edit_register(p), "form": form,
        "recorded": [(c, commendation_rules.FORM_LABELS[commendation_rules.Form(c.form)][language],
                      commendation_rules.ISSUER_LABELS[commendation_rules.Issuer(c.issuer)][language])
                     for c in recorded],
        "years": [year - 1, year + 1] if year < timezone.localdate().year + 1 else [year - 1],
    }, status=status)


@require_safe
@login_required
def commendations(request, year):
    _reader(request)
    return _commendations_page(request, _year_or_404(year))


@require_POST
@login_required
def commendation_record(request, year):
    _editor(request)
    year = _year_or_404(year)
    form = forms.CommendationForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        subject, subject_id = data.pop("subject"), data.pop("subject_id")
        if subject == commendation_rules.Subject.MEMBER:
            data["member"] = _member_or_404(request, subject_id)
        else:
            data["organisation"] = _organisation_or_404(request, subject_id)
        try:
            awards.commendation_record(year=year, by=request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The commendation was recorded."))
            return redirect("party:commendations", year=year)
    return _commendations_page(request, year, form=form, status=400)


# --- events ------------------------------------------------------------------------------------

def _events_page(request, form=None, status=200):
    p = _p(request)
    events = Event.objects.filter(organisation__in=access.visible_organisations(p)).select_related("organisation")
    return render(request, "party/events.html", {
        "events": events, "may_edit": access.may_edit_register(p),
        "form": form or (forms.EventForm() if access.may_edit_register(p) else None),
    }, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def events(request):
    _reader(request)
    if request.method != "POST":
        return _events_page(request)
    _editor(request)
    form = forms.EventForm(request.POST)
    if form.is_valid():
        try:
            created = awards.event_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The event was recorded."))
            return redirect("party:event", pk=created.pk)
    return _events_page(request, form=form, status=400)


def _event_or_404(request, pk) -> Event:
    found = Event.objects.filter(pk=pk, organisation__in=access.visible_organisations(_p(request))).first()
    if found is None:
        raise Http404
    return found


def _event_page(request, item, form=None, status=200, error=""):
    p = _p(request)
    detail = awards.event_detail(p, item)
    may_edit = access.may_edit_register(p)
    to_present = awards.awards_to_present(p, item) if may_edit else None
    named = {a.member_id for a in [*detail.badges, *detail.commendations,
                                   *(to_present.badges + to_present.commendations if to_present else [])] if a.member_id}
    selectors.log_read(p, channel=selectors.Channel.PAGE, count=len(named), detail=f"event {item.pk}")
    return render(request, "party/event.html", {
        "detail": detail, "event": item, "may_edit": may_edit, "error": error,
        "to_present": to_present,
        "form": form or (forms.ContributionForm() if may_edit and item.kind == Event.Kind.CONFERENCE else None),
    }, status=status)


@require_safe
@login_required
def event(request, pk):
    _reader(request)
    return _event_page(request, _event_or_404(request, pk))


@require_POST
@login_required
def contribution_add(request, pk):
    _editor(request)
    item = _event_or_404(request, pk)
    form = forms.ContributionForm(request.POST)
    if form.is_valid():
        try:
            awards.contribution_add(event=item, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The contribution was added."))
            return redirect("party:event", pk=item.pk)
    return _event_page(request, item, form=form, status=400)


@require_POST
@login_required
def event_present(request, pk):
    """Mark the badges and commendations ticked on the ceremony's page as presented there."""
    _editor(request)
    item = _event_or_404(request, pk)
    offered = awards.awards_to_present(_p(request), item)
    chosen_badges = [b for b in offered.badges if str(b.pk) in request.POST.getlist("badge")]
    chosen_commendations = [c for c in offered.commendations if str(c.pk) in request.POST.getlist("commendation")]
    if not chosen_badges and not chosen_commendations:
        return _event_page(request, item, status=400, error=_("Tick the badges and commendations presented at the ceremony."))
    try:
        awards.event_present(event=item, by=request.user, badges=chosen_badges, commendations=chosen_commendations)
    except ValidationError as error:
        return _event_page(request, item, status=400, error=" ".join(error.messages))
    messages.success(request, ngettext("%(n)d award was marked as presented.", "%(n)d awards were marked as presented.",
                                       len(chosen_badges) + len(chosen_commendations))
                     % {"n": len(chosen_badges) + len(chosen_commendations)})
    return redirect("party:event", pk=item.pk)


# --- creative models ---------------------------------------------------------------------------

def _initiatives_page(request, form=None, status=200):
    p = _p(request)
    items = (Initiative.objects.filter(organisation__in=access.visible_organisations(p))
             .select_related("organisation", "programme").order_by("name"))
    may_edit = access.may_edit_register(p)
    return render(request, "party/initiatives.html", {
        "initiatives": items, "may_edit": may_edit, "form": form or (forms.InitiativeForm() if may_edit else None),
    }, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def initiatives(request):
    _reader(request)
    if request.method != "POST":
        return _initiatives_page(request)
    _editor(request)
    form = forms.InitiativeForm(request.POST)
    if form.is_valid():
        try:
            created = awards.initiative_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The creative model was recorded."))
            return redirect("party:initiative", pk=created.pk)
    return _initiatives_page(request, form=form, status=400)


@require_safe
@login_required
def initiative(request, pk):
    _reader(request)
    return _initiative_page(request, _initiative_or_404(request, pk))


def _initiative_or_404(request, pk) -> Initiative:
    item = Initiative.objects.filter(pk=pk, organisation__in=access.visible_organisations(_p(request))).select_related(
        "organisation", "programme").first()
    if item is None:
        raise Http404
    return item


def _initiative_page(request, item, form=None, status=200):
    may_edit = access.may_edit_register(_p(request))
    return render(request, "party/initiative.html", {
        "initiative": item, "figures": awards.initiative_figures(item),
        "commitments": item.commitments.select_related("operator").order_by("-period_from"),
        "form": form or (forms.InitiativeLinkForm() if may_edit else None),
    }, status=status)


@require_POST
@login_required
def initiative_link(request, pk):
    _editor(request)
    item = _initiative_or_404(request, pk)
    form = forms.InitiativeLinkForm(request.POST)
    if form.is_valid():
        awards.initiative_link(initiative=item, by=request.user, **form.cleaned_data)
        messages.success(request, _("The creative model was linked."))
        return redirect("party:initiative", pk=item.pk)
    return _initiative_page(request, item, form=form, status=400)

