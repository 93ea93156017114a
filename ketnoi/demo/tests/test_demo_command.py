"""`ketnoi demo`: the demo department, its logins, and nothing added twice."""

from io import StringIO

import pytest
from django.core.management import call_command

from ketnoi.accounts.models import Enterprise, Role, RoleAssignment, User
from ketnoi.audit.models import AuditEvent
from ketnoi.demo.generate import LOGINS
from ketnoi.lib import taxcode
from ketnoi.org.models import Unit

pytestmark = pytest.mark.django_db

PASSWORD = "Cà-phê-sáng-2020"
USERNAMES = ["admin", "coordinator", "leader", "officer", "business", "business2", "operator", "party"]
# RULES.md, "Identifiers": the VNACCS codes of the Ho Chi Minh City units (2020)
BRANCH_CODES = {"02AB", "02CI", "02CC", "02CH", "02IK", "02CV", "02CX", "02DS", "02XE", "02XF", "02F3", "02PG",
                "02PJ", "02QQ", "02K4", "02K5"}


def demo(*args, **options) -> str:
    out = StringIO()
    # Without cases: test_demo_cases.py covers them (the default is a year of 20,000).
    call_command("demo", *args, officers=40, enterprises=60, cases=0, no_progress=True, stdout=out, **options)
    return out.getvalue()


def counts():
    return (Unit.objects.count(), User.objects.count(), Enterprise.objects.count(), RoleAssignment.objects.count())


@pytest.fixture
def loaded(monkeypatch):
    monkeypatch.setenv("KETNOI_DEMO_PASSWORD", PASSWORD)
    return demo()


def login_lines(output: str) -> dict[str, list[str]]:
    lines = output[output.index("demo logins:"):].splitlines()[1:]
    return {name: [line for line in lines if line.split()[:1] == [name]] for name in USERNAMES}


def test_it_builds_the_department_and_its_branches(loaded):
    dept = Unit.objects.get(code="02")
    assert dept.kind == Unit.Kind.DEPARTMENT and dept.parent is None
    assert dept.name_vi == "Cục Hải quan TP. Hồ Chí Minh"
    branches = Unit.objects.filter(parent=dept).exclude(code="")
    assert set(branches.values_list("code", flat=True)) == BRANCH_CODES
    park = Unit.objects.get(code="02F3")
    assert park.name_vi == "Chi cục Hải quan Khu công nghệ cao"
    assert park.parent == dept
    assert park.children.filter(kind=Unit.Kind.TEAM).count() == 3
    assert Unit.objects.filter(parent=dept, kind=Unit.Kind.DIVISION, code="").count() == 9
    assert Unit.objects.count() == 68  # README: 68 units
    assert "units: 68" in loaded


def test_it_creates_officers_for_the_units(loaded):
    park = Unit.objects.get(code="02F3")
    assert RoleAssignment.objects.filter(unit=park, role=Role.OFFICER).exists()
    assert RoleAssignment.objects.filter(unit=park, role=Role.LEADER).exists()
    officers = User.objects.filter(username__startswith="cb")
    assert officers.count() >= 40
    assert not any(user.has_usable_password() for user in officers)


def test_it_creates_the_eight_logins_with_their_roles(loaded):
    park = Unit.objects.get(code="02F3")

    def roles(username):
        return {(ra.role, ra.unit_id, ra.enterprise_id) for ra in RoleAssignment.objects.filter(user__username=username)}

    assert roles("admin") == {(Role.ADMIN, None, None)}
    assert User.objects.get(username="admin").is_superuser
    assert roles("coordinator") == {(Role.COORDINATOR, None, None)}
    assert roles("leader") == {(Role.LEADER, park.pk, None)}
    assert roles("officer") == {(Role.OFFICER, park.pk, None)}
    assert roles("party") == {(Role.PARTY_OFFICE, None, None)}
    [(role, _unit, first)] = roles("business")
    [(role2, _unit2, second)] = roles("business2")
    [(role3, _unit3, warehouse)] = roles("operator")
    assert (role, role2, role3) == (Role.BUSINESS, Role.BUSINESS, Role.OPERATOR)
    assert len({first, second, warehouse}) == 3
    assert not User.objects.get(username="business").is_staff


def test_each_login_works_with_the_demo_password(client, loaded):
    for username in USERNAMES:
        client.logout()
        assert client.login(username=username, password=PASSWORD), username
        assert client.get("/").status_code == 200
    assert not client.login(username="admin", password="wrong password")


def test_every_enterprise_tax_code_is_valid(loaded):
    codes = list(Enterprise.objects.values_list("tax_code", flat=True))
    assert len(codes) >= 60
    assert [code for code in codes if not taxcode.is_valid(code)] == []


def test_it_prints_one_line_per_login(loaded):
    lines = login_lines(loaded)
    assert {name: len(found) for name, found in lines.items()} == {name: 1 for name in USERNAMES}
    for name, [line] in lines.items():
        assert PASSWORD in line, line
    assert len(LOGINS) == len(USERNAMES)


def test_a_second_run_adds_nothing(monkeypatch, loaded):
    before = counts()
    events = AuditEvent.objects.count()
    codes = set(Enterprise.objects.values_list("tax_code", flat=True))
    output = demo()
    assert counts() == before
    assert AuditEvent.objects.count() == events
    assert set(Enterprise.objects.values_list("tax_code", flat=True)) == codes
    assert "new officers: 0" in output
    assert "new enterprises: 0" in output


def test_a_second_run_keeps_the_passwords_without_a_demo_password(client, monkeypatch, loaded):
    monkeypatch.delenv("KETNOI_DEMO_PASSWORD")
    output = demo()
    assert all(len(lines) == 1 for lines in login_lines(output).values())
    assert client.login(username="officer", password=PASSWORD)


def test_if_empty_on_a_loaded_database_only_prints_the_logins(loaded):
    before = counts()
    output = demo("--if-empty")
    assert counts() == before
    assert "The database has data: demo not reloaded." in output
    assert "new officers" not in output and "new enterprises" not in output
    assert {name: len(found) for name, found in login_lines(output).items()} == {name: 1 for name in USERNAMES}


def test_if_empty_on_an_empty_database_builds_the_demo(monkeypatch):
    monkeypatch.setenv("KETNOI_DEMO_PASSWORD", PASSWORD)
    output = demo("--if-empty")
    assert Unit.objects.count() == 68
    assert User.objects.filter(username__in=USERNAMES).count() == 8
    assert "units: 68" in output


def test_without_a_demo_password_it_prints_a_random_one_that_works(client, monkeypatch):
    monkeypatch.delenv("KETNOI_DEMO_PASSWORD", raising=False)
    output = demo()
    lines = login_lines(output)
    passwords = {lines[name][0].split()[1] for name in USERNAMES}
    assert len(passwords) == 1
    [password] = passwords
    assert len(password) >= 12
    for name in USERNAMES:
        client.logout()
        assert client.login(username=name, password=password), name
    again = demo()
    assert password not in again  # printed once, when made
    assert client.login(username="party", password=password)


def test_reset_passwords_gives_a_new_random_password(client, monkeypatch, loaded):
    monkeypatch.delenv("KETNOI_DEMO_PASSWORD")
    output = demo("--reset-passwords")
    [line] = login_lines(output)["admin"]
    password = line.split()[1]
    assert password != PASSWORD
    assert client.login(username="admin", password=password)
    assert not client.login(username="admin", password=PASSWORD)


def test_it_creates_the_enterprises_asked_for(loaded):
    assert "new enterprises: 60" in loaded
    assert Enterprise.objects.count() == 63  # and the three of the demo logins
    assert Enterprise.objects.filter(home_unit__isnull=True).count() == 0
