"""The in-app notification list: a signed-in user's own notifications, newest first."""

import re

import pytest
from django.utils import timezone

from ketnoi.accounts.models import Role
from ketnoi.notifications.models import Notification
from ketnoi.testing import make_user

pytestmark = pytest.mark.django_db

URL = "/notifications/"


def add(user, title, *, read=False, url=""):
    return Notification.objects.create(user=user, kind="test", title=title, url=url,
                                       read_at=timezone.now() if read else None)


def badge(response) -> str | None:
    html = response.content.decode()
    nav = html[html.index('<nav class="site-nav"'):html.index("</nav>")]
    found = re.findall(r'<a href="/notifications/"[^>]*>[^<]*<span class="badge"[^>]*>(\d+)</span>', nav)
    return found[0] if found else None


def test_it_requires_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/notifications/"


def test_it_lists_the_users_notifications_newest_first(client):
    user = make_user(Role.BUSINESS)
    add(user, "Hồ sơ HQ-2020-0001 đã được tiếp nhận", url="/cases/1/")
    add(user, "Hồ sơ HQ-2020-0001 đã có trả lời", read=True)
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<a href="/cases/1/">Hồ sơ HQ-2020-0001 đã được tiếp nhận</a>' in html
    assert html.index("đã có trả lời") < html.index("đã được tiếp nhận")
    assert html.count('class="unread"') == 1


def test_it_lists_only_the_users_own_notifications(client):
    user, other = make_user(Role.BUSINESS), make_user(Role.BUSINESS)
    add(user, "Thông báo của tôi")
    add(other, "Thông báo của doanh nghiệp khác")
    client.force_login(user)
    html = client.get(URL).content.decode()
    assert "Thông báo của tôi" in html
    assert "Thông báo của doanh nghiệp khác" not in html


def test_it_says_when_there_are_none(client):
    client.cookies["ketnoi_language"] = "en"
    client.force_login(make_user(Role.OFFICER, language="en"))
    html = client.get(URL).content.decode()
    assert "You have no notifications." in html
    assert "Mark all as read" not in html


def test_it_pages_through_many_notifications(client):
    user = make_user(Role.OFFICER, language="en")
    for number in range(30):
        add(user, f"Thông báo số {number:02d}")
    client.force_login(user)
    first = client.get(URL).content.decode()
    assert "Thông báo số 29" in first and "Thông báo số 04" not in first
    assert "Page 1 of 2" in first
    second = client.get(URL, {"page": 2}).content.decode()
    assert "Thông báo số 04" in second and "Thông báo số 29" not in second
    assert client.get(URL, {"page": "nonsense"}).status_code == 200


def test_the_navigation_shows_the_unread_count(client):
    user, other = make_user(Role.BUSINESS), make_user(Role.BUSINESS)
    add(user, "một")
    add(user, "hai")
    add(user, "đã đọc", read=True)
    add(other, "của người khác")
    client.force_login(user)
    assert badge(client.get("/")) == "2"
    assert badge(client.get("/units/")) == "2"


def test_the_navigation_shows_no_badge_without_unread_notifications(client):
    user = make_user(Role.BUSINESS)
    add(user, "đã đọc", read=True)
    client.force_login(user)
    response = client.get("/")
    assert badge(response) is None
    assert 'class="badge"' not in response.content.decode()
