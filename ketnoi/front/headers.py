"""Response headers that Django's SecurityMiddleware does not write.

Permissions-Policy switches off the browser features no page of ketnoi uses (camera,
microphone, location, payment, USB), so that a script that slipped in could not use them
either. A view that needs one turns it on for its own pages with ``@permissions_policy``: the
check-in page reads QR codes with the phone's camera.
"""

from functools import wraps

from django.conf import settings

HEADER = "Permissions-Policy"


def header_value(policy: dict[str, tuple[str, ...]]) -> str:
    """{"camera": ("self",), "usb": ()} → 'camera=(self), usb=()' (the structured-header syntax)."""
    return ", ".join(f"{feature}=({' '.join(origins)})" for feature, origins in policy.items())


def _policy(**overrides) -> dict[str, tuple[str, ...]]:
    return {**getattr(settings, "KETNOI_PERMISSIONS_POLICY", {}), **overrides}


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if HEADER not in response:
            policy = _policy()
            if policy:
                response[HEADER] = header_value(policy)
        return response


def permissions_policy(**features):
    """The view's responses allow ``features`` (e.g. ``camera=("self",)``) on top of the policy."""
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            response[HEADER] = header_value(_policy(**features))
            return response
        return wrapped
    return decorator
