"""`ketnoi check --deploy` is clean with production settings (HTTPS base URL, a real secret)."""

import os
import secrets
import subprocess
import sys


def run_check(tmp_path, **env):
    environment = {**os.environ, "KETNOI_VAR_DIR": str(tmp_path), **env}
    for name in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"):
        environment.pop(name, None)  # set for the test run, not part of a deployment
    return subprocess.run(
        [sys.executable, "-m", "ketnoi", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment, capture_output=True, text=True, timeout=120,
    )


def test_it_is_clean_with_production_settings(tmp_path):
    result = run_check(tmp_path, DEBUG="0", SECRET_KEY=secrets.token_urlsafe(64),
                       KETNOI_BASE_URL="https://ketnoi.haiquan.example.vn")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "no issues" in result.stdout


def test_it_warns_when_served_over_plain_http_with_debug(tmp_path):
    result = run_check(tmp_path, DEBUG="1", SECRET_KEY=secrets.token_urlsafe(64),
                       KETNOI_BASE_URL="http://127.0.0.1:8000")
    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr  # DEBUG on in deployment
