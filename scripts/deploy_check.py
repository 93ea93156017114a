"""End-to-end check of a deployment (issue 11, item 5): ketnoi run as production runs it, on
loopback, under a bounded mixed load, with one app server restarted in the middle.

    .venv/bin/python scripts/deploy_check.py [--seconds 40] [--concurrency 6] [--cases 300] [--keep]

1. A throw-away PostgreSQL cluster (bench/cases.py's, started as .ci/run starts one) and a
   temporary KETNOI_VAR_DIR; `ketnoi migrate`, `collectstatic`, `ketnoi demo --cases 0` (the
   department and its logins) and the demo's cases and Q&A (see `prepare`).
2. Two gunicorn app servers with deploy/gunicorn.conf.py on two ports of 127.0.0.1; nginx in
   the foreground in front of them, its server block made of the production snippet
   deploy/nginx/ketnoi-app.conf (static folder moved to the run's) and the upstream block of
   deploy/nginx/ketnoi.conf (ports moved), on plain HTTP; `ketnoi worker`; `ketnoi tick` every
   few seconds, as the systemd timer runs it every minute.
3. Through nginx, client threads for a bounded time: public pages, Q&A searches, static files,
   an officer's login and queue page, cases filed through the API with a token, year-end reviews
   asked for by the coordinator (background jobs). At a third of the time one app server gets
   SIGTERM (as `systemctl restart` sends it) and is started again once it has stopped.
4. Checks: no 5xx, no connection error, no unexpected status seen by a client; every case the
   API acknowledged (201) is in the database and no other was filed (none twice); the worker
   finished every queued job and task (none left, none failed); every tick succeeded; both app
   servers answered, and the restarted one again after its restart; `ketnoi doctor` passes.
   Prints requests/s and p50/p95/p99 and the counts checked; exits 1 on any failure.
"""

import argparse
import http.client
import json
import os
import pwd
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
sys.path.insert(0, str(ROOT))

from bench.cases import PostgresCluster, free_port, submission_body  # noqa: E402

PASSWORD = "kiem-tra-Trien-khai-2021"
# The static folder in the production snippet, replaced by the run's.
PRODUCTION_STATIC = "/var/lib/ketnoi/static/"
# The app servers' addresses in the production upstream block, replaced by the run's ports.
PRODUCTION_APP_SERVERS = ("127.0.0.1:8001", "127.0.0.1:8002")
SEARCHES = ["hoàn thuế", "hoan thue", "mã HS linh kiện", "thủ tục hải quan", "kiểm tra chuyên ngành",
            "gia công xuất khẩu", "C/O mẫu D", "tạm nhập tái xuất", "thuế giá trị gia tăng", "kho ngoại quan"]
YEAR_END_YEAR = 2020  # the demo's year
TICK_EVERY = 15.0  # seconds between two ticks (the systemd timer: 60)
# What systemd does for a socket-activated service: the socket as file descriptor 3, LISTEN_FDS=1
# and LISTEN_PID=the service's own pid (kept by exec), then the service's command.
SOCKET_ACTIVATION = ("import os, sys; os.dup2(int(sys.argv[1]), 3); "
                     "os.environ.update(LISTEN_FDS='1', LISTEN_PID=str(os.getpid())); "
                     "os.execv(sys.executable, [sys.executable, *sys.argv[2:]])")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=40, help="length of the load")
    parser.add_argument("--concurrency", type=int, default=6, help="client threads")
    parser.add_argument("--cases", type=int, default=300, help="cases of the demo's year")
    parser.add_argument("--drain-seconds", type=float, default=120,
                        help="how long the worker may take to finish the queue after the load")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, database files)")
    args = parser.parse_args()

    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="ketnoi-deploy-check-"))
    workdir.chmod(0o755)  # nginx's workers (www-data when run as root) read the static files in it
    processes: list[Process] = []
    cluster = None
    try:
        cluster = PostgresCluster()
        database_url = cluster.start()
        nginx_port, ports = free_port(), (free_port(), free_port())
        env = {**os.environ, "KETNOI_VAR_DIR": str(workdir / "var"), "DATABASE_URL": database_url, "DEBUG": "0",
               "SECRET_KEY": secrets.token_urlsafe(40), "KETNOI_BASE_URL": f"http://127.0.0.1:{nginx_port}",
               "KETNOI_DEMO_PASSWORD": PASSWORD, "KETNOI_WORKERS": "2", "KETNOI_LOG_FORMAT": "json",
               # A transient failure is tried again within the run, not half a minute later.
               "KETNOI_JOB_RETRY_SECONDS": "2", "KETNOI_EMAIL_RETRY_SECONDS": "2",
               # The load signs the demo officer in again and again, faster than an authenticator
               # gives new codes (each is accepted once): the second factor is the test suite's
               # to check (ketnoi/accounts/tests), and bench/load.py signs in with codes.
               "KETNOI_STAFF_2FA": "off",
               "PYTHONUNBUFFERED": "1"}
        os.environ.update(env)
        print(f"ketnoi deploy check — {datetime.now():%Y-%m-%d %H:%M} — {os.cpu_count()} CPU, load average "
              f"{os.getloadavg()[0]:.2f}; PostgreSQL on {database_url.rsplit('@', 1)[1]}; "
              f"nginx :{nginx_port} → app servers :{ports[0]} :{ports[1]}")
        prepare(env, args.cases, workdir)
        fixture = people()
        set_up = time.monotonic() - started

        servers = [AppServer(port, workdir, env) for port in ports]
        worker = Process("worker", [ketnoi(), "worker", "--no-reload", "--interval", "1", "-v", "1"], workdir, env)
        nginx = Nginx(nginx_port, ports, workdir)
        processes.extend([*servers, worker, nginx])
        for server in servers:
            server.start()
        worker.start()
        nginx.start()
        for server in servers:
            server.wait_ready()
        nginx.wait_ready()
        ticks = TickLoop(workdir, env)
        ticks.start()

        client = Client(nginx_port)
        failures = preflight(client, workdir)
        fixture.update(sessions(client))
        load = Load(client, fixture, args, restart=servers[0])
        load.run()
        ticks.stop()
        drained = drain(args.drain_seconds)
        doctor = run_doctor(env)
        worker.stop(timeout=90)
        nginx.stop()
        for server in servers:
            server.stop()
        failures += check(load, ticks, drained, doctor, fixture, nginx, servers[0], worker)
        print(f"\nwhole run: {time.monotonic() - started:.0f} s (setting up the database and the demo "
              f"{set_up:.0f} s; the services, the load and the checks {time.monotonic() - started - set_up:.0f} s)")
        if failures:
            print(f"\nDEPLOY CHECK FAILED ({len(failures)}):")
            for failure in failures:
                print("  ✗", failure)
            print(f"logs: {workdir}" if args.keep else "(run with --keep to keep the logs)")
            return 1
        print("\nDEPLOY CHECK PASSED")
        return 0
    finally:
        for process in reversed(processes):
            process.stop(timeout=10)
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()  # before the cluster stops
        if cluster:
            cluster.stop()
        if args.keep:
            print(f"kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def ketnoi() -> str:
    return str(Path(sys.executable).with_name("ketnoi"))


# --- setting up ---------------------------------------------------------------------------------

def prepare(env: dict, cases: int, workdir: Path) -> None:
    """What an operator runs on a new machine (docs/deploy.md), then a small department: the
    demo's organisation and logins (`ketnoi demo --cases 0`), and of the rest of the demo only
    its cases and its Q&A (its directives, prices, dialogue and party parts take two minutes of
    this machine whatever --cases says, and the load does not read them)."""
    # collectstatic as production runs it but without compressing each file (gzip and brotli of
    # some 800 files: two minutes here): the same hashed names, in the same manifest.
    (workdir / "check_settings.py").write_text(
        "from ketnoi.settings import *  # noqa: F403\n"
        "STORAGES = {**STORAGES, 'staticfiles': {'BACKEND': "  # noqa: F405
        "'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'}}  # noqa: F405\n")
    uncompressed = {**env, "DJANGO_SETTINGS_MODULE": "check_settings", "PYTHONPATH": str(workdir)}
    for argv, environment in ((["migrate", "--no-input", "-v", "0"], env),
                              (["collectstatic", "--no-input", "-v", "0"], uncompressed),
                              (["demo", "--cases", "0", "--officers", "120", "--enterprises", "200", "--no-progress"],
                               env)):
        t = time.monotonic()
        done = subprocess.run([ketnoi(), *argv], env=environment, cwd=ROOT, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"ketnoi {' '.join(argv)} failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}")
        print(f"ketnoi {' '.join(argv)}: {time.monotonic() - t:.0f} s")
    t = time.monotonic()
    os.environ["DJANGO_SETTINGS_MODULE"] = "ketnoi.settings"
    import django

    django.setup()
    from ketnoi.demo.cases import CaseBuilder
    from ketnoi.demo.knowledge import KnowledgeBuilder

    made = CaseBuilder(count=cases, seed=2020).build()
    articles = KnowledgeBuilder(seed=2020).build().articles
    print(f"the demo's cases and Q&A: {made} cases, {articles} articles: {time.monotonic() - t:.0f} s")


def people() -> dict:
    """The demo's business user with an API token, the unit it files to, published Q&A."""
    from django.db import connections

    from ketnoi.accounts import services as accounts
    from ketnoi.accounts.models import RoleAssignment
    from ketnoi.knowledge.models import Article, ArticleStatus

    role = RoleAssignment.objects.select_related("user", "enterprise__home_unit").get(user__username="business")
    _token, key = accounts.token_create(user=role.user, name="deploy check")
    articles = list(Article.objects.filter(status=ArticleStatus.PUBLISHED).values_list("pk", flat=True)[:50])
    connections.close_all()
    if not articles:
        raise SystemExit("the demo published no Q&A article")
    return {"token": key, "unit_code": role.enterprise.home_unit.code, "business_id": role.user_id,
            "articles": articles}


# --- the processes ------------------------------------------------------------------------------

class Process:
    def __init__(self, name: str, argv: list[str], workdir: Path, env: dict):
        self.name, self.argv, self.env = name, argv, env
        self.log = workdir / f"{name}.log"
        self.popen: subprocess.Popen | None = None
        self.pass_fds: tuple[int, ...] = ()

    def start(self) -> None:
        # A session of its own: a Ctrl+C in the terminal reaches this script only, which stops them.
        self.popen = subprocess.Popen(self.argv, stdout=open(self.log, "a"), stderr=subprocess.STDOUT, env=self.env,
                                      cwd=ROOT, start_new_session=True, pass_fds=self.pass_fds)

    def stop(self, timeout: float = 30, sig: int = signal.SIGTERM) -> int | None:
        if self.popen is None:
            return None
        if self.popen.poll() is None:
            self.popen.send_signal(sig)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        return self.popen.returncode

    def tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


class AppServer(Process):
    """gunicorn as deploy/systemd/ketnoi-web@.service runs it: on a listening socket that is not
    its own but passed to it (LISTEN_FDS), as ketnoi-web@.socket does, so that the socket stays
    open while gunicorn restarts."""

    def __init__(self, port: int, workdir: Path, env: dict):
        self.socket = socket.create_server(("127.0.0.1", port), backlog=2048)
        fd = self.socket.fileno()
        super().__init__(f"web-{port}", [sys.executable, "-c", SOCKET_ACTIVATION, str(fd), "-m", "gunicorn",
                                         "--config", str(DEPLOY / "gunicorn.conf.py"), "ketnoi.wsgi:application"],
                         workdir, env)
        self.pass_fds = (fd,)
        self.port = port
        self.address = f"127.0.0.1:{port}"

    def wait_ready(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise SystemExit(f"app server :{self.port} exited ({self.popen.returncode}):\n{self.tail()}")
            try:
                if Client(self.port).get("/healthz").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"app server :{self.port} did not answer /healthz in {seconds:.0f} s:\n{self.tail()}")


class Nginx(Process):
    """nginx in the foreground, with the production snippet on a loopback port (plain HTTP)."""

    def __init__(self, port: int, app_ports: tuple[int, int], workdir: Path):
        # A third app server that is down for the whole run (nothing listens on its port, as on a
        # machine that is off): nginx must pass what it sends there to the others.
        self.down = f"127.0.0.1:{free_port()}"
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(binary).exists():
            raise SystemExit("nginx is not installed (apt-get install nginx)")
        self.folder = workdir / "nginx"
        self.access_log = self.folder / "access.log"
        self.error_log = self.folder / "error.log"
        conf = self.configure(port, app_ports, workdir)
        super().__init__("nginx", [binary, "-c", str(conf), "-e", str(self.error_log)], workdir, {})
        self.port = port

    def configure(self, port: int, app_ports: tuple[int, int], workdir: Path) -> Path:
        self.folder.mkdir()
        for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.folder / name).mkdir()
        snippet = (DEPLOY / "nginx" / "ketnoi-app.conf").read_text()
        if snippet.count(PRODUCTION_STATIC) != 1:
            raise SystemExit(f"deploy/nginx/ketnoi-app.conf must name {PRODUCTION_STATIC} once (the static folder)")
        (self.folder / "ketnoi-app.conf").write_text(snippet.replace(PRODUCTION_STATIC, f"{workdir / 'var' / 'static'}/"))
        site = (DEPLOY / "nginx" / "ketnoi.conf").read_text()
        found = re.search(r"^upstream ketnoi_app \{.*?^\}", site, re.M | re.S)
        if not found or not all(address in found.group(0) for address in PRODUCTION_APP_SERVERS):
            raise SystemExit(f"deploy/nginx/ketnoi.conf must have an upstream ketnoi_app with {PRODUCTION_APP_SERVERS}")
        upstream = found.group(0)
        for production, port_ in zip(PRODUCTION_APP_SERVERS, app_ports):
            upstream = upstream.replace(production, f"127.0.0.1:{port_}")
        lines = upstream.splitlines()
        last = max(i for i, line in enumerate(lines) if f"127.0.0.1:{app_ports[1]}" in line)
        lines.insert(last + 1, lines[last].replace(f"127.0.0.1:{app_ports[1]}", self.down))
        upstream = "\n".join(lines)
        user = ""
        if os.geteuid() == 0:
            # As the Debian package runs it: the master as root, the workers as www-data.
            name = "www-data" if _user_exists("www-data") else "nobody"
            user = f"user {name};"
            for path in self.folder.iterdir():
                shutil.chown(path, name)
        f = self.folder
        conf = f / "nginx.conf"
        conf.write_text(f"""# Generated by scripts/deploy_check.py
daemon off;
worker_processes 2;
pid {f}/nginx.pid;
error_log {f}/error.log warn;
{user}
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path {f}/body;
    proxy_temp_path {f}/proxy;
    fastcgi_temp_path {f}/fastcgi;
    uwsgi_temp_path {f}/uwsgi;
    scgi_temp_path {f}/scgi;
    log_format check '$msec $status "$request_method $uri" upstream=$upstream_addr upstream_status=$upstream_status $request_time';
    access_log {f}/access.log check;

{upstream}

    server {{
        listen 127.0.0.1:{port};
        server_name _;
        include {f}/ketnoi-app.conf;
    }}
}}
""")
        return conf

    def wait_ready(self, seconds: float = 15) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise SystemExit(f"nginx exited ({self.popen.returncode}):\n{self.tail()}\n"
                                 f"{self.error_log.read_text(errors='replace') if self.error_log.exists() else ''}")
            try:
                if Client(self.port).get("/healthz").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit("nginx did not answer")

    def stop(self, timeout: float = 30, sig: int = signal.SIGQUIT) -> int | None:
        return super().stop(timeout, sig)  # SIGQUIT: nginx's graceful shutdown

    def upstream_lines(self) -> list[tuple[float, str, list[str], float]]:
        """(when it ended, method, the app servers tried in order, seconds) of each request nginx
        passed on."""
        lines = []
        pattern = re.compile(r'^(\d+\.\d+) \d{3} "(\S+) .*" upstream=(.*) upstream_status=.* (\d+\.\d+)$')
        for line in self.access_log.read_text(errors="replace").splitlines():
            found = pattern.match(line)
            if found and found.group(3) != "-":
                lines.append((float(found.group(1)), found.group(2), found.group(3).split(", "),
                              float(found.group(4))))
        return lines


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


class TickLoop:
    """`ketnoi tick` every TICK_EVERY seconds, as ketnoi-tick.timer runs it every minute."""

    def __init__(self, workdir: Path, env: dict):
        self.log, self.env = workdir / "tick.log", env
        self.runs: list[tuple[int, float]] = []  # (exit status, seconds)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            t = time.monotonic()
            with open(self.log, "a") as log:
                code = subprocess.run([ketnoi(), "tick"], env=self.env, cwd=ROOT, stdout=log,
                                      stderr=subprocess.STDOUT).returncode
            self.runs.append((code, time.monotonic() - t))
            self._stop.wait(max(0.0, TICK_EVERY - (time.monotonic() - t)))

    def stop(self) -> None:
        """After the tick that is running, if one is."""
        self._stop.set()
        self._thread.join()


# --- the client ---------------------------------------------------------------------------------

@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    seconds: float

    def header(self, name: str) -> str | None:
        return next((value for key, value in self.headers if key.lower() == name.lower()), None)

    def cookies(self) -> dict[str, str]:
        jar = SimpleCookie()
        for key, value in self.headers:
            if key.lower() == "set-cookie":
                jar.load(value)
        return {name: morsel.value for name, morsel in jar.items()}


class Client:
    """One new connection per request (a browser's first), through nginx or to an app server."""

    def __init__(self, port: int):
        self.port = port

    def request(self, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None,
                cookies: dict | None = None) -> Response:
        headers = {"Accept-Language": "vi", "User-Agent": "ketnoi-deploy-check", **(headers or {})}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=90)
        t = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            return Response(response.status, response.getheaders(), data, time.perf_counter() - t)
        finally:
            connection.close()

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def login(self, username: str) -> tuple[dict, list[Response]]:
        """The login page, then the form sent: the session's cookies and the two responses."""
        page = self.get("/accounts/login/")
        cookies = page.cookies()
        token = csrf_token(page.body)
        sent = self.request("POST", "/accounts/login/", cookies=cookies,
                            headers={"Content-Type": "application/x-www-form-urlencoded"},
                            body=urlencode({"csrfmiddlewaretoken": token, "username": username,
                                            "password": PASSWORD}).encode())
        cookies.update(sent.cookies())
        return cookies, [page, sent]


def csrf_token(html: bytes) -> str:
    found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return found.group(1).decode() if found else ""


def preflight(client: Client, workdir: Path) -> list[str]:
    """What nginx itself does: a hashed static file from disk with a year's cache, an upload over
    the limit refused before it reaches an app server."""
    failures = []
    manifest = json.loads((workdir / "var" / "static" / "staticfiles.json").read_text())["paths"]
    hashed = next(name for original, name in sorted(manifest.items()) if original.endswith(".css"))
    static = client.get(f"/static/{hashed}", headers={"Accept-Encoding": "gzip"})
    cache = static.header("Cache-Control") or ""
    print(f"static /static/{hashed}: {static.status}, Cache-Control: {cache}, "
          f"Content-Encoding: {static.header('Content-Encoding') or '-'}")
    if static.status != 200 or "immutable" not in cache:
        failures.append(f"the hashed static file /static/{hashed} came with {static.status}, Cache-Control {cache!r}")
    connection = http.client.HTTPConnection("127.0.0.1", client.port, timeout=30)
    try:
        connection.putrequest("POST", "/accounts/login/")
        connection.putheader("Content-Type", "multipart/form-data; boundary=x")
        connection.putheader("Content-Length", str(30 * 1024 * 1024))
        connection.endheaders()
        too_big = connection.getresponse().status
    finally:
        connection.close()
    print(f"a 30 MB POST to /accounts/login/: {too_big} from nginx")
    if too_big != 413:
        failures.append(f"a 30 MB upload to /accounts/login/ got {too_big}, not 413 from nginx")
    return failures


def sessions(client: Client) -> dict:
    """The officer and the coordinator signed in through nginx, as a browser would be."""
    found = {}
    for username in ("officer", "coordinator"):
        cookies, (page, sent) = client.login(username)
        if sent.status != 302 or "sessionid" not in cookies:
            raise SystemExit(f"{username} could not sign in through nginx: {page.status}, {sent.status}")
        found[username] = cookies
    return found


# --- the load -----------------------------------------------------------------------------------

@dataclass
class Sample:
    name: str
    at: float  # seconds since the load began
    status: int  # 0: no response (connection refused, reset, timed out)
    seconds: float
    expected: tuple[int, ...]
    detail: str = ""

    @property
    def failed(self) -> bool:
        return self.status not in self.expected


@dataclass
class Restart:
    at: float = 0.0  # seconds since the load began
    stopped_in: float = 0.0
    started_in: float = 0.0
    exit_status: int | None = None
    back_at_epoch: float = 0.0
    error: str = ""


class Load:
    """Client threads, each picking what to do next by weight, for `seconds`; one thread asks for
    the year-end reviews; one restarts an app server at a third of the time."""

    ACTIONS = (("home", 3), ("qa_search", 4), ("qa_article", 2), ("dialogue", 1), ("prices", 1), ("static", 2),
               ("queue", 3), ("login", 1), ("submit", 3))

    def __init__(self, client: Client, fixture: dict, args, restart: AppServer):
        self.client, self.fixture, self.args, self.server = client, fixture, args, restart
        self.samples: list[Sample] = []
        self.references: list[str] = []
        self.jobs: list[int] = []
        self.restart = Restart()
        self.lock = threading.Lock()
        self.counter = 0
        # The clients go on until this moment, and at least a few seconds after the restarted app
        # server is back (on a busy machine gunicorn may take 20 s to start).
        self.stop_at = 0.0
        self.restarted = threading.Event()
        self.started = 0.0
        self.started_epoch = 0.0
        self.ended = 0.0
        manifest = json.loads((Path(os.environ["KETNOI_VAR_DIR"]) / "static" / "staticfiles.json").read_text())
        self.static = [f"/static/{name}" for original, name in manifest["paths"].items()
                       if original.endswith((".css", ".js", ".svg"))]

    def run(self) -> None:
        print(f"\nload: {self.args.concurrency} clients for {self.args.seconds:.0f} s through nginx; app server "
              f":{self.server.port} restarted at {self.args.seconds / 3:.0f} s")
        self.started, self.started_epoch = time.monotonic(), time.time()
        self.stop_at = self.started + self.args.seconds
        threads = [threading.Thread(target=self.client_loop, args=(n,)) for n in range(self.args.concurrency)]
        threads.append(threading.Thread(target=self.year_end_loop))
        threads.append(threading.Thread(target=self.restart_one, args=(self.started + self.args.seconds / 3,)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.ended = time.monotonic()

    def record(self, name: str, expected: tuple[int, ...], call) -> Response | None:
        at = time.monotonic() - self.started
        t = time.perf_counter()
        try:
            response = call()
        except (OSError, http.client.HTTPException) as error:
            sample = Sample(name, at, 0, time.perf_counter() - t, expected, f"{type(error).__name__}: {error}")
            response = None
        else:
            sample = Sample(name, at, response.status, response.seconds, expected,
                            "" if response.status in expected else response.body[:200].decode(errors="replace"))
        with self.lock:
            self.samples.append(sample)
        return response

    def going_on(self) -> bool:
        return time.monotonic() < self.stop_at or not self.restarted.is_set()

    def client_loop(self, number: int) -> None:
        rng = random.Random(number)
        names, weights = zip(*self.ACTIONS)
        c, f = self.client, self.fixture
        while self.going_on():
            action = rng.choices(names, weights)[0]
            if action == "home":
                self.record("GET /", (200,), lambda: c.get("/"))
            elif action == "qa_search":
                term = quote(rng.choice(SEARCHES))
                self.record("GET /hoi-dap/?q=", (200,), lambda: c.get(f"/hoi-dap/?q={term}"))
            elif action == "qa_article":
                pk = rng.choice(f["articles"])
                self.record("GET /hoi-dap/<id>/", (200,), lambda: c.get(f"/hoi-dap/{pk}/"))
            elif action == "dialogue":
                self.record("GET /doi-thoai/", (200,), lambda: c.get("/doi-thoai/"))
            elif action == "prices":
                self.record("GET /gia-dich-vu/", (200,), lambda: c.get("/gia-dich-vu/"))
            elif action == "static":
                path = rng.choice(self.static)
                self.record("GET /static/", (200,), lambda: c.get(path))
            elif action == "queue":
                self.record("GET /cases/queue/", (200,), lambda: c.get("/cases/queue/", cookies=f["officer"]))
            elif action == "login":
                self.sign_in_and_queue()
            elif action == "submit":
                self.submit()

    def sign_in_and_queue(self) -> None:
        c = self.client
        page = self.record("GET /accounts/login/", (200,), lambda: c.get("/accounts/login/"))
        if page is None or page.status != 200:
            return
        cookies = page.cookies()
        body = urlencode({"csrfmiddlewaretoken": csrf_token(page.body), "username": "officer",
                          "password": PASSWORD}).encode()
        sent = self.record("POST /accounts/login/", (302,), lambda: c.request(
            "POST", "/accounts/login/", body=body, cookies=cookies,
            headers={"Content-Type": "application/x-www-form-urlencoded"}))
        if sent is None or sent.status != 302:
            return
        cookies.update(sent.cookies())
        self.record("GET /cases/queue/", (200,), lambda: c.get("/cases/queue/", cookies=cookies))

    def submit(self) -> None:
        with self.lock:
            self.counter += 1
            n = self.counter
        body = submission_body(self.fixture, n).encode()
        response = self.record("POST /api/v1/cases", (201,), lambda: self.client.request(
            "POST", "/api/v1/cases", body=body,
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.fixture['token']}"}))
        if response is not None and response.status == 201:
            with self.lock:
                self.references.append(json.loads(response.body)["reference"])

    def year_end_loop(self) -> None:
        """The coordinator asks for the year-end review (DOCX, then PDF) at a tenth and at two
        thirds of the time, then follows each job's page."""
        c, cookies = self.client, self.fixture["coordinator"]
        for fraction, fmt in ((0.1, "docx"), (0.67, "pdf")):
            wait = self.started + self.args.seconds * fraction - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            form = self.record("GET /tac-vu/tong-ket/", (200,), lambda: c.get("/tac-vu/tong-ket/", cookies=cookies))
            if form is None or form.status != 200:
                continue
            cookies = {**cookies, **form.cookies()}
            body = urlencode({"csrfmiddlewaretoken": csrf_token(form.body), "year": YEAR_END_YEAR,
                              "fmt": fmt}).encode()
            sent = self.record("POST /tac-vu/tong-ket/", (302,), lambda: c.request(
                "POST", "/tac-vu/tong-ket/", body=body, cookies=cookies,
                headers={"Content-Type": "application/x-www-form-urlencoded"}))
            found = re.search(r"/tac-vu/(\d+)/", (sent.header("Location") or "") if sent else "")
            if found:
                with self.lock:
                    self.jobs.append(int(found.group(1)))
                self.record("GET /tac-vu/<id>/", (200,), lambda: c.get(found.group(0), cookies=cookies))

    def restart_one(self, at: float) -> None:
        """SIGTERM, as `systemctl restart ketnoi-web@…` sends it; started again once it stopped."""
        time.sleep(max(0.0, at - time.monotonic()))
        r = self.restart
        r.at = time.monotonic() - self.started
        try:
            t = time.monotonic()
            r.exit_status = self.server.stop(timeout=45)
            r.stopped_in = time.monotonic() - t
            t = time.monotonic()
            self.server.start()
            self.server.wait_ready()
            r.started_in = time.monotonic() - t
            r.back_at_epoch = time.time()
        except (SystemExit, OSError) as error:
            r.error = str(error)
        finally:
            self.stop_at = max(self.stop_at, time.monotonic() + 5)
            self.restarted.set()


# --- after the load -----------------------------------------------------------------------------

def drain(seconds: float) -> dict:
    """Waits until the worker has no task left to run (or `seconds` passed); what the queue holds then."""
    from django.db import connections
    from django.db.models import Count
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from ketnoi.background.models import Job

    t = time.monotonic()
    deadline = t + seconds
    while True:
        waiting = DBTaskResult.objects.filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]).count()
        if not waiting or time.monotonic() > deadline:
            break
        time.sleep(1)
    found = {
        "seconds": time.monotonic() - t,
        "tasks": dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")),
        "failed_tasks": list(DBTaskResult.objects.filter(status=TaskResultStatus.FAILED)
                             .values_list("task_path", "exception_class_path")[:5]),
        "jobs": dict(Job.objects.values_list("state").annotate(n=Count("id")).values_list("state", "n")),
    }
    connections.close_all()
    return found


def run_doctor(env: dict) -> tuple[int, str]:
    done = subprocess.run([ketnoi(), "doctor"], env=env, cwd=ROOT, capture_output=True, text=True)
    return done.returncode, (done.stdout + done.stderr).strip()


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def check(load: Load, ticks: TickLoop, drained: dict, doctor: tuple[int, str], fixture: dict, nginx: Nginx,
          restarted: AppServer, worker: Process) -> list[str]:
    from django.db import connections

    from ketnoi.background.models import Job
    from ketnoi.cases.models import Case

    failures = []
    wall = load.ended - load.started
    samples = load.samples
    latencies = [s.seconds for s in samples]
    print(f"\n{len(samples)} requests in {wall:.1f} s = {len(samples) / wall:.1f} req/s through nginx   "
          f"p50 {percentile(latencies, 50) * 1000:.0f} ms  p95 {percentile(latencies, 95) * 1000:.0f} ms  "
          f"p99 {percentile(latencies, 99) * 1000:.0f} ms   load average {os.getloadavg()[0]:.2f}")
    for name in sorted({s.name for s in samples}):
        mine = [s for s in samples if s.name == name]
        statuses: dict[int, int] = {}
        for s in mine:
            statuses[s.status] = statuses.get(s.status, 0) + 1
        times = [s.seconds for s in mine]
        print(f"  {name:<26} {len(mine):>5}   p50 {percentile(times, 50) * 1000:6.0f} ms  "
              f"p95 {percentile(times, 95) * 1000:6.0f} ms  p99 {percentile(times, 99) * 1000:6.0f} ms   "
              f"status {dict(sorted(statuses.items()))}")

    # 1. What the clients saw.
    bad = [s for s in samples if s.failed]
    server_errors = [s for s in bad if s.status >= 500]
    no_response = [s for s in bad if s.status == 0]
    print(f"\nclients: {len(bad)} unexpected responses ({len(server_errors)} 5xx, {len(no_response)} without a "
          f"response)")
    for s in bad[:8]:
        print(f"  at {s.at:5.1f} s {s.name}: {s.status or 'no response'} {s.detail[:160]!r}")
    if bad:
        failures.append(f"{len(bad)} requests failed or got an unexpected status ({len(server_errors)} 5xx, "
                        f"{len(no_response)} connection errors)")

    # 2. The restart.
    r = load.restart
    print(f"restart of :{restarted.port} at {r.at:.1f} s: stopped in {r.stopped_in:.1f} s (exit {r.exit_status}), "
          f"answering again {r.started_in:.1f} s later")
    if r.error:
        failures.append(f"the restarted app server did not come back: {r.error}")
    served = nginx.upstream_lines()
    by_server: dict[str, int] = {}
    for _end, _method, tried, _seconds in served:
        by_server[tried[-1]] = by_server.get(tried[-1], 0) + 1
    routed = [method for _end, method, tried, _seconds in served if tried[0] == nginx.down and len(tried) > 1]
    # The requests that reached the restarted app server's socket while no gunicorn served it.
    stop_epoch = load.started_epoch + r.at
    waited = [seconds for end, _method, tried, seconds in served
              if tried[-1] == restarted.address and end - seconds < r.back_at_epoch and end > stop_epoch]
    after = sum(1 for end, _method, tried, seconds in served
                if end - seconds > r.back_at_epoch and tried[-1] == restarted.address)
    print(f"nginx passed {len(served)} requests on: {by_server}")
    print(f"  the app server that is down: {len(routed)} requests passed on to another "
          f"({', '.join(f'{m} {routed.count(m)}' for m in sorted(set(routed)))})")
    print(f"  :{restarted.port} while it restarted: {len(waited)} requests waited in its socket's queue, the longest "
          f"{max(waited, default=0):.1f} s; {after} served by it after its restart")
    if len(by_server) < 2:
        failures.append(f"only {list(by_server)} served requests")
    if nginx.down in by_server:
        failures.append(f"nginx answered from the app server that is down: {by_server}")
    if not routed:
        failures.append("nginx never passed a request on from the app server that is down")
    if not after and r.back_at_epoch:
        failures.append(f"nginx sent nothing to :{restarted.port} after it came back")

    # 3. Every acknowledged case is in the database, and no other was filed.
    acknowledged = set(load.references)
    stored = set(Case.objects.filter(reference__in=acknowledged).values_list("reference", flat=True))
    filed = Case.objects.filter(filed_by_id=fixture["business_id"],
                                received_at__gte=datetime.fromtimestamp(load.started_epoch, timezone.utc)).count()
    print(f"cases: {len(acknowledged)} acknowledged (201) by the API, {len(stored)} of them in the database; "
          f"{filed} filed by the business during the load")
    if acknowledged - stored:
        failures.append(f"{len(acknowledged - stored)} acknowledged cases are not in the database: "
                        f"{sorted(acknowledged - stored)[:5]}")
    if filed != len(acknowledged):
        failures.append(f"{filed} cases were filed during the load but {len(acknowledged)} acknowledged")
    if not acknowledged:
        failures.append("no case was filed")

    # 4. The worker finished the queue.
    jobs = dict(Job.objects.filter(pk__in=load.jobs).values_list("pk", "state"))
    print(f"background: year-end jobs asked for {sorted(load.jobs)}: {jobs}; all jobs by state {drained['jobs']}; "
          f"tasks by status {drained['tasks']} ({drained['seconds']:.0f} s to drain after the load)")
    if len(load.jobs) != 2 or any(state != Job.State.DONE for state in jobs.values()) or len(jobs) != len(load.jobs):
        failures.append(f"the year-end jobs did not all finish: {jobs} of {load.jobs}")
    if set(drained["jobs"]) - {Job.State.DONE}:
        failures.append(f"jobs not done: {drained['jobs']}")
    if set(drained["tasks"]) - {"SUCCESSFUL"}:
        failures.append(f"tasks not finished or failed: {drained['tasks']} {drained['failed_tasks']}")
    stopped = worker.popen.returncode if worker.popen else None
    if stopped not in (0, -signal.SIGTERM):
        failures.append(f"the worker exited with {stopped}:\n{worker.tail()}")

    # 5. The tick.
    print(f"tick: {len(ticks.runs)} runs, exit statuses {[code for code, _s in ticks.runs]}, "
          f"{max((s for _c, s in ticks.runs), default=0):.1f} s the longest")
    if len(ticks.runs) < 2 or any(code for code, _s in ticks.runs):
        failures.append(f"the tick did not run cleanly: {ticks.runs} (see tick.log)")

    # 6. ketnoi doctor on the running deployment.
    code, output = doctor
    print("ketnoi doctor:\n  " + "\n  ".join(output.splitlines()))
    if code:
        failures.append(f"ketnoi doctor exited with {code}")
    connections.close_all()
    return failures


if __name__ == "__main__":
    sys.exit(main())
