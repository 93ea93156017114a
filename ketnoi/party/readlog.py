"""The access log of party data (Nhật ký truy cập dữ liệu đảng viên): who read which member's
record, or which list, when and how (``MemberRead``, written by ``selectors.log_read``).

Decree 13/2023/NĐ-CP counts political views among sensitive personal data (Art. 2.4), and
whoever processes personal data must be able to show how it did (the accountability principle,
Art. 3): the party office reads this log, filtered by member, reader and dates, and downloads it as XLSX. No one else
does, administrators and secretaries included. Reading the log is itself a read of party data
(it names members) and is logged as one read of a list.
"""

import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from ketnoi.accounts.access import Principal, may_see_party_register, principal_for
from ketnoi.front.forms import DateField
from ketnoi.lib import vntext

from . import selectors
from .models import MemberRead

PAGE_SIZE = 50
# An export longer than this is cut (and says so): narrow the dates for more.
MAX_EXPORT_ROWS = 200_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

CHANNEL_LABELS = {
    selectors.Channel.PAGE: gettext_lazy("page"),
    selectors.Channel.API: gettext_lazy("API"),
    selectors.Channel.EXPORT: gettext_lazy("export"),
    selectors.Channel.SEARCH: gettext_lazy("search"),
}


class ReadLogFilterForm(forms.Form):
    member = forms.CharField(label=gettext_lazy("Member"), required=False, max_length=150,
                             help_text=gettext_lazy("A name (accents not needed) or the member's number in ketnoi."))
    reader = forms.CharField(label=gettext_lazy("Read by"), required=False, max_length=150,
                             help_text=gettext_lazy("A user name or part of a full name."))
    date_from = DateField(label=gettext_lazy("From"), help_text=gettext_lazy("dd/mm/yyyy"))
    date_to = DateField(label=gettext_lazy("To"), help_text=gettext_lazy("dd/mm/yyyy"))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date must be on or after the start date."))
        return data


@dataclass(frozen=True)
class Filters:
    member: str = ""
    reader: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def describe(self) -> str:
        parts = [f"{name}={value}" for name, value in (("member", self.member), ("reader", self.reader),
                                                       ("from", self.date_from), ("to", self.date_to)) if value]
        return "read log" + (f" ({', '.join(parts)})" if parts else "")


def reads(p: Principal, filters: Filters) -> QuerySet:
    """The log, newest first, filtered; PermissionDenied for anyone but the party office."""
    if not may_see_party_register(p):
        raise PermissionDenied
    qs = MemberRead.objects.select_related("user", "member", "member__organisation").order_by("-at", "-id")
    member = filters.member.strip()
    if member.isascii() and member.isdigit():  # not "²", which isdigit() but int() refuses
        qs = qs.filter(member_id=int(member))
    elif member:
        qs = qs.filter(member__name_folded__contains=vntext.fold(vntext.normalize(member)))
    reader = filters.reader.strip()
    if reader:
        qs = qs.filter(Q(user__username__iexact=reader) | Q(user__full_name__icontains=reader))
    zone = timezone.get_current_timezone()
    if filters.date_from:
        qs = qs.filter(at__gte=datetime.combine(filters.date_from, time.min, tzinfo=zone))
    if filters.date_to:
        qs = qs.filter(at__lt=datetime.combine(filters.date_to + timedelta(days=1), time.min, tzinfo=zone))
    return qs


def export(p: Principal, filters: Filters) -> bytes:
    """The filtered log as an XLSX workbook (written as it is read: the log may be long)."""
    from openpyxl import Workbook

    qs = reads(p, filters)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Access log"))
    sheet.append([_("Time"), _("Read by"), _("User name"), _("How"), _("Member"), _("Member number"),
                  _("Organisation"), _("Detail")])
    n = 0
    for read in qs[:MAX_EXPORT_ROWS + 1].iterator(chunk_size=2000):
        n += 1
        if n > MAX_EXPORT_ROWS:
            sheet.append([_("Cut at %(n)d rows: choose shorter dates for the rest.") % {"n": MAX_EXPORT_ROWS}])
            break
        member = read.member
        sheet.append([timezone.localtime(read.at).strftime("%d/%m/%Y %H:%M:%S"), read.user.full_name,
                      read.user.username, str(CHANNEL_LABELS.get(read.channel, read.channel)),
                      member.full_name if member else "", member.pk if member else None,
                      member.organisation.name if member else "", read.detail])
    out = io.BytesIO()
    book.save(out)
    selectors.log_read(p, channel=selectors.Channel.EXPORT, count=min(n, MAX_EXPORT_ROWS), detail=filters.describe())
    return out.getvalue()


# --- views (/dang-bo/nhat-ky-truy-cap/) ------------------------------------------------------

def _filters(request) -> tuple[ReadLogFilterForm, Filters | None]:
    form = ReadLogFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return form, None
    data = form.cleaned_data if request.GET else {}
    return form, Filters(member=data.get("member") or "", reader=data.get("reader") or "",
                         date_from=data.get("date_from"), date_to=data.get("date_to"))


def _party_office(request) -> Principal:
    p = principal_for(request.user)
    if not may_see_party_register(p):
        raise PermissionDenied
    return p


@require_safe
@login_required
def read_log(request):
    p = _party_office(request)
    form, filters = _filters(request)
    if filters is None:
        return render(request, "party/read_log.html", {"form": form, "page": None}, status=400)
    page = Paginator(reads(p, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.log_read(p, channel=selectors.Channel.PAGE, count=len(page.object_list), detail=filters.describe())
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "party/read_log.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "rows": [(read, CHANNEL_LABELS.get(read.channel, read.channel)) for read in page.object_list],
    })


@require_safe
@login_required
def read_log_export(request):
    p = _party_office(request)
    form, filters = _filters(request)
    if filters is None:
        return render(request, "party/read_log.html", {"form": form, "page": None}, status=400)
    response = HttpResponse(export(p, filters), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="nhat-ky-truy-cap-{timezone.localdate():%Y%m%d}.xlsx"'
    return response
