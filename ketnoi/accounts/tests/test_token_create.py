import hashlib
import re

from ketnoi.accounts.models import ApiToken
from ketnoi.audit.models import AuditEvent

from .helpers import counts

URL = "/accounts/tokens/"


def created_key(response) -> str:
    [key] = re.findall(r'<code class="key" id="token-key">([^<]+)</code>', response.content.decode())
    return key


def test_it_creates_a_token(client, business):
    client.force_login(business)
    r = client.post(URL, {"name": "  Phần mềm kế toán  "})
    assert r.status_code == 200
    key = created_key(r)
    assert key.startswith("kn_") and len(key) > 40
    assert "Copy this token now." in r.content.decode()

    token = ApiToken.objects.get()
    assert token.user == business
    assert token.name == "Phần mềm kế toán"
    assert token.prefix == key[:10]
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.revoked_at is None and token.last_used_at is None


def test_it_stores_only_the_hash(client, business):
    client.force_login(business)
    key = created_key(client.post(URL, {"name": "Kế toán"}))
    row = ApiToken.objects.filter(user=business).values().get()
    assert all(key not in str(value) for value in row.values())
    for event in AuditEvent.objects.all():
        assert key not in str(event.after) and row["key_hash"] not in str(event.after)


def test_it_shows_the_key_once(client, business):
    client.force_login(business)
    key = created_key(client.post(URL, {"name": "Kế toán"}))
    page = client.get("/accounts/").content.decode()
    assert "Kế toán" in page
    assert key[:10] in page
    assert key not in page


def test_the_key_works_on_the_api(client, business):
    client.force_login(business)
    key = created_key(client.post(URL, {"name": "Kế toán"}))
    r = client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 200
    assert r.json()["username"] == "lan"


def test_it_records_an_audit_event(client, business):
    client.force_login(business)
    client.post(URL, {"name": "Kế toán"})
    event = AuditEvent.objects.get()
    assert event.action == "token.create"
    assert event.actor == business
    assert event.object_id == str(ApiToken.objects.get().pk)
    assert event.after["name"] == "Kế toán"


def test_it_refuses_an_empty_name(client, business):
    client.force_login(business)
    before = counts()
    for name in ["", "   "]:
        r = client.post(URL, {"name": name})
        assert r.status_code == 400
        page = r.content.decode()
        assert "There is a problem" in page
        assert "This field is required." in page
    assert counts() == before


def test_it_refuses_a_long_name(client, business):
    client.force_login(business)
    before = counts()
    r = client.post(URL, {"name": "x" * 81})
    assert r.status_code == 400
    assert "Ensure this value has at most 80 characters (it has 81)." in r.content.decode()
    assert counts() == before


def test_it_rejects_get(client, business):
    client.force_login(business)
    r = client.get(URL, {"name": "Kế toán"})
    assert r.status_code == 405
    assert ApiToken.objects.count() == 0


def test_it_requires_login(client, db):
    before = counts()
    r = client.post(URL, {"name": "Kế toán"})
    assert r.status_code == 302
    assert r.url.startswith("/accounts/login/")
    assert counts() == before


def test_it_requires_an_active_user(client, business):
    client.force_login(business)
    type(business).objects.filter(pk=business.pk).update(is_active=False)
    r = client.post(URL, {"name": "Kế toán"})
    assert r.status_code == 302
    assert ApiToken.objects.count() == 0
