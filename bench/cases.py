"""Benchmark of the cases capability (issue #3): case submission through the API and the
officer's queue page, with 1,000,000 cases loaded, against a trivial view as the ceiling.

    .venv/bin/python bench/cases.py --engine sqlite --cases 1000000
    .venv/bin/python bench/cases.py --engine postgresql --cases 1000000

One run, on a database of its own (nothing of var/ is touched):

1. A temporary KETNOI_VAR_DIR; for PostgreSQL a throw-away cluster (initdb into a temporary
   folder, as the `postgres` user when run as root; pg_ctl on a spare port of 127.0.0.1 with
   fsync off), stopped and removed at the end.
2. migrate, collectstatic, `ketnoi demo --cases 0` (the department: 68 units, ~1,000 officers,
   ~3,000 enterprises), then N cases written in bulk (executemany on SQLite, COPY on
   PostgreSQL): six years of difficulties up to today, most resolved, the last weeks' still
   open (see `status_for_age`). Each case gets its FILED and ROUTED events only; its cached
   state (status, dates, assignee, rating) is written directly, not derived from a full
   timeline as the demo does: only the rows' shape and number matter here.
3. `ketnoi serve` (gunicorn, 2 sync workers, and the background worker; DEBUG off, after
   collectstatic) on 127.0.0.1.
4. In the same run, a load generator (threads, one connection per request as gunicorn's sync
   workers close each one, concurrency 8, bounded by time and count) measures
   a) GET /healthz, the ceiling (a JSON view that runs SELECT 1), before and after the others;
   b) POST /api/v1/cases with a bearer token (a business user of an enterprise of the big unit),
      then the wait until the background worker beside the app servers has sent the e-mails the
      cases wrote to the outbox, and the CPU per case of the app servers and of the worker;
   c) GET /cases/queue/ with a session cookie (an officer of the unit with the most cases).
5. Prints requests/s and p50/p95/p99 of each, submission ÷ ceiling against the target (≥ 30 %),
   the queue's p95 against its target (≤ 150 ms), and the SQL of one queue page and one
   submission with their times (and the queue query's plan) to show where the time goes.
"""

import argparse
import json
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 0.30      # submission ≥ 30 % of the ceiling's requests/s
TARGET_QUEUE_P95 = 0.150  # queue page p95 ≤ 150 ms
PASSWORD = "bench-Cà-phê-2020"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20, help="length of each measurement")
    parser.add_argument("--max-requests", type=int, default=20000, help="per measurement")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (and database)")
    parser.add_argument("--what-if-conn-max-age", type=int, metavar="SECONDS",
                        help="then serve again with persistent database connections (CONN_MAX_AGE, through a "
                             "settings module of the run's own) and measure again")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix=f"ketnoi-bench-{args.engine}-"))
    cluster = None
    server = None
    started = time.monotonic()
    try:
        env = {"KETNOI_VAR_DIR": str(workdir / "var"), "DEBUG": "0", "KETNOI_DEMO_PASSWORD": PASSWORD,
               "DATABASE_URL": ""}
        if args.engine == "postgresql":
            cluster = PostgresCluster()
            env["DATABASE_URL"] = cluster.start()
        os.environ.update(env)
        os.environ["DJANGO_SETTINGS_MODULE"] = "ketnoi.settings"
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        print(machine_line(args.engine))
        fixture = prepare(args.cases)
        profile(fixture)
        from django.db import connections

        connections.close_all()
        port = free_port()
        server = Server(port, workdir)
        server.start()
        results = measure(port, fixture, args, server)
        report(results, args)
        if args.what_if_conn_max_age is not None:
            server.stop()
            (workdir / "bench_settings.py").write_text(
                "from ketnoi.settings import *  # noqa: F403\n"
                f"DATABASES['default']['CONN_MAX_AGE'] = {args.what_if_conn_max_age}  # noqa: F405\n"
                "DATABASES['default']['CONN_HEALTH_CHECKS'] = True  # noqa: F405\n")
            os.environ.update({"DJANGO_SETTINGS_MODULE": "bench_settings",
                               "PYTHONPATH": os.pathsep.join(filter(None, [str(workdir), os.environ.get("PYTHONPATH")]))})
            print(f"\nWHAT IF: the same, served with CONN_MAX_AGE={args.what_if_conn_max_age} (persistent database "
                  f"connections; ketnoi's settings have 0: a new connection per request)")
            server = Server(port, workdir)
            server.start()
            report(measure(port, fixture, args, server), args)
        print(f"\nwhole run: {time.monotonic() - started:.0f} s")
        return 0
    finally:
        if server:
            server.stop()
        if cluster:
            cluster.stop()
        if args.keep:
            print(f"kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def machine_line(engine: str, script: str = "bench/cases.py") -> str:
    from django.db import connection

    cpu = "?"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    with connection.cursor() as cursor:
        cursor.execute("select sqlite_version()" if connection.vendor == "sqlite" else "show server_version")
        version = cursor.fetchone()[0]
    return (f"ketnoi {script} — {datetime.now():%Y-%m-%d %H:%M} — {platform.node()}: {os.cpu_count()} CPU "
            f"({cpu}), Python {platform.python_version()}, {engine} {version}, load average "
            f"{os.getloadavg()[0]:.2f}")


# --- the database ------------------------------------------------------------------------------

class PostgresCluster:
    """A throw-away PostgreSQL cluster, as .ci/run starts one."""

    def __init__(self):
        # A folder of its own (as .ci/run makes one), owned by `postgres` when run as root.
        self.folder = Path(tempfile.mkdtemp(prefix="ketnoi-bench-pg-"))
        self.bin = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: float(p.parent.name))[-1] \
            if Path("/usr/lib/postgresql").exists() else None
        if self.bin is None:
            raise SystemExit("PostgreSQL is not installed (apt-get install postgresql)")
        self.port = free_port()

    def _run(self, *command, **kwargs):
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.run(prefix + [str(c) for c in command], check=True, stdout=subprocess.DEVNULL, **kwargs)

    def start(self) -> str:
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run(self.bin / "initdb", "-D", self.folder / "data", "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8")
        self._run(self.bin / "pg_ctl", "-D", self.folder / "data", "-l", self.folder / "log", "-w", "start", "-o",
                  f"-h 127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off -c synchronous_commit=off "
                  f"-c full_page_writes=off -c max_connections=100")
        self._run(self.bin / "psql", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres", "-qc",
                  "CREATE DATABASE ketnoi")
        return f"postgres://postgres@127.0.0.1:{self.port}/ketnoi"

    def stop(self) -> None:
        try:
            self._run(self.bin / "pg_ctl", "-D", self.folder / "data", "-m", "immediate", "stop",
                      stderr=subprocess.DEVNULL)
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)


def prepare(count: int) -> dict:
    from django.core.management import call_command

    t = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("demo", cases=0, no_progress=True, stdout=open(os.devnull, "w"))
    print(f"department (migrate, collectstatic, demo --cases 0): {time.monotonic() - t:.0f} s")
    t = time.monotonic()
    big_unit = CaseLoader(count).load()
    print(f"loaded {count:,} cases and {2 * count:,} events: {time.monotonic() - t:.0f} s")
    return people(big_unit)


def people(unit_id: int) -> dict:
    """A business user with an API token (its enterprise does its procedures at the big unit)
    and a session of an officer of that unit."""
    from django.test import Client

    from ketnoi.accounts import services as accounts
    from ketnoi.accounts.models import Enterprise, Role
    from ketnoi.cases.models import Case, OPEN_STATUSES
    from ketnoi.org.models import Unit

    unit = Unit.objects.get(pk=unit_id)
    enterprise = Enterprise.objects.filter(home_unit=unit, is_priority=False).order_by("tax_code").first()
    business = accounts.user_create(username="bench-business", full_name="Nguyễn Văn Bench", role=Role.BUSINESS,
                                    email="bench-business@ketnoi.example", enterprise=enterprise, by=None)
    _token, key = accounts.token_create(user=business, name="bench")
    officer = accounts.user_create(username="bench-officer", full_name="Trần Thị Bench", role=Role.OFFICER,
                                   email="bench-officer@ketnoi.example", unit=unit, by=None)
    client = Client()
    client.force_login(officer)
    cases = Case.objects.filter(unit=unit)
    print(f"big unit {unit.code} {unit.name_vi}: {cases.count():,} cases, "
          f"{cases.filter(status__in=OPEN_STATUSES).count():,} open")
    return {"token": key, "session": client.cookies["sessionid"].value, "unit_code": unit.code,
            "officer": officer, "business": business}


class CaseLoader:
    """N cases and their FILED and ROUTED events, written in bulk with explicit ids."""

    START = date(2021, 1, 4)
    BATCH = 50_000

    def __init__(self, count: int, seed: int = 1):
        self.count = count
        self.rng = random.Random(seed)

    def load(self) -> int:
        from django.db import connection, transaction

        from ketnoi.accounts.models import Enterprise
        from ketnoi.cases.models import Case, CaseEvent, Sequence
        from ketnoi.demo import data_cases as text
        from ketnoi.demo.cases import CaseBuilder, World, due
        from ketnoi.lib import customs
        from ketnoi.lib.workdays import TIMEZONE, is_workday, work_hours_between

        rng = self.rng
        now = datetime.now(TIMEZONE).replace(microsecond=0)
        world = World(seed=1, now=now)
        builder = CaseBuilder(count=self.count, seed=1)
        builder.w = world
        enterprises = list(Enterprise.objects.filter(home_unit__isnull=False).select_related("home_unit").order_by("pk"))
        with transaction.atomic():
            builder.ensure_filers(enterprises)
        topics = [world.topics_by_code[code] for code in text.TOPIC_WEIGHTS]
        texts = self.texts(world, enterprises, topics)
        policy_days = {t.pk: world.sla(t.pk, "unit", False).answer_workdays for t in topics}
        officers = world.cast.officers

        # When: working days from 2021 to today, office hours; sorted, numbered per year.
        days = []
        day = self.START
        while day <= now.date():
            if is_workday(day):
                days.append(day)
            day += timedelta(days=1)
        stamps = sorted(rng.randrange(len(days) * 480) for _ in range(self.count))
        weights = [min(rng.paretovariate(1.2), 40.0) for _ in enterprises]
        cumulative = list(_accumulate(weights))
        topic_cumulative = list(_accumulate(text.TOPIC_WEIGHTS[t.code] for t in topics))
        case_fields = [f for f in Case._meta.concrete_fields]
        event_fields = [f for f in CaseEvent._meta.concrete_fields if not f.primary_key]
        sqlite = connection.vendor == "sqlite"
        if sqlite:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -400000")  # 400 MB while loading

        def moment(value):
            if value is None or not sqlite:
                return value
            return value.astimezone(dt_timezone.utc).replace(tzinfo=None).isoformat(" ")

        numbers: dict[int, int] = {}
        unit_counts: dict[int, int] = {}
        last_day = len(days) - 1
        case_rows, event_rows = [], []
        for case_id, stamp in enumerate(stamps, start=1):
            day_index, minute = divmod(stamp, 480)  # a minute of office time: 7:30-11:30, 13:00-17:00
            received = datetime.combine(days[day_index], datetime.min.time(), TIMEZONE) + timedelta(
                minutes=450 + minute if minute < 240 else 780 + minute - 240)
            if received >= now:
                received = now - timedelta(minutes=1)
            enterprise = enterprises[_pick(rng, cumulative)]
            topic = topics[_pick(rng, topic_cumulative)]
            year = received.year
            numbers[year] = numbers.get(year, 0) + 1
            draw = rng.random()
            named = None if draw < 0.05 else enterprise.home_unit_id
            unit = named if named is not None else (None if last_day - day_index < 3 else enterprise.home_unit_id)
            if unit is not None:
                unit_counts[unit] = unit_counts.get(unit, 0) + 1
            ack_due = due(received, days=1)
            due_at = due(received, hours=8) if enterprise.is_priority else due(received, days=policy_days[topic.pk])
            age = work_hours_between(received, now) if last_day - day_index < 30 else 10_000
            status = status_for_age(age, rng.random())
            pool = officers.get(unit) or [world.cast.coordinator]
            assignee = None if status == "new" or unit is None else pool[(case_id * 7919) % len(pool)]
            # The cached dates need only be plausible here (see the module's docstring).
            recent = age < 10_000
            acknowledged = None if status == "new" else received + timedelta(minutes=30 + case_id % 200)
            answered = resolved = rated = rating = None
            if status in ("answered", "resolved"):
                answered = received + ((now - received) * 0.6 if recent else timedelta(days=1 + case_id % 12))
            if status == "resolved":
                resolved = answered + ((now - answered) * 0.5 if recent else timedelta(days=1 + case_id % 3))
                if case_id % 5 < 3:
                    rating, rated = (5, 5, 5, 4, 4, 3, 2, 1)[case_id % 8], resolved + timedelta(minutes=1)
            paused = received + (now - received) / 2 if status == "waiting" else None
            if acknowledged and acknowledged > now:
                acknowledged = now
            subject, description = texts[topic.code][case_id % len(texts[topic.code])]
            values = {
                "id": case_id, "reference": customs.format_reference(year, numbers[year]),
                "enterprise_id": enterprise.pk, "filed_by_id": world.filers[enterprise.pk], "channel": "web",
                "topic_id": topic.pk, "subject": subject, "description": description,
                "declaration_numbers": "[]", "hs_codes": "[]", "named_unit_id": named, "unit_id": unit,
                "assignee_id": assignee, "status": status, "level": "unit", "priority": enterprise.is_priority,
                "received_at": moment(received), "acknowledge_due_at": moment(ack_due),
                "acknowledged_at": moment(acknowledged), "due_at": moment(due_at), "paused_at": moment(paused),
                "answered_at": moment(answered), "resolved_at": moment(resolved), "escalation_step": 0,
                "needs_review": False, "forwarded_to": "Cục Thuế TP. Hồ Chí Minh" if status == "forwarded" else "",
                "forward_due_at": None, "rating": rating, "rating_comment": "", "rated_at": moment(rated),
                "updated_at": moment(resolved or answered or acknowledged or received),
            }
            case_rows.append(tuple(values[f.attname] if f.attname in values else _default(f) for f in case_fields))
            filed = {"channel": "web", "priority": enterprise.is_priority,
                     "acknowledge_due": ack_due.isoformat(), "due": due_at.isoformat()}
            for kind, actor, public, data in (
                    ("filed", world.filers[enterprise.pk], True, filed),
                    ("routed", None, False, {"unit": unit, "named_unit": named})):
                event = {"case_id": case_id, "at": moment(received), "actor_id": actor, "kind": kind,
                         "public": public, "body": "", "data": json.dumps(data), "once_key": None}
                event_rows.append(tuple(event[f.attname] if f.attname in event else _default(f) for f in event_fields))
            if len(case_rows) >= self.BATCH:
                self.write(Case, case_fields, case_rows, CaseEvent, event_fields, event_rows)
                print(f"  {case_id:,} cases", end="\r", flush=True)
                case_rows, event_rows = [], []
        if case_rows:
            self.write(Case, case_fields, case_rows, CaseEvent, event_fields, event_rows)
        for year, last in numbers.items():
            Sequence.objects.update_or_create(year=year, defaults={"last": last})
        from django.core.management.color import no_style

        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Case, CaseEvent]):
                cursor.execute(sql)
            if not sqlite:
                cursor.execute("VACUUM ANALYZE")  # what autovacuum would soon do after such a load
        if sqlite:
            from ketnoi.front.maintenance import refresh_query_statistics

            refresh_query_statistics()  # what the next `ketnoi tick` does
        return max(unit_counts, key=unit_counts.get)

    def texts(self, world, enterprises, topics) -> dict[str, list[tuple[str, str]]]:
        """Subjects and descriptions from the demo's templates, a few hundred per topic."""
        from ketnoi.demo.cases import DEPARTMENT_NAME, Plan

        texts = {}
        for topic in topics:
            texts[topic.code] = []
            for _ in range(300):
                enterprise = self.rng.choice(enterprises)
                plan = Plan(world.now, enterprise, topic, "web", enterprise.home_unit)
                ctx = world.context(plan, unit_name=enterprise.home_unit.name_vi if enterprise.home_unit else DEPARTMENT_NAME)
                subject, description, _declarations, _hs = world.describe(plan, ctx)
                texts[topic.code].append((subject, description))
        return texts

    def write(self, case_model, case_fields, case_rows, event_model, event_fields, event_rows) -> None:
        from django.db import connection, transaction

        with transaction.atomic():
            for model, fields, rows in ((case_model, case_fields, case_rows), (event_model, event_fields, event_rows)):
                table = connection.ops.quote_name(model._meta.db_table)
                columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
                with connection.cursor() as cursor:
                    if connection.vendor == "postgresql":
                        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                            for row in rows:
                                copy.write_row(row)
                    else:
                        marks = ", ".join(["%s"] * len(fields))
                        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def status_for_age(work_hours: float, draw: float) -> str:
    """The status of a case received `work_hours` office hours ago: open while young, then
    mostly resolved (a department's steady state: a few thousand open cases)."""
    if work_hours < 8:
        table = [("new", 0.5), ("in_progress", 1.0)]
    elif work_hours < 80:
        table = [("in_progress", 0.55), ("waiting", 0.65), ("pending_approval", 0.70), ("answered", 0.95),
                 ("resolved", 1.0)]
    elif work_hours < 200:
        table = [("in_progress", 0.08), ("answered", 0.13), ("forwarded", 0.15), ("resolved", 1.0)]
    else:
        table = [("forwarded", 0.015), ("resolved", 1.0)]
    return next(status for status, upto in table if draw < upto)


def _accumulate(values):
    total = 0.0
    for value in values:
        total += value
        yield total


def _pick(rng, cumulative) -> int:
    import bisect

    return bisect.bisect_right(cumulative, rng.random() * cumulative[-1])


def _default(field):
    value = field.get_default()
    return json.dumps(value) if field.get_internal_type() == "JSONField" else value


# --- where the time goes -------------------------------------------------------------------------

def profile(fixture: dict) -> None:
    """Where one queue page and one submission spend their time, in-process (no HTTP, no
    queueing): SQL, template rendering, notifications, the rest (Python: ORM, forms, views).
    Then the queue's queries with their times and the plan of its slowest, and what the same
    page query costs without the OR that lets an officer see the cases shared with the unit."""
    import re

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from ketnoi.cases import services, views

    spent: dict[str, float] = {}

    def timing(module, name, bucket):
        original = getattr(module, name)

        def timed(*args, **kwargs):
            t = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[bucket] = spent.get(bucket, 0.0) + time.perf_counter() - t
        setattr(module, name, timed)
        return lambda: setattr(module, name, original)

    def sql_timer(execute, sql, params, many, context):
        t = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent["sql"] = spent.get("sql", 0.0) + time.perf_counter() - t

    queue = Client(HTTP_HOST="127.0.0.1")
    queue.force_login(fixture["officer"])
    api = Client(HTTP_HOST="127.0.0.1")
    runs = 20
    undo = [timing(views, "render", "templates"), timing(services, "notify_all", "notifications")]
    try:
        for label, request in (
                ("queue page", lambda n: queue.get("/cases/queue/")),
                ("submission", lambda n: api.post("/api/v1/cases", submission_body(fixture, 10**6 + n),
                                                  content_type="application/json",
                                                  HTTP_AUTHORIZATION=f"Bearer {fixture['token']}"))):
            for n in range(3):
                request(n)  # warm up
            spent.clear()
            with connection.execute_wrapper(sql_timer), CaptureQueriesContext(connection) as captured:
                t = time.perf_counter()
                for n in range(runs):
                    response = request(n + 3)
                    assert response.status_code in (200, 201), response.content[:300]
                total = (time.perf_counter() - t) / runs
            parts = {k: v / runs for k, v in spent.items()}
            rest = total - sum(parts.values())
            print(f"\n{label} in-process: {total * 1000:.1f} ms = " + " + ".join(
                f"{name} {value * 1000:.1f} ms" for name, value in parts.items()) +
                f" + the rest {rest * 1000:.1f} ms; {len(captured) // runs} queries")
    finally:
        for restore in undo:
            restore()

    # The queue's queries one by one; then the same queries without the OR on shared cases,
    # and with a partial index for open cases (created in this throwaway database, then dropped).
    with CaptureQueriesContext(connection) as captured:
        queue.get("/cases/queue/")
    timed = sorted(((best_of(q["sql"]), q["sql"]) for q in captured.captured_queries), reverse=True)
    print("queue page queries, slowest first (best of 5):")
    for ms, sql in timed[:5]:
        print(f"  {ms:7.2f} ms  {sql[:200]}")
    page = next((sql for _ms, sql in timed if "ORDER BY" in sql and "cases_case" in sql), None)
    if page is None:
        return
    explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN (ANALYZE, COSTS OFF) "
    with connection.cursor() as cursor:
        cursor.execute(explain + page)
        print("  plan of the page query:")
        for row in cursor.fetchall():
            print("   ", row[-1])
    shared = re.compile(r'\(\("cases_case"."unit_id" IN \(([\d, ]+)\) OR "cases_case"."id" IN \(SELECT .*?\)\)\) AND')
    case_sql = [sql for _ms, sql in timed if "cases_case" in sql and shared.search(sql)]
    if not case_sql:
        return

    def without_or(sql):
        found = shared.search(sql)
        return sql.replace(found.group(0), f'("cases_case"."unit_id" IN ({found.group(1)}) AND')

    def total(sqls):
        return sum(best_of(sql) for sql in sqls)

    as_now, no_or = total(case_sql), total([without_or(sql) for sql in case_sql])
    statuses = "', '".join(["new", "in_progress", "waiting", "pending_approval"])
    with connection.cursor() as cursor:
        cursor.execute("CREATE INDEX bench_case_open_queue ON cases_case (unit_id, due_at, id) "
                       f"WHERE status IN ('{statuses}')")
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE cases_case")
        indexed = total([without_or(sql) for sql in case_sql])
        cursor.execute(explain + without_or(page))
        plan = [str(row[-1]) for row in cursor.fetchall()]
        cursor.execute("DROP INDEX bench_case_open_queue")
    print(f"  the {len(case_sql)} queries on cases (page + counts): as now {as_now:.2f} ms; without the OR on shared "
          f"cases {no_or:.2f} ms; and with a partial index (unit_id, due_at, id) WHERE status is open {indexed:.2f} ms")
    print("  plan of the page query then:")
    for line in plan[:8]:
        print("   ", line)


def best_of(sql: str, runs: int = 5) -> float:
    from django.db import connection

    best = float("inf")
    with connection.cursor() as cursor:
        for _ in range(runs):
            t = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            best = min(best, time.perf_counter() - t)
    return best * 1000


# --- the server and the load -------------------------------------------------------------------

class Server:
    """`ketnoi serve` (gunicorn, 2 sync workers) on 127.0.0.1, with its access log in a file."""

    def __init__(self, port: int, workdir: Path):
        self.port, self.log = port, workdir / "gunicorn.log"
        self.process = None

    def start(self) -> None:
        ketnoi = Path(sys.executable).with_name("ketnoi")
        self.process = subprocess.Popen([str(ketnoi), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                                        stdout=open(self.log, "w"), stderr=subprocess.STDOUT, env=os.environ.copy())
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if request_once(self.port, http_get("/healthz", self.port))[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"the server did not start: see {self.log}")

    def processes(self) -> dict[str, list[int]]:
        """The pids under `ketnoi serve`: the app servers (gunicorn's master and workers) and the
        background worker (`ketnoi worker`, which sends the e-mails)."""
        found: dict[str, list[int]] = {"web": [], "worker": []}
        todo = [self.process.pid]
        while todo:
            pid = todo.pop()
            try:
                for task in Path(f"/proc/{pid}/task").iterdir():
                    todo += [int(child) for child in (task / "children").read_text().split()]
                command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if pid != self.process.pid:
                found["worker" if command[1:4] == [b"-m", b"ketnoi", b"worker"] else "web"].append(pid)
        return found

    def cpu_seconds(self) -> dict[str, float]:
        """User + system CPU time used so far by the app servers and by the worker."""
        tick = os.sysconf("SC_CLK_TCK")
        used = {}
        for role, pids in self.processes().items():
            used[role] = 0.0
            for pid in pids:
                try:
                    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                used[role] += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        return used

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(path: str, port: int, cookie: str = "") -> bytes:
    head = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nAccept-Language: vi\r\n"
    if cookie:
        head += f"Cookie: {cookie}\r\n"
    return (head + "\r\n").encode()


def http_post_json(path: str, port: int, body: str, token: str) -> bytes:
    data = body.encode()
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Type: application/json\r\n"
            f"Authorization: Bearer {token}\r\nContent-Length: {len(data)}\r\n\r\n")
    return head.encode() + data


def request_once(port: int, payload: bytes) -> tuple[int, float, bytes]:
    t = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
        s.sendall(payload)
        chunks = []
        while True:
            data = s.recv(65536)
            if not data:
                break
            chunks.append(data)
    elapsed = time.perf_counter() - t
    response = b"".join(chunks)
    status = int(response[9:12]) if response[:5] == b"HTTP/" else 0
    return status, elapsed, response


def submission_body(fixture: dict, n: int) -> str:
    return json.dumps({
        "topic": "phan-loai-hs",
        "subject": f"Phân loại mã HS mặt hàng linh kiện điện tử (lần {n})",
        "description": "Công ty nhập khẩu bo mạch in đã lắp ráp linh kiện dùng cho máy tính từ Hàn Quốc. "
                       "Khi khai báo Công ty áp mã 8473.30.10, tuy nhiên nhà cung cấp khai mã khác. "
                       "Đề nghị Chi cục hướng dẫn mã HS đúng cho mặt hàng này.",
        "declaration_numbers": [f"1069{n % 10**8:08d}"], "hs_codes": ["8473.30.10"], "unit": fixture["unit_code"],
    }, ensure_ascii=False)


def load(port: int, name: str, make_request, expect: int, args) -> dict:
    """`concurrency` threads send requests for `seconds` or until `max_requests`; the first
    second is warm-up and not counted."""
    latencies, statuses, errors = [], {}, []
    lock = threading.Lock()
    counter = [0]
    warm_until = time.perf_counter() + 1.0
    stop_at = warm_until + args.seconds

    def worker():
        while True:
            with lock:
                counter[0] += 1
                n = counter[0]
            now = time.perf_counter()
            if now >= stop_at or len(latencies) >= args.max_requests:
                return
            status, elapsed, response = request_once(port, make_request(n))
            if time.perf_counter() < warm_until:
                continue
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
                if status != expect and len(errors) < 3:
                    errors.append(response[:300])

    cpu = time.process_time()
    threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - warm_until
    latencies.sort()
    result = {
        "name": name, "requests": len(latencies), "seconds": wall, "rps": len(latencies) / wall,
        "p50": _percentile(latencies, 50), "p95": _percentile(latencies, 95), "p99": _percentile(latencies, 99),
        "statuses": statuses, "errors": errors, "client_cpu": (time.process_time() - cpu) / wall,
    }
    result["loadavg"] = os.getloadavg()[0]
    print(f"{name:<34} {result['requests']:>6} req in {wall:4.1f} s = {result['rps']:7.1f} req/s   "
          f"p50 {result['p50'] * 1000:6.1f} ms  p95 {result['p95'] * 1000:6.1f} ms  p99 {result['p99'] * 1000:6.1f} ms"
          f"   status {statuses}   (load generator {result['client_cpu']:.0%} of a CPU; load average "
          f"{result['loadavg']:.2f})")
    for error in errors:
        print("   unexpected:", error[:300])
    return result


def _percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def measure(port: int, fixture: dict, args, server) -> dict:
    print(f"\nconcurrency {args.concurrency}, {args.seconds:.0f} s each (after 1 s of warm-up), "
          f"at most {args.max_requests} requests")
    healthz = http_get("/healthz", port)
    queue = http_get("/cases/queue/", port, cookie=f"sessionid={fixture['session']}")
    results = {"ceiling_before": load(port, "a) GET /healthz (ceiling)", lambda n: healthz, 200, args)}
    results["submission"] = submissions_with_their_emails(port, fixture, args, server)
    results.update({
        "queue": load(port, "c) GET /cases/queue/ (officer)", lambda n: queue, 200, args),
        # As many clients as workers: the page's own time, without waiting for a free worker.
        "queue_unqueued": load(port, "c) GET /cases/queue/, concurrency 2", lambda n: queue, 200,
                               argparse.Namespace(**{**vars(args), "concurrency": 2})),
        "ceiling_after": load(port, "a) GET /healthz (ceiling, again)", lambda n: healthz, 200, args),
    })
    return results


def submissions_with_their_emails(port: int, fixture: dict, args, server) -> dict:
    """b) The submissions, then the e-mails they wrote to the outbox until the background worker
    has sent them all (before the next measurement, which it would otherwise slow down), and the
    CPU the app servers and the worker spent per case, read from /proc."""
    from django.db import connections

    from ketnoi.cases.models import Case

    try:
        from ketnoi.notifications.models import EmailDelivery
    except ImportError:  # a version from before the outbox (issue 11), which sends in the request
        EmailDelivery = None
    outbox = EmailDelivery.objects if EmailDelivery else None
    unsent = outbox.filter(state__in=["queued", "sending"]) if outbox else None
    cases, deliveries, cpu = Case.objects.count(), outbox.count() if outbox else 0, server.cpu_seconds()
    result = load(port, "b) POST /api/v1/cases", lambda n: http_post_json(
        "/api/v1/cases", port, submission_body(fixture, n), fixture["token"]), 201, args)
    ended = time.monotonic()
    while unsent is not None and unsent.exists() and time.monotonic() - ended < 300:
        time.sleep(0.25)
    drained = time.monotonic() - ended
    used = {role: seconds - cpu.get(role, 0.0) for role, seconds in server.cpu_seconds().items()}
    filed = Case.objects.count() - cases
    written = outbox.count() - deliveries if outbox else 0
    waiting = unsent.count() if unsent is not None else 0
    connections.close_all()
    result.update(filed=filed, emails=written, emails_waiting=waiting, drained_after=drained,
                  web_cpu_ms=used.get("web", 0.0) * 1000 / max(filed, 1),
                  worker_cpu_ms=used.get("worker", 0.0) * 1000 / max(filed, 1))
    print(f"   the outbox: {written} e-mails written by {filed} cases (warm-up included); "
          + (f"the worker had sent them all {drained:.1f} s after the load ended" if not waiting
             else f"{waiting} still waiting {drained:.0f} s after the load ended"))
    print(f"   CPU per case: app servers {result['web_cpu_ms']:.1f} ms, background worker (e-mails) "
          f"{result['worker_cpu_ms']:.1f} ms")
    return result


def report(results: dict, args) -> None:
    ceiling = statistics.mean([results["ceiling_before"]["rps"], results["ceiling_after"]["rps"]])
    submission, queue = results["submission"], results["queue"]
    ratio = submission["rps"] / ceiling if ceiling else 0
    print(f"\nceiling (mean of the two /healthz runs): {ceiling:.0f} req/s")
    print(f"submission / ceiling: {submission['rps']:.0f} / {ceiling:.0f} = {ratio:.1%}   "
          f"target ≥ {TARGET_RATIO:.0%}: {'met' if ratio >= TARGET_RATIO else 'MISSED'}")
    print(f"per case: app servers {submission['web_cpu_ms']:.1f} ms CPU, background worker "
          f"{submission['worker_cpu_ms']:.1f} ms CPU for its {submission['emails'] / max(submission['filed'], 1):.1f} e-mails (sent "
          f"{submission['drained_after']:.1f} s after the load; {submission['emails_waiting']} left waiting)")
    print(f"queue page p95: {queue['p95'] * 1000:.0f} ms (p50 {queue['p50'] * 1000:.0f} ms)   "
          f"target ≤ {TARGET_QUEUE_P95 * 1000:.0f} ms: {'met' if queue['p95'] <= TARGET_QUEUE_P95 else 'MISSED'}"
          f"   (with 2 clients for 2 workers: p50 {results['queue_unqueued']['p50'] * 1000:.0f} ms, "
          f"p95 {results['queue_unqueued']['p95'] * 1000:.0f} ms)")


if __name__ == "__main__":
    sys.exit(main())
