import hmac
import ipaddress

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import metrics

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# Headers a reverse proxy adds: a request that carries one came from outside through the
# proxy, even though it reaches us from the loopback address.
PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED")


def _from_loopback(request) -> bool:
    if any(request.META.get(header) for header in PROXY_HEADERS):
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def _has_token(request) -> bool:
    expected = settings.KETNOI_METRICS_TOKEN
    scheme, _space, given = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return bool(expected) and scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), expected)


def may_read_metrics(request) -> bool:
    """Prometheus on the same machine, or anywhere with the token of KETNOI_METRICS_TOKEN."""
    return _from_loopback(request) or _has_token(request)


@never_cache
@require_safe
def metrics_view(request):
    if not may_read_metrics(request):
        return HttpResponse(_("The metrics are for the monitoring server: ask from this machine or send the token "
                              "of KETNOI_METRICS_TOKEN (Authorization: Bearer …)."),
                            status=403, content_type="text/plain; charset=utf-8")
    return HttpResponse(metrics.exposition(), content_type=CONTENT_TYPE)
