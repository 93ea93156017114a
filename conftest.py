"""Test set-up shared by every app.

- The suite runs on the engine DATABASE_URL names (SQLite by default). Tests marked
  `postgresql` or `sqlite` run only on that engine; on the other they are deselected and the
  header says so.
- Browser tests need /usr/bin/chromium; without it they are skipped with the reason printed.
- KETNOI_NO_SKIP=1 (set by .ci/run) turns any skipped test into a failure of the run.
"""

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run"]


def _engine() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"


def pytest_report_header(config):
    lines = [f"ketnoi: database engine {_engine()}"]
    if not shutil.which(CHROMIUM):
        lines.append(f"ketnoi: browser tests will be SKIPPED: {CHROMIUM} not found (apt-get install chromium)")
    if _engine() != "postgresql":
        lines.append("ketnoi: PostgreSQL-only tests deselected: DATABASE_URL does not point at PostgreSQL")
    return lines


def pytest_collection_modifyitems(config, items):
    engine = _engine()
    other = "sqlite" if engine == "postgresql" else "postgresql"
    keep, drop = [], []
    for item in items:
        (drop if item.get_closest_marker(other) else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


_skipped: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("KETNOI_NO_SKIP") == "1" and _skipped:
        print(f"\nKETNOI_NO_SKIP=1 and {len(_skipped)} test(s) were skipped: failing the run.")
        session.exitstatus = 1


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _mail_and_files(settings, tmp_path):
    # Static files are served from the source folders, without `collectstatic`.
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # E-mails leave the outbox when the transaction that wrote them commits (`with commit():`),
    # through the worker's own code, instead of waiting for a worker.
    settings.KETNOI_EMAIL_SEND_ON_COMMIT = True
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """`with commit():` runs what the services send after their transaction commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (no browser download); skipped, with the reason
    printed, where it is not installed."""
    if not shutil.which(CHROMIUM):
        pytest.skip(f"{CHROMIUM} not found: apt-get install chromium to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def screenshots(settings):
    """Where browser tests leave pictures for people to look at: var/screenshots/."""
    path = Path(settings.VAR_DIR) / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
