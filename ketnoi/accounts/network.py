"""The client's IP address, in one place (login throttling, audit events, logs).

Behind the reverse proxy of deploy/nginx, REMOTE_ADDR is the proxy's address and the client's is
in X-Forwarded-For, which nginx sets to the address it saw (`$remote_addr`, overwriting what the
client sent). Without a proxy that header is whatever the client typed, so it is read only when
the setting KETNOI_TRUSTED_PROXY says a proxy is in front.
"""

import ipaddress

from django.conf import settings


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address as text, or None when the request does not carry a valid one."""
    if getattr(settings, "KETNOI_TRUSTED_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return _valid(forwarded.split(",")[0])
    return _valid(request.META.get("REMOTE_ADDR", ""))
