"""The read replica: which database each read goes to, told by each connection's query log.

Transactional tests: inside a test's transaction every read goes to the primary (a transaction
reads what it writes), and the mirror sees only what is committed."""

import time
from contextlib import contextmanager

import pytest
from django.db import connections, router, transaction
from django.test.utils import CaptureQueriesContext

from ketnoi.ops.models import Heartbeat
from ketnoi.ops.replica import (DEFAULT, PIN_COOKIE, REPLICA, reading_database, reading_from_primary,
                                reading_from_replica)
from ketnoi.ops.services import heartbeat_record

pytestmark = [pytest.mark.django_db(transaction=True, databases="__all__"), pytest.mark.urls("ketnoi.ops.tests.urls")]


class Reads:
    """The queries each alias ran while the block ran."""

    def __init__(self, primary, replica):
        self._primary, self._replica = primary, replica

    @property
    def primary(self) -> int:
        return len(self._primary.captured_queries)

    @property
    def replica(self) -> int:
        return len(self._replica.captured_queries)


@contextmanager
def counted():
    with CaptureQueriesContext(connections[DEFAULT]) as primary, \
            CaptureQueriesContext(connections[REPLICA]) as replica:
        yield Reads(primary, replica)


def names() -> list[str]:
    return list(Heartbeat.objects.order_by("name").values_list("name", flat=True))


def test_it_reads_from_the_replica_inside_reading_from_replica(mirror):
    heartbeat_record(name="tick")
    with counted() as reads, reading_from_replica():
        assert names() == ["tick"]  # the mirror holds what the primary committed
    assert (reads.primary, reads.replica) == (0, 1)


def test_it_reads_from_the_primary_outside_such_a_block(mirror):
    heartbeat_record(name="tick")
    with counted() as reads:
        assert names() == ["tick"]
    assert (reads.primary, reads.replica) == (1, 0)


def test_it_works_as_a_decorator(mirror):
    @reading_from_replica()
    def report():
        return names()

    with counted() as reads:
        report()
        report()
    assert (reads.primary, reads.replica) == (0, 2)


def test_it_writes_to_the_primary_and_then_reads_its_write_there(mirror):
    with counted() as reads, reading_from_replica():
        names()
        heartbeat_record(name="tick")
        assert names() == ["tick"]
    assert reads.replica == 1  # only the read before the write
    assert Heartbeat.objects.using(DEFAULT).filter(name="tick").exists()


def test_it_reads_from_the_primary_inside_a_transaction(mirror):
    with reading_from_replica(), transaction.atomic():
        assert reading_database() == DEFAULT
    with reading_from_replica():
        assert reading_database() == REPLICA


def test_what_reading_from_primary_writes_does_not_pin_the_block_around_it(mirror):
    with counted() as reads, reading_from_replica():
        with reading_from_primary():
            heartbeat_record(name="reports")  # as reports_refresh folds cases into its sums
            assert names() == ["reports"]
        names()
    assert (reads.replica, reading_database()) == (1, DEFAULT)


def test_reading_from_replica_inside_reading_from_primary_changes_nothing(mirror):
    with reading_from_primary(), reading_from_replica():
        assert reading_database() == DEFAULT


def test_writes_and_migrations_go_to_the_primary_only(mirror):
    with reading_from_replica():
        assert router.db_for_write(Heartbeat) == DEFAULT
    assert router.allow_migrate(DEFAULT, "ops", model_name="heartbeat") is True
    assert router.allow_migrate(REPLICA, "ops", model_name="heartbeat") is False


def test_a_dashboard_page_reads_from_the_replica(client, mirror):
    heartbeat_record(name="tick")
    with counted() as reads:
        response = client.get("/dashboard")
    assert response.json() == {"names": ["tick"]}
    assert reads.replica == 1
    assert PIN_COOKIE not in response.cookies


def test_a_post_pins_the_browser_to_the_primary_for_a_while(client, mirror, settings):
    response = client.post("/write", {"name": "form"})
    assert response.cookies[PIN_COOKIE]["max-age"] == settings.KETNOI_REPLICA_PIN_SECONDS
    with counted() as reads:
        assert client.get("/dashboard").json() == {"names": ["form"]}
    assert (reads.primary, reads.replica) == (1, 0)

    # The pin's time is over: back to the replica.
    client.cookies[PIN_COOKIE] = str(int(time.time()) - settings.KETNOI_REPLICA_PIN_SECONDS - 1)
    with counted() as reads:
        client.get("/dashboard")
    assert (reads.primary, reads.replica) == (0, 1)


def test_a_page_that_wrote_as_it_was_read_pins_the_browser_too(client, mirror):
    response = client.get("/write", {"touch": "seen"})
    assert PIN_COOKIE in response.cookies
    with counted() as reads:
        assert client.get("/dashboard").json() == {"names": ["seen"]}
    assert reads.replica == 0


def test_a_pin_from_the_future_is_not_honoured(client, mirror):
    client.cookies[PIN_COOKIE] = str(int(time.time()) + 3600)
    with counted() as reads:
        client.get("/dashboard")
    assert reads.replica == 1


def test_a_streamed_download_reads_from_the_replica_as_it_is_sent(client, mirror):
    heartbeat_record(name="a")
    heartbeat_record(name="b")
    with counted() as reads:
        response = client.get("/stream")
        assert b"".join(response.streaming_content) == b"a\nb\n"
    assert reads.replica >= 1
    assert reads.primary == 0


def test_an_unreachable_replica_is_skipped_for_the_primary(client, unreachable_replica, caplog):
    heartbeat_record(name="tick")
    with CaptureQueriesContext(connections[DEFAULT]) as primary:
        assert client.get("/dashboard").json() == {"names": ["tick"]}
        assert client.get("/dashboard").json() == {"names": ["tick"]}
    assert len(primary.captured_queries) == 2
    warnings = [r for r in caplog.records if r.name == "ketnoi.ops.replica"]
    assert len(warnings) == 1  # tried once, then left alone for a while


def test_without_a_replica_everything_reads_from_the_primary_and_nothing_is_pinned(client):
    assert REPLICA not in connections.settings
    with reading_from_replica():
        assert reading_database() == DEFAULT
    response = client.post("/write", {"name": "form"})
    assert PIN_COOKIE not in response.cookies
    assert client.get("/dashboard").json() == {"names": ["form"]}
