"""Mark all as read: the user's own unread notifications, and nobody else's."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ketnoi.accounts.models import Role
from ketnoi.notifications.models import Notification
from ketnoi.testing import make_user

pytestmark = pytest.mark.django_db

URL = "/notifications/read/"


@pytest.fixture
def user():
    return make_user(Role.BUSINESS)


def add(user, title, read_at=None):
    return Notification.objects.create(user=user, kind="test", title=title, read_at=read_at)


def test_it_marks_all_read(client, user):
    add(user, "một")
    add(user, "hai")
    client.force_login(user)
    response = client.post(URL)
    assert response.status_code == 302
    assert response["Location"] == "/notifications/"
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()
    assert 'class="badge"' not in client.get("/notifications/").content.decode()


def test_it_keeps_the_time_an_earlier_notification_was_read(client, user):
    earlier = timezone.now() - timedelta(days=3)
    old = add(user, "đã đọc", read_at=earlier)
    add(user, "chưa đọc")
    client.force_login(user)
    client.post(URL)
    old.refresh_from_db()
    assert old.read_at == earlier


def test_it_leaves_other_users_notifications_alone(client, user):
    other = make_user(Role.BUSINESS)
    add(user, "của tôi")
    theirs = add(other, "của người khác")
    client.force_login(user)
    client.post(URL)
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_it_rejects_get(client, user):
    add(user, "chưa đọc")
    client.force_login(user)
    assert client.get(URL).status_code == 405
    assert Notification.objects.get(user=user).read_at is None


def test_it_requires_login(client, user):
    add(user, "chưa đọc")
    response = client.post(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert Notification.objects.get(user=user).read_at is None


def test_the_list_offers_the_button_only_with_unread_notifications(client, user):
    client.force_login(user)
    assert 'action="/notifications/read/"' not in client.get("/notifications/").content.decode()
    add(user, "chưa đọc")
    assert 'action="/notifications/read/"' in client.get("/notifications/").content.decode()
