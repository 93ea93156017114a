from django.contrib.auth import SESSION_KEY

from ketnoi.accounts.models import LoginFailure
from ketnoi.audit.models import AuditEvent

from .helpers import PASSWORD, make_user

URL = "/accounts/login/"
PAUSED = "There were too many unsuccessful sign-in attempts."


def fail(client, username, times=1):
    for _ in range(times):
        r = client.post(URL, {"username": username, "password": "Sai-mật-khẩu-1"})
    return r


def test_it_locks_the_username_after_five_failures(client, business):
    r = fail(client, "lan", 4)
    assert PAUSED not in r.content.decode()
    r = fail(client, "lan")
    assert PAUSED in r.content.decode()
    # Even the right password is refused while the lock lasts, and the page says until when.
    r = client.post(URL, {"username": "lan", "password": PASSWORD})
    page = r.content.decode()
    assert PAUSED in page and "(in 15 minutes)" in page and "Forgot your password?" in page
    assert SESSION_KEY not in client.session


def test_it_counts_the_email_address_and_the_username_together(client, business):
    fail(client, "lan", 3)
    fail(client, "LAN@example.vn", 2)
    r = client.post(URL, {"username": "lan", "password": PASSWORD})
    assert PAUSED in r.content.decode()


def test_it_says_the_same_for_a_username_that_does_not_exist(client, db):
    make_user("lan")
    known = fail(client, "lan", 5).content.decode()
    unknown = fail(client, "khong.ton.tai", 5).content.decode()

    def summary(page):
        return page[page.index('class="error-summary"'):page.index("</div>", page.index('class="error-summary"'))]

    assert PAUSED in summary(known)
    assert summary(known) == summary(unknown)


def test_a_successful_login_clears_the_count(client, business):
    fail(client, "lan", 4)
    assert client.post(URL, {"username": "lan", "password": PASSWORD}).status_code == 302
    client.logout()
    r = fail(client, "lan", 4)
    assert PAUSED not in r.content.decode()
    assert client.post(URL, {"username": "lan", "password": PASSWORD}).status_code == 302


def test_the_lockout_is_an_audit_event(client, business):
    fail(client, "lan", 5)
    event = AuditEvent.objects.get(action="login.lockout")
    assert event.object_id == str(business.pk)
    assert event.after["locked"] == "username" and event.after["username"] == "lan"
    assert event.ip == "127.0.0.1"


def test_it_does_not_count_attempts_while_locked(client, business):
    fail(client, "lan", 5)
    fail(client, "lan", 3)
    assert LoginFailure.objects.filter(username="lan").count() == 5
    assert AuditEvent.objects.filter(action="login.lockout").count() == 1
