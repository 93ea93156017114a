"""Audit events are append-only: created once, never changed or removed, by any path."""

import ast
import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.test import RequestFactory

from ketnoi.accounts.models import Role
from ketnoi.audit.models import AppendOnlyError, AuditEvent
from ketnoi.audit.services import audit_record
from ketnoi.testing import make_user

pytestmark = pytest.mark.django_db

PACKAGE = Path(__file__).resolve().parents[2]  # ketnoi/


@pytest.fixture
def event():
    return audit_record(actor=None, action="unit.create", object_type="org.unit", object_id="7",
                        object_repr="02F3 Chi cục Hải quan Khu công nghệ cao", after={"code": "02F3"})


def as_stored(pk):
    return AuditEvent.objects.filter(pk=pk).values().get()


def test_it_creates_an_event(event):
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.action == "unit.create"
    assert stored.after == {"code": "02F3"}
    assert stored.at is not None


def test_it_refuses_to_save_an_existing_event(event):
    before = as_stored(event.pk)
    event.action = "unit.delete"
    with pytest.raises(AppendOnlyError):
        event.save()
    assert as_stored(event.pk) == before


def test_it_refuses_to_save_a_fresh_copy_of_an_existing_event(event):
    copy = AuditEvent.objects.get(pk=event.pk)
    copy.object_repr = "something else"
    with pytest.raises(AppendOnlyError):
        copy.save(update_fields=["object_repr"])
    assert as_stored(event.pk)["object_repr"] == "02F3 Chi cục Hải quan Khu công nghệ cao"


def test_it_refuses_to_delete_an_event(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_it_refuses_queryset_update(event):
    before = as_stored(event.pk)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(action="tampered")
    assert as_stored(event.pk) == before


def test_it_refuses_queryset_delete(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_it_refuses_bulk_update(event):
    before = as_stored(event.pk)
    event.action = "tampered"
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["action"])
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().bulk_update([event], ["action"])
    assert as_stored(event.pk) == before


def test_the_admin_grants_no_add_change_or_delete_even_to_a_superuser(event):
    superuser = make_user(Role.ADMIN)
    assert superuser.is_superuser
    request = RequestFactory().get("/admin/audit/auditevent/")
    request.user = superuser
    model_admin = admin.site._registry[AuditEvent]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request)
    assert not model_admin.has_delete_permission(request, event)
    assert model_admin.has_view_permission(request, event)


def test_the_admin_pages_do_not_change_or_delete_an_event(client, event):
    client.force_login(make_user(Role.ADMIN))
    before = as_stored(event.pk)
    assert client.get(f"/admin/audit/auditevent/{event.pk}/change/").status_code == 200  # view only
    assert client.post(f"/admin/audit/auditevent/{event.pk}/change/", {"action": "tampered"}).status_code == 403
    assert client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    response = client.post("/admin/audit/auditevent/", {"action": "delete_selected", "_selected_action": [event.pk],
                                                        "post": "yes"})
    assert response.status_code in (200, 302)  # the bulk action is not offered
    assert as_stored(event.pk) == before


# --- no code path changes or removes audit events ----------------------------------------------

WRITES = {"update", "delete", "bulk_update", "_raw_delete", "update_or_create", "_update"}
RAW_SQL = re.compile(r"\b(UPDATE|DELETE\s+FROM|TRUNCATE(\s+TABLE)?|DROP\s+TABLE)\s+[\"'`]?" + AuditEvent._meta.db_table,
                     re.IGNORECASE)


def _root_name(node: ast.AST) -> str | None:
    """The name a chain like `AuditEvent.objects.filter(...).update` starts from."""
    while True:
        if isinstance(node, ast.Attribute):
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Name):
            return node.id
        else:
            return None


def audit_writes(source: str, filename: str = "<string>") -> list[str]:
    """Where `source` updates or deletes audit events: ORM chains starting at AuditEvent (or a
    name it was imported as) and raw SQL on its table."""
    tree = ast.parse(source, filename)
    names = {"AuditEvent"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names.update(alias.asname for alias in node.names if alias.name == "AuditEvent" and alias.asname)
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            # Model = apps.get_model("audit", "AuditEvent")
            args = [a.value for a in node.value.args if isinstance(a, ast.Constant)]
            if "AuditEvent" in args or "audit.AuditEvent" in args or "audit.auditevent" in args:
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITES
                and _root_name(node.func.value) in names):
            found.append(f"{filename}:{node.lineno}: {ast.unparse(node)[:120]}")
    for number, line in enumerate(source.splitlines(), 1):
        if RAW_SQL.search(line):
            found.append(f"{filename}:{number}: {line.strip()[:120]}")
    return found


@pytest.mark.parametrize("code", [
    "AuditEvent.objects.filter(action='x').update(action='y')",
    "AuditEvent.objects.filter(\n    action='x',\n).delete()",
    "AuditEvent.objects.all()[:10].delete()",
    "AuditEvent.objects.bulk_update(events, ['action'])",
    "AuditEvent.objects.filter(pk=1)._raw_delete(using='default')",
    "from ketnoi.audit.models import AuditEvent as Trail\nTrail.objects.all().delete()",
    "Event = apps.get_model('audit', 'AuditEvent')\nEvent.objects.update(ip=None)",
    "cursor.execute('DELETE FROM audit_auditevent WHERE id = %s', [1])",
    'cursor.execute("update audit_auditevent set action = %s", ["x"])',
])
def test_the_scan_finds_a_write_to_audit_events(code):
    assert audit_writes(code)


@pytest.mark.parametrize("code", [
    "AuditEvent.objects.create(action='x')",
    "AuditEvent.objects.filter(action='x').count()",
    "Unit.objects.filter(pk=1).update(code='02')",
    "Notification.objects.filter(user=user).delete()",
    "cursor.execute('SELECT * FROM audit_auditevent')",
])
def test_the_scan_leaves_other_code_alone(code):
    assert audit_writes(code) == []


def test_no_code_updates_or_deletes_audit_events():
    files = [path for path in PACKAGE.rglob("*.py") if "tests" not in path.relative_to(PACKAGE).parts]
    assert len(files) > 20  # the scan looked at the project, not an empty folder
    assert PACKAGE / "audit" / "services.py" in files
    found = []
    for path in files:
        found += audit_writes(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE.parent)))
    assert found == []
