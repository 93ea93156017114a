"""The data migration that chains the events written before the chain existed."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from ketnoi.audit import chain
from ketnoi.audit.models import AuditEvent, ChainHead
from ketnoi.audit.services import audit_record

pytestmark = pytest.mark.django_db

migration = importlib.import_module("ketnoi.audit.migrations.0003_chain_existing_events")


def unchain():
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AuditEvent._meta.db_table} SET prev_hash = '', hash = ''")
    ChainHead.objects.all().delete()


def test_it_chains_the_existing_events_in_batches(monkeypatch):
    for i in range(7):
        audit_record(actor=None, action="party.member_created", object_type="party.member", object_id=str(i),
                     object_repr=f"Nguyễn Văn Hùng {i}", after={"born_on": "1970-03-02"})
    unchain()
    monkeypatch.setattr(migration, "BATCH", 3)
    migration.chain_existing(apps, SimpleNamespace(connection=connection))
    assert not AuditEvent.objects.filter(hash="").exists()
    assert ChainHead.objects.get().last_id == AuditEvent.objects.order_by("-id").first().pk
    assert chain.verify().intact


def test_it_goes_on_from_the_last_chained_event():
    events = [audit_record(actor=None, action="case.file", object_type="cases.case", object_id=str(i))
              for i in range(4)]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AuditEvent._meta.db_table} SET prev_hash = '', hash = '' WHERE id > %s",
                       [events[1].pk])
    migration.chain_existing(apps, SimpleNamespace(connection=connection))
    assert AuditEvent.objects.get(pk=events[1].pk).hash == events[1].hash
    assert chain.verify().intact


def test_an_empty_trail_gets_a_head_at_the_start():
    AuditEvent.objects.none()
    unchain()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table}")
    migration.chain_existing(apps, SimpleNamespace(connection=connection))
    head = ChainHead.objects.get()
    assert (head.last_id, head.hash) == (None, "0" * 64)
