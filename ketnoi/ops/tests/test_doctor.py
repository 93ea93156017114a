"""`ketnoi doctor`: each check passes on what works and fails, saying what to do, on what does not."""

import json
import secrets
import socket
import threading
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone, translation
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ketnoi.background.models import Job
from ketnoi.ops import doctor
from ketnoi.ops.services import TICK, heartbeat_record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# --- database and migrations ----------------------------------------------------------------------

def test_the_database_check_names_the_engine_and_version():
    result = doctor.check_database()
    assert result.ok
    assert result.found.startswith("SQLite 3." if connections["default"].vendor == "sqlite" else "PostgreSQL 1")


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_the_database_check_fails_when_the_database_cannot_be_reached(unreachable_replica):
    result = doctor.check_database(alias="replica")
    assert not result.ok
    assert "cannot be reached" in result.found
    assert "DATABASE_URL" in result.todo


def test_the_migrations_check_passes_when_all_are_applied():
    result = doctor.check_migrations()
    assert result.ok and result.found.startswith("all ")


def test_the_migrations_check_fails_when_one_is_not_applied():
    MigrationRecorder.Migration.objects.filter(app="ops", name="0001_initial").delete()
    result = doctor.check_migrations()
    assert not result.ok
    assert "ops.0001_initial" in result.found
    assert "ketnoi migrate" in result.todo


# --- settings -------------------------------------------------------------------------------------

def test_the_settings_check_is_quiet_on_a_trial(settings):
    settings.KETNOI_BASE_URL = "http://127.0.0.1:8000"
    settings.DEBUG = True
    assert doctor.check_settings().ok


def test_the_settings_check_passes_in_production_with_a_strong_key(settings):
    settings.KETNOI_BASE_URL = "https://ketnoi.haiquan.example.vn"
    settings.DEBUG = False
    settings.SECRET_KEY = secrets.token_urlsafe(50)
    assert doctor.check_settings().ok


@pytest.mark.parametrize(("debug", "key", "said"), [
    (True, secrets.token_urlsafe(50), "DEBUG is on"),
    (False, "django-insecure-" + "x1y2z3" * 10, "SECRET_KEY is weak"),
    (False, "ngan-qua", "SECRET_KEY is weak"),
])
def test_the_settings_check_fails_in_production_with_debug_or_a_weak_key(settings, debug, key, said):
    settings.KETNOI_BASE_URL = "https://ketnoi.haiquan.example.vn"
    settings.DEBUG = debug
    settings.SECRET_KEY = key
    result = doctor.check_settings()
    assert not result.ok
    assert said in result.found
    assert "SECRET_KEY" in result.todo


def test_the_settings_check_fails_on_a_key_made_for_one_machine(settings, tmp_path):
    settings.KETNOI_BASE_URL = "https://ketnoi.haiquan.example.vn"
    settings.DEBUG = False
    settings.VAR_DIR = tmp_path
    settings.SECRET_KEY = secrets.token_urlsafe(50)
    (tmp_path / "secret_key").write_text(settings.SECRET_KEY)
    result = doctor.check_settings()
    assert not result.ok
    assert "var/secret_key" in result.found


# --- mail -----------------------------------------------------------------------------------------

class SmtpServer:
    """A mail server on the loopback that greets, answers EHLO and QUIT: enough to be connected to."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(1)
        self.port = self.socket.getsockname()[1]
        self.greeted = []
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        connection, _address = self.socket.accept()
        with connection, connection.makefile("rb") as lines:
            connection.sendall(b"220 mail.haiquan.example.vn ESMTP\r\n")
            for line in lines:
                command = line.decode().strip().upper()
                self.greeted.append(command.split()[0] if command else "")
                if command.startswith(("EHLO", "HELO")):
                    connection.sendall(b"250 mail.haiquan.example.vn\r\n")
                elif command.startswith("QUIT"):
                    connection.sendall(b"221 bye\r\n")
                    return
                else:
                    connection.sendall(b"250 ok\r\n")

    def close(self):
        self.socket.close()


def smtp_settings(settings, port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False


def test_the_mail_check_connects_to_the_smtp_server(settings):
    server = SmtpServer()
    smtp_settings(settings, server.port)
    try:
        result = doctor.check_mail()
    finally:
        server.thread.join(timeout=5)
        server.close()
    assert result.ok, result
    assert f"127.0.0.1:{server.port}" in result.found
    assert "QUIT" in server.greeted


def test_the_mail_check_fails_when_the_smtp_server_cannot_be_reached(settings):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    smtp_settings(settings, port)
    result = doctor.check_mail()
    assert not result.ok
    assert "cannot be reached" in result.found
    assert "EMAIL_URL" in result.todo


def test_the_mail_check_says_files_are_written_on_a_trial(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    settings.KETNOI_BASE_URL = "http://127.0.0.1:8000"
    result = doctor.check_mail()
    assert result.ok
    assert "written to files" in result.found and "not sent" in result.found


def test_the_mail_check_fails_when_production_sends_no_mail(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    settings.KETNOI_BASE_URL = "https://ketnoi.haiquan.example.vn"
    result = doctor.check_mail()
    assert not result.ok
    assert "EMAIL_URL" in result.todo


# --- worker and tick ------------------------------------------------------------------------------

def task(*, status=TaskResultStatus.READY, enqueued_minutes_ago=0, started_minutes_ago=None):
    now = timezone.now()
    result = DBTaskResult.objects.create(status=status, run_after=now - timedelta(minutes=enqueued_minutes_ago),
                                         args_kwargs={"args": [], "kwargs": {}}, backend_name="default",
                                         task_path="ketnoi.background.tasks.run_job")
    DBTaskResult.objects.filter(pk=result.pk).update(
        enqueued_at=now - timedelta(minutes=enqueued_minutes_ago),
        started_at=None if started_minutes_ago is None else now - timedelta(minutes=started_minutes_ago))
    return result


def test_the_worker_check_passes_when_nothing_waits():
    task(status=TaskResultStatus.SUCCESSFUL, enqueued_minutes_ago=600, started_minutes_ago=600)
    result = doctor.check_worker()
    assert result.ok and result.found.startswith("nothing waits")


def test_the_worker_check_passes_when_a_worker_took_a_task_lately():
    task(enqueued_minutes_ago=30)
    task(status=TaskResultStatus.RUNNING, enqueued_minutes_ago=3, started_minutes_ago=2)
    result = doctor.check_worker()
    assert result.ok and "1 task(s) waiting" in result.found


def test_the_worker_check_passes_when_the_task_was_just_queued():
    task(enqueued_minutes_ago=1)
    assert doctor.check_worker().ok


def test_the_worker_check_fails_when_tasks_wait_and_no_worker_takes_them():
    task(enqueued_minutes_ago=45)
    task(enqueued_minutes_ago=20)
    task(status=TaskResultStatus.SUCCESSFUL, enqueued_minutes_ago=300, started_minutes_ago=300)
    Job.objects.create(kind="reports.year_end", state=Job.State.FAILED, finished_at=timezone.now())
    result = doctor.check_worker()
    assert not result.ok
    assert "2 task(s) have waited since" in result.found
    assert "1 job(s) failed in the last 24 hours" in result.found
    assert "ketnoi worker" in result.todo


def test_the_worker_check_does_not_count_a_retry_waiting_for_its_time():
    later = task(enqueued_minutes_ago=45)
    DBTaskResult.objects.filter(pk=later.pk).update(run_after=timezone.now() + timedelta(hours=1))
    assert doctor.check_worker().ok


def test_the_tick_check_passes_when_the_tick_ran_lately():
    heartbeat_record(name=TICK, at=timezone.now() - timedelta(minutes=4))
    result = doctor.check_tick()
    assert result.ok


def test_the_tick_check_fails_when_the_tick_never_ran():
    result = doctor.check_tick()
    assert not result.ok
    assert "never" in result.found
    assert "ketnoi tick" in result.todo


def test_the_tick_check_fails_when_the_tick_stopped():
    heartbeat_record(name=TICK, at=timezone.now() - timedelta(hours=3))
    result = doctor.check_tick()
    assert not result.ok
    assert "180 minutes ago" in result.found


def test_the_tick_records_that_it_ran():
    call_command("tick", stdout=StringIO())
    result = doctor.check_tick()
    assert result.ok, result


# --- files ----------------------------------------------------------------------------------------

def test_the_disk_check_passes_with_room_to_spare(tmp_path):
    result = doctor.check_disk({"var": tmp_path, "media": tmp_path / "files"}, min_free_bytes=1, min_free_share=0)
    assert result.ok
    assert result.found.startswith("var ") and "free of" in result.found


def test_the_disk_check_fails_when_the_disk_is_nearly_full(tmp_path):
    result = doctor.check_disk({"var": tmp_path}, min_free_bytes=1 << 60)
    assert not result.ok
    assert str(tmp_path) in result.found
    assert "Free space" in result.todo


@pytest.fixture
def manifest_storage(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}
    return Path(settings.STATIC_ROOT)


def write_manifest(root: Path, paths):
    root.mkdir(parents=True, exist_ok=True)
    (root / "staticfiles.json").write_text(json.dumps({"paths": {path: path for path in paths}, "version": "1.1"}))


def test_the_static_check_passes_when_every_file_is_collected(manifest_storage):
    write_manifest(manifest_storage, doctor._source_static_files())
    result = doctor.check_static()
    assert result.ok, result


def test_the_static_check_fails_when_nothing_was_collected(manifest_storage):
    result = doctor.check_static()
    assert not result.ok
    assert "staticfiles.json" in result.found
    assert "collectstatic" in result.todo


def test_the_static_check_fails_when_a_file_was_added_since(manifest_storage):
    files = sorted(doctor._source_static_files())
    assert "img/logo.svg" in files
    write_manifest(manifest_storage, [path for path in files if path != "img/logo.svg"])
    result = doctor.check_static()
    assert not result.ok
    assert "1 file(s) added" in result.found and "img/logo.svg" in result.found


# --- replica --------------------------------------------------------------------------------------

def test_the_replica_check_passes_when_none_is_configured():
    result = doctor.check_replica()
    assert result.ok and "not configured" in result.found


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_the_replica_check_reaches_the_replica(mirror):
    result = doctor.check_replica()
    assert result.ok, result
    if mirror.vendor == "postgresql":
        assert "not a standby" in result.found  # the mirror is the test database itself


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_the_replica_check_fails_when_the_replica_cannot_be_reached(unreachable_replica):
    result = doctor.check_replica()
    assert not result.ok
    assert "cannot be reached" in result.found
    assert "DATABASE_REPLICA_URL" in result.todo


# --- the command ----------------------------------------------------------------------------------

def passing():
    return doctor.Result("database", True, "SQLite 3.46")


def failing():
    return doctor.Result("tick", False, "never ran", "Run `ketnoi tick` every 5 minutes.")


def broken():
    raise RuntimeError("relation \"ops_heartbeat\" does not exist")


def run(monkeypatch, checks) -> tuple[str, int]:
    monkeypatch.setattr(doctor, "CHECKS", checks)
    out = StringIO()
    try:
        call_command("doctor", stdout=out)
    except CommandError as error:
        return out.getvalue(), error.returncode
    return out.getvalue(), 0


def test_the_command_prints_a_line_per_check_and_exits_0_when_all_pass(monkeypatch):
    output, status = run(monkeypatch, [passing, passing])
    assert status == 0
    assert output.splitlines()[:2] == ["✓ database: SQLite 3.46"] * 2
    assert "All 2 checks passed." in output


def test_the_command_exits_1_and_says_what_to_do_when_a_check_fails(monkeypatch):
    output, status = run(monkeypatch, [passing, failing])
    assert status == 1
    assert "✗ tick: never ran" in output
    assert "→ Run `ketnoi tick` every 5 minutes." in output


def test_a_check_that_breaks_is_a_failed_check_not_a_crash(monkeypatch):
    output, status = run(monkeypatch, [broken, passing])
    assert status == 1
    assert "✗ broken: the check itself failed: relation \"ops_heartbeat\" does not exist" in output
    assert "✓ database" in output


def test_the_command_runs_every_real_check(monkeypatch, settings, tmp_path):
    # A healthy trial: the tick ran, nothing waits, static files served from the sources.
    heartbeat_record(name=TICK)
    settings.KETNOI_BASE_URL = "http://127.0.0.1:8000"
    output, _status = run(monkeypatch, doctor.CHECKS)
    names = [line.split(":")[0][2:] for line in output.splitlines() if line[:1] in "✓✗"]
    assert names == ["database", "migrations", "settings", "mail", "worker", "tick", "disk", "static", "replica",
                     "audit"]
