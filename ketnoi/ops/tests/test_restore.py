"""`ketnoi restore`: a backup's database and files put back, after every checksum has passed."""

import io
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import translation

from ketnoi.cases.models import Attachment, Case
from ketnoi.ops import backup
from ketnoi.party import services as party
from ketnoi.party.models import Member
from ketnoi.testing import make_case

from .backup_helpers import build_data, change_one_byte, pdf, reseal, state


def restore(path: Path, **options) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("restore", str(path), no_progress=True, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def refused(path: Path, **options) -> str:
    with pytest.raises(CommandError) as refusal, translation.override("en"):
        call_command("restore", str(path), no_progress=True, stdout=io.StringIO(), stderr=io.StringIO(), **options)
    return str(refusal.value)


@pytest.mark.django_db(transaction=True)
def test_it_brings_back_the_records_the_files_and_the_audit_trail(tmp_path, settings):
    data = build_data()
    before = state()
    path, _manifest = backup.backup_create(output=tmp_path / "backups")

    # After the backup: a new case with its file, an attachment lost, another one's file
    # overwritten, a member's record changed.
    later = make_case(by=data.business, unit=data.unit, subject="Khai bổ sung sau thông quan",
                      attachments=[SimpleUploadedFile("bo-sung.pdf", pdf("sau sao luu"))])
    lost = Attachment.objects.filter(case=data.cases[1]).first()
    Path(lost.file.path).unlink()
    lost.delete()
    overwritten = Attachment.objects.get(case=data.cases[0])
    Path(overwritten.file.path).write_bytes(pdf("da bi ghi de"))
    party.member_update(member=data.member, full_name="Trịnh Minh Quân", by=data.office)
    assert state() != before

    out = restore(path, yes=True)

    assert state() == before
    assert not Case.objects.filter(reference=later.reference).exists()
    assert Member.objects.get(pk=data.member.pk).full_name == "Trịnh Minh Quang"
    # The file written after the backup is gone with its record: the folder is the backup's.
    on_disk = {p.relative_to(settings.MEDIA_ROOT).as_posix() for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}
    assert on_disk == {a.file.name for a in Attachment.objects.all()}
    assert "✓ cases.Case: 3 / 3" in out and "✗" not in out
    assert "every count matches" in out


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_it_names_the_tables_a_later_version_left_on_postgresql(tmp_path):
    build_data()
    path, _manifest = backup.backup_create(output=tmp_path)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE cases_later_feature (id bigint PRIMARY KEY)")
    try:
        out = restore(path, yes=True)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS cases_later_feature")
    assert "not in the backup and were left as they were: cases_later_feature." in out
    assert "every count matches" in out


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_it_changes_nothing_when_ketnoi_still_holds_a_table_on_postgresql(tmp_path, monkeypatch, settings):
    import psycopg

    data = build_data()
    path, _manifest = backup.backup_create(output=tmp_path)
    later = make_case(by=data.business, unit=data.unit, subject="Hồ sơ nộp khi máy chủ vẫn chạy")
    before = state()
    files = sorted(p.name for p in Path(settings.MEDIA_ROOT).rglob("*"))
    monkeypatch.setattr(backup, "LOCK_TIMEOUT", 1)
    # An app server still running: a transaction that has read the cases holds their table.
    server = psycopg.connect(**connection.get_connection_params())
    try:
        server.execute("SELECT count(*) FROM cases_case").fetchone()
        message = refused(path, yes=True)
    finally:
        server.close()
    assert "is ketnoi stopped?" in message and "changed nothing (one transaction)" in message
    assert state() == before and Case.objects.filter(reference=later.reference).exists()
    assert sorted(p.name for p in Path(settings.MEDIA_ROOT).rglob("*")) == files


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("part", ["database", "attachment", "manifest"])
def test_it_refuses_a_backup_with_one_byte_changed_and_changes_nothing(tmp_path, settings, part):
    data = build_data()
    path, manifest = backup.backup_create(output=tmp_path)
    name = {"database": backup.DATABASE_PART[connection.vendor], "manifest": "manifest.json",
            "attachment": next(n for n in manifest["parts"] if n.startswith("files/"))}[part]
    change_one_byte(path, name)
    later = make_case(by=data.business, unit=data.unit, subject="Hồ sơ nộp sau khi sao lưu")
    before = state()

    message = refused(path, yes=True)

    assert "damaged" in message and "Nothing was restored" in message
    assert state() == before
    assert Case.objects.filter(reference=later.reference).exists()
    staging = [*Path(settings.MEDIA_ROOT).glob(".ketnoi-restore-*")]
    if connection.vendor == "sqlite":
        staging += Path(connection.settings_dict["NAME"]).parent.glob(".ketnoi-restore-*")
    assert staging == []  # what it unpacked is gone too


@pytest.mark.django_db(transaction=True)
def test_it_refuses_a_backup_of_the_other_engine(tmp_path):
    build_data()
    path, _manifest = backup.backup_create(output=tmp_path)
    ours = connection.vendor
    other = "postgresql" if ours == "sqlite" else "sqlite"

    def other_engine(manifest, rename):
        manifest["engine"] = other
        rename(backup.DATABASE_PART[ours], backup.DATABASE_PART[other])

    forged = reseal(path, tmp_path / "ketnoi-2020-12-31-235959.tar", other_engine)
    before = state()

    message = refused(forged, yes=True)

    engines = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    assert f"backup is of a {engines[other]} database and ketnoi runs on {engines[ours]}" in message
    assert state() == before


@pytest.mark.django_db(transaction=True)
def test_it_refuses_a_backup_of_a_newer_version(tmp_path):
    build_data()
    path, _manifest = backup.backup_create(output=tmp_path)
    newer = reseal(path, tmp_path / "ketnoi-2030-01-02-010000.tar",
                   lambda manifest, rename: manifest["migrations"]["cases"].append("0999_from_a_later_version"))
    before = state()
    assert "made by a newer version of ketnoi" in refused(newer, yes=True)
    assert state() == before


@pytest.mark.django_db
def test_it_refuses_a_file_that_is_not_a_backup(tmp_path):
    not_a_backup = tmp_path / "ketnoi-2020-12-31-235959.tar"
    not_a_backup.write_bytes(pdf("bao cao tong ket nam 2020") * 100)
    assert "cannot be read as a ketnoi backup" in refused(not_a_backup, yes=True)
    assert "There is no file" in refused(tmp_path / "missing.tar", yes=True)


@pytest.mark.django_db
def test_it_refuses_a_backup_cut_short(tmp_path):
    build_data()
    path, _manifest = backup.backup_create(output=tmp_path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    message = refused(path, yes=True)
    assert "no manifest" in message or "cannot be read" in message


@pytest.mark.django_db
def test_it_asks_for_a_typed_confirmation(tmp_path, monkeypatch):
    data = build_data()
    path, _manifest = backup.backup_create(output=tmp_path)
    later = make_case(by=data.business, unit=data.unit, subject="Hồ sơ nộp sau khi sao lưu")

    monkeypatch.setattr(sys.stdin, "isatty", lambda: False, raising=False)
    assert "add --yes" in refused(path)

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    asked = []
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "không")
    assert "Nothing was restored" in refused(path)
    assert asked and "Type 'yes'" in asked[0]
    assert Case.objects.filter(reference=later.reference).exists()


@pytest.mark.sqlite
@pytest.mark.django_db
def test_it_says_the_server_must_be_stopped_for_an_sqlite_restore(tmp_path, monkeypatch):
    build_data()
    path, _manifest = backup.backup_create(output=tmp_path)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    out = io.StringIO()
    with pytest.raises(CommandError), translation.override("en"):
        call_command("restore", str(path), no_progress=True, stdout=out, stderr=io.StringIO())
    assert "temporary file beside it, checked, then renamed over it" in out.getvalue()
    assert "ketnoi must be stopped" in out.getvalue()
