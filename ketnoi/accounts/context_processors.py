from ketnoi.front.navigation import navigation
from ketnoi.notifications.selectors import unread_count

from .access import principal_for


def principal(request):
    p = principal_for(getattr(request, "user", None))
    return {
        "principal": p,
        "nav": navigation(p, request.path),
        "unread_notifications": unread_count(user=request.user) if p.is_authenticated else 0,
    }
