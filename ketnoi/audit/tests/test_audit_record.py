"""audit_record: who did what to which record, with the record before and after."""

import json
from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser

from ketnoi.accounts import services as accounts
from ketnoi.accounts.models import Role
from ketnoi.audit.models import AuditEvent
from ketnoi.audit.services import audit_record, snapshot
from ketnoi.testing import PASSWORD, make_unit, make_user

pytestmark = pytest.mark.django_db


def test_it_records_actor_action_and_object():
    admin = make_user(Role.ADMIN, username="quantri")
    unit = make_unit(code="02F3", name_vi="Chi cục Hải quan Khu công nghệ cao")
    event = audit_record(actor=admin, action="unit.rename", obj=unit, ip="10.0.0.7")
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor == admin
    assert stored.actor_label == "quantri"
    assert stored.action == "unit.rename"
    assert stored.object_type == "org.unit"
    assert stored.object_id == str(unit.pk)
    assert stored.object_repr == "02F3 Chi cục Hải quan Khu công nghệ cao"
    assert stored.ip == "10.0.0.7"


def test_it_stores_the_snapshots_before_and_after():
    unit = make_unit(code="02F3", valid_from=date(2020, 1, 1))
    before = snapshot(unit)
    unit.name_vi = "Chi cục Hải quan khu vực II"
    unit.save()
    event = audit_record(actor=None, action="unit.rename", obj=unit, before=before, after=snapshot(unit))
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.before["name_vi"].startswith("Chi cục Hải quan thử nghiệm")
    assert stored.after["name_vi"] == "Chi cục Hải quan khu vực II"
    assert stored.after["code"] == "02F3"
    assert stored.after["valid_from"] == "2020-01-01"  # dates as ISO text, JSON-ready
    assert stored.after["parent"] is None
    json.dumps(stored.after)


def test_it_takes_explicit_object_fields_without_a_record():
    event = audit_record(actor=None, action="report.export", object_type="reports.yearly",
                         object_id="2020", object_repr="x" * 300)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.object_type, stored.object_id) == ("reports.yearly", "2020")
    assert stored.object_repr == "x" * 255
    assert stored.before is None and stored.after is None


def test_it_labels_a_missing_actor_as_system():
    event = audit_record(actor=None, action="unit.create", obj=make_unit())
    assert event.actor is None
    assert event.actor_label == "system"


def test_it_labels_an_anonymous_actor_as_system():
    event = audit_record(actor=AnonymousUser(), action="user.register", obj=make_unit())
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor is None
    assert stored.actor_label == "system"


def test_a_user_snapshot_leaves_out_the_password():
    user = make_user(Role.OFFICER, username="canbo")
    data = snapshot(user)
    assert data["username"] == "canbo"
    assert "password" not in data
    assert user.password not in json.dumps(data)


def test_a_token_snapshot_leaves_out_the_key_hash():
    user = make_user(Role.BUSINESS)
    token, key = accounts.token_create(user=user, name="phần mềm khai báo")
    data = snapshot(token)
    assert data["name"] == "phần mềm khai báo"
    assert data["prefix"] == key[:10]
    assert "key_hash" not in data
    assert token.key_hash not in json.dumps(data)


def test_no_stored_event_carries_a_password_or_a_token_hash():
    user = make_user(Role.BUSINESS, password=PASSWORD)
    accounts.user_set_language(user=user, language="en")
    token, _key = accounts.token_create(user=user, name="ERP")
    accounts.token_revoke(token=token, by=user)
    events = list(AuditEvent.objects.filter(object_id__in=[str(user.pk), str(token.pk)]))
    assert {"user.set_language", "token.create", "token.revoke"} <= {e.action for e in events}
    for e in events:
        text = json.dumps([e.before, e.after])
        assert '"password"' not in text and user.password not in text
        assert '"key_hash"' not in text and token.key_hash not in text
