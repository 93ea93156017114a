"""Backup and restore of a whole ketnoi: the database and the uploaded files, in one file.

    ketnoi backup [--output FOLDER|FILE.tar] [--keep N]
    ketnoi restore FILE.tar [--yes]

A backup is one uncompressed `.tar` named after its local time (Asia/Ho_Chi_Minh), e.g.
`ketnoi-2026-11-27-091503.tar`, holding:

    database.sqlite3 | database.dump   SQLite's online backup, or `pg_dump --format=custom`
    files/…                            MEDIA_ROOT: case attachments, signed documents, job results
    manifest.json                      engine, applied migrations, counts of the main tables,
                                       size and sha256 of every other member, ketnoi's version

Why one tar and not a folder: one file to copy to another machine, with nothing to forget and no
half-copied folder that looks whole; `tar tf` reads it anywhere. Not compressed: attachments are
PDF, JPEG, XLSX and DOCX (already compressed) and a custom-format dump is compressed by pg_dump.
The manifest is the tar's last member, written when everything else is in; the tar is written
as `….tar.partial` and renamed at the end, so an interrupted backup never looks complete.

The database goes in before the files, so that every file the database names is in the backup
(a file uploaded in between is only one too many). The counts and the migrations in the manifest
are read from the very snapshot that was backed up: from the SQLite copy itself, and on
PostgreSQL in the transaction whose snapshot pg_dump is told to use (`--snapshot`).

A restore checks the manifest and every checksum while it unpacks into folders beside the live
ones, and touches nothing before all have passed.
"""

import hashlib
import io
import json
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Callable

from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.lib.workdays import TIMEZONE

FORMAT = 1
MANIFEST = "manifest.json"
MANIFEST_SHA256 = "manifest.json.sha256"
FILES = "files"
STAGING_PREFIX = ".ketnoi-restore-"  # a restore's folders inside MEDIA_ROOT, never backed up
DATABASE_PART = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
NAME = re.compile(r"^ketnoi-(\d{4}-\d{2}-\d{2}-\d{6})(?:-(\d+))?\.tar$")
# What the manifest counts, and a restore compares: the records people would miss first.
COUNTED = [
    ("accounts", "User"), ("accounts", "Enterprise"), ("org", "Unit"),
    ("cases", "Case"), ("cases", "CaseEvent"), ("cases", "Attachment"), ("cases", "Answer"),
    ("knowledge", "Article"), ("dialogue", "Session"), ("dialogue", "Registration"),
    ("prices", "PriceList"), ("prices", "Commitment"), ("directives", "Directive"),
    ("party", "Organisation"), ("party", "Member"), ("notifications", "EmailDelivery"),
    ("audit", "AuditEvent"),
]
# Pages copied per step of SQLite's online backup (4 KB each): a step is one progress update.
PAGES_PER_STEP = 2048
CHUNK = 1 << 20
LOCK_TIMEOUT = 30  # seconds pg_restore may wait on end for a table another session holds

Progress = Callable[[str, int, int], None]  # (stage, done, total)


class BackupError(Exception):
    """A backup that cannot be made or restored; the message says what to do."""


@dataclass
class Restored:
    manifest: dict
    counts: dict = field(default_factory=dict)  # label -> (in the backup, in the database now)
    files: int = 0
    migrations_to_apply: list = field(default_factory=list)
    # PostgreSQL: tables of the live database that the backup does not have (made by a later
    # version's migrations). pg_restore --clean drops only what it restores: they stay.
    leftover_tables: list = field(default_factory=list)

    @property
    def mismatched(self) -> list[str]:
        return [label for label, (expected, found) in self.counts.items() if expected != found]


def _engine(alias: str = "default") -> str:
    return connections[alias].vendor


def _counted_models():
    from django.apps import apps

    models = []
    for app_label, name in COUNTED:
        try:
            models.append(apps.get_model(app_label, name))
        except LookupError:  # an app that a later version drops: nothing to count
            continue
    return models


def _version() -> str:
    try:
        return metadata.version("ketnoi")
    except metadata.PackageNotFoundError:
        return "unknown"


def backup_filename(now: datetime | None = None) -> str:
    return f"ketnoi-{timezone.localtime(now or timezone.now(), TIMEZONE):%Y-%m-%d-%H%M%S}.tar"


# --- making a backup ----------------------------------------------------------------------------

def backup_create(*, output: Path | None = None, keep: int | None = None, progress: Progress | None = None,
                  pages_per_step: int = PAGES_PER_STEP, alias: str = "default") -> tuple[Path, dict]:
    """Write a backup; returns its path and its manifest. `output` is a folder (the file is named
    after the time) or a path ending in .tar; `keep` removes all but the newest `keep` backups
    of that folder (only files named as this function names them)."""
    progress = progress or (lambda stage, done, total: None)
    output = Path(output) if output else Path(settings.VAR_DIR) / "backups"
    if output.suffix == ".tar":
        folder, path = output.parent, output
    else:
        folder = output
        stem = backup_filename()[:-len(".tar")]
        path, n = folder / f"{stem}.tar", 2
        while path.exists():  # two backups in the same second
            path, n = folder / f"{stem}-{n}.tar", n + 1
    if keep is not None and keep < 1:
        raise BackupError(_("--keep must be 1 or more: the backup just made is always kept."))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(_("Cannot write to %(folder)s: %(error)s") % {"folder": folder, "error": error}) from None
    if path.exists():
        raise BackupError(_("%(path)s already exists: choose another name.") % {"path": path})
    engine = _engine(alias)
    if engine not in DATABASE_PART:
        raise BackupError(_("Backups support SQLite and PostgreSQL, not %(engine)s.") % {"engine": engine})
    staging = Path(tempfile.mkdtemp(prefix=".ketnoi-backup-", dir=folder))
    partial = path.with_name(path.name + ".partial")
    try:
        database = staging / DATABASE_PART[engine]
        if engine == "sqlite":
            snapshot = _sqlite_backup(alias, database, progress, pages_per_step)
        else:
            snapshot = _pg_dump(alias, database, progress)
        manifest = {
            "format": FORMAT,
            "ketnoi_version": _version(),
            "created_at": timezone.localtime(timezone.now(), TIMEZONE).isoformat(timespec="seconds"),
            "engine": engine,
            "engine_version": snapshot["engine_version"],
            "migrations": snapshot["migrations"],
            "counts": snapshot["counts"],
            "parts": {},
        }
        # Only its owner may read a backup: it holds every confidential record (Decree 13/2023/NĐ-CP).
        with open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle, \
                tarfile.open(fileobj=handle, mode="w", format=tarfile.PAX_FORMAT) as tar:
            manifest["parts"][database.name] = _add(tar, database, database.name)
            database.unlink()  # the disk holds one copy of the database at a time
            media = Path(settings.MEDIA_ROOT)
            found = sorted(p for p in media.rglob("*") if p.is_file()
                           and not p.relative_to(media).parts[0].startswith(STAGING_PREFIX)) if media.is_dir() else []
            for done, file in enumerate(found, start=1):
                name = f"{FILES}/{file.relative_to(media).as_posix()}"
                try:
                    manifest["parts"][name] = _add(tar, file, name)
                except FileNotFoundError:  # removed since the folder was listed: its record is gone too
                    pass
                progress("files", done, len(found))
            data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
            # The manifest's own checksum, last: a changed byte anywhere in the backup is found.
            for name, content in ((MANIFEST, data), (MANIFEST_SHA256, hashlib.sha256(data).hexdigest().encode())):
                info = tarfile.TarInfo(name)
                info.size, info.mtime, info.mode = len(content), int(timezone.now().timestamp()), 0o600
                tar.addfile(info, io.BytesIO(content))
            tar.close()
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
        _fsync_folder(folder)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if keep is not None:
        backups_prune(folder=folder, keep=keep)
    return path, manifest


class _Hashing:
    """Reads a file into the tar and hashes exactly what went in."""

    def __init__(self, handle):
        self.handle, self.sha256 = handle, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.sha256.update(data)
        return data


def _add(tar: tarfile.TarFile, path: Path, name: str) -> dict:
    with open(path, "rb") as handle:
        info = tar.gettarinfo(fileobj=handle, arcname=name)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        info.mode = 0o600
        hashing = _Hashing(handle)
        tar.addfile(info, hashing)
    return {"size": info.size, "sha256": hashing.sha256.hexdigest()}


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def backups_prune(*, folder: Path, keep: int) -> list[Path]:
    """Remove all but the newest `keep` backups of `folder` (their names sort by time)."""
    dated = []
    for path in Path(folder).iterdir():
        match = NAME.match(path.name)
        if match and path.is_file():
            # By time, then the second backup of one second after the first.
            dated.append((match.group(1), int(match.group(2) or 1), path))
    backups = [path for _time, _n, path in sorted(dated)]
    removed = backups[:-keep] if keep else backups
    for path in removed:
        path.unlink()
    return removed


def sqlite_copy(source: str | Path, target: str | Path, *, progress: Progress | None = None,
                pages_per_step: int = PAGES_PER_STEP) -> dict:
    """A consistent copy of a live SQLite database, with its counts and migrations read from
    the copy; `PRAGMA integrity_check` of the copy must say "ok".

    The source connection holds one read transaction for the whole copy: in WAL mode that is a
    fixed snapshot, which writers do not disturb (they append to the WAL, which is not
    checkpointed past a reader), so the copy neither restarts at each step while the site writes
    nor mixes two moments (sqlite.org/backup.html, sqlite.org/wal.html#concurrency)."""
    progress = progress or (lambda stage, done, total: None)
    try:
        return _sqlite_copy(source, target, progress, pages_per_step)
    except sqlite3.Error as error:
        raise BackupError(_("SQLite could not copy the database: %(error)s") % {"error": error}) from None


def _sqlite_copy(source, target, progress: Progress, pages_per_step: int) -> dict:
    source = sqlite3.connect(source, timeout=30, isolation_level=None)
    target_db = sqlite3.connect(target, isolation_level=None)
    try:
        source.execute("BEGIN")
        source.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the snapshot starts here
        source.backup(target_db, pages=pages_per_step,
                      progress=lambda status, remaining, total: progress("database", total - remaining, total))
        source.execute("COMMIT")
        # One self-contained file in the tar: no -wal beside it (the restore turns WAL on again).
        target_db.execute("PRAGMA journal_mode=DELETE").fetchone()
        check = target_db.execute("PRAGMA integrity_check").fetchall()
        if check != [("ok",)]:
            raise BackupError(_("The copy of the database failed SQLite's integrity check: %(result)s") % {
                "result": "; ".join(row[0] for row in check[:5])})
        version = target_db.execute("SELECT sqlite_version()").fetchone()[0]
        return {"engine_version": version, **_read_snapshot(target_db.cursor(), '"')}
    finally:
        source.close()
        target_db.close()


def _sqlite_backup(alias: str, target: Path, progress: Progress, pages_per_step: int) -> dict:
    name = connections[alias].settings_dict["NAME"]
    if not Path(name).is_file():
        raise BackupError(_("There is no database at %(path)s.") % {"path": name})
    return sqlite_copy(name, target, progress=progress, pages_per_step=pages_per_step)


def _read_snapshot(cursor, quote: str) -> dict:
    counts = {}
    for model in _counted_models():
        cursor.execute(f"SELECT count(*) FROM {quote}{model._meta.db_table}{quote}")
        counts[model._meta.label] = cursor.fetchone()[0]
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    migrations: dict[str, list[str]] = {}
    for app, migration in cursor.fetchall():
        migrations.setdefault(app, []).append(migration)
    return {"counts": counts, "migrations": migrations}


# --- PostgreSQL's tools --------------------------------------------------------------------------

def pg_tool(name: str, server_major: int) -> str:
    """pg_dump or pg_restore of the server's major version (Debian installs each version in
    /usr/lib/postgresql/N/bin; /usr/bin/pg_dump is a wrapper that may pick another), else a
    newer one, which reads older servers; an older one refuses to dump a newer server."""
    candidates = []
    for folder in Path("/usr/lib/postgresql").glob("*/bin"):
        try:
            candidates.append((int(folder.parent.name), str(folder / name)))
        except ValueError:
            continue
    on_path = shutil.which(name)
    if on_path:
        try:
            out = subprocess.run([on_path, "--version"], capture_output=True, text=True, timeout=30).stdout
            candidates.append((int(re.search(r"(\d+)(?:\.\d+)?", out.split(")")[-1]).group(1)), on_path))
        except (OSError, AttributeError, ValueError, subprocess.TimeoutExpired):
            pass
    usable = [(major, path) for major, path in candidates if major >= server_major and Path(path).is_file()]
    if not usable:
        raise BackupError(_(
            "%(tool)s for PostgreSQL %(major)d or newer was not found on PATH nor in /usr/lib/postgresql/*/bin: "
            "install it (apt-get install postgresql-client-%(major)d).") % {"tool": name, "major": server_major})
    exact = [item for item in usable if item[0] == server_major]
    return sorted(exact or usable)[0][1]


def pg_command(alias: str, tool: str) -> tuple[list[str], dict]:
    connection = connections[alias]
    connection.ensure_connection()
    params = connection.settings_dict
    argv = [pg_tool(tool, connection.pg_version // 10000), "--no-password"]
    if params.get("HOST"):
        argv += ["--host", params["HOST"]]
    if params.get("PORT"):
        argv += ["--port", str(params["PORT"])]
    if params.get("USER"):
        argv += ["--username", params["USER"]]
    env = {**os.environ}
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = params["PASSWORD"]  # not on the command line, where `ps` shows it
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        if params.get("OPTIONS", {}).get(option):
            env[variable] = str(params["OPTIONS"][option])
    return argv, env


def _pg_dump(alias: str, target: Path, progress: Progress) -> dict:
    """pg_dump of the snapshot of a transaction that also counts the rows: the dump and the
    manifest describe the same moment (postgresql.org/docs/current/app-pgdump.html, --snapshot)."""
    import psycopg

    connection = connections[alias]
    argv, env = pg_command(alias, "pg_dump")
    raw = connection.Database.connect(**connection.get_connection_params())  # apart from Django's
    try:
        raw.autocommit = False
        raw.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        raw.read_only = True
        with raw.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot_id, version = cursor.fetchone()
            read = _read_snapshot(cursor, '"')
            progress("database", 0, 1)
            done = subprocess.run(argv + ["--format=custom", "--snapshot", snapshot_id, "--file", str(target),
                                          connection.settings_dict["NAME"]],
                                  env=env, capture_output=True, text=True)
            if done.returncode:
                raise BackupError(_("pg_dump failed: %(error)s") % {"error": done.stderr.strip()[-2000:]})
            progress("database", 1, 1)
        raw.rollback()
    finally:
        raw.close()
    return {"engine_version": version.split()[0], **read}


# --- reading and checking a backup ---------------------------------------------------------------

def backup_manifest(path: Path) -> dict:
    """The manifest of a backup, checked for its form; BackupError says what is wrong."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("There is no file %(path)s.") % {"path": path})
    try:
        with tarfile.open(path, "r:") as tar:
            data = tar.extractfile(tar.getmember(MANIFEST)).read()
            seal = tar.extractfile(tar.getmember(MANIFEST_SHA256)).read().decode().strip()
        if hashlib.sha256(data).hexdigest() != seal:
            raise BackupError(_("The manifest of %(path)s does not match its checksum: the backup is damaged. "
                                "Nothing was restored; use another backup.") % {"path": path})
        manifest = json.loads(data.decode())
    except KeyError:
        raise BackupError(_("%(path)s has no manifest: it is not a ketnoi backup, or it was cut short.")
                          % {"path": path}) from None
    except (tarfile.TarError, EOFError, OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(_("%(path)s cannot be read as a ketnoi backup (%(error)s).")
                          % {"path": path, "error": error}) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(manifest.get("parts"), dict) \
            or manifest.get("engine") not in DATABASE_PART or DATABASE_PART[manifest["engine"]] not in manifest["parts"]:
        raise BackupError(_("The manifest of %(path)s is not one this version of ketnoi can read.") % {"path": path})
    return manifest


def backup_check(path: Path, *, alias: str = "default") -> dict:
    """Everything a restore checks before it touches anything, except unpacking: the manifest,
    the engine, and the migrations the backup's database has."""
    manifest = backup_manifest(path)
    engine = _engine(alias)
    if manifest["engine"] != engine:
        raise BackupError(_(
            "This backup is of a %(theirs)s database and ketnoi runs on %(ours)s: a backup is restored on "
            "the engine it was made on. Point DATABASE_URL at a %(theirs)s database to restore it.")
            % {"theirs": _engine_name(manifest["engine"]), "ours": _engine_name(engine)})
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    ours = {app for app, _name in known}  # an app a later version dropped is not asked about
    unknown = sorted(f"{app}.{name}" for app, names in manifest.get("migrations", {}).items() for name in names
                     if app in ours and (app, name) not in known)
    if unknown:
        raise BackupError(_(
            "This backup was made by a newer version of ketnoi (%(version)s): its database has migrations this "
            "version does not know (%(names)s). Install that version, then restore.")
            % {"version": manifest.get("ketnoi_version", "?"), "names": ", ".join(unknown[:5])})
    return manifest


def _engine_name(engine: str) -> str:
    return {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(engine, engine)


def _safe_name(name: str) -> bool:
    parts = Path(name).parts
    return bool(parts) and not Path(name).is_absolute() and ".." not in parts


def _unpack(path: Path, manifest: dict, database_folder: Path, files_folder: Path, progress: Progress) -> Path:
    """Every member written where the restore will take it from, its size and sha256 checked
    against the manifest; BackupError at the first one that differs, is missing or is extra."""
    parts = manifest["parts"]
    database_name = DATABASE_PART[manifest["engine"]]
    seen = set()
    try:
        with tarfile.open(path, "r:") as tar:
            for member in tar:
                if member.name in (MANIFEST, MANIFEST_SHA256):
                    continue
                expected = parts.get(member.name)
                if expected is None or not member.isfile() or not _safe_name(member.name) or member.name in seen:
                    raise BackupError(_("%(path)s holds %(name)s, which its manifest does not list: it was changed "
                                        "after it was made.") % {"path": path, "name": member.name})
                if member.name == database_name:
                    target = database_folder / database_name
                elif member.name.startswith(FILES + "/"):
                    target = files_folder / member.name[len(FILES) + 1:]
                else:
                    raise BackupError(_("%(path)s holds %(name)s, which its manifest does not list: it was changed "
                                        "after it was made.") % {"path": path, "name": member.name})
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                source = tar.extractfile(member)
                with open(target, "wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                if member.size != expected["size"] or digest.hexdigest() != expected["sha256"]:
                    raise BackupError(_("%(name)s in %(path)s does not match its checksum: the backup is damaged. "
                                        "Nothing was restored; use another backup.") % {"name": member.name, "path": path})
                seen.add(member.name)
                progress("check", len(seen), len(parts))
    except (tarfile.TarError, EOFError) as error:
        raise BackupError(_("%(path)s is damaged (%(error)s). Nothing was restored; use another backup.")
                          % {"path": path, "error": error}) from None
    except OSError as error:  # the disk beside the live data: full, or not writable
        raise BackupError(_("Cannot unpack %(path)s: %(error)s. Nothing was restored.")
                          % {"path": path, "error": error}) from None
    missing = sorted(set(parts) - seen)
    if missing:
        raise BackupError(_("%(path)s lacks %(name)s, which its manifest lists: the backup is incomplete. Nothing "
                            "was restored; use another backup.") % {"path": path, "name": missing[0]})
    return database_folder / database_name


# --- restoring ---------------------------------------------------------------------------------

def backup_restore(path: Path, *, progress: Progress | None = None, alias: str = "default") -> Restored:
    """Put the backup's database and files in place of the live ones (ketnoi must be stopped),
    after every checksum has passed; then count the rows again."""
    progress = progress or (lambda stage, done, total: None)
    path = Path(path)
    manifest = backup_check(path, alias=alias)
    connection = connections[alias]
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    if manifest["engine"] == "sqlite":
        live = Path(connection.settings_dict["NAME"])
        database_folder = Path(tempfile.mkdtemp(prefix=".ketnoi-restore-", dir=live.parent))
    else:
        database_folder = Path(tempfile.mkdtemp(prefix="ketnoi-restore-"))
    # Inside the files' folder: on its file system, which may be a volume of its own, so that
    # the files move into place by renames.
    files_folder = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=media))
    replaced = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=media))
    try:
        staged = _unpack(path, manifest, database_folder, files_folder, progress)
        # --- from here on the live data changes ---
        connections.close_all()
        if manifest["engine"] == "sqlite":
            _sqlite_put_in_place(staged, live)
        else:
            leftovers = _pg_tables_not_in(alias, staged)
            _pg_restore(alias, staged)
        # The files' folder becomes the backup's: what was uploaded since goes with the records
        # that named it.
        for entry in media.iterdir():
            if not entry.name.startswith(STAGING_PREFIX):
                os.replace(entry, replaced / entry.name)
        for entry in files_folder.iterdir():
            os.replace(entry, media / entry.name)
    finally:
        shutil.rmtree(database_folder, ignore_errors=True)
        shutil.rmtree(files_folder, ignore_errors=True)
        shutil.rmtree(replaced, ignore_errors=True)
    restored = Restored(manifest=manifest, files=sum(1 for name in manifest["parts"] if name.startswith(FILES + "/")))
    if manifest["engine"] != "sqlite":
        restored.leftover_tables = leftovers
    with connection.cursor() as cursor:
        now = _read_snapshot(cursor, '"')
    for label, expected in manifest["counts"].items():
        restored.counts[label] = (expected, now["counts"].get(label))
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    applied = {(app, name) for app, names in now["migrations"].items() for name in names}
    restored.migrations_to_apply = sorted(f"{app}.{name}" for app, name in known if (app, name) not in applied)
    return restored


def _sqlite_put_in_place(staged: Path, live: Path) -> None:
    check = sqlite3.connect(staged)
    try:
        if check.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
            raise BackupError(_("The backup's database failed SQLite's integrity check. Nothing was restored."))
    finally:
        check.close()
    # A WAL or shared-memory file left beside the old database would be replayed into the new
    # one when it is next opened: they go first, then the new file takes the old one's name in
    # one rename (atomic on one file system: never half a database under that name).
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{live}{suffix}").unlink(missing_ok=True)
    os.replace(staged, live)
    _fsync_folder(live.parent)


def _pg_tables_not_in(alias: str, staged: Path) -> list[str]:
    argv, env = pg_command(alias, "pg_restore")
    listed = subprocess.run([argv[0], "--list", str(staged)], env=env, capture_output=True, text=True)
    if listed.returncode:
        raise BackupError(_("pg_restore cannot read the backup's dump: %(error)s") % {"error": listed.stderr.strip()[-2000:]})
    # A line of the list: "215; 1259 16390 TABLE public cases_case ketnoi"
    in_dump = set()
    for line in listed.stdout.splitlines():
        words = line.split()
        if not line.startswith(";") and len(words) > 5 and words[3] == "TABLE" and words[4] != "DATA":
            in_dump.add(words[5])
    with connections[alias].cursor() as cursor:
        live = connections[alias].introspection.table_names(cursor)
    return sorted(set(live) - in_dump)


def _pg_restore(alias: str, staged: Path) -> None:
    """pg_restore in one transaction: it replaces every object of the dump, or, if anything
    fails, changes nothing. --no-owner: the objects belong to the user ketnoi connects as."""
    argv, env = pg_command(alias, "pg_restore")
    name = f"ketnoi restore {secrets.token_hex(4)}"
    env["PGAPPNAME"] = name  # how the watch below finds its session
    connections.close_all()
    with tempfile.TemporaryFile("w+") as errors:
        process = subprocess.Popen(argv + ["--clean", "--if-exists", "--single-transaction", "--no-owner",
                                           "--exit-on-error", "--dbname", connections[alias].settings_dict["NAME"],
                                           str(staged)], env=env, stdout=subprocess.DEVNULL, stderr=errors, text=True)
        try:
            held = _cancel_when_held(alias, process, name)
        finally:
            if process.poll() is None:
                process.wait()
        errors.seek(0)
        message = errors.read().strip()[-2000:]
    if held:
        raise BackupError(_("A session of the database held a table for more than %(seconds)d s: is ketnoi "
                            "stopped? pg_restore was stopped and changed nothing (one transaction).")
                          % {"seconds": LOCK_TIMEOUT})
    if process.returncode:
        raise BackupError(_("pg_restore failed, and changed nothing (one transaction): %(error)s") % {"error": message})


def _cancel_when_held(alias: str, process: subprocess.Popen, name: str) -> bool:
    """Cancel pg_restore's statement when it has waited for a lock LOCK_TIMEOUT seconds on end
    (a server that was not stopped holds a table). Its own `SET lock_timeout = 0`, which every
    dump starts with, rules out PostgreSQL's lock_timeout."""
    connection = connections[alias]
    watch = connection.Database.connect(**connection.get_connection_params(), autocommit=True)
    waiting_since = None
    try:
        while process.poll() is None:
            row = watch.execute("SELECT pid, wait_event_type FROM pg_stat_activity WHERE application_name = %s",
                                [name]).fetchone()
            if row and row[1] == "Lock":
                waiting_since = waiting_since or time.monotonic()
                if time.monotonic() - waiting_since > LOCK_TIMEOUT:
                    watch.execute("SELECT pg_cancel_backend(%s)", [row[0]])
                    return True
            else:
                waiting_since = None
            time.sleep(0.2)
    finally:
        watch.close()
    return False
