"""The deployment files say what the code does: every setting is documented, nginx lets through
the largest upload the app accepts, the nginx site passes `nginx -t`, the containers' files parse
and name the same things, the systemd units are hardened and agree with each other.

Run by .ci/run's deployment step (outside the ketnoi package, so `make test` does not collect
it): .venv/bin/python -m pytest deploy/tests -q
scripts/deploy_check.py runs these files for real (nginx, gunicorn, the worker, the tick)."""

import configparser
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
ENV_EXAMPLE = DEPLOY / "ketnoi.env.example"
VAR_DIR = "/var/lib/ketnoi"
# A name read from the environment: os.environ.get("X"), os.environ["X"], env_bool("X"), getenv("X").
READ = re.compile(r"""(?:environ(?:\.get)?\s*[(\[]|env_\w+\(|getenv\()\s*["']([A-Z][A-Z0-9_]+)["']""")
# Read, but not a setting of a deployment.
NOT_SETTINGS = {
    "PYTEST_VERSION": "set by pytest",
    "KETNOI_DEMO_PASSWORD": "ketnoi demo's logins, for trials",
}


def names_read() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in [*(ROOT / "ketnoi").rglob("*.py"), DEPLOY / "gunicorn.conf.py"]:
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for name in READ.findall(path.read_text()):
            found.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return found


def names_documented() -> set[str]:
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", ENV_EXAMPLE.read_text(), re.M))


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd's keys are case-sensitive
    parser.read(DEPLOY / "systemd" / name)
    return parser


def megabytes(value: str) -> int:
    number, unit_ = re.fullmatch(r"(\d+)([kKmMgG]?)", value).groups()
    return int(number) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit_.lower()]


def body_limits() -> dict[str, int]:
    """client_max_body_size of the server block ("") and of each location, in bytes."""
    text = (DEPLOY / "nginx" / "ketnoi-app.conf").read_text()
    limits = {"": megabytes(re.search(r"^client_max_body_size (\S+);", text, re.M).group(1))}
    for location, block in re.findall(r"^location (\S+) \{(.*?)^\}", text, re.M | re.S):
        found = re.search(r"client_max_body_size (\S+);", block)
        if found:
            limits[location] = megabytes(found.group(1))
    return limits


# --- ketnoi.env.example ---------------------------------------------------------------------------

def test_it_documents_every_environment_variable_ketnoi_reads():
    missing = {name: files for name, files in names_read().items()
               if name not in names_documented() and name not in NOT_SETTINGS}
    assert not missing, f"add these to deploy/ketnoi.env.example: {missing}"


def test_it_documents_no_variable_that_nothing_reads():
    assert names_documented() - set(names_read()) == set()


def test_it_finds_the_names_read_in_the_settings():
    # The scanner itself, so that the two tests above cannot pass by finding nothing.
    read = names_read()
    assert {"DATABASE_URL", "SECRET_KEY", "KETNOI_BASE_URL", "EMAIL_URL", "KETNOI_VAR_DIR"} <= set(read)
    assert "ketnoi/settings.py" in read["DEBUG"]


# --- nginx ------------------------------------------------------------------------------------------

def test_it_lets_through_the_largest_case_upload_the_app_accepts():
    from ketnoi.cases.policy import case_policy

    policy = case_policy()
    largest = policy.attachments_per_upload * policy.attachment_max_bytes
    limit = body_limits()["/cases/"]
    # Room for the form's other fields and the multipart boundaries, but not ten times more.
    assert largest < limit <= largest + 10 * 1024**2


def test_it_lets_through_the_largest_directive_upload_the_app_accepts():
    from ketnoi.directives.services import ATTACHMENT_MAX_BYTES, MAX_ATTACHMENTS

    largest = MAX_ATTACHMENTS * ATTACHMENT_MAX_BYTES
    assert largest < body_limits()["/chi-dao/"] <= largest + 10 * 1024**2


def test_it_lets_through_a_signed_price_commitment_everywhere_else():
    from ketnoi.prices.services import DOCUMENT_MAX_BYTES

    assert DOCUMENT_MAX_BYTES < body_limits()[""] <= DOCUMENT_MAX_BYTES + 10 * 1024**2


def test_it_always_sets_the_headers_the_app_trusts():
    text = (DEPLOY / "nginx" / "ketnoi-app.conf").read_text()
    # Set at the server level and never again in a location: a location that set any header of
    # its own would drop these (nginx inherits proxy_set_header only when a block sets none).
    assert re.search(r"^proxy_set_header X-Forwarded-Proto \$scheme;", text, re.M)
    assert re.search(r"^proxy_set_header Host \$host;", text, re.M)
    assert re.search(r"^proxy_set_header X-Request-ID \$request_id;", text, re.M)
    assert not re.search(r"^\s+proxy_set_header", text, re.M)


def test_it_never_passes_a_post_on_to_a_second_app_server():
    text = (DEPLOY / "nginx" / "ketnoi-app.conf").read_text()
    directive = re.search(r"^proxy_next_upstream (.*);", text, re.M).group(1).split()
    assert "non_idempotent" not in directive


def test_it_passes_nginx_configuration_test_with_the_production_site(tmp_path):
    """The site and its snippet as installed (sites-available, snippets/), with a throw-away
    certificate in place of the site's."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    (tmp_path / "snippets").mkdir()
    shutil.copy(DEPLOY / "nginx" / "ketnoi-app.conf", tmp_path / "snippets" / "ketnoi-app.conf")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-days", "1", "-subj", "/CN=ketnoi.haiquan.example", "-keyout", tmp_path / "privkey.pem",
                    "-out", tmp_path / "fullchain.pem"], check=True, capture_output=True)
    site = (DEPLOY / "nginx" / "ketnoi.conf").read_text()
    assert "/etc/ketnoi/tls/" in site and "/var/log/nginx/" in site
    site = site.replace("/etc/ketnoi/tls/", f"{tmp_path}/").replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "ketnoi.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{ include /etc/nginx/mime.types; include {tmp_path}/ketnoi.conf; }}\n")
    done = subprocess.run([nginx, "-t", "-c", tmp_path / "nginx.conf", "-e", tmp_path / "error.log"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    # nginx from 1.25.1 (Debian 13) calls `listen … http2` deprecated; any other warning fails.
    warnings = [line for line in done.stderr.splitlines() if "[warn]" in line and "http2" not in line]
    assert not warnings, done.stderr


def test_it_keeps_the_containers_site_the_same_but_for_the_app_servers_and_logs():
    def kept(name):
        text = (DEPLOY / "nginx" / name).read_text()
        text = text[text.index("map $uri"):]  # after the header comment
        text = re.sub(r"^\s+server \S+ max_fails", "    server APP max_fails", text, flags=re.M)
        return [line for line in text.splitlines() if not re.match(r"\s+(access|error)_log ", line)]

    assert kept("ketnoi.conf") == kept("docker.conf")


# --- containers -------------------------------------------------------------------------------------

def compose() -> dict:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())


def test_it_describes_every_service_of_a_deployment_in_the_compose_file():
    services = compose()["services"]
    assert set(services) == {"db", "migrate", "web1", "web2", "worker", "tick", "nginx"}
    for name in ("migrate", "web1", "web2", "worker", "tick"):
        service = services[name]
        assert service["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
        assert service["env_file"] == "ketnoi.env"
        assert service["environment"]["KETNOI_VAR_DIR"] == VAR_DIR
        assert f"ketnoi-var:{VAR_DIR}" in service["volumes"]
    for name in ("web1", "web2", "worker", "tick"):
        assert services[name]["depends_on"] == {"migrate": {"condition": "service_completed_successfully"}}
    assert services["worker"]["command"][:2] == ["ketnoi", "worker"]
    assert "ketnoi tick" in services["tick"]["command"][-1]
    assert "jit=off" in services["db"]["command"]


def test_it_points_nginx_of_compose_at_its_app_servers_and_files():
    services = compose()["services"]
    site = (DEPLOY / "nginx" / "docker.conf").read_text()
    for name in ("web1", "web2"):
        command = services[name]["command"]
        port = command[command.index("--bind") + 1].rsplit(":", 1)[1]
        assert f"server {name}:{port} " in site
    volumes = services["nginx"]["volumes"]
    assert "./nginx/ketnoi-app.conf:/etc/nginx/snippets/ketnoi-app.conf:ro" in volumes
    assert f"ketnoi-var:{VAR_DIR}:ro" in volumes
    for volume in volumes:
        source = volume.split(":")[0]
        if source.startswith("./") and source != "./tls":
            assert (DEPLOY / source).exists(), source


def test_it_copies_into_the_image_what_the_settings_read_from_the_repository():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    copied = set(re.findall(r"^COPY (\S+)", dockerfile, re.M))
    assert {"ketnoi", "templates", "static", "locale", "deploy/gunicorn.conf.py"} <= copied
    for source in copied:
        assert (ROOT / source).exists(), source


# --- gunicorn and systemd ---------------------------------------------------------------------------

def test_it_serves_with_the_same_gunicorn_settings_everywhere():
    config = "deploy/gunicorn.conf.py"
    web = unit("ketnoi-web@.service")["Service"]["ExecStart"]
    assert f"--config /opt/ketnoi/{config}" in web and "--bind" not in web  # the socket comes from systemd
    for name in ("web1", "web2"):
        assert config in compose()["services"][name]["command"]
    assert config in (DEPLOY / "Dockerfile").read_text()
    assert '"gunicorn.conf.py"' in (ROOT / "scripts" / "deploy_check.py").read_text()


def test_it_gives_each_app_server_a_socket_on_the_port_of_its_name():
    socket_ = unit("ketnoi-web@.socket")
    assert socket_["Socket"]["ListenStream"] == "127.0.0.1:%i"
    web = unit("ketnoi-web@.service")["Unit"]
    assert web["Requires"] == "ketnoi-web@%i.socket"
    assert "ketnoi-web@%i.socket" in web["After"]


@pytest.mark.parametrize("name", ["ketnoi-web@.service", "ketnoi-worker.service", "ketnoi-tick.service"])
def test_it_runs_each_service_hardened_as_ketnoi_with_the_env_file(name):
    service = unit(name)["Service"]
    assert service["User"] == service["Group"] == "ketnoi"
    assert service["EnvironmentFile"] == "/etc/ketnoi/ketnoi.env"
    assert f"KETNOI_VAR_DIR={VAR_DIR}" in service["Environment"]
    assert service["ReadWritePaths"] == VAR_DIR
    for key, value in {"NoNewPrivileges": "yes", "ProtectSystem": "strict", "PrivateTmp": "yes",
                       "ProtectHome": "yes", "PrivateDevices": "yes", "CapabilityBoundingSet": ""}.items():
        assert service[key] == value, key


def test_it_ticks_every_minute_one_tick_at_a_time():
    timer = unit("ketnoi-tick.timer")["Timer"]
    assert timer["OnCalendar"] == "*-*-* *:*:00"
    # A oneshot service is "activating" until its tick ends: the timer starts no second one meanwhile.
    assert unit("ketnoi-tick.service")["Service"]["Type"] == "oneshot"


def test_it_lets_the_worker_finish_its_job_before_it_is_killed():
    from ketnoi.front.management.commands.serve import WORKER_STOP_SECONDS

    service = unit("ketnoi-worker.service")["Service"]
    assert int(service["TimeoutStopSec"]) > WORKER_STOP_SECONDS
    assert service["KillSignal"] == "SIGTERM"


def test_it_runs_an_operators_commands_as_the_services_run():
    script = (DEPLOY / "ketnoi-admin").read_text()
    service = unit("ketnoi-worker.service")["Service"]
    assert f"--property=EnvironmentFile={service['EnvironmentFile']}" in script
    assert f"--property=Environment={service['Environment']}" in script
    assert f"--uid={service['User']} --gid={service['Group']}" in script
