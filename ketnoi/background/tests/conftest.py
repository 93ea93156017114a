"""Kinds of job of the tests' own (a renderer that reports its progress, one whose database is
busy for a while, one with a bug), registered like the real ones, and the worker run in this
process on the real queue table (django-tasks-db's Worker in batch mode)."""

import pytest
from django.db import OperationalError

from ketnoi.accounts.models import Role
from ketnoi.background.kinds import Kind, Output, register
from ketnoi.background.models import Job
from ketnoi.background.worker import run_queued
from ketnoi.testing import make_user

RENDER, FLAKY, BUG = "test.render", "test.flaky", "test.bug"
STEPS = ["Số liệu vướng mắc", "Đối thoại doanh nghiệp", "Công tác Đảng"]

# What the renderer saw of its own job while it ran: (progress_done, progress_total, step).
seen_progress: list[tuple[int, int, str]] = []
flaky_calls: list[int] = []


def _anyone_logged_in(p):
    return p.is_authenticated


def _clean(params):
    return {key: value for key, value in params.items() if key in {"title", "fail_times"}}


def _render(params, progress):
    for done, label in enumerate(STEPS):
        progress(done, len(STEPS), label)
        job = Job.objects.get(state=Job.State.RUNNING)
        seen_progress.append((job.progress_done, job.progress_total, job.step))
    progress(len(STEPS), len(STEPS), "Hoàn tất")
    text = f"{params.get('title', 'Báo cáo')}: 1.234 vướng mắc đã tiếp nhận"
    return Output(content=text.encode(), filename="bao-cao-thu.txt", content_type="text/plain; charset=utf-8")


def _flaky(params, progress):
    # The database is locked for the first `fail_times` calls (another writer holds it).
    flaky_calls.append(1)
    progress(1, 2, "Đọc số liệu")
    if len(flaky_calls) <= params.get("fail_times", 0):
        raise OperationalError("database is locked")
    return Output(content=b"xong", filename="xong.txt", content_type="text/plain")


def _bug(params, progress):
    progress(1, 3, "Tổng hợp số liệu")
    raise ValueError("Bảng số liệu năm 2020 thiếu cột 'đã giải quyết'")


register(Kind(name=RENDER, label="Báo cáo thử", run=_render, clean=_clean, may_request=_anyone_logged_in))
register(Kind(name=FLAKY, label="Báo cáo thử (cơ sở dữ liệu bận)", run=_flaky, clean=_clean,
              may_request=_anyone_logged_in))
register(Kind(name=BUG, label="Báo cáo thử (có lỗi)", run=_bug, clean=_clean, may_request=_anyone_logged_in))


@pytest.fixture(autouse=True)
def _fresh_records():
    seen_progress.clear()
    flaky_calls.clear()


@pytest.fixture
def worker():
    """Run what is due in the queue, here and now, with the package's own worker code."""
    return run_queued


@pytest.fixture
def coordinator():
    return make_user(Role.COORDINATOR, full_name="Võ Thị Mai")


@pytest.fixture
def someone_else():
    return make_user(Role.COORDINATOR, full_name="Trần Quốc Bảo")


@pytest.fixture
def administrator():
    return make_user(Role.ADMIN, full_name="Lê Minh Quân")
