"""`ketnoi backup`: the database and the uploaded files in one .tar with a manifest."""

import hashlib
import io
import json
import re
import sqlite3
import tarfile
import threading
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from ketnoi.audit.models import AuditEvent
from ketnoi.cases.models import Attachment, Case
from ketnoi.ops import backup
from ketnoi.testing import make_case

from .backup_helpers import build_data


def run_backup(folder: Path, **options) -> Path:
    out = io.StringIO()
    call_command("backup", output=str(folder), no_progress=True, stdout=out, stderr=io.StringIO(), **options)
    return Path(out.getvalue().strip())


@pytest.mark.django_db(transaction=True)
def test_it_writes_the_database_the_files_and_a_manifest_in_one_tar(tmp_path, settings):
    data = build_data()
    path = run_backup(tmp_path / "backups")

    assert re.fullmatch(r"ketnoi-\d{4}-\d{2}-\d{2}-\d{6}\.tar", path.name)
    assert path.stat().st_mode & 0o777 == 0o600  # it holds every confidential record
    with tarfile.open(path) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())
        parts = {name: hashlib.sha256(tar.extractfile(name).read()).hexdigest()
                 for name in names if not name.startswith("manifest.json")}
    database = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}[connection.vendor]
    assert names[0] == database  # the database before the files: every file it names is in the backup
    assert names[-2:] == ["manifest.json", "manifest.json.sha256"]
    assert manifest["engine"] == connection.vendor
    assert {name: part["sha256"] for name, part in manifest["parts"].items()} == parts
    attachments = {f"files/{a.file.name}" for a in Attachment.objects.all()}
    assert len(attachments) == 3 and attachments <= set(parts)
    assert manifest["counts"]["cases.Case"] == Case.objects.count() == len(data.cases)
    assert manifest["counts"]["party.Member"] == 1
    assert manifest["counts"]["audit.AuditEvent"] == AuditEvent.objects.count() > 0
    assert "0001_initial" in manifest["migrations"]["cases"]
    assert manifest["ketnoi_version"] and manifest["created_at"].endswith("+07:00")  # Asia/Ho_Chi_Minh


@pytest.mark.django_db(transaction=True)
def test_it_keeps_the_newest_backups_and_nothing_else_is_removed(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    old = [folder / f"ketnoi-2020-0{m}-15-010000.tar" for m in (1, 2, 3)]
    for path in old:
        path.write_bytes(b"old")
    unrelated = folder / "bao-cao-tong-ket-2020.pdf"
    unrelated.write_bytes(b"%PDF")
    newest = run_backup(folder, keep=2)
    assert sorted(p.name for p in folder.iterdir()) == sorted([old[2].name, newest.name, unrelated.name])


def test_it_says_which_pg_dump_to_install_when_none_fits():
    with pytest.raises(backup.BackupError, match="postgresql-client-99"):
        backup.pg_tool("pg_dump", 99)


@pytest.mark.postgresql
def test_it_uses_the_pg_dump_of_the_servers_major_version(db):
    major = connection.pg_version // 10000
    tool = backup.pg_tool("pg_dump", major)
    assert Path(tool).is_file() and f"/{major}/" in tool or tool.endswith("/pg_dump")


@pytest.mark.sqlite
@pytest.mark.django_db(transaction=True)
def test_it_copies_a_consistent_database_while_cases_are_being_filed(tmp_path):
    data = build_data()
    stop, filed, errors = threading.Event(), [], []

    def file_cases():
        try:
            while not stop.is_set():
                filed.append(make_case(by=data.business, unit=data.unit).reference)
        except Exception as error:  # noqa: BLE001 — the test reads it
            errors.append(error)
        finally:
            connection.close()

    writer = threading.Thread(target=file_cases)
    writer.start()
    try:
        while len(filed) < 3 and writer.is_alive():
            time.sleep(0.01)
        before = len(filed)
        # Small steps, each a little slow: the copy takes many steps while cases are filed. A copy
        # that started again whenever a case was written (SQLite's backup does, unless it reads
        # from one snapshot) would never end: stopped after 2,000 steps.
        steps = []

        def progress(stage, done, total):
            if stage == "database":
                steps.append(done)
                assert len(steps) < 2000, "the copy keeps starting again"
            time.sleep(0.005)

        path, manifest = backup.backup_create(output=tmp_path, pages_per_step=8, progress=progress)
        during = len(filed) - before
    finally:
        stop.set()
        writer.join(timeout=60)
    assert errors == []
    assert during > 0, "no case was filed while the backup ran: the test proved nothing"
    assert steps == sorted(steps) and len(steps) > 20  # one pass, in many steps: never started again

    with tarfile.open(path) as tar:
        tar.extract("database.sqlite3", tmp_path, filter="data")
    copy = sqlite3.connect(tmp_path / "database.sqlite3")
    assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    cases = copy.execute("SELECT count(*) FROM cases_case").fetchone()[0]
    assert cases == manifest["counts"]["cases.Case"]
    assert copy.execute("SELECT count(*) FROM audit_auditevent").fetchone()[0] == manifest["counts"]["audit.AuditEvent"]
    # Every case in the copy is whole: its first two events and its audit event are there too.
    assert copy.execute("""
        SELECT count(*) FROM cases_case c WHERE
          (SELECT count(*) FROM cases_caseevent e WHERE e.case_id = c.id AND e.kind IN ('filed', 'routed')) != 2
          OR NOT EXISTS (SELECT 1 FROM audit_auditevent a WHERE a.action = 'case.file' AND a.object_id = CAST(c.id AS TEXT))
    """).fetchone()[0] == 0
    copied = {row[0] for row in copy.execute("SELECT reference FROM cases_case")}
    assert len(data.cases) + before <= cases < len(data.cases) + len(filed)
    assert copied - {c.reference for c in data.cases} <= set(filed)
    copy.close()
