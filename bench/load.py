"""Load benchmark (issue 10, item 10): minutes of mixed, realistic traffic at a steady rate
against ketnoi deployed as production runs it, on loopback.

    .venv/bin/python bench/load.py --engine postgresql [--minutes 10] [--rate 20] [--workers 2]
    .venv/bin/python bench/load.py --engine sqlite --minutes 0.2 --rate 5 --cases 200

1. The deployment of scripts/deploy_check.py, by import: a throw-away PostgreSQL cluster (or the
   SQLite file, in WAL mode) in a temporary KETNOI_VAR_DIR; migrate, collectstatic, the demo's
   organisation and logins, its cases and Q&A (deploy_check.prepare), and here also the demo's
   price board, dialogue programmes and party register (the pages the mix reads); two gunicorn
   app servers (deploy/gunicorn.conf.py, --workers sync workers each) behind nginx with the
   production snippet; `ketnoi worker`; `ketnoi tick` every minute, as the systemd timer runs it.
2. Every demo login used signs in through the real login page (CSRF; the TOTP code of the staff's
   authenticator when the page asks for it, see `sign_in`).
3. Open loop: a clock schedules the next action 1/rate seconds (times the action's requests)
   after the previous one, whatever the answers; a bounded pool of client threads runs them. A
   request's latency counts from the moment it was due, so a slow server shows as latency (and
   as client threads all busy), not as a lower rate. If the clients could not start actions on
   time, the report says so.
4. Reports every error (status, kind, path), p50/p95/p99 per kind and overall, the achieved rate,
   the load average at start and end, and every app server worker's memory (RSS from /proc,
   sampled every few seconds): start, end, maximum and the slope per minute after the warm-up.
   The last line starts with SUMMARY. Exits 1 on any error.

Everything it starts (database cluster, app servers, nginx, worker, tick) is stopped at the end,
also on Ctrl+C or SIGTERM; nothing listens beyond 127.0.0.1.
"""

import argparse
import json
import os
import queue
import random
import re
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import deploy_check as deploy  # noqa: E402
from bench.cases import PostgresCluster, free_port, machine_line, submission_body  # noqa: E402

# The default rate, a busy hour of a department like Ho Chi Minh City Customs (DESIGN.md: ~1,000
# officers, a few thousand importing and exporting businesses):
# - officers: about a quarter at their queue in the busy hour (250), a page every 30 s: ~8 req/s;
# - businesses: a few hundred of them online (300), a page a minute: ~5 req/s;
# - the public (Q&A, price board, session calendar), arriving from search engines: ~4 req/s;
# - static files: hashed and cached a year by browsers, so only first visits fetch them: ~2 req/s;
# - coordinators, leaders, the party office and monitoring: ~1 req/s.
# About 20 requests a second in all.
DEFAULT_RATE = 20.0

# The mix, as shares of requests (%), with who makes them. Filings are over-weighted: a real
# department receives ~80 cases a working day (20,000 a year), 10–20 in its busiest hour; here 3 %
# of the actions file one, ~2,000 an hour at 20 req/s, a hundred times more. At the real share ten
# minutes would file two or three cases and exercise none of the writes.
#   public 45 %: home 7, Q&A search 10 (half the queries without diacritics), Q&A article 8, price
#     board 4, session calendar 4, public scorecard 2, static files 8, /healthz 2 (monitoring);
#   businesses 21 %: their case list 5, a case page 5, filing a case through the API 2 and through
#     the form 2, replying 2, accepting an answer 1, rating 1, signing in 3 (the login page, the
#     form sent, the page after);
#   officers and leaders 24 %: the queue 9, a case page 6, taking a case 3, answering it 3, a
#     leader approving an answer 3 (a taking, answering or approving also reads the case page);
#   coordinators 5 %: the department dashboard 3, a unit's 2;
#   party office 5 %: the member list 3, a search by name 2.
# (name, share of requests, requests per action)
MIX = (
    ("home", 7, 1), ("qa_search", 10, 1), ("qa_article", 8, 1), ("prices", 4, 1), ("calendar", 4, 1),
    ("scorecard", 2, 1), ("static", 8, 1), ("healthz", 2, 1),
    ("my_cases", 5, 1), ("business_case", 5, 1), ("file_api", 2, 1), ("file_form", 2, 2), ("reply", 2, 2),
    ("accept", 1, 2), ("rate", 1, 2), ("business_login", 3, 3),
    ("queue", 9, 1), ("officer_case", 6, 1), ("take", 3, 2), ("answer", 3, 2), ("approve", 3, 2),
    ("dashboard", 3, 1), ("unit_dashboard", 2, 1),
    ("members", 3, 1), ("member_search", 2, 1),
)
# Q&A searches as businesses type them, with and without diacritics (DESIGN.md: both must find).
SEARCHES = ["hoàn thuế nhập khẩu", "hoan thue nhap khau", "mã HS linh kiện điện tử", "ma hs linh kien",
            "thủ tục hải quan điện tử", "thu tuc hai quan", "kiểm tra chuyên ngành", "kiem tra chuyen nganh",
            "gia công xuất khẩu", "gia cong xuat khau", "C/O mẫu D", "tạm nhập tái xuất", "tam nhap tai xuat",
            "thuế giá trị gia tăng", "thue gtgt", "kho ngoại quan", "kho ngoai quan", "miễn thuế tài sản cố định",
            "mien thue", "xuất xứ hàng hóa", "xuat xu", "doanh nghiệp chế xuất", "DNCX", "khai bổ sung"]
# The party office looks members up by name, usually without diacritics (the form says it may).
MEMBER_SEARCHES = ["nguyen", "tran thi", "Lê Văn", "pham ngoc", "Võ", "hoang", "Đặng Thị", "bui", "huynh van"]
REPLIES = ["Công ty xin gửi bổ sung bản chụp hợp đồng mua bán và hóa đơn thương mại của lô hàng.",
           "Doanh nghiệp xác nhận tờ khai đã được phân luồng đỏ, kính đề nghị Chi cục hướng dẫn thêm.",
           "Cảm ơn quý Chi cục. Công ty đã nộp bổ sung chứng từ trên hệ thống VNACCS."]
ANSWERS = ["Căn cứ Thông tư số 38/2015/TT-BTC (sửa đổi, bổ sung bởi Thông tư số 39/2018/TT-BTC), đề nghị "
           "Công ty đối chiếu tài liệu kỹ thuật của mặt hàng và khai báo theo hướng dẫn tại Chú giải chương 84.",
           "Chi cục đã kiểm tra hồ sơ. Doanh nghiệp thực hiện khai bổ sung theo Điều 20 Thông tư số "
           "38/2015/TT-BTC; trường hợp còn vướng mắc, đề nghị liên hệ Đội Nghiệp vụ."]
STAFF = ("officer", "leader", "coordinator", "party")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="postgresql")
    parser.add_argument("--minutes", type=float, default=10, help="length of the load")
    parser.add_argument("--rate", type=float, default=DEFAULT_RATE, help="requests per second, on a clock")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers per app server (two servers)")
    parser.add_argument("--clients", type=int, default=32, help="client threads (bounded)")
    parser.add_argument("--cases", type=int, default=20000, help="cases of the demo's year loaded before")
    parser.add_argument("--warm-up", type=float, default=None,
                        help="seconds left out of the memory slope (default: a fifth of the run, at most 120)")
    parser.add_argument("--sample-seconds", type=float, default=5, help="how often the memory is read")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, database)")
    parser.add_argument("--reuse", type=Path, metavar="FOLDER",
                        help="SQLite only: the folder a run with --keep left, instead of setting up again")
    args = parser.parse_args()
    if args.rate <= 0 or args.minutes <= 0 or args.clients < 1:
        parser.error("--rate, --minutes and --clients must be positive")

    sys.stdout.reconfigure(line_buffering=True)  # the progress shows in a log file as it happens
    # SIGTERM (e.g. `timeout`) cleans up as Ctrl+C does.
    signal.signal(signal.SIGTERM, interrupted)
    started = time.monotonic()
    if args.reuse and args.engine != "sqlite":
        parser.error("--reuse is for --engine sqlite")
    workdir = args.reuse or Path(tempfile.mkdtemp(prefix=f"ketnoi-load-{args.engine}-"))
    workdir.chmod(0o755)  # nginx's workers (www-data when run as root) read the static files in it
    processes: list[deploy.Process] = []
    cluster = ticks = None
    try:
        database_url = ""
        if args.engine == "postgresql":
            cluster = PostgresCluster()
            database_url = cluster.start()
        nginx_port, ports = free_port(), (free_port(), free_port())
        env = {**os.environ, "KETNOI_VAR_DIR": str(workdir / "var"), "DATABASE_URL": database_url, "DEBUG": "0",
               "SECRET_KEY": secrets.token_urlsafe(40), "KETNOI_BASE_URL": f"http://127.0.0.1:{nginx_port}",
               "KETNOI_DEMO_PASSWORD": deploy.PASSWORD, "KETNOI_WORKERS": str(args.workers),
               "KETNOI_LOG_FORMAT": "json", "PYTHONUNBUFFERED": "1"}
        env.pop("DATABASE_REPLICA_URL", None)
        os.environ.update(env)
        os.environ.pop("DATABASE_REPLICA_URL", None)
        load_at_start = os.getloadavg()
        if args.reuse:
            for old in ("nginx", "web-*.log", "worker.log", "tick.log"):
                for path in workdir.glob(old):
                    shutil.rmtree(path) if path.is_dir() else path.unlink()
            os.environ["DJANGO_SETTINGS_MODULE"] = "ketnoi.settings"
            import django

            django.setup()
        else:
            deploy.prepare(env, args.cases, workdir)
            build_the_rest()
        print(machine_line(args.engine, "bench/load.py"))
        fixture = readings()
        print(f"setting up: {time.monotonic() - started:.0f} s")

        servers = [deploy.AppServer(port, workdir, env) for port in ports]
        worker = deploy.Process("worker", [deploy.ketnoi(), "worker", "--no-reload", "--interval", "1"], workdir, env)
        nginx = deploy.Nginx(nginx_port, ports, workdir)
        processes.extend([*servers, worker, nginx])
        for process in processes:
            process.start()
        for server in servers:
            server.wait_ready()
        nginx.wait_ready()
        deploy.TICK_EVERY = 60.0  # the systemd timer's period (deploy_check ticks faster)
        ticks = deploy.TickLoop(workdir, env)
        ticks.start()

        client = deploy.Client(nginx_port)
        sessions = {username: sign_in(client, username, fixture["totp"].get(username)) for username in
                    ("business", *STAFF)}
        memory = Memory(servers, worker, args.sample_seconds)
        load = Load(client, fixture, sessions, args)
        print(f"\nload: {args.rate:g} req/s for {args.minutes:g} min through nginx :{nginx_port} → app servers "
              f":{ports[0]} :{ports[1]}, {args.workers} workers each; {args.clients} client threads; load average "
              f"at start {fmt_load(load_at_start)} (before setting up), {fmt_load(os.getloadavg())} (now)")
        memory.start()
        try:
            load.run()
        finally:
            memory.stop()
        ticks.stop()
        load_at_end = os.getloadavg()
        drained = deploy.drain(60)
        failures = report(load, memory, args, load_at_end, drained, ticks, fixture)
        print(f"\nwhole run: {time.monotonic() - started:.0f} s")
        return 1 if failures else 0
    except KeyboardInterrupt:
        print("\ninterrupted: stopping everything this run started")
        return 130
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # the cleanup itself is not interrupted
        if ticks is not None and ticks._thread.is_alive():
            ticks._stop.set()
        for process in reversed(processes):
            process.stop(timeout=20)
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()  # before the cluster stops
        if cluster:
            cluster.stop()
        if args.keep or args.reuse:
            print(f"kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def interrupted(_signal, _frame):
    raise KeyboardInterrupt


def fmt_load(averages) -> str:
    return " / ".join(f"{value:.2f}" for value in averages) + " (1/5/15 min)"


# --- setting up ---------------------------------------------------------------------------------

def build_the_rest() -> None:
    """After deploy_check.prepare (Django set up in this process): the demo's parts the mix reads
    that it leaves out: the price board, the dialogue calendar, the party register."""
    from ketnoi.demo.dialogue import DialogueBuilder
    from ketnoi.demo.party import PartyBuilder
    from ketnoi.demo.prices import PriceBuilder
    from ketnoi.front.maintenance import refresh_query_statistics

    t = time.monotonic()
    PriceBuilder(seed=2020).build()
    DialogueBuilder(seed=2020).build()
    PartyBuilder(seed=2020).build()
    refresh_query_statistics()
    print(f"the demo's prices, dialogue programmes and party register: {time.monotonic() - t:.0f} s")


def readings() -> dict:
    """What the clients pick from, an API token for the business, an authenticator for each
    staff login."""
    from django.db import connections

    from ketnoi.accounts import services as accounts
    from ketnoi.accounts.models import User
    from ketnoi.cases.models import OPEN_STATUSES, Case, Topic
    from ketnoi.demo.generate import HIGH_TECH_PARK
    from ketnoi.knowledge.models import Article, ArticleStatus
    from ketnoi.org.models import Unit

    business = User.objects.get(username="business")
    enterprise = business.role_assignments.exclude(enterprise=None).first().enterprise
    _token, key = accounts.token_create(user=business, name="load benchmark")
    mine = Case.objects.filter(enterprise=enterprise)
    unit = Unit.objects.get(code=HIGH_TECH_PARK)
    fixture = {
        "token": key, "unit_code": unit.code, "business_id": business.pk,
        "articles": list(Article.objects.filter(status=ArticleStatus.PUBLISHED).values_list("pk", flat=True)[:300]),
        "business_cases": list(mine.order_by("-pk").values_list("reference", flat=True)[:200]),
        # Cases the load does not move through their states: the business replies to these.
        "open_cases": list(mine.filter(status__in=OPEN_STATUSES).exclude(status="pending_approval")
                           .order_by("-pk").values_list("reference", flat=True)[:100]),
        "unit_cases": list(Case.objects.filter(unit=unit).order_by("-pk").values_list("reference", flat=True)[:300]),
        # The business's own unit first: it files there, and the officer and leader work there.
        "units": [unit.pk, *Unit.objects.exclude(pk=unit.pk).filter(kind="branch").order_by("code")
                  .values_list("pk", flat=True)[:5]],
        "topic": "phan-loai-hs",
        "requires_approval": Topic.objects.get(code="phan-loai-hs").requires_approval,
        "totp": authenticators(),
    }
    connections.close_all()
    if not fixture["articles"] or not fixture["business_cases"] or not fixture["unit_cases"]:
        raise SystemExit(f"the demo made too little to read: {len(fixture['articles'])} articles, "
                         f"{len(fixture['business_cases'])} cases of the business, {len(fixture['unit_cases'])} of "
                         f"the unit (use more --cases)")
    return fixture


def authenticators() -> dict[str, str]:
    """An authenticator for each staff login, enrolled and confirmed through the services as the
    user does on the enrolment page (the demo's logins have none): username → its TOTP secret.
    Empty when this version has no two-factor sign-in."""
    import pyotp

    from ketnoi.accounts import services as accounts
    from ketnoi.accounts.models import User

    if not hasattr(accounts, "totp_enrol_start"):
        return {}
    found = {}
    for username in STAFF:
        user = User.objects.get(username=username)
        accounts.two_factor_reset(user=user, by=None)  # a run reusing a folder enrols again
        secret = pyotp.random_base32()
        accounts.totp_enrol_start(user=user, secret=secret)
        accounts.totp_enrol_confirm(user=user, code=pyotp.TOTP(secret).now())
        found[username] = secret
    return found


def sign_in(client: deploy.Client, username: str, totp_secret: str | None) -> "Session":
    """The login page, the form sent with its CSRF token, then (staff) the authenticator's code on
    the page the login leads to: the session's cookies."""
    session = Session(username)
    page = client.get("/accounts/login/")
    session.update(page)
    form = find_form(page.body, "/accounts/login/") or {}
    data = {**form, "username": username, "password": deploy.PASSWORD}
    sent = client.request("POST", "/accounts/login/", body=urlencode(data).encode(), cookies=session.cookies(),
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    session.update(sent)
    for _step in range(3):  # the login → (code page →) landing page
        location = sent.header("Location") or ""
        if sent.status != 302 or not location.startswith(("/accounts/", "http")):
            break
        path = re.sub(r"^https?://[^/]+", "", location)
        if not path.startswith("/accounts/"):
            break
        page = client.get(path, cookies=session.cookies())
        session.update(page)
        forms = parse_forms(page.body)
        code_form = next((f for f in forms if f.code_field), None)
        if code_form is None:
            break
        if not totp_secret:
            raise SystemExit(f"{username}: the sign-in asks for a code and this script has no authenticator for it")
        import pyotp

        # The next time step's code: the current one was used to confirm the authenticator, and a
        # code is accepted once; the server accepts one step of drift either side.
        code = pyotp.TOTP(totp_secret).at(time.time() + 30)
        data = {**code_form.fields, code_form.code_field: code}
        sent = client.request("POST", code_form.action or path, body=urlencode(data).encode(),
                              cookies=session.cookies(), headers={"Content-Type": "application/x-www-form-urlencoded"})
        session.update(sent)
    if sent.status != 302 or "sessionid" not in session.cookies():
        raise SystemExit(f"{username} could not sign in through nginx: {sent.status} {sent.header('Location')} "
                         f"{sent.body[:300]!r}")
    return session


class Session:
    """A signed-in browser's cookies, shared by the client threads acting as that user."""

    def __init__(self, username: str):
        self.username = username
        self._cookies: dict[str, str] = {}
        self._lock = threading.Lock()

    def cookies(self) -> dict[str, str]:
        with self._lock:
            return dict(self._cookies)

    def update(self, response) -> None:
        found = response.cookies()
        if found:
            with self._lock:
                self._cookies.update(found)


@dataclass
class Form:
    action: str
    fields: dict  # hidden inputs and the selected options, as the browser would send them
    code_field: str = ""  # a one-time code's input (the second step of a staff sign-in)


class _FormParser(HTMLParser):
    CODE = re.compile(r"code|otp|token", re.I)

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("action", ""), {}))
        elif not self.forms:
            return
        elif tag == "input":
            kind, name = a.get("type", "text").lower(), a.get("name", "")
            if not name:
                return
            if kind == "hidden":
                self.forms[-1].fields[name] = a.get("value", "")
            elif kind in ("text", "number", "tel") and self.CODE.search(name) and not self.forms[-1].code_field:
                self.forms[-1].code_field = name
            elif kind in ("checkbox", "radio") and "checked" in a:
                self.forms[-1].fields[name] = a.get("value", "on")
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and ("selected" in a):
            self.forms[-1].fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def parse_forms(html: bytes) -> list[Form]:
    parser = _FormParser()
    parser.feed(html.decode("utf-8", errors="replace"))
    return parser.forms


def find_form(html: bytes, action_ending: str) -> dict | None:
    """The fields a browser would send with the form whose action ends with `action_ending` (a
    form without an action posts to its page's own path, which the caller passes then): its CSRF
    token, and whatever hidden field the page carries, e.g. a case's version."""
    for form in parse_forms(html):
        if (form.action or action_ending).endswith(action_ending):
            return dict(form.fields)
    return None


# --- the load -----------------------------------------------------------------------------------

@dataclass
class Sample:
    kind: str
    path: str
    at: float  # seconds since the load began, when the request was due
    status: int  # 0: no response
    seconds: float  # from the moment the request was due to its last byte
    expected: tuple[int, ...]
    detail: str = ""
    service: float = 0.0  # from the moment it was sent to its last byte (the server's part)

    @property
    def failed(self) -> bool:
        return self.status not in self.expected


class Load:
    def __init__(self, client: deploy.Client, fixture: dict, sessions: dict, args):
        self.client, self.fixture, self.sessions, self.args = client, fixture, sessions, args
        self.samples: list[Sample] = []
        self.lock = threading.Lock()
        self.queue: queue.Queue = queue.Queue()
        self.stop = threading.Event()
        self.late: list[float] = []  # how late each action started (s)
        self.scheduled = 0
        self.counter = 0
        self.filed: list[str] = []  # references of the cases acknowledged (201, or the form's 302)
        # The cases the load moves through their states, each in one pool at a time (so that no two
        # clients act on one case at once): filed → taken → (submitted →) answered → resolved.
        self.pools: dict[str, list[str]] = {"filed": [], "taken": [], "submitted": [], "answered": [], "resolved": []}
        manifest = json.loads((Path(os.environ["KETNOI_VAR_DIR"]) / "static" / "staticfiles.json").read_text())
        self.static = [f"/static/{name}" for original, name in manifest["paths"].items()
                       if original.endswith((".css", ".js", ".svg", ".woff2", ".png"))]
        self.started = self.ended = self.cpu = 0.0

    # The clock and the clients.
    def run(self) -> None:
        names = [name for name, _share, _n in MIX]
        requests = {name: n for name, _share, n in MIX}
        weights = [share / n for _name, share, n in MIX]  # actions drawn so that requests follow the shares
        rng = random.Random(2021)
        threads = [threading.Thread(target=self.client_loop, args=(i,), daemon=True) for i in range(self.args.clients)]
        for thread in threads:
            thread.start()
        self.started, self.cpu = time.monotonic(), time.process_time()
        end = self.started + self.args.minutes * 60
        due = self.started
        try:
            while due < end:
                name = rng.choices(names, weights)[0]
                self.queue.put((due, name))
                self.scheduled += 1
                due += requests[name] / self.args.rate
                wait = due - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
        except KeyboardInterrupt:
            self.stop.set()  # the clients stop after their request; the caller stops the servers
            raise
        finally:
            for _ in threads:
                self.queue.put(None)
            # The actions already due are still run, for at most a minute more.
            deadline = time.monotonic() + (0 if self.stop.is_set() else 60)
            for thread in threads:
                thread.join(max(0.1, deadline - time.monotonic()))
            self.stop.set()
            self.ended = time.monotonic()
            self.cpu = time.process_time() - self.cpu

    def client_loop(self, number: int) -> None:
        rng = random.Random(number)
        while not self.stop.is_set():
            item = self.queue.get()
            if item is None:
                return
            due, name = item
            with self.lock:
                self.late.append(time.monotonic() - due)
            try:
                getattr(self, f"do_{name}")(rng, due)
            except Exception as error:  # noqa: BLE001 — a bug of this script is reported, not hidden
                self.note(Sample(name, "(client)", due - self.started, -1, 0.0, (), f"{type(error).__name__}: {error}"))

    def note(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)

    def call(self, kind: str, due: float | None, method: str, path: str, expected: tuple[int, ...] = (200,), *,
             session: Session | None = None, form: dict | None = None, json_body: str | None = None,
             headers: dict | None = None):
        """One request, timed from `due` (the action's scheduled moment) or from now."""
        headers = dict(headers or {})
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif json_body is not None:
            body = json_body.encode()
            headers["Content-Type"] = "application/json"
        sent_at = time.monotonic()
        start = sent_at if due is None else due
        try:
            response = self.client.request(method, path, body=body, headers=headers,
                                           cookies=session.cookies() if session else None)
        except OSError as error:
            self.note(Sample(kind, path, start - self.started, 0, time.monotonic() - start, expected,
                             f"{type(error).__name__}: {error}"))
            return None
        seconds = time.monotonic() - start
        detail = ""
        if response.status not in expected:
            detail = f"{response.header('Location') or ''} {response.body[:300].decode(errors='replace')}"
        self.note(Sample(kind, path, start - self.started, response.status, seconds, expected, detail,
                         time.monotonic() - sent_at))
        if session is not None:
            session.update(response)
        return response

    def take(self, pool: str) -> str | None:
        with self.lock:
            found = self.pools[pool]
            return found.pop(0) if found else None

    def put(self, pool: str, reference: str) -> None:
        with self.lock:
            self.pools[pool].append(reference)

    def case_form(self, kind: str, due, session: Session, reference: str, action: str, data: dict,
                  then: str | None) -> bool:
        """The case page, then one of its forms sent (302 back to the case): as a browser does."""
        page = self.call(kind, due, "GET", f"/cases/{reference}/", session=session)
        if page is None or page.status != 200:
            return False
        form = find_form(page.body, f"/{reference}/{action}/")
        if form is None:
            self.note(Sample(f"POST /cases/<ref>/{action}/", f"/cases/{reference}/{action}/", time.monotonic()
                             - self.started, -1, 0.0, (), "the case page has no such form"))
            return False
        sent = self.call(f"POST /cases/<ref>/{action}/", None, "POST", f"/cases/{reference}/{action}/", (302,),
                         session=session, form={**form, **data})
        if sent is not None and sent.status == 302 and then:
            self.put(then, reference)
        return sent is not None and sent.status == 302

    # The public.
    def do_home(self, rng, due):
        self.call("GET /", due, "GET", "/")

    def do_qa_search(self, rng, due):
        self.call("GET /hoi-dap/?q=", due, "GET", f"/hoi-dap/?q={quote(rng.choice(SEARCHES))}")

    def do_qa_article(self, rng, due):
        self.call("GET /hoi-dap/<id>/", due, "GET", f"/hoi-dap/{rng.choice(self.fixture['articles'])}/")

    def do_prices(self, rng, due):
        self.call("GET /gia-dich-vu/", due, "GET", "/gia-dich-vu/")

    def do_calendar(self, rng, due):
        self.call("GET /doi-thoai/", due, "GET", "/doi-thoai/")

    def do_scorecard(self, rng, due):
        self.call("GET /bao-cao/cong-khai/", due, "GET", "/bao-cao/cong-khai/")

    def do_static(self, rng, due):
        self.call("GET /static/", due, "GET", rng.choice(self.static))

    def do_healthz(self, rng, due):
        self.call("GET /healthz", due, "GET", "/healthz")

    # Businesses.
    def do_my_cases(self, rng, due):
        self.call("GET /cases/ (business)", due, "GET", "/cases/", session=self.sessions["business"])

    def do_business_case(self, rng, due):
        with self.lock:
            references = self.fixture["business_cases"] + self.filed[-50:]
        self.call("GET /cases/<ref>/ (business)", due, "GET", f"/cases/{rng.choice(references)}/",
                  session=self.sessions["business"])

    def do_file_api(self, rng, due):
        with self.lock:
            self.counter += 1
            n = self.counter
        sent = self.call("POST /api/v1/cases", due, "POST", "/api/v1/cases", (201,),
                         json_body=submission_body(self.fixture, n),
                         headers={"Authorization": f"Bearer {self.fixture['token']}"})
        if sent is not None and sent.status == 201:
            self.filed_one(json.loads(sent.body)["reference"])

    def do_file_form(self, rng, due):
        session = self.sessions["business"]
        page = self.call("GET /cases/new/", due, "GET", "/cases/new/", session=session)
        if page is None or page.status != 200:
            return
        with self.lock:
            self.counter += 1
            n = self.counter
        body = json.loads(submission_body(self.fixture, n))
        form = {**(find_form(page.body, "/cases/new/") or {}), "topic": body["topic"],
                "subject": body["subject"].replace("Phân loại mã HS", "Xác định mã HS"),
                "description": body["description"], "declaration_numbers": "\n".join(body["declaration_numbers"]),
                "hs_codes": ", ".join(body["hs_codes"]), "unit": str(self.fixture["units"][0])}
        sent = self.call("POST /cases/new/", None, "POST", "/cases/new/", (302,), session=session, form=form)
        found = re.match(r"^(?:https?://[^/]+)?/cases/([^/]+)/$", (sent.header("Location") or "") if sent else "")
        if sent is not None and sent.status == 302:
            if found:
                self.filed_one(found.group(1))
            else:
                self.note(Sample("POST /cases/new/", "/cases/new/", time.monotonic() - self.started, -1, 0.0, (),
                                 f"redirected to {sent.header('Location')}, not to the case"))

    def filed_one(self, reference: str) -> None:
        with self.lock:
            self.filed.append(reference)
        self.put("filed", reference)

    def do_reply(self, rng, due):
        self.case_form("GET /cases/<ref>/ (business)", due, self.sessions["business"],
                       rng.choice(self.fixture["open_cases"] or self.fixture["business_cases"]), "reply",
                       {"body": rng.choice(REPLIES)}, None)

    def do_accept(self, rng, due):
        reference = self.take("answered")
        if reference is None:
            return self.do_business_case(rng, due)
        if not self.case_form("GET /cases/<ref>/ (business)", due, self.sessions["business"], reference, "accept",
                              {}, "resolved"):
            return

    def do_rate(self, rng, due):
        reference = self.take("resolved")
        if reference is None:
            return self.do_business_case(rng, due)
        self.case_form("GET /cases/<ref>/ (business)", due, self.sessions["business"], reference, "rating",
                       {"score": rng.choice([3, 4, 4, 5, 5, 5]), "comment": "Cảm ơn Chi cục đã trả lời nhanh."}, None)

    def do_business_login(self, rng, due):
        """A business user signs in (no second factor for businesses): login page, form, landing page."""
        page = self.call("GET /accounts/login/", due, "GET", "/accounts/login/")
        if page is None or page.status != 200:
            return
        session = Session("business2")
        session.update(page)
        form = {**(find_form(page.body, "/accounts/login/") or {}), "username": "business2",
                "password": deploy.PASSWORD}
        sent = self.call("POST /accounts/login/", None, "POST", "/accounts/login/", (302,), session=session,
                         form=form)
        if sent is not None and sent.status == 302:
            self.call("GET /cases/ (business)", None, "GET", "/cases/", session=session)

    # Officers and leaders.
    def do_queue(self, rng, due):
        self.call("GET /cases/queue/", due, "GET", "/cases/queue/", session=self.sessions["officer"])

    def do_officer_case(self, rng, due):
        with self.lock:
            references = self.fixture["unit_cases"] + self.filed[-50:]
        self.call("GET /cases/<ref>/ (officer)", due, "GET", f"/cases/{rng.choice(references)}/",
                  session=self.sessions["officer"])

    def do_take(self, rng, due):
        reference = self.take("filed")
        if reference is None:
            return self.do_officer_case(rng, due)
        self.case_form("GET /cases/<ref>/ (officer)", due, self.sessions["officer"], reference, "assign",
                       {"assignee": ""}, "taken")

    def do_answer(self, rng, due):
        reference = self.take("taken")
        if reference is None:
            return self.do_officer_case(rng, due)
        self.case_form("GET /cases/<ref>/ (officer)", due, self.sessions["officer"], reference, "answer",
                       {"body": rng.choice(ANSWERS)}, "submitted" if self.fixture["requires_approval"] else "answered")

    def do_approve(self, rng, due):
        reference = self.take("submitted")
        if reference is None:
            return self.call("GET /cases/queue/ (leader)", due, "GET", "/cases/queue/", session=self.sessions["leader"])
        self.case_form("GET /cases/<ref>/ (leader)", due, self.sessions["leader"], reference, "approve", {},
                       "answered")

    # Coordinators and the party office.
    def do_dashboard(self, rng, due):
        self.call("GET /bao-cao/", due, "GET", "/bao-cao/", session=self.sessions["coordinator"])

    def do_unit_dashboard(self, rng, due):
        self.call("GET /bao-cao/don-vi/<id>/", due, "GET", f"/bao-cao/don-vi/{rng.choice(self.fixture['units'])}/",
                  session=self.sessions["coordinator"])

    def do_members(self, rng, due):
        self.call("GET /dang-bo/dang-vien/", due, "GET", "/dang-bo/dang-vien/", session=self.sessions["party"])

    def do_member_search(self, rng, due):
        self.call("GET /dang-bo/dang-vien/?q=", due, "GET", f"/dang-bo/dang-vien/?q={quote(rng.choice(MEMBER_SEARCHES))}",
                  session=self.sessions["party"])


# --- memory -------------------------------------------------------------------------------------

class Memory:
    """Every few seconds, the resident memory (VmRSS) of each app server's gunicorn master and
    workers and of the background worker, read from /proc."""

    def __init__(self, servers, worker, every: float):
        self.servers, self.worker, self.every = servers, worker, every
        self.series: dict[tuple[str, int], list[tuple[float, float]]] = {}  # (label, pid) → [(s, MB)]
        self.started = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def start(self) -> None:
        self.started = time.monotonic()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.every)

    def processes(self) -> list[tuple[str, int]]:
        found = []
        for server in self.servers:
            master = server.popen.pid
            found.append((f"app :{server.port} master", master))
            found += [(f"app :{server.port} worker", pid) for pid in children(master)]
        found.append(("background worker", self.worker.popen.pid))
        return found

    def sample(self) -> None:
        at = time.monotonic() - self.started
        for label, pid in self.processes():
            rss = rss_mb(pid)
            if rss is not None:
                self.series.setdefault((label, pid), []).append((at, rss))


def children(pid: int) -> list[int]:
    found = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(child) for child in (task / "children").read_text().split()]
    except OSError:
        pass
    return found


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def baseline(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The lowest sample of each minute: what a worker keeps between requests. A leak raises it;
    one big request only makes a spike, which glibc gives back to the system afterwards."""
    minutes: dict[int, tuple[float, float]] = {}
    for t, m in points:
        minute = int(t // 60)
        if minute not in minutes or m < minutes[minute][1]:
            minutes[minute] = (t, m)
    return sorted(minutes.values())


def slope_per_minute(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of MB over time, in MB per minute."""
    if len(points) < 3:
        return None
    n = len(points)
    mean_t = sum(t for t, _ in points) / n
    mean_m = sum(m for _, m in points) / n
    var = sum((t - mean_t) ** 2 for t, _ in points)
    if var == 0:
        return None
    return sum((t - mean_t) * (m - mean_m) for t, m in points) / var * 60


# --- the report ---------------------------------------------------------------------------------

def percentile(values: list[float], p: float) -> float:
    return deploy.percentile(values, p)


def ms(value: float) -> str:
    return f"{value * 1000:,.0f}".replace(",", " ")


def report(load: Load, memory: Memory, args, load_at_end, drained: dict, ticks, fixture: dict) -> list[str]:
    from django.db import connections

    from ketnoi.cases.models import Case

    failures = []
    samples = [s for s in load.samples if s.status != -1]
    script_errors = [s for s in load.samples if s.status == -1]
    wall = load.ended - load.started
    length = args.minutes * 60
    in_time = [s for s in samples if s.at < length]
    latencies = [s.seconds for s in samples]
    print(f"\n{len(samples)} requests in {wall:.0f} s: {len(in_time) / length:.2f} req/s achieved of {args.rate:g} "
          f"asked ({load.scheduled} actions scheduled); load average at the end {fmt_load(load_at_end)}")
    print("latency in ms from the moment each request was due (a late client thread's wait included), and in "
          "brackets from the moment it was sent:")
    print(f"{'kind':<34} {'requests':>8} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7}   {'(p50':>6} {'p95':>6} "
          f"{'p99)':>6}  statuses")
    for kind in sorted({s.kind for s in samples}):
        mine = [s for s in samples if s.kind == kind]
        statuses: dict[int, int] = {}
        for s in mine:
            statuses[s.status] = statuses.get(s.status, 0) + 1
        times, served = [s.seconds for s in mine], [s.service for s in mine]
        print(f"{kind:<34} {len(mine):>8} {ms(percentile(times, 50)):>7} {ms(percentile(times, 95)):>7} "
              f"{ms(percentile(times, 99)):>7} {ms(max(times)):>7}   ({ms(percentile(served, 50)):>5} "
              f"{ms(percentile(served, 95)):>6} {ms(percentile(served, 99)):>6})  {dict(sorted(statuses.items()))}")
    served = [s.service for s in samples]
    print(f"{'all':<34} {len(samples):>8} {ms(percentile(latencies, 50)):>7} {ms(percentile(latencies, 95)):>7} "
          f"{ms(percentile(latencies, 99)):>7} {ms(max(latencies, default=0)):>7}   ({ms(percentile(served, 50)):>5} "
          f"{ms(percentile(served, 95)):>6} {ms(percentile(served, 99)):>6})")

    # The client: did it keep the clock?
    late = sorted(load.late)
    behind = sum(1 for x in late if x > 1.0)
    print(f"\nclient: actions started late by p50 {ms(percentile(late, 50))} ms, p99 {ms(percentile(late, 99))} ms, "
          f"max {ms(max(late, default=0))} ms; {behind} of {len(late)} more than 1 s late; the load generator "
          f"used {load.cpu / wall:.0%} of a CPU")
    if len(late) < load.scheduled:
        print(f"  {load.scheduled - len(late)} of the {load.scheduled} actions scheduled were never started: the "
              f"clients were that far behind when the time was up")
    if behind > 0.01 * max(len(late), 1) or len(late) < load.scheduled:
        failures.append(f"the client could not keep the rate: {behind} actions started more than 1 s late "
                        "(all client threads busy: the servers were too slow, or use more --clients)")

    # Errors, every one.
    bad = [s for s in samples if s.failed]
    groups: dict[tuple[str, int], list[Sample]] = {}
    for s in bad:
        groups.setdefault((s.kind, s.status), []).append(s)
    print(f"errors: {len(bad)} ({sum(1 for s in bad if s.status >= 500)} 5xx, "
          f"{sum(1 for s in bad if s.status == 0)} without a response)")
    for (kind, status), found in sorted(groups.items()):
        print(f"  {len(found)} × {status or 'no response'} on {kind}, e.g. at {found[0].at:.0f} s {found[0].path}: "
              f"{found[0].detail[:200]!r}")
        for s in found[1:20]:
            print(f"      at {s.at:.0f} s {s.path}")
    if bad:
        failures.append(f"{len(bad)} requests failed")
    for s in script_errors:
        print(f"  the script itself at {s.at:.0f} s, {s.kind}: {s.detail[:300]}")
    if script_errors:
        failures.append(f"{len(script_errors)} actions broke in the script")

    # The cases acknowledged, still there; the worker kept up.
    stored = set(Case.objects.filter(reference__in=load.filed).values_list("reference", flat=True))
    pools = {name: len(refs) for name, refs in load.pools.items()}
    print(f"cases: {len(load.filed)} filed and acknowledged, {len(stored)} of them in the database; where the load "
          f"left them: {pools}")
    if len(stored) != len(set(load.filed)):
        failures.append(f"{len(set(load.filed)) - len(stored)} acknowledged cases are missing")
    print(f"background: tasks by status {drained['tasks']} ({drained['seconds']:.0f} s to drain after the load); "
          f"tick: {len(ticks.runs)} runs, exit statuses {sorted({code for code, _s in ticks.runs})}")
    if set(drained["tasks"]) - {"SUCCESSFUL"}:
        failures.append(f"background tasks not finished or failed: {drained['tasks']} {drained['failed_tasks']}")
    if any(code for code, _s in ticks.runs):
        failures.append("a tick failed")
        print("  the tick's log ends with:\n    " + "\n    ".join(
            ticks.log.read_text(errors="replace").splitlines()[-25:]))
    connections.close_all()

    # Memory.
    warm_up = args.warm_up if args.warm_up is not None else min(120.0, length / 5)
    print(f"\nmemory (RSS, MB; slope by least squares after {warm_up:.0f} s of warm-up, sampled every "
          f"{args.sample_seconds:g} s):")
    print(f"  {'process':<28} {'pid':>7} {'from':>6} {'to':>6} {'start':>7} {'end':>7} {'max':>7} {'MB/min':>7} "
          f"{'(minima)':>8}")
    slopes, floors = [], []
    for (label, pid), points in sorted(memory.series.items(), key=lambda item: (item[0][0], item[1][0][0])):
        after = [(t, m) for t, m in points if t >= warm_up]
        slope, floor = slope_per_minute(after), slope_per_minute(baseline(after))
        if slope is not None and label.startswith("app") and label.endswith("worker"):
            slopes.append(slope)
            if floor is not None:
                floors.append(floor)
        print(f"  {label:<28} {pid:>7} {points[0][0]:>5.0f}s {points[-1][0]:>5.0f}s {points[0][1]:>7.1f} "
              f"{points[-1][1]:>7.1f} {max(m for _t, m in points):>7.1f} "
              f"{'-' if slope is None else f'{slope:+.2f}':>7} {'-' if floor is None else f'({floor:+.2f})':>8}")
    print("  MB/min: the slope of every sample; (minima): of each minute's lowest sample, spikes left out")
    workers_seen = sum(1 for (label, _pid) in memory.series if label.endswith(" worker") and label.startswith("app"))
    print(f"  {workers_seen} app server workers seen (2 servers × {args.workers}; more means some were replaced: "
          f"max_requests, or a crash — see the app servers' logs)")

    summary = (f"SUMMARY: {len(samples)} requests, {len(bad)} errors, {len(in_time) / length:.2f} req/s of "
               f"{args.rate:g}, p50 {ms(percentile(latencies, 50))} ms, p95 {ms(percentile(latencies, 95))} ms, "
               f"p99 {ms(percentile(latencies, 99))} ms, worker memory slope max "
               f"{max(slopes, default=float('nan')):+.2f} MB/min (of the minima "
               f"{max(floors, default=float('nan')):+.2f}), {'PASSED' if not failures else 'FAILED'}")
    for failure in failures:
        print("  ✗", failure)
    print(summary)
    return failures


if __name__ == "__main__":
    sys.exit(main())
