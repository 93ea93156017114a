"""ketnoi audit verify: every event hashed again, each link of the chain checked; the first
broken link named (event, time, what differs) with exit status 1."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import translation

from ketnoi.accounts.models import Role
from ketnoi.audit import chain
from ketnoi.audit.models import AuditEvent, ChainHead
from ketnoi.audit.services import audit_checkpoint, audit_record
from ketnoi.lib import hashchain
from ketnoi.testing import make_user

pytestmark = pytest.mark.django_db

TABLE = AuditEvent._meta.db_table


def write(n: int) -> list[AuditEvent]:
    officer = make_user(Role.OFFICER, username="tran.thi.mai")
    return [audit_record(actor=officer if i % 2 else None, action="case.answer", object_type="cases.case",
                         object_id=str(100 + i), object_repr=f"HQ-2026-{i:06d} Hoàn thuế nhập khẩu",
                         before={"status": "assigned", "note": "<script>alert('x')</script>"},
                         after={"status": "answered", "score": 4.5, "codes": ("8471", "8517")},
                         ip="10.0.0.7" if i % 2 else "::ffff:10.0.0.8")
            for i in range(n)]


def sql(statement: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement.replace("{t}", connection.ops.quote_name(TABLE)), params)


def verify(*args) -> tuple[int, str]:
    out = StringIO()
    with translation.override("en"):
        try:
            call_command("audit", "verify", "--no-progress", *args, stdout=out)
        except CommandError as error:
            return error.returncode, str(error)
    return 0, out.getvalue()


def test_it_reports_an_intact_chain():
    events = write(5)
    status, output = verify()
    assert status == 0
    assert f"{AuditEvent.objects.count()} events, chain intact; last hash {events[-1].hash}" in output


def test_each_event_holds_the_previous_events_hash():
    events = write(3)
    stored = list(AuditEvent.objects.filter(pk__in=[e.pk for e in events]).order_by("id"))
    assert [e.prev_hash for e in stored[1:]] == [events[0].hash, events[1].hash]
    assert AuditEvent.objects.order_by("id").first().prev_hash == hashchain.GENESIS


def test_the_checkpoint_writes_down_the_last_link_and_can_run_twice():
    events = write(2)
    audit_checkpoint()
    head = audit_checkpoint()
    assert (head.last_id, head.hash) == (events[-1].pk, events[-1].hash)
    assert ChainHead.objects.count() == 1


def test_it_finds_an_event_changed_by_raw_sql():
    events = write(5)
    sql("UPDATE {t} SET object_repr = %s WHERE id = %s", ["HQ-2026-000002 Đã sửa", events[2].pk])
    status, message = verify()
    assert status == 1
    assert f"event #{events[2].pk}" in message
    assert "was changed after it was written" in message
    assert f"after {AuditEvent.objects.filter(id__lt=events[2].pk).count()} intact events" in message


def test_it_finds_a_change_to_the_json_of_an_event():
    events = write(3)
    sql("UPDATE {t} SET after = %s WHERE id = %s", ['{"status": "closed"}', events[1].pk])
    status, message = verify()
    assert status == 1
    assert f"event #{events[1].pk}" in message


def test_it_finds_an_event_changed_with_its_hash_rewritten():
    events = write(4)
    changed = AuditEvent.objects.get(pk=events[1].pk)
    changed.action = "case.withdraw"
    forged = hashchain.link_hash(
        {"at": changed.at, "actor": changed.actor_id, "actor_label": changed.actor_label, "action": changed.action,
         "object_type": changed.object_type, "object_id": changed.object_id, "object_repr": changed.object_repr,
         "before": changed.before, "after": changed.after, "ip": changed.ip}, changed.prev_hash)
    sql("UPDATE {t} SET action = %s, hash = %s WHERE id = %s", ["case.withdraw", forged, changed.pk])
    status, message = verify()
    assert status == 1
    assert f"the link from #{events[1].pk} to #{events[2].pk}" in message


def test_it_finds_a_deleted_event():
    events = write(5)
    sql("DELETE FROM {t} WHERE id = %s", [events[2].pk])
    status, message = verify()
    assert status == 1
    assert f"the link from #{events[1].pk} to #{events[3].pk}" in message
    assert "removed" in message


def test_it_finds_the_last_event_deleted_after_a_checkpoint():
    events = write(3)
    audit_checkpoint()
    sql("DELETE FROM {t} WHERE id = %s", [events[2].pk])
    status, message = verify()
    assert status == 1
    assert f"the chain ends at event #{events[1].pk} but its checkpoint records #{events[2].pk}" in message


def test_it_finds_a_chain_rewritten_from_before_its_checkpoint():
    events = write(3)
    audit_checkpoint()
    sql("DELETE FROM {t} WHERE id = %s", [events[2].pk])
    # Someone who can write the database appends a well-formed event where the removed one was.
    _insert_copy(events[1], new_id=events[2].pk, prev_hash=events[1].hash)
    status, message = verify()
    assert status == 1
    assert f"the checkpoint records {events[2].hash[:12]}… as the hash of event #{events[2].pk}" in message


def test_it_finds_the_first_event_deleted():
    write(3)
    first, second = AuditEvent.objects.order_by("id")[:2]
    sql("DELETE FROM {t} WHERE id = %s", [first.pk])
    status, message = verify()
    assert status == 1
    assert f"event #{second.pk}" in message
    assert "does not start the chain" in message


def _insert_copy(of: AuditEvent, *, new_id: int, prev_hash: str) -> str:
    fields = {"at": of.at, "actor": None, "actor_label": "system", "action": "case.withdraw",
              "object_type": of.object_type, "object_id": of.object_id, "object_repr": of.object_repr,
              "before": None, "after": None, "ip": None}
    digest = hashchain.link_hash(fields, prev_hash)
    sql("INSERT INTO {t} (id, at, actor_label, action, object_type, object_id, object_repr, prev_hash, hash) "
        "VALUES (%s, %s, 'system', 'case.withdraw', %s, %s, %s, %s, %s)",
        [new_id, of.at, of.object_type, of.object_id, of.object_repr, prev_hash, digest])
    return digest


def test_it_finds_an_event_appended_with_a_made_up_link():
    events = write(3)
    _insert_copy(events[-1], new_id=events[-1].pk + 1, prev_hash="a" * 64)
    status, message = verify()
    assert status == 1
    assert f"the link from #{events[-1].pk} to #{events[-1].pk + 1}" in message


def test_it_finds_an_event_inserted_in_the_middle():
    events = write(3)
    # Make room between the first and second event (ids are not hashed), then slip one in.
    sql("UPDATE {t} SET id = id + 10 WHERE id = %s", [events[2].pk])
    sql("UPDATE {t} SET id = id + 10 WHERE id = %s", [events[1].pk])
    inserted_id = events[0].pk + 1
    _insert_copy(events[0], new_id=inserted_id, prev_hash=events[0].hash)
    status, message = verify()
    assert status == 1
    assert f"event #{events[1].pk + 10}" in message
    assert f"follows #{events[0].pk}, not #{inserted_id}" in message
    assert "were inserted" in message


def test_it_verifies_from_a_checkpoint():
    events = write(6)
    sql("UPDATE {t} SET action = 'x' WHERE id = %s", [events[0].pk])  # before the checkpoint
    status, output = verify("--from-id", str(events[3].pk))
    assert status == 0
    assert f"3 events from #{events[3].pk}, chain intact" in output
    assert verify()[0] == 1


def test_it_verifies_since_a_time():
    write(3)
    first = AuditEvent.objects.order_by("id").first()
    status, output = verify("--since", "2000-01-01")
    assert status == 0
    assert f"{AuditEvent.objects.count()} events from #{first.pk}, chain intact" in output


def test_a_checkpoint_after_a_changed_event_still_checks_the_link_to_it():
    events = write(4)
    sql("UPDATE {t} SET hash = %s WHERE id = %s", ["f" * 64, events[1].pk])
    status, message = verify("--from-id", str(events[2].pk))
    assert status == 1
    assert f"#{events[2].pk}" in message


def test_it_rejects_a_bad_time():
    status, message = verify("--since", "hôm qua")
    assert status == 2
    assert "YYYY-MM-DD" in message


def test_an_empty_trail_is_intact():
    status, output = verify()
    assert status == 0
    assert "0 events, chain intact" in output


def test_verify_reports_progress():
    write(3)
    seen = []
    result = chain.verify(progress=lambda done, total: seen.append((done, total)))
    assert result.intact
    n = AuditEvent.objects.count()
    assert seen == [(n, n)]
