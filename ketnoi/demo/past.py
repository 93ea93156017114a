"""Writing a history of 2020 today through the services, which tell people what happens: those
notices were sent at the time. No e-mail leaves, and the in-app notices left behind are read."""

from contextlib import contextmanager

from django.test.utils import override_settings

from ketnoi.accounts.models import User
from ketnoi.notifications.models import Notification
from ketnoi.notifications.services import notifications_mark_read


@contextmanager
def notices_of_the_past(kind_prefix: str):
    """Inside: e-mail goes to Django's dummy backend. After: the in-app notices of kinds starting
    with ``kind_prefix`` written inside are marked read."""
    last = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        yield
    fresh = (Notification.objects.filter(pk__gt=last, read_at__isnull=True, kind__startswith=kind_prefix)
             .values_list("user_id", "pk"))
    by_user: dict[int, list[int]] = {}
    for user_id, pk in fresh:
        by_user.setdefault(user_id, []).append(pk)
    for user in User.objects.filter(pk__in=by_user):
        notifications_mark_read(user=user, ids=by_user[user.pk])
