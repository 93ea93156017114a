from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from ketnoi.accounts.models import LoginFailure


def test_the_tick_removes_failures_older_than_a_day(db):
    now = timezone.now()
    old = LoginFailure.objects.create(username="lan", ip="14.161.22.7", at=now - timedelta(days=1, minutes=1))
    recent = LoginFailure.objects.create(username="lan", ip="14.161.22.7", at=now - timedelta(hours=23))
    call_command("tick", verbosity=0)
    assert list(LoginFailure.objects.values_list("pk", flat=True)) == [recent.pk]
    call_command("tick", verbosity=0)  # safe to run twice
    assert not LoginFailure.objects.filter(pk=old.pk).exists()
