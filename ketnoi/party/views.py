"""The party register pages (Đảng bộ): the organisation tree, members, badges, ratings,
commendations, events and initiatives. Party membership is sensitive personal data: every view
asks access.may_read_register first and answers 403 to everyone else, whatever their other roles.
Thin: parse, check access, call one service or selector, render."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from ketnoi.accounts.access import principal_for

from . import access, selectors
from .models import Member, Organisation


def _p(request):
    return principal_for(request.user)


def _reader(request):
    if not access.may_read_register(_p(request)):
        raise PermissionDenied


@require_safe
@login_required
def home(request):
    _reader(request)
    nodes = selectors.organisation_tree(_p(request))
    return render(request, "party/home.html", {"nodes": nodes})


@require_safe
@login_required
def organisation(request, pk):
    _reader(request)
    item = get_object_or_404(Organisation, pk=pk)
    if not access.may_see_organisation(_p(request), item):
        raise Http404
    return render(request, "party/home.html", {"nodes": []})


@require_safe
@login_required
def member(request, pk):
    _reader(request)
    item = get_object_or_404(Member, pk=pk)
    detail = selectors.member_detail(_p(request), item, channel=selectors.Channel.PAGE)
    return render(request, "party/home.html", {"nodes": [], "detail": detail})
