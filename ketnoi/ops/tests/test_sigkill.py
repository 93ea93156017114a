"""A SIGKILL of the app server in the middle of a burst of case submissions loses no submission
that was acknowledged, and leaves no half-written case (issue 10, part 7).

A real app server (gunicorn with deploy/gunicorn.conf.py, 2 sync workers, on a listening socket
held for it as systemd's ketnoi-web@.socket holds it: scripts/deploy_check.py's AppServer) on a
temporary database: a copy of the test database in a temporary folder on SQLite, a database
restored from its dump on the PostgreSQL server of DATABASE_URL. Client
threads file cases through the API with a business user's token; after some have been
acknowledged, the server's whole process group (master and workers) gets SIGKILL, with no
chance to finish anything; it is started again while the clients keep sending. Then every
reference the API acknowledged with a 201 must be in the database with everything that was sent,
every case there must have its timeline's first events and its audit event, none twice, and the
restarted server must have served again.

SQLite runs in WAL mode with synchronous=NORMAL (ketnoi/settings.py): a commit is in the WAL file
(written, not yet synced) before the 201 is sent, and the next process that opens the database
reads it back. "Transactions are durable across application crashes regardless of the synchronous
setting or journal mode"; only a power loss or an OS crash may roll back the last transactions
under synchronous=NORMAL (https://sqlite.org/pragma.html#pragma_synchronous). A SIGKILL is an
application crash: this test shows it loses nothing.
"""

import json
import os
import secrets
import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.db import connection

from bench.cases import free_port, http_get, http_post_json, request_once, submission_body
from ketnoi.accounts import services as accounts
from ketnoi.accounts.models import Role
from ketnoi.lib import customs
from ketnoi.ops.backup import pg_command, sqlite_copy
from ketnoi.testing import make_enterprise, make_unit, make_user, seed_reference_data
from scripts.deploy_check import AppServer

CLIENTS = 6
KILL_AFTER = 12      # acknowledged submissions before the kill
AFTER_RESTART = 6    # acknowledged submissions after the restart before the burst ends
MAX_SENT = 500
WAIT = 60            # seconds any one step may take on a busy machine


class TemporaryDatabase:
    """The test database's copy, served by the app server and read by the test without Django."""

    def __init__(self, folder: Path):
        self.vendor = connection.vendor
        settings = connection.settings_dict
        if self.vendor == "sqlite":
            self.path = folder / "ketnoi.sqlite3"
            sqlite_copy(settings["NAME"], self.path)
            self.url = f"sqlite:///{self.path}"
        else:
            # Dumped and restored rather than CREATE DATABASE … TEMPLATE, which needs the test
            # database to have no other session (a thread of an earlier test may have left one).
            self.name = f"{settings['NAME']}_sigkill"
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)', f'CREATE DATABASE "{self.name}"')
            dump = folder / "test.dump"
            pg_dump, env = pg_command("default", "pg_dump")
            subprocess.run([*pg_dump, "--format=custom", "--file", str(dump), settings["NAME"]], env=env, check=True)
            pg_restore, env = pg_command("default", "pg_restore")
            subprocess.run([*pg_restore, "--no-owner", "--exit-on-error", "--dbname", self.name, str(dump)],
                           env=env, check=True)
            credentials = settings["USER"] + (f":{settings['PASSWORD']}" if settings.get("PASSWORD") else "")
            self.url = f"postgres://{credentials}@{settings['HOST']}:{settings['PORT']}/{self.name}"

    def _connect(self, name):
        import psycopg

        return psycopg.connect(**{**connection.get_connection_params(), "dbname": name}, autocommit=True)

    def _admin(self, *statements):
        with self._connect("postgres") as admin:
            for statement in statements:
                admin.execute(statement)

    def rows(self, sql: str) -> list[tuple]:
        if self.vendor == "sqlite":
            with sqlite3.connect(self.path) as db:
                return db.execute(sql).fetchall()
        with self._connect(self.name) as db:
            return db.execute(sql).fetchall()

    def drop(self):
        if self.vendor != "sqlite":
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def people() -> dict:
    seed_reference_data()
    unit = make_unit(name_vi="Chi cục Hải quan cửa khẩu cảng Cát Lái")
    enterprise = make_enterprise(name="Công ty Cổ phần Điện tử Tân Thuận Phát", home_unit=unit)
    business = make_user(Role.BUSINESS, enterprise=enterprise, full_name="Lương Thị Mỹ Duyên")
    _token, key = accounts.token_create(user=business, name="kiểm tra SIGKILL")
    return {"token": key, "unit_code": unit.code, "enterprise_id": enterprise.pk}


class Burst:
    """Client threads that file cases until told to stop; each result is (n, status, reference,
    sent after the kill)."""

    def __init__(self, port: int, fixture: dict):
        self.port, self.fixture = port, fixture
        self.results: list[tuple[int, int, str | None, bool]] = []
        self.lock = threading.Lock()
        self.sent = 0
        self.killed = threading.Event()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.client) for _ in range(CLIENTS)]

    def client(self):
        while not self.stop.is_set():
            with self.lock:
                if self.sent >= MAX_SENT:
                    return
                self.sent += 1
                n = self.sent
            after_kill = self.killed.is_set()
            payload = http_post_json("/api/v1/cases", self.port, submission_body(self.fixture, n), self.fixture["token"])
            try:
                status, _elapsed, response = request_once(self.port, payload)
            except OSError:  # reset by the kill
                status, response = 0, b""
            reference = None
            if status == 201:
                reference = json.loads(response.split(b"\r\n\r\n", 1)[1])["reference"]
            with self.lock:
                self.results.append((n, status, reference, after_kill))

    def acknowledged(self, *, after_kill: bool | None = None) -> int:
        with self.lock:
            return sum(1 for _n, status, _r, late in self.results if status == 201 and after_kill in (None, late))


def wait_for(condition, what: str):
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {WAIT} s for {what}")
        time.sleep(0.02)


def run(tmp_path: Path):
    fixture = people()
    database = TemporaryDatabase(tmp_path)
    env = {**os.environ, "DATABASE_URL": database.url, "KETNOI_VAR_DIR": str(tmp_path / "var"), "DEBUG": "0",
           "SECRET_KEY": secrets.token_urlsafe(40), "KETNOI_WORKERS": "2", "KETNOI_EMAIL_SEND_ON_COMMIT": "0",
           "KETNOI_LOG_FORMAT": "json", "PYTHONUNBUFFERED": "1",
           # The application imported once by the master, not by each worker: half the CPU of a
           # start on a busy 2-core machine (the test is about commits, not how workers start).
           "GUNICORN_CMD_ARGS": "--preload"}
    port = free_port()
    server = AppServer(port, tmp_path, env)
    burst = Burst(port, fixture)
    started = time.monotonic()
    try:
        server.start()
        server.wait_ready(WAIT)
        first_start = time.monotonic() - started
        for thread in burst.threads:
            thread.start()
        wait_for(lambda: burst.acknowledged() >= KILL_AFTER, f"{KILL_AFTER} acknowledged submissions")
        os.killpg(server.popen.pid, signal.SIGKILL)  # the master and its workers at once
        server.popen.wait()
        burst.killed.set()
        killed_at = time.monotonic() - started
        time.sleep(0.5)  # down for a moment while the clients go on sending
        server.start()
        server.wait_ready(WAIT)
        restart = time.monotonic() - started - killed_at
        wait_for(lambda: burst.acknowledged(after_kill=True) >= AFTER_RESTART, "submissions after the restart")
        burst.stop.set()
        for thread in burst.threads:
            thread.join(WAIT)
        serves_again = request_once(port, http_get("/healthz", port))[0]
        print(f"\nserver started in {first_start:.1f} s, killed at {killed_at:.1f} s, serving again "
              f"{restart:.1f} s later, burst ended at {time.monotonic() - started:.1f} s")
    finally:
        burst.stop.set()
        server.stop(timeout=30)
        server.socket.close()
    try:
        check(database, burst, fixture, serves_again, killed_at, time.monotonic() - started)
    finally:
        database.drop()


def check(database: TemporaryDatabase, burst: Burst, fixture: dict, serves_again: int, killed_at: float,
          seconds: float):
    sent = {n: json.loads(submission_body(fixture, n)) for n, *_rest in burst.results}
    acknowledged = {reference: n for n, status, reference, _late in burst.results if status == 201}
    failed = [n for n, status, _r, _late in burst.results if status != 201]
    cases = database.rows(f"SELECT id, reference, subject, description, declaration_numbers, hs_codes, channel "
                          f"FROM cases_case WHERE enterprise_id = {fixture['enterprise_id']}")
    found = {row[1]: row for row in cases}
    print(f"\nSIGKILL test ({database.vendor}): {len(burst.results)} sent, {len(acknowledged)} acknowledged (201), "
          f"{len(failed)} failed (the kill), server killed at {killed_at:.1f} s; {len(found)} cases in the database, "
          f"{sum(1 for r in acknowledged if r in found)} of the acknowledged; {len(found) - len(acknowledged)} "
          f"committed whose 201 was lost with the kill; {seconds:.0f} s")
    # The only failures are connections cut by the kill (no response at all): never an error status.
    assert {status for _n, status, _r, _late in burst.results} <= {201, 0}, \
        f"unexpected statuses: {sorted({s for _n, s, _r, _l in burst.results})}"

    # Every acknowledged submission is there, with everything that was sent.
    missing = sorted(set(acknowledged) - set(found))
    assert missing == [], f"acknowledged but lost: {missing}"
    for reference, n in acknowledged.items():
        _id, _ref, subject, description, declarations, hs_codes, channel = found[reference]
        body = sent[n]
        decode = (lambda v: json.loads(v) if isinstance(v, str) else v)  # JSON as text on both engines
        assert (subject, description, channel) == (body["subject"], body["description"], "api")
        assert decode(declarations) == [customs.clean_declaration_number(x) for x in body["declaration_numbers"]]
        assert decode(hs_codes) == [customs.clean_hs_code(x) for x in body["hs_codes"]]

    # No half-written case: each has its first two events and its audit event; none twice, none
    # that was not sent.
    ids = ",".join(str(row[0]) for row in cases)
    whole = {row[0] for row in database.rows(
        f"SELECT case_id FROM cases_caseevent WHERE case_id IN ({ids}) AND kind IN ('filed', 'routed') "
        f"GROUP BY case_id HAVING count(*) = 2")}
    audited = {int(row[0]) for row in database.rows(
        f"SELECT object_id FROM audit_auditevent WHERE action = 'case.file' AND object_id IN "
        f"({','.join(repr(str(row[0])) for row in cases)})")}
    assert whole == audited == {row[0] for row in cases}
    subjects = [row[2] for row in cases]
    assert len(subjects) == len(set(subjects))
    assert set(subjects) <= {body["subject"] for body in sent.values()}

    # The restarted server served: submissions after the kill were acknowledged, and /healthz.
    assert burst.acknowledged(after_kill=True) >= AFTER_RESTART
    assert serves_again == 200


@pytest.mark.sqlite
@pytest.mark.django_db(transaction=True)
def test_a_sigkill_loses_no_acknowledged_submission_on_sqlite(tmp_path):
    run(tmp_path)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_sigkill_loses_no_acknowledged_submission_on_postgresql(tmp_path):
    run(tmp_path)
