"""What one staff queue page and one case submission cost in CPU, in-process (no HTTP server,
no queueing), on the demo database: the figures behind bench/cases.py's queue and submission
targets, cheap enough to run after every change.

    export KETNOI_VAR_DIR=/tmp/var-perf            # a folder of your own
    .venv/bin/ketnoi migrate && .venv/bin/ketnoi demo --no-progress
    .venv/bin/python bench/cases_cpu.py             # --pages 300 --submissions 200 --language vi

For the leader, officer and coordinator logins of the demo it measures `GET /cases/queue/`
(p50/p95 of wall-clock and CPU time over `--pages` requests after a warm-up, and the number of
SQL queries of one page); then `POST /api/v1/cases` with a bearer token of the demo's business
user, naming a branch as bench/cases.py does (`--submissions` requests, the same figures).
DEBUG is off; the e-mails a submission writes to the outbox are then sent by the background
worker's code in this process (files under KETNOI_VAR_DIR/mail by default), its CPU reported per
submission; static files are collected into KETNOI_VAR_DIR/static first, as `ketnoi serve` does.

CPU time is the figure to compare between runs on a shared machine: wall-clock time also counts
the time other processes held the CPU. Submissions are real: each run adds `--submissions`
(+ warm-up) cases to a branch that is not the staff logins' (their queues stay as they were),
sends their e-mails, and adds one API token for the business user. `--profile` prints a cProfile
of each measurement instead of timing it.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAFF_LOGINS = ["leader", "officer", "coordinator"]
BUSINESS_LOGIN = "business"
WARM_UP = 20


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(label: str, request, runs: int, expect: int, profile: bool) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(WARM_UP):
        response = request(n)
        assert response.status_code == expect, (label, response.status_code, response.content[:300])
    with CaptureQueriesContext(connection) as captured:
        request(WARM_UP)
    queries = len(captured)
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for n in range(runs):
            request(WARM_UP + 1 + n)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
        print(f"\n=== {label}: cProfile of {runs} requests ===\n{out.getvalue()}")
        return
    wall, cpu = [], []
    for n in range(runs):
        w, c = time.perf_counter(), time.process_time()
        response = request(WARM_UP + 1 + n)
        cpu.append((time.process_time() - c) * 1000)
        wall.append((time.perf_counter() - w) * 1000)
        assert response.status_code == expect, (label, response.status_code, response.content[:300])
    print(f"{label:<28} wall p50 {statistics.median(wall):6.1f}  p95 {percentile(wall, 0.95):6.1f} ms   "
          f"cpu p50 {statistics.median(cpu):6.1f}  p95 {percentile(cpu, 0.95):6.1f} ms   "
          f"{queries:3d} queries  ({runs} requests)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=300, help="queue pages per login")
    parser.add_argument("--submissions", type=int, default=200, help="0: the queue page only")
    parser.add_argument("--language", default="vi", choices=["vi", "en"], help="the users' language")
    parser.add_argument("--profile", action="store_true", help="print a cProfile instead of timings")
    args = parser.parse_args()

    if not os.environ.get("KETNOI_VAR_DIR"):
        parser.error("set KETNOI_VAR_DIR to the folder of a demo database (see the docstring)")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketnoi.settings")
    sys.path.insert(0, str(ROOT))
    import django
    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from ketnoi.accounts.models import Role, RoleAssignment, User
    from ketnoi.org.models import Unit
    from ketnoi.accounts.services import token_create

    assert not settings.DEBUG
    # DEBUG off serves hashed static names: the manifest must exist, as under `ketnoi serve`.
    call_command("collectstatic", interactive=False, verbosity=0)
    users = {u.username: u for u in User.objects.filter(username__in=STAFF_LOGINS + [BUSINESS_LOGIN])}
    missing = set(STAFF_LOGINS + [BUSINESS_LOGIN]) - set(users)
    if missing:
        parser.error(f"no demo logins {sorted(missing)} in {os.environ['KETNOI_VAR_DIR']}: run `ketnoi demo` first")
    # The users' own language decides the page's (the middleware applies it after login).
    User.objects.filter(pk__in=[u.pk for u in users.values()]).update(language=args.language)

    print(f"KETNOI_VAR_DIR={os.environ['KETNOI_VAR_DIR']}, {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, "
          f"language {args.language}, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for login in STAFF_LOGINS:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(users[login])
        measure(f"queue page ({login})", lambda n, client=client: client.get("/cases/queue/"),
                args.pages, 200, args.profile)

    if not args.submissions:
        return 0
    # Named by the business, as in bench/cases.py, so that the case goes to a unit and its leaders
    # are told; not a unit of the staff logins above, whose queues stay as they were.
    staff_units = RoleAssignment.objects.filter(user__in=[users[login] for login in STAFF_LOGINS],
                                                unit__isnull=False).values("unit")
    unit = (Unit.objects.filter(kind=Unit.Kind.BRANCH, valid_to__isnull=True, role_assignments__role=Role.LEADER)
            .exclude(code="").exclude(pk__in=staff_units).order_by("code").first())
    _token, key = token_create(user=users[BUSINESS_LOGIN], name="bench/cases_cpu.py")
    api = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {key}")
    stamp = int(time.time())

    def submit(n):
        return api.post("/api/v1/cases", json.dumps({
            "topic": "phan-loai-hs",
            "subject": f"Phân loại mã HS mặt hàng linh kiện điện tử (bench {stamp}-{n})",
            "description": "Công ty nhập khẩu bo mạch in đã lắp ráp linh kiện dùng cho máy tính từ Hàn Quốc. "
                           "Khi khai báo Công ty áp mã 8473.30.10, tuy nhiên nhà cung cấp khai mã khác. "
                           "Đề nghị Chi cục hướng dẫn mã HS đúng cho mặt hàng này.",
            "declaration_numbers": [f"1069{(stamp + n) % 10**8:08d}"], "hs_codes": ["8473.30.10"],
            "unit": unit.code,
        }, ensure_ascii=False), content_type="application/json")

    print(f"submissions name the unit {unit.code} ({unit.name_vi})")
    measure("submission (API)", submit, args.submissions, 201, args.profile)
    if not args.profile:
        worker_share(args.submissions + WARM_UP + 1)
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


def worker_share(submissions: int) -> None:
    """The other half of a submission since issue 11: the e-mails it wrote to the outbox, sent
    by the background worker (its code, in this process, on the real queue) after the timing."""
    from ketnoi.background.worker import run_queued
    from ketnoi.notifications.models import EmailDelivery

    waiting = EmailDelivery.objects.filter(state=EmailDelivery.State.QUEUED).count()
    cpu, wall = time.process_time(), time.perf_counter()
    tasks = run_queued()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(f"{'worker: their e-mails':<28} {tasks} tasks, {waiting} e-mails, cpu {cpu * 1000 / submissions:6.1f} ms "
          f"a submission ({wall:.1f} s in all)")


if __name__ == "__main__":
    sys.exit(main())
