from .models import Notification


def notifications_for(*, user):
    return Notification.objects.filter(user=user)


def unread_count(*, user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def outbox_counts() -> dict[str, int]:
    """E-mail deliveries waiting to be sent (queued or being sent) and failed: for the metrics and
    `ketnoi doctor` (a failed one waits for an administrator in the admin site)."""
    from django.db.models import Count, Q

    from .models import EmailDelivery

    return EmailDelivery.objects.aggregate(
        waiting=Count("pk", filter=Q(state__in=[EmailDelivery.State.QUEUED, EmailDelivery.State.SENDING])),
        failed=Count("pk", filter=Q(state=EmailDelivery.State.FAILED)),
    )
