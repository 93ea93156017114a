"""The client's IP address, in one place (login throttling, audit events, logs).

Behind the reverse proxy of deploy/nginx, REMOTE_ADDR is the proxy's address and the client's is
in X-Forwarded-For, which nginx sets to the address it saw (`$remote_addr`, overwriting what the
client sent). Coming from anywhere else, that header is whatever the client typed, so it is read
only when REMOTE_ADDR is one of the proxies the setting KETNOI_TRUSTED_PROXIES names.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies if proxy.strip())


def is_trusted_proxy(address: str | None) -> bool:
    if not address:
        return False
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in _networks(tuple(settings.KETNOI_TRUSTED_PROXIES)))


def client_ip(request) -> str | None:
    """The client's address as text, or None when the request does not carry a valid one."""
    remote = _valid(request.META.get("REMOTE_ADDR", ""))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and is_trusted_proxy(remote):
        return _valid(forwarded.split(",")[0])
    return remote
