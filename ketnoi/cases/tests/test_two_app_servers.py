"""Two app servers on one database (issue 10, part 8): two officers read the same case, each
from their own gunicorn server, then take it or answer it at the same moment. Exactly one wins
each round, the other is told the case changed (409 with the version field, 412 with If-Match),
the case ends as the winner left it and its timeline holds the winner's entry once: no lost
update. The app servers are scripts/deploy_check.py's (gunicorn with deploy/gunicorn.conf.py on
a socket passed to it, as systemd runs it), started on the test database."""

import json
import os
import signal
import threading
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from ketnoi.accounts.services import token_create
from ketnoi.audit.models import AuditEvent
from ketnoi.cases.models import Answer, Case, CaseEvent, Status
from ketnoi.testing import seed_reference_data

from .core_helpers import build_world, file_case

Kind = CaseEvent.Kind
# Each pairing of the two actions, with the version as a field (409) or as If-Match (412).
ROUNDS = [(first, second, via) for via in ("field", "if-match") for first in ("assign", "answer")
          for second in ("assign", "answer")] * 3


def database_url() -> str:
    """The test database, as the servers' DATABASE_URL."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    password = f":{quote(s['PASSWORD'], safe='')}" if s.get("PASSWORD") else ""
    return f"postgres://{quote(s['USER'], safe='')}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def servers(transactional_db, tmp_path):
    """Two app servers on the test database, one gunicorn worker each (a worker serves one
    request at a time: two servers are two requests inside the database at once)."""
    from scripts.deploy_check import AppServer, Client
    from bench.cases import free_port

    env = {**os.environ, "DATABASE_URL": database_url(), "KETNOI_WORKERS": "1", "KETNOI_LOG_LEVEL": "WARNING"}
    started = []
    try:
        for _ in range(2):
            server = AppServer(free_port(), Path(tmp_path), env)
            server.start()
            started.append(server)
        for server in started:
            server.wait_ready(90)
        yield [Client(server.port) for server in started]
    finally:
        # Stopped before the database is flushed (their connections close with them), both at
        # once and without gunicorn's graceful wait: nothing is in flight any more.
        for server in started:
            if server.popen.poll() is None:
                server.popen.send_signal(signal.SIGQUIT)
        for server in started:
            server.stop(timeout=20, sig=signal.SIGQUIT)
            server.socket.close()


def call(client, method, path, token, body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    return client.request(method, f"/api/v1{path}", body=data, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json", "Accept-Language": "en",
        **(headers or {})})


def at_once(*calls):
    """Each call in its own thread, released together; their results (or exceptions) in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, fn):
        try:
            barrier.wait(timeout=30)
            results[index] = fn()
        except Exception as error:  # kept for the assertion to show
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def race_on_two_servers(servers):
    seed_reference_data()
    w = build_world()
    officers = [w.officer, w.officer2]
    for officer in officers:  # the API answers in the token's user's language: the assertions read English
        officer.language = "en"
        officer.save(update_fields=["language"])
    tokens = [token_create(user=officer, name="Kiểm thử hai máy chủ")[1] for officer in officers]
    wins = [0, 0]
    for number, (first, second, via) in enumerate(ROUNDS):
        case = file_case(w, subject=f"Hoàn thuế nguyên liệu nhập khẩu sản xuất xuất khẩu (vòng {number})")
        # Officer i reads the case from server (i + round) % 2 and acts through the same server.
        sides = [servers[(i + number) % 2] for i in range(2)]
        read = [call(sides[i], "GET", f"/cases/{case.reference}", tokens[i]) for i in range(2)]
        assert [r.status for r in read] == [200, 200], [r.body for r in read]
        etags = [r.header("ETag") for r in read]
        assert etags[0] == etags[1] == '"1"'
        actions = [first, second]
        bodies = [f"Trả lời của cán bộ {i + 1} ở vòng {number}: căn cứ Điều 36 Nghị định 134/2016/NĐ-CP."
                  for i in range(2)]

        def act(i):
            payload = {"body": bodies[i]} if actions[i] == "answer" else {}
            headers = {}
            if via == "field":
                payload["version"] = json.loads(read[i].body)["version"]
            else:
                headers["If-Match"] = etags[i]
            return call(sides[i], "POST", f"/cases/{case.reference}/{actions[i]}", tokens[i], payload, headers)

        responses = at_once(lambda: act(0), lambda: act(1))
        statuses = [getattr(r, "status", r) for r in responses]
        refused = 409 if via == "field" else 412
        assert sorted(statuses) == [200, refused], (number, actions, statuses,
                                                    [getattr(r, "body", b"")[:300] for r in responses])
        winner = statuses.index(200)
        loser = 1 - winner
        wins[servers.index(sides[winner])] += 1
        error = json.loads(responses[loser].body)["error"]
        assert error["code"] == ("conflict" if via == "field" else "precondition_failed")
        assert "Someone else updated this case" in error["message"]

        # The case as the winner left it, and nothing of the loser's.
        case = Case.objects.get(pk=case.pk)
        kinds = list(case.events.order_by("at", "id").values_list("kind", flat=True))
        audit = list(AuditEvent.objects.filter(object_id=str(case.pk), action__startswith="case.").exclude(action="case.file")
                     .values_list("action", flat=True))
        assert case.version == 2
        assert json.loads(responses[winner].body)["version"] == 2 and responses[winner].header("ETag") == '"2"'
        if actions[winner] == "assign":
            assert case.assignee == officers[winner] and case.status == Status.IN_PROGRESS
            assert kinds == [Kind.FILED, Kind.ROUTED, Kind.ASSIGNED], (number, kinds)
            assert not Answer.objects.filter(case=case).exists()
            assert audit == ["case.assign"]
        else:
            assert case.assignee is None and case.status == Status.ANSWERED
            assert kinds == [Kind.FILED, Kind.ROUTED, Kind.ANSWERED], (number, kinds)
            (answer,) = Answer.objects.filter(case=case)
            assert answer.body == bodies[winner] and answer.author == officers[winner]
            assert answer.state == Answer.State.SENT
            assert case.events.get(kind=Kind.ANSWERED).body == bodies[winner]
            assert audit == ["case.answer"]
    return wins


@pytest.mark.postgresql
def test_two_app_servers_on_one_postgresql_lose_no_update(servers):
    wins = race_on_two_servers(servers)
    assert sum(wins) == len(ROUNDS)


@pytest.mark.sqlite
def test_two_app_servers_on_one_sqlite_file_lose_no_update(servers):
    wins = race_on_two_servers(servers)
    assert sum(wins) == len(ROUNDS)
