"""Every change made through the Django admin records an audit event with before and after."""

from html.parser import HTMLParser

import pytest

from ketnoi.accounts.models import Enterprise, Role, RoleAssignment
from ketnoi.audit.models import AuditEvent
from ketnoi.org.models import Unit
from ketnoi.testing import make_enterprise, make_unit, make_user

pytestmark = pytest.mark.django_db


class _FormFields(HTMLParser):
    """The fields a browser would submit from the page's main form (inputs, selects, textareas)."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select = self._textarea = None
        self._select_value = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in {"submit", "button", "image", "file", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            self.data.setdefault(name, []).append(a.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select" and name:
            self._select, self._select_value = name, None
        elif tag == "option" and self._select and ("selected" in a) and self._select_value is None:
            self._select_value = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_data(self, data):
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            self.data.setdefault(self._select, []).append(self._select_value or "")
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.data.setdefault(self._textarea, []).append(self._text.lstrip("\n"))
            self._textarea = None


def form_data(response) -> dict:
    assert response.status_code == 200, response.status_code
    parser = _FormFields()
    parser.feed(response.content.decode())
    data = {name: values if len(values) > 1 else values[0] for name, values in parser.data.items()}
    data.pop("csrfmiddlewaretoken", None)
    return data


@pytest.fixture
def superuser(client):
    user = make_user(Role.ADMIN, username="quantri")
    assert user.is_superuser and user.is_staff
    client.force_login(user)
    return user


def events(action, obj):
    return list(AuditEvent.objects.filter(action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk)))


def test_changing_a_unit_records_before_and_after(client, superuser):
    unit = make_unit(code="02F3", name_vi="Chi cục Hải quan Khu công nghệ cao")
    url = f"/admin/org/unit/{unit.pk}/change/"
    data = form_data(client.get(url))
    assert data["code"] == "02F3"
    data["name_vi"] = "Chi cục Hải quan khu vực II"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    unit.refresh_from_db()
    assert unit.name_vi == "Chi cục Hải quan khu vực II"
    [event] = events("admin.change", unit)
    assert event.actor == superuser
    assert event.before["name_vi"] == "Chi cục Hải quan Khu công nghệ cao"
    assert event.after["name_vi"] == "Chi cục Hải quan khu vực II"
    assert event.ip == "127.0.0.1"


def test_changing_an_enterprise_records_before_and_after(client, superuser):
    enterprise = make_enterprise(name="Công ty TNHH Điện tử Sao Khải Việt")
    url = f"/admin/accounts/enterprise/{enterprise.pk}/change/"
    data = form_data(client.get(url))
    data["name"] = "Công ty Cổ phần Điện tử Sao Khải Việt"
    data["is_priority"] = "on"
    assert client.post(url, data).status_code == 302
    [event] = events("admin.change", enterprise)
    assert event.actor == superuser
    assert event.before["name"] == "Công ty TNHH Điện tử Sao Khải Việt"
    assert event.before["is_priority"] is False
    assert event.after["name"] == "Công ty Cổ phần Điện tử Sao Khải Việt"
    assert event.after["is_priority"] is True


def test_a_refused_change_records_nothing(client, superuser):
    unit = make_unit(code="02F3")
    make_unit(code="02XE")
    url = f"/admin/org/unit/{unit.pk}/change/"
    data = form_data(client.get(url))
    data["code"] = "02XE"  # taken
    assert client.post(url, data).status_code == 200
    assert events("admin.change", unit) == []
    unit.refresh_from_db()
    assert unit.code == "02F3"


def test_adding_a_unit_records_admin_add(client, superuser):
    dept = make_unit(code="02", kind=Unit.Kind.DEPARTMENT)
    data = form_data(client.get("/admin/org/unit/add/"))
    data.update(code="02IK", name_vi="Chi cục Hải quan cửa khẩu Cảng Sài Gòn khu vực IV",
                name_en="Saigon Port Area IV Customs Branch", kind="branch", parent=str(dept.pk))
    assert client.post("/admin/org/unit/add/", data).status_code == 302
    unit = Unit.objects.get(code="02IK")
    [event] = events("admin.add", unit)
    assert event.before is None
    assert event.after["parent"] == dept.pk


def test_deleting_a_unit_records_admin_delete(client, superuser):
    unit = make_unit(code="02K5", name_vi="Đội Kiểm soát phòng, chống ma túy", kind=Unit.Kind.TEAM)
    pk = unit.pk
    response = client.post(f"/admin/org/unit/{pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Unit.objects.filter(pk=pk).exists()
    [event] = AuditEvent.objects.filter(action="admin.delete", object_type="org.unit", object_id=str(pk))
    assert event.actor == superuser
    assert event.before["code"] == "02K5"
    assert event.after is None


def test_deleting_enterprises_with_the_bulk_action_records_one_event_each(client, superuser):
    first, second = make_enterprise(), make_enterprise()
    pks = [first.pk, second.pk]
    response = client.post("/admin/accounts/enterprise/", {"action": "delete_selected", "_selected_action": pks,
                                                           "post": "yes"})
    assert response.status_code == 302
    assert not Enterprise.objects.filter(pk__in=pks).exists()
    deleted = AuditEvent.objects.filter(action="admin.delete", object_type="accounts.enterprise")
    assert sorted(int(e.object_id) for e in deleted) == sorted(pks)
    assert {e.before["tax_code"] for e in deleted} == {first.tax_code, second.tax_code}


def test_adding_a_role_inline_on_a_user_records_an_event(client, superuser):
    user = make_user(None, username="dieuphoi")
    url = f"/admin/accounts/user/{user.pk}/change/"
    data = form_data(client.get(url))
    assert data["role_assignments-TOTAL_FORMS"] == "0"
    data.update({"role_assignments-TOTAL_FORMS": "1", "role_assignments-0-role": "coordinator",
                 "role_assignments-0-unit": "", "role_assignments-0-enterprise": "",
                 "role_assignments-0-user": str(user.pk), "role_assignments-0-id": ""})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assignment = RoleAssignment.objects.get(user=user)
    assert assignment.role == Role.COORDINATOR
    [event] = events("admin.add", assignment)
    assert event.actor == superuser
    assert event.after["role"] == "coordinator"
    assert event.after["user"] == user.pk


def test_changing_a_role_inline_records_before_and_after(client, superuser):
    branch, other = make_unit(code="02F3"), make_unit(code="02XE")
    user = make_user(Role.OFFICER, unit=branch)
    assignment = RoleAssignment.objects.get(user=user)
    url = f"/admin/accounts/user/{user.pk}/change/"
    data = form_data(client.get(url))
    assert data["role_assignments-0-unit"] == str(branch.pk)
    data["role_assignments-0-unit"] = str(other.pk)
    assert client.post(url, data).status_code == 302
    [event] = events("admin.change", assignment)
    assert event.before["unit"] == branch.pk
    assert event.after["unit"] == other.pk


def test_deleting_a_role_inline_records_which_role_it_was(client, superuser):
    user = make_user(Role.PARTY_OFFICE)
    assignment = RoleAssignment.objects.get(user=user)
    pk = assignment.pk
    url = f"/admin/accounts/user/{user.pk}/change/"
    data = form_data(client.get(url))
    data["role_assignments-0-DELETE"] = "on"
    assert client.post(url, data).status_code == 302
    assert not RoleAssignment.objects.filter(pk=pk).exists()
    [event] = AuditEvent.objects.filter(action="admin.delete", object_type="accounts.roleassignment")
    assert event.object_id == str(pk)
    assert event.before["id"] == pk
    assert event.before["role"] == "party"


def test_a_user_change_event_never_holds_the_password(client, superuser):
    user = make_user(Role.OFFICER, full_name="Phạm Ngọc Trâm")
    url = f"/admin/accounts/user/{user.pk}/change/"
    data = form_data(client.get(url))
    data["position"] = "Đội trưởng"
    assert client.post(url, data).status_code == 302
    [event] = events("admin.change", user)
    assert event.after["position"] == "Đội trưởng"
    assert "password" not in event.before and "password" not in event.after
