"""Benchmark of the audit hash chain (issue 10): what chaining costs an audited write.

    .venv/bin/python bench/audit.py --engine sqlite
    .venv/bin/python bench/audit.py --engine postgresql [--database-url postgres://…/scratch]

On a database of its own (a temporary SQLite file; for PostgreSQL the throw-away cluster of
bench/cases.py, or an empty scratch database given with --database-url), each of N threads
(its own connection, as app servers' workers) writes audited transactions as fast as it can:

- before: the event INSERTed alone (audit_record as it was before the chain);
- after: ``audit_record`` as it is — lock the chain's head, hash, INSERT, move the head.

Each transaction writes one event (the smallest audited write; a case submission writes one
beside its other rows). Prints per thread count: events/s, per-event latency p50/p99 (ms), and
the chain verified afterwards (`ketnoi audit verify`'s speed). Bounded: --events per thread.
"""

import argparse
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--database-url", help="an empty scratch PostgreSQL database instead of a throw-away cluster")
    parser.add_argument("--threads", default="1,4,8", help="thread counts, comma-separated")
    parser.add_argument("--events", type=int, default=1000, help="events per thread and measurement")
    args = parser.parse_args()

    from cases import PostgresCluster, machine_line

    workdir = Path(tempfile.mkdtemp(prefix=f"ketnoi-bench-audit-{args.engine}-"))
    cluster = None
    try:
        url = ""
        if args.engine == "postgresql":
            url = args.database_url
            if not url:
                cluster = PostgresCluster()
                url = cluster.start()
        os.environ.update({"KETNOI_VAR_DIR": str(workdir / "var"), "DEBUG": "0", "DATABASE_URL": url,
                           "DJANGO_SETTINGS_MODULE": "ketnoi.settings"})
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        print(machine_line(args.engine, "bench/audit.py"))
        if cluster:
            print("(throw-away cluster of bench/cases.py: fsync off, synchronous_commit off)")
        print(f"{'':8} {'threads':>7} {'events':>7} {'events/s':>9} {'p50 ms':>7} {'p99 ms':>7}")
        for threads in [int(n) for n in args.threads.split(",")]:
            for mode in ("before", "after"):
                empty_the_trail()
                seconds, latencies = run(mode, threads, args.events)
                n = len(latencies)
                print(f"{mode:8} {threads:>7} {n:>7} {n / seconds:>9.0f} {1000 * percentile(latencies, 50):>7.2f} "
                      f"{1000 * percentile(latencies, 99):>7.2f}", flush=True)
            check_the_chain(threads * args.events)
        return 0
    finally:
        from django.db import connections

        connections.close_all()
        if cluster:
            cluster.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def empty_the_trail() -> None:
    """Raw SQL: the model refuses to delete events (append-only)."""
    from django.db import connection

    from ketnoi.audit.models import AuditEvent, ChainHead

    with connection.cursor() as cursor:
        for model in (AuditEvent, ChainHead):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def write_before(i: int) -> None:
    from ketnoi.audit.models import AuditEvent

    AuditEvent.objects.create(actor=None, actor_label="system", action="case.file", object_type="cases.case",
                              object_id=str(i), object_repr=f"HQ-2026-{i:06d} Hoàn thuế nhập khẩu nguyên liệu",
                              after={"status": "received", "unit": "02F3", "due": "2026-12-04T17:00:00+07:00"},
                              ip="10.0.0.7")


def write_after(i: int) -> None:
    from ketnoi.audit.services import audit_record

    audit_record(actor=None, action="case.file", object_type="cases.case", object_id=str(i),
                 object_repr=f"HQ-2026-{i:06d} Hoàn thuế nhập khẩu nguyên liệu",
                 after={"status": "received", "unit": "02F3", "due": "2026-12-04T17:00:00+07:00"}, ip="10.0.0.7")


def run(mode: str, threads: int, per_thread: int) -> tuple[float, list[float]]:
    from django.db import connection, transaction

    write = write_before if mode == "before" else write_after
    barrier = threading.Barrier(threads + 1)
    latencies: list[float] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(k: int):
        mine = []
        try:
            connection.ensure_connection()
            barrier.wait()
            for i in range(per_thread):
                t = time.perf_counter()
                with transaction.atomic():
                    write(k * per_thread + i)
                mine.append(time.perf_counter() - t)
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()
            with lock:
                latencies.extend(mine)

    pool = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    for thread in pool:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in pool:
        thread.join()
    seconds = time.perf_counter() - started
    if errors:
        raise SystemExit(f"{len(errors)} thread(s) failed: {errors[0]!r}")
    return seconds, latencies


def check_the_chain(expected: int) -> None:
    from ketnoi.audit import chain

    t = time.perf_counter()
    result = chain.verify()
    seconds = time.perf_counter() - t
    state = "intact" if result.intact and result.count == expected else f"BROKEN ({result.broken})"
    print(f"{'':8} verify: {result.count} events {state}, {result.count / seconds:.0f} events/s")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] if ordered else 0.0


if __name__ == "__main__":
    raise SystemExit(main())
