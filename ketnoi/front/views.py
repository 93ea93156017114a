from django.conf import settings
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from ketnoi.accounts import access
from ketnoi.accounts.access import principal_for
from ketnoi.accounts.selectors import staff_of_unit
from ketnoi.accounts.services import user_set_language
from ketnoi.org import selectors as org_selectors
from ketnoi.org.models import Unit


def home(request):
    return render(request, "front/home.html")


def favicon(request):
    return HttpResponsePermanentRedirect(static("img/logo.svg"))


@never_cache
def healthz(request):
    vendor = {"sqlite": "sqlite", "postgresql": "postgresql"}.get(connection.vendor, connection.vendor)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": vendor}, status=503)
    return JsonResponse({"status": "ok", "database": vendor})


@require_POST
def set_language(request):
    """Django's language switch; for a signed-in user the choice is also saved on the account."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        # Django's switch takes any language it has a catalogue for ("fr", "en-xx"): ketnoi
        # offers two, so anything else only sends the visitor back, changing nothing.
        request.POST = request.POST.copy()
        request.POST.pop("language", None)
    elif request.user.is_authenticated:
        user_set_language(user=request.user, language=language)
    return django_set_language(request)


def units(request):
    return render(request, "front/units.html", {"tree": org_selectors.unit_tree()})


def unit(request, unit_id):
    unit = Unit.objects.select_related("parent", "successor").filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    p = principal_for(request.user)
    staff = staff_of_unit(unit=unit) if access.may_act_for_unit(p, unit.pk) else None
    return render(request, "front/unit.html", {
        "unit": unit, "current": unit.current(), "children": unit.children.order_by("kind", "code", "name_vi"),
        "staff": staff,
    })
