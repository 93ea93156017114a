"""Benchmark of the dashboards' case figures (issue #9): `reports.selectors.case_figures` with N
cases loaded, against the target p95 ≤ 200 ms, on SQLite and PostgreSQL.

    nice -n 10 .venv/bin/python bench/reports.py --engine sqlite --cases 1000000
    nice -n 10 .venv/bin/python bench/reports.py --engine postgresql --cases 1000000 \\
        --database-url postgres://postgres@127.0.0.1:55432/ketnoi_bench_reports

One run, on a database of its own:

1. SQLite: a temporary KETNOI_VAR_DIR (or --var-dir). PostgreSQL: the database --database-url
   names, dropped and created again (unless --reuse finds it loaded), dropped at the end unless
   --keep.
2. migrate, `ketnoi demo --cases 0` (the department: units, officers, enterprises), then N cases
   written in bulk by bench/cases.py's loader (six years up to today, most resolved, a few
   thousand open; FILED and ROUTED events only, the cached state written directly).
3. The first refresh: every case folded into the sums (`reports_rebuild`), timed; then the
   statistics the planner needs (what autovacuum and `ketnoi tick` do).
4. `case_figures` called --calls times for each view (in-process, one after another: the time of
   the figures, not of a page): the department's last full year, last full month, all time, a
   week, a period of partial months, and the busiest unit's year; then the department's year with
   one case answered through the services before each call (what a refresh costs when a case
   changed). p50, p95 and the worst, against the target.
5. Each view's figures compared once with `case_figures_recount` (the cases table alone), whose
   time is printed as the baseline the sums beat.
"""

import argparse
import importlib.util
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_P95 = 0.200  # seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--calls", type=int, default=30, help="calls measured per view (at least 30)")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:55432/ketnoi_bench_reports",
                        help="PostgreSQL: the database the run may drop and create")
    parser.add_argument("--var-dir", help="SQLite: the KETNOI_VAR_DIR to use (default: a temporary one)")
    parser.add_argument("--reuse", action="store_true", help="keep the cases already loaded (and their sums)")
    parser.add_argument("--rebuild", action="store_true", help="with --reuse: fold every case in again all the same")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    parser.add_argument("--no-recount", action="store_true", help="skip the comparison with the recount")
    args = parser.parse_args()
    args.calls = max(args.calls, 30)

    workdir = Path(args.var_dir) if args.var_dir else Path(tempfile.mkdtemp(prefix="ketnoi-bench-reports-"))
    env = {"KETNOI_VAR_DIR": str(workdir), "DEBUG": "0", "DATABASE_URL": ""}
    if args.engine == "postgresql":
        env["DATABASE_URL"] = args.database_url
        if not args.reuse:
            recreate_database(args.database_url)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "ketnoi.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    started = time.monotonic()
    try:
        print(_bench_cases().machine_line(args.engine, script="bench/reports.py"))
        unit_id = prepare(args)
        first_refresh(args)
        measure(args, unit_id)
        print(f"\nwhole run: {time.monotonic() - started:.0f} s; load average now {os.getloadavg()[0]:.2f}")
        return 0
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            if args.engine == "postgresql":
                drop_database(args.database_url)
            if not args.var_dir:
                shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"kept: {args.database_url if args.engine == 'postgresql' else workdir}")


def _server(url: str):
    import psycopg

    base, name = url.rsplit("/", 1)
    return psycopg.connect(f"{base}/postgres", autocommit=True), name


def recreate_database(url: str) -> None:
    connection, name = _server(url)
    with connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    connection, name = _server(url)
    with connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _bench_cases():
    """bench/cases.py, whose loader writes the cases (imported under a name of its own)."""
    spec = importlib.util.spec_from_file_location("bench_cases", ROOT / "bench" / "cases.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def prepare(args) -> int:
    """The department and N cases; the busiest unit's id."""
    from django.core.management import call_command
    from django.db.models import Count

    from ketnoi.cases.models import Case

    t = time.monotonic()
    call_command("migrate", verbosity=0)
    loaded = Case.objects.count()
    if args.reuse and loaded:
        print(f"reused: {loaded:,} cases already loaded")
    else:
        call_command("demo", cases=0, no_progress=True, stdout=open(os.devnull, "w"))
        print(f"department (migrate, demo --cases 0): {time.monotonic() - t:.0f} s")
        t = time.monotonic()
        _bench_cases().CaseLoader(args.cases).load()
        print(f"loaded {args.cases:,} cases and {2 * args.cases:,} events: {time.monotonic() - t:.0f} s")
    busiest = (Case.objects.exclude(unit=None).values("unit").order_by().annotate(n=Count("pk"))
               .order_by("-n").first())
    return busiest["unit"]


def first_refresh(args) -> None:
    from django.db import connection

    from ketnoi.reports.models import AnswerTime, CaseCount, CaseFact, TopicCount
    from ketnoi.reports.services import reports_rebuild, reports_refresh

    if args.reuse and not args.rebuild and CaseFact.objects.exists():
        result = reports_refresh()
        print(f"reused sums; refresh: {result.changed:,} cases changed, {result.seconds:.1f} s")
    else:
        result = reports_rebuild()
        print(f"first refresh (every case folded in): {result.read:,} cases in {result.seconds:.1f} s")
    t = time.monotonic()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")  # what autovacuum does after such a load
        else:
            from ketnoi.front.maintenance import refresh_query_statistics

            refresh_query_statistics()  # what `ketnoi tick` does
    print(f"statistics: {time.monotonic() - t:.1f} s; sums: {CaseFact.objects.count():,} facts, "
          f"{CaseCount.objects.count():,} count rows, {TopicCount.objects.count():,} topic rows, "
          f"{AnswerTime.objects.count():,} answer-time rows")


# --- the measurements --------------------------------------------------------------------------

def views(unit_id: int) -> list[tuple[str, dict]]:
    from django.utils import timezone

    from ketnoi.reports.selectors import first_case_day

    today = timezone.localdate()
    this_month = today.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    last_year = today.year - 1
    monday = today - timedelta(days=today.weekday() + 7)
    return [
        (f"department, year {last_year}", {"start": date(last_year, 1, 1), "end": date(last_year, 12, 31)}),
        (f"department, month {last_month:%m/%Y}", {"start": last_month, "end": this_month - timedelta(days=1)}),
        ("department, all time", {"start": first_case_day() or today, "end": today}),
        (f"department, week {monday:%d/%m}–{monday + timedelta(days=6):%d/%m/%Y}",
         {"start": monday, "end": monday + timedelta(days=6)}),
        (f"department, 15/01–14/04/{last_year} (partial months)",
         {"start": date(last_year, 1, 15), "end": date(last_year, 4, 14)}),
        (f"unit {unit_id}, year {last_year}",
         {"start": date(last_year, 1, 1), "end": date(last_year, 12, 31), "unit_ids": [unit_id]}),
        (f"unit {unit_id}, all time", {"start": first_case_day() or today, "end": today, "unit_ids": [unit_id]}),
    ]


def timed(call, calls: int, before=None) -> list[float]:
    times = []
    for _ in range(calls):
        if before is not None:
            before()
        t = time.perf_counter()
        call()
        times.append(time.perf_counter() - t)
    return times


def line(name: str, times: list[float]) -> str:
    p50 = statistics.median(times)
    p95 = statistics.quantiles(times, n=20, method="inclusive")[18]
    verdict = "met" if p95 <= TARGET_P95 else "MISSED"
    return (f"  {name:<52} p50 {p50 * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms   worst {max(times) * 1000:7.1f} ms"
            f"   target p95 ≤ {TARGET_P95 * 1000:.0f} ms: {verdict}")


def measure(args, unit_id: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ketnoi.accounts.models import Role, User
    from ketnoi.cases import services
    from ketnoi.cases.models import OPEN_STATUSES, Case, Status
    from ketnoi.reports.selectors import case_figures, case_figures_recount

    print(f"\ncase_figures, {args.calls} calls per view (in-process; the sums already up to date):")
    chosen = views(unit_id)
    for name, kwargs in chosen:
        case_figures(**kwargs)  # warm: the first call of a view reads its pages from disk
        print(line(name, timed(lambda: case_figures(**kwargs), args.calls)), flush=True)
    with CaptureQueriesContext(connection) as queries:
        case_figures(**chosen[0][1])
    print(f"  ({len(queries)} queries a call)")

    coordinator = User.objects.filter(role_assignments__role=Role.COORDINATOR, is_active=True).first()
    open_cases = iter(Case.objects.filter(status__in=[Status.NEW, Status.IN_PROGRESS], unit_id=unit_id)
                      .order_by("pk").values_list("pk", flat=True)[:args.calls * 2])

    def answer_one():
        case = Case.objects.get(pk=next(open_cases))
        services.case_answer(case=case, body="Căn cứ Điều 16 Thông tư 38/2015/TT-BTC, doanh nghiệp nộp bổ sung "
                                             "hợp đồng mua bán.", by=coordinator)

    name, kwargs = chosen[0]
    try:
        print(line(f"{name}, one case answered before each call",
                   timed(lambda: case_figures(**kwargs), args.calls, before=answer_one)), flush=True)
    except StopIteration:
        print(f"  (fewer than {args.calls} open cases in unit {unit_id}: the measurement with changes is left out)")
    except Exception as error:  # the services of a checkout being edited by others: say so, measure the rest
        print(f"  (the measurement with changes is left out: answering a case failed: {error!r:.200})")
    print(f"  open cases now: {Case.objects.filter(status__in=OPEN_STATUSES).count():,}")

    if args.no_recount:
        return
    print("\nthe same figures from the cases table alone (case_figures_recount, once per view):")
    for name, kwargs in chosen:
        t = time.perf_counter()
        recount = case_figures_recount(**kwargs)
        took = time.perf_counter() - t
        fast = case_figures(**kwargs)
        verdict = "equal" if fast == recount else "DIFFERENT"
        print(f"  {name:<52} recount {took * 1000:9.1f} ms   {recount.received:>9,} received   "
              f"maintained figures: {verdict}", flush=True)
        if fast != recount:
            for field in fast.__dataclass_fields__:
                if getattr(fast, field) != getattr(recount, field):
                    print(f"    {field}: maintained {getattr(fast, field)!r:.300} ≠ recount {getattr(recount, field)!r:.300}")


if __name__ == "__main__":
    sys.exit(main())
