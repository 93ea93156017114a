"""ketnoi doctor: the audit chain's newest events are checked."""

import pytest
from django.db import connection
from django.utils import translation

from ketnoi.audit.models import AuditEvent
from ketnoi.audit.services import audit_record
from ketnoi.ops import doctor

pytestmark = pytest.mark.django_db


def test_it_passes_on_an_intact_chain():
    for i in range(3):
        audit_record(actor=None, action="case.file", object_type="cases.case", object_id=str(i))
    with translation.override("en"):
        result = doctor.check_audit_chain()
    assert result.ok
    assert "the newest 3 events are chained intact" in result.found


def test_it_fails_naming_the_changed_event():
    events = [audit_record(actor=None, action="case.file", object_type="cases.case", object_id=str(i))
              for i in range(3)]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AuditEvent._meta.db_table} SET object_id = '99' WHERE id = %s", [events[1].pk])
    with translation.override("en"):
        result = doctor.check_audit_chain()
    assert not result.ok
    assert f"event #{events[1].pk}" in result.found
    assert "ketnoi audit verify" in result.todo


def test_it_checks_only_the_newest_events(monkeypatch):
    events = [audit_record(actor=None, action="case.file", object_type="cases.case", object_id=str(i))
              for i in range(4)]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AuditEvent._meta.db_table} SET object_id = '99' WHERE id = %s", [events[0].pk])
    monkeypatch.setattr(doctor, "AUDIT_RECENT", 2)
    result = doctor.check_audit_chain()
    assert result.ok
