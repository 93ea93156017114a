"""`ketnoi serve` (what `make run` starts) runs one background worker beside the web server, so
a review asked for from the pages is rendered; stopping serve stops both.

Run as a real process on this test's database; the job is the real year-end review (of an empty
year: the point is the worker, not the figures)."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from ketnoi.accounts.models import Role
from ketnoi.background import services
from ketnoi.background.kinds import YEAR_END
from ketnoi.background.models import Job
from ketnoi.testing import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _children(pid: int) -> list[int]:
    try:
        return [int(n) for n in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat").read_text().split()[2] if Path(f"/proc/{pid}/stat").exists() else "X"
    return status != "Z"


def _wait(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    raise AssertionError(f"waited {seconds} s for {what}")


def test_serve_runs_a_worker_that_renders_and_stops_with_it(tmp_path):
    job = services.job_request(kind=YEAR_END, params={"year": 2020, "fmt": "docx"},
                               by=make_user(Role.COORDINATOR))
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": _database_url(), "KETNOI_VAR_DIR": str(tmp_path), "DEBUG": "0"}
    log = tmp_path / "serve.log"
    serve = subprocess.Popen([sys.executable, "-m", "ketnoi", "serve", "--port", str(port), "--workers", "1"],
                             env=env, stdout=subprocess.DEVNULL, stderr=log.open("wb"))
    try:
        _wait(lambda: len(_children(serve.pid)) == 2, 30, "gunicorn and the worker to start")
        web_and_worker = _children(serve.pid)
        _wait(lambda: Job.objects.get(pk=job.pk).state in {Job.State.DONE, Job.State.FAILED}, 120,
              "the worker to render the review")
        job.refresh_from_db()
        assert job.state == Job.State.DONE, job.error_detail
        assert (tmp_path / "files" / job.result.name).read_bytes()[:2] == b"PK"  # a DOCX is a zip
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
            assert response.status == 200
    finally:
        serve.send_signal(signal.SIGTERM)
        try:
            serve.wait(90)
        finally:
            if serve.poll() is None:
                serve.kill()
    assert serve.returncode == 0, log.read_text()[-2000:]
    assert not any(_alive(pid) for pid in web_and_worker)
