import pytest

from .helpers import make_user


def url(enterprise) -> str:
    return f"/accounts/enterprise/{enterprise.pk}/"


def test_it_shows_the_enterprise(client, business, enterprise):
    make_user("moi", role="business", enterprise=enterprise, is_active=False, full_name="Võ Văn Mới")
    client.force_login(business)
    r = client.get(url(enterprise))
    assert r.status_code == 200
    page = r.content.decode()
    assert "<h1>Công ty TNHH Ánh Dương</h1>" in page
    assert "0314409058" in page
    assert "Nguyễn Thị Lan" in page
    assert "Võ Văn Mới" in page and "Not confirmed" in page


def test_an_operator_sees_it_too(client, operator, enterprise):
    client.force_login(operator)
    assert client.get(url(enterprise)).status_code == 200


def test_it_hides_another_enterprise(client, business, other_enterprise, other_business):
    client.force_login(business)
    r = client.get(url(other_enterprise))
    assert r.status_code == 404
    assert "Công ty CP Sao Mai" not in r.content.decode()


def test_it_gives_404_for_an_unknown_enterprise(client, business):
    client.force_login(business)
    assert client.get("/accounts/enterprise/999999/").status_code == 404


@pytest.mark.parametrize("role", ["officer", "leader", "coordinator", "party", "admin_user"])
def test_staff_cannot_open_it(client, request, enterprise, business, role):
    client.force_login(request.getfixturevalue(role))
    r = client.get(url(enterprise))
    assert r.status_code == 404
    assert "Công ty TNHH Ánh Dương" not in r.content.decode()


def test_it_requires_login(client, enterprise):
    r = client.get(url(enterprise))
    assert r.status_code == 302
    assert r.url == f"/accounts/login/?next={url(enterprise)}"


def test_an_unconfirmed_user_cannot_open_it(client, enterprise):
    newcomer = make_user("moi", role="business", enterprise=enterprise, is_active=False)
    client.force_login(newcomer)
    r = client.get(url(enterprise))
    assert r.status_code == 302
    assert r.url.startswith("/accounts/login/")
