from .helpers import make_token

URL = "/accounts/"


def test_it_requires_login(client, db):
    r = client.get(URL)
    assert r.status_code == 302
    assert r.url == "/accounts/login/?next=/accounts/"


def test_it_shows_the_user(client, business):
    client.force_login(business)
    r = client.get(URL)
    assert r.status_code == 200
    page = r.content.decode()
    assert "Nguyễn Thị Lan" in page
    assert "lan@example.vn" in page


def test_it_lists_the_roles(client, business, unit, enterprise):
    from ketnoi.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=business, role="operator", enterprise=enterprise)
    client.force_login(business)
    page = client.get(URL).content.decode()
    assert "Business user – Công ty TNHH Ánh Dương" in page
    assert "Operator user – Công ty TNHH Ánh Dương" in page


def test_it_lists_a_unit_role(client, officer):
    client.force_login(officer)
    page = client.get(URL).content.decode()
    assert "Officer – Customs Branch Area I" in page


def test_it_lists_the_tokens(client, business):
    make_token(business, key="kn_phanmemketoan1", name="Phần mềm kế toán")
    make_token(business, key="kn_cukhaibaocu22", name="Khai báo cũ", revoked=True)
    client.force_login(business)
    page = client.get(URL).content.decode()
    assert "Phần mềm kế toán" in page and "kn_phanmem" in page
    assert "Khai báo cũ" in page
    assert "Revoked" in page
    assert page.count('/revoke/"') == 1  # only the active token can be revoked


def test_it_does_not_list_other_users_tokens(client, business, other_business):
    make_token(other_business, key="kn_saomaisecret9", name="Token của Sao Mai")
    client.force_login(business)
    page = client.get(URL).content.decode()
    assert "Token của Sao Mai" not in page
    assert "kn_saomais" not in page
    assert "You have no API tokens." in page
