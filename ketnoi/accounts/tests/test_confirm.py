import time

from django.conf import settings
from django.core import signing
from django.utils import timezone

from ketnoi.accounts.models import User
from ketnoi.accounts.services import CONFIRM_SALT
from ketnoi.audit.models import AuditEvent

from .helpers import actions, make_user

NOT_VALID = "This confirmation link is not valid. Copy the whole link from the e-mail."
EXPIRED = "This confirmation link has expired. Register again to get a new one."


def link(user, *, age: int = 0, email: str | None = None) -> str:
    """The link of a confirmation e-mail sent `age` seconds ago."""
    class Signer(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - age)

    token = Signer(salt=CONFIRM_SALT).sign_object({"u": user.pk, "e": email or user.email})
    return f"/accounts/confirm/{token}/"


def new_user(enterprise):
    return make_user("ha.pham@saomai.vn", email="ha.pham@saomai.vn", role="business",
                     enterprise=enterprise, is_active=False)


def test_it_confirms(client, enterprise):
    user = new_user(enterprise)
    r = client.get(link(user), follow=True)
    assert r.redirect_chain == [("/accounts/login/", 302)]
    assert "Your e-mail address is confirmed. You can log in now." in r.content.decode()
    user.refresh_from_db()
    assert user.is_active
    event = AuditEvent.objects.get(action="user.confirm_email")
    assert event.actor == user
    assert event.object_id == str(user.pk)
    assert (event.before["is_active"], event.after["is_active"]) == (False, True)


def test_it_lets_the_user_log_in_afterwards(client, enterprise):
    from .helpers import PASSWORD

    user = new_user(enterprise)
    client.get(link(user))
    r = client.post("/accounts/login/", {"username": "ha.pham@saomai.vn", "password": PASSWORD})
    assert r.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_it_can_be_followed_twice(client, enterprise):
    user = new_user(enterprise)
    url = link(user)
    client.get(url)
    r = client.get(url)
    assert r.status_code == 302
    assert r.url == "/accounts/login/"
    user.refresh_from_db()
    assert user.is_active
    assert actions(action="user.confirm_email") == ["user.confirm_email"]


def test_it_refuses_a_tampered_link(client, enterprise):
    user = new_user(enterprise)
    url = link(user)
    token = url.split("/")[3]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    r = client.get(f"/accounts/confirm/{tampered}/")
    assert r.status_code == 400
    assert NOT_VALID in r.content.decode()
    user.refresh_from_db()
    assert not user.is_active
    assert actions() == []


def test_it_refuses_a_cut_link(client, enterprise):
    user = new_user(enterprise)
    r = client.get(link(user)[:-12] + "/")
    assert r.status_code == 400
    assert NOT_VALID in r.content.decode()
    user.refresh_from_db()
    assert not user.is_active


def test_it_refuses_a_link_signed_for_something_else(client, enterprise):
    user = new_user(enterprise)
    token = signing.dumps({"u": user.pk, "e": user.email}, salt="something-else")
    r = client.get(f"/accounts/confirm/{token}/")
    assert r.status_code == 400
    user.refresh_from_db()
    assert not user.is_active


def test_it_refuses_an_expired_link(client, enterprise):
    user = new_user(enterprise)
    r = client.get(link(user, age=settings.PASSWORD_RESET_TIMEOUT + 60))
    assert r.status_code == 400
    assert EXPIRED in r.content.decode()
    user.refresh_from_db()
    assert not user.is_active
    assert actions() == []


def test_it_accepts_a_link_just_before_it_expires(client, enterprise):
    user = new_user(enterprise)
    r = client.get(link(user, age=settings.PASSWORD_RESET_TIMEOUT - 60))
    assert r.status_code == 302
    user.refresh_from_db()
    assert user.is_active


def test_it_refuses_a_link_for_another_address(client, enterprise):
    """The address was changed after the e-mail was sent: the old address proves nothing."""
    user = new_user(enterprise)
    r = client.get(link(user, email="old@saomai.vn"))
    assert r.status_code == 400
    assert NOT_VALID in r.content.decode()
    user.refresh_from_db()
    assert not user.is_active


def test_it_refuses_a_link_for_a_removed_account(client, enterprise):
    user = new_user(enterprise)
    url = link(user)
    User.objects.filter(pk=user.pk).delete()
    r = client.get(url)
    assert r.status_code == 400
    assert NOT_VALID in r.content.decode()


def test_it_does_not_reopen_a_closed_account(client, enterprise):
    """An account an administrator closed stays closed, even with its old confirmation link."""
    user = new_user(enterprise)
    url = link(user)
    client.get(url)
    User.objects.filter(pk=user.pk).update(is_active=False, last_login=timezone.now())
    r = client.get(url)
    assert r.status_code == 400
    assert "This account has been closed." in r.content.decode()
    user.refresh_from_db()
    assert not user.is_active
    assert actions(action="user.confirm_email") == ["user.confirm_email"]
