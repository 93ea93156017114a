"""`ketnoi doctor`: whether this deployment can work, one check at a time, each saying what it
found and, when it fails, what to do.

Each check is a function that returns a Result and reads what it needs itself; a check that
raises is a failed check (its error printed), never a crash of the others.
"""

import json
import os
import shutil
import smtplib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.mail import get_connection
from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.background.models import Job

from . import selectors
from .replica import DEFAULT, REPLICA, replica_configured
from .services import TICK

# The worker is thought stopped when tasks have waited this long and none was taken meanwhile.
WORKER_MINUTES = 10
# `ketnoi tick` runs every 5 minutes (deploy/): this long without one is a stopped timer.
TICK_MINUTES = 30
# Free space below either of these fails: uploads, the SQLite file and its WAL, mail files and
# rendered reports all grow there.
MIN_FREE_BYTES = 1 << 30
MIN_FREE_SHARE = 0.05
# A key shorter than this, or Django's example prefix, is not a production key (Django's own
# check, security.W009, asks for 50 characters).
MIN_SECRET_KEY_LENGTH = 50
SMTP_TIMEOUT = 10


@dataclass(frozen=True)
class Result:
    name: str
    ok: bool
    found: str
    todo: str = ""


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M:%S")


# --- database ------------------------------------------------------------------------------------

def _describe_database(connection) -> str:
    config = connection.settings_dict
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0].split()[0]
            cursor.execute("SELECT pg_database_size(current_database())")
            size = cursor.fetchone()[0]
            where = f"{config.get('NAME')} @ {config.get('HOST') or 'socket'}:{config.get('PORT') or 5432}"
            return _("PostgreSQL %(version)s, %(where)s, %(size)s") % {
                "version": version, "where": where, "size": _size(size)}
        cursor.execute("SELECT 1")
    if connection.vendor == "sqlite":
        path = Path(str(config.get("NAME")))
        size = path.stat().st_size if path.exists() else 0
        return _("SQLite %(version)s, %(path)s, %(size)s") % {
            "version": sqlite3.sqlite_version, "path": path, "size": _size(size)}
    return connection.vendor


def check_database(alias: str = DEFAULT) -> Result:
    connection = connections[alias]
    try:
        found = _describe_database(connection)
    except DatabaseError as error:
        return Result("database", False, _("cannot be reached: %(error)s") % {"error": _one_line(error)},
                      _("Check DATABASE_URL and that the database server is running and accepts this machine."))
    return Result("database", True, found)


def check_migrations(alias: str = DEFAULT) -> Result:
    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan[:5])
        return Result("migrations", False, _("%(count)d not applied: %(names)s") % {
            "count": len(plan), "names": names + (" …" if len(plan) > 5 else "")},
            _("Back up the database, then run `ketnoi migrate` (once, from one machine)."))
    applied = len(executor.loader.applied_migrations)
    return Result("migrations", True, _("all %(count)d applied") % {"count": applied})


# --- settings ------------------------------------------------------------------------------------

def _machine_key() -> str | None:
    path = Path(settings.VAR_DIR) / "secret_key"
    return path.read_text().strip() if path.exists() else None


def check_settings() -> Result:
    """In production (an https KETNOI_BASE_URL): DEBUG off and a strong SECRET_KEY from the
    environment, the same on every app server."""
    if not settings.KETNOI_BASE_URL.startswith("https://"):
        return Result("settings", True, _("not checked: KETNOI_BASE_URL (%(url)s) is not https, a trial") % {
            "url": settings.KETNOI_BASE_URL})
    problems = []
    if settings.DEBUG:
        problems.append(_("DEBUG is on (error pages show the settings and code)"))
    key = settings.SECRET_KEY
    if len(key) < MIN_SECRET_KEY_LENGTH or key.startswith("django-insecure") or len(set(key)) < 5:
        problems.append(_("SECRET_KEY is weak"))
    elif key == _machine_key():
        problems.append(_("SECRET_KEY is the one made for this machine in var/secret_key: another app server has "
                          "another, and what one signs (sessions, links in e-mails) the others refuse"))
    if problems:
        return Result("settings", False, "; ".join(problems),
                      _("In the environment of every app server: DEBUG=0 and the same SECRET_KEY of at least 50 random "
                        "characters (python3 -c 'import secrets; print(secrets.token_urlsafe(50))')."))
    return Result("settings", True, _("DEBUG off, SECRET_KEY set for %(url)s") % {"url": settings.KETNOI_BASE_URL})


# --- mail ----------------------------------------------------------------------------------------

def check_mail() -> Result:
    backend = settings.EMAIL_BACKEND
    production = settings.KETNOI_BASE_URL.startswith("https://")
    if backend == "django.core.mail.backends.smtp.EmailBackend":
        where = f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
        connection = get_connection(backend, timeout=SMTP_TIMEOUT)
        try:
            connection.open()
        except (OSError, smtplib.SMTPException) as error:
            return Result("mail", False, _("the SMTP server %(where)s cannot be reached: %(error)s") % {
                "where": where, "error": _one_line(error)},
                _("Check EMAIL_URL (host, port, user, password, tls or ssl) and that this machine may reach the "
                  "server."))
        finally:
            connection.close()
        secured = " (TLS)" if settings.EMAIL_USE_TLS else " (SSL)" if settings.EMAIL_USE_SSL else ""
        return Result("mail", True, _("the SMTP server %(where)s%(secured)s accepts the connection") % {
            "where": where, "secured": secured})
    if backend == "django.core.mail.backends.filebased.EmailBackend":
        found = _("e-mails are written to files in %(path)s, not sent: EMAIL_URL is not set") % {
            "path": settings.EMAIL_FILE_PATH}
    else:
        found = _("e-mails go to %(backend)s, not sent") % {"backend": backend.rsplit(".", 2)[-2]}
    # On a trial that is what one wants; in production no one would get an e-mail.
    return Result("mail", not production, found,
                  "" if not production else _("Set EMAIL_URL=smtp://user:password@host:587?tls=True."))


# --- background work -----------------------------------------------------------------------------

def check_worker() -> Result:
    now = timezone.now()
    queue = selectors.task_queue(now=now)
    last_started_at = selectors.task_last_started()
    since = now - timedelta(minutes=WORKER_MINUTES)
    failed = Job.objects.filter(state=Job.State.FAILED, finished_at__gte=now - timedelta(days=1)).count()
    note = (_("; %(count)d job(s) failed in the last 24 hours (admin: Background jobs)") % {"count": failed}
            if failed else "")
    last = (_("a worker last took a task at %(time)s") % {"time": _local(last_started_at)}
            if last_started_at else _("no task taken yet"))
    if queue.ready == 0:
        return Result("worker", True, _("nothing waits; %(last)s") % {"last": last} + note)
    if last_started_at and last_started_at >= since:
        return Result("worker", True, _("%(count)d task(s) waiting; %(last)s") % {"count": queue.ready, "last": last}
                      + note)
    if queue.oldest_ready_at and queue.oldest_ready_at >= since:
        return Result("worker", True, _("%(count)d task(s) queued in the last %(minutes)d minutes, not taken yet") % {
            "count": queue.ready, "minutes": WORKER_MINUTES} + note)
    return Result("worker", False, _("%(count)d task(s) have waited since %(since)s and %(last)s") % {
        "count": queue.ready, "since": _local(queue.oldest_ready_at), "last": last} + note,
        _("Start the background worker: `ketnoi worker` (its systemd service), or `ketnoi serve`, which starts "
          "one beside the web server."))


def check_tick() -> Result:
    at = selectors.heartbeat_at(name=TICK)
    todo = _("Run `ketnoi tick` every 5 minutes (its systemd timer, or a cron line); its log says why it stopped.")
    if at is None:
        return Result("tick", False, _("the periodic jobs (`ketnoi tick`) have never run to their end"), todo)
    minutes = (timezone.now() - at).total_seconds() / 60
    if minutes > TICK_MINUTES:
        return Result("tick", False, _("`ketnoi tick` last ran to its end %(minutes)d minutes ago, at %(time)s") % {
            "minutes": minutes, "time": _local(at)}, todo)
    return Result("tick", True, _("last ran to its end at %(time)s") % {"time": _local(at)})


# --- files ---------------------------------------------------------------------------------------

def _size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TB"


def _existing(path: Path) -> Path:
    """The folder itself or, not made yet, the nearest folder above it that exists."""
    path = Path(path)
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_disk(folders: dict[str, Path] | None = None, *, min_free_bytes: int = MIN_FREE_BYTES,
               min_free_share: float = MIN_FREE_SHARE) -> Result:
    folders = folders or {"var": Path(settings.VAR_DIR), "media": Path(settings.MEDIA_ROOT)}
    found, short = [], []
    for label, folder in folders.items():
        place = _existing(folder)
        usage = shutil.disk_usage(place)
        share = usage.free / usage.total if usage.total else 0
        found.append(_("%(label)s %(free)s free of %(total)s (%(share).0f %%)") % {
            "label": label, "free": _size(usage.free), "total": _size(usage.total), "share": 100 * share})
        if usage.free < min_free_bytes or share < min_free_share:
            short.append(f"{label} ({folder})")
        elif not os.access(place, os.W_OK):
            short.append(_("%(label)s (%(folder)s) is not writable") % {"label": label, "folder": place})
    if short:
        return Result("disk", False, "; ".join(found) + " — " + ", ".join(short),
                      _("Free space (old mail files in var/mail, old rendered reports), or give the folder a larger "
                        "disk; keep at least %(free)s and %(share).0f %% free; the service's user must be able to "
                        "write there.") % {"free": _size(min_free_bytes), "share": 100 * min_free_share})
    return Result("disk", True, "; ".join(found))


def _source_static_files() -> set[str]:
    ignore = apps.get_app_config("staticfiles").ignore_patterns
    return {path for finder in finders.get_finders() for path, _storage in finder.list(ignore)}


def check_static() -> Result:
    todo = _("Run `ketnoi collectstatic --no-input` (after every upgrade, before the app servers start again).")
    if not isinstance(staticfiles_storage, ManifestFilesMixin):
        return Result("static", True, _("served from the source folders (%(storage)s)") % {
            "storage": type(staticfiles_storage).__name__})
    manifest = Path(settings.STATIC_ROOT) / staticfiles_storage.manifest_name
    if not manifest.exists():
        return Result("static", False, _("not collected: %(file)s is missing") % {"file": manifest}, todo)
    try:
        collected = set(json.loads(manifest.read_text()).get("paths", {}))
    except (ValueError, OSError) as error:
        return Result("static", False, _("%(file)s cannot be read: %(error)s") % {"file": manifest, "error": error}, todo)
    missing = sorted(_source_static_files() - collected)
    if missing:
        return Result("static", False, _("%(count)d file(s) added since the last collectstatic, e.g. %(file)s") % {
            "count": len(missing), "file": missing[0]}, todo)
    return Result("static", True, _("%(count)d files collected in %(folder)s") % {
        "count": len(collected), "folder": settings.STATIC_ROOT})


# --- replica -------------------------------------------------------------------------------------

REPLICA_LAG_SQL = """
    SELECT pg_is_in_recovery(),
           CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END
"""


def check_replica() -> Result:
    if not replica_configured():
        return Result("replica", True, _("not configured (DATABASE_REPLICA_URL is not set): every read goes to the "
                                         "database"))
    connection = connections[REPLICA]
    todo = _("Check DATABASE_REPLICA_URL and the standby server; until it answers, the dashboards read the primary.")
    try:
        found = _describe_database(connection)
        if connection.vendor != "postgresql":
            return Result("replica", True, found)
        with connection.cursor() as cursor:
            cursor.execute(REPLICA_LAG_SQL)
            standby, lag = cursor.fetchone()
    except DatabaseError as error:
        return Result("replica", False, _("cannot be reached: %(error)s") % {"error": _one_line(error)}, todo)
    if not standby:
        return Result("replica", True, found + _("; not a standby (the primary itself?): nothing lags"))
    pin = settings.KETNOI_REPLICA_PIN_SECONDS
    if lag is None:
        return Result("replica", False, found + _("; has replayed nothing from the primary yet"), todo)
    if float(lag) > pin:
        return Result("replica", False, found + _("; %(lag).1f s behind the primary, more than the %(pin)d s a person "
                                                  "who wrote reads from the primary") % {"lag": float(lag), "pin": pin},
                      _("Look at the replication (pg_stat_replication on the primary), or raise "
                        "KETNOI_REPLICA_PIN_SECONDS."))
    return Result("replica", True, found + _("; %(lag).1f s behind the primary") % {"lag": float(lag)})


# --- audit chain ---------------------------------------------------------------------------------

# The newest events checked by the doctor (a second or so); `ketnoi audit verify` checks them all.
AUDIT_RECENT = 10_000


def check_audit_chain() -> Result:
    from ketnoi.audit import chain
    from ketnoi.audit.models import AuditEvent

    start = AuditEvent.objects.order_by("-id").values_list("id", flat=True)[AUDIT_RECENT - 1:AUDIT_RECENT].first()
    result = chain.verify(from_id=start)
    if not result.intact:
        return Result("audit", False, result.broken.message,
                      _("Run `ketnoi audit verify` for the whole chain, and compare the event with a backup: someone "
                        "changed the database without going through ketnoi."))
    return Result("audit", True, _("the newest %(count)d events are chained intact") % {"count": result.count})


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())[:300] or type(error).__name__


CHECKS: list[Callable[[], Result]] = [check_database, check_migrations, check_settings, check_mail, check_worker,
                                      check_tick, check_disk, check_static, check_replica, check_audit_chain]


def run_checks(checks: list[Callable[[], Result]] | None = None) -> list[Result]:
    results = []
    for check in checks or CHECKS:
        try:
            results.append(check())
        except Exception as error:  # a check that breaks is a failed check, not a crash of the others
            name = check.__name__.removeprefix("check_")
            results.append(Result(name, False, _("the check itself failed: %(error)s") % {"error": _one_line(error)},
                                  _("Read the error: the database or a setting this check needs is not as expected.")))
    return results
