"""The prices pages. Thin: parse, check access, call one service or selector, render."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from . import selectors
from .models import Commitment, Facility


@require_safe
def board(request):
    return render(request, "prices/board.html", {"facilities": list(selectors.facilities())})


@require_safe
def facility(request, pk):
    place = get_object_or_404(Facility.objects.select_related("operator", "unit"), pk=pk)
    price_list, rows = selectors.current_prices(place)
    return render(request, "prices/facility.html", {"facility": place, "price_list": price_list, "rows": rows})


@require_safe
def commitment(request, pk):
    item = get_object_or_404(Commitment.objects.select_related("operator"), pk=pk)
    return render(request, "prices/commitment.html", {"commitment": item})


def _todo(request, *args, **kwargs):
    raise Http404


file_list = xlsx_template = service = mine = commitments = commitment_new = follow_up = breaches = _todo
