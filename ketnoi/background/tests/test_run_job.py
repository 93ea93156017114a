"""A job asked for is queued in django-tasks-db's table in the same transaction, and the worker
runs it: progress is recorded as it goes, the result is stored privately, the job is done."""

import pytest
from django.conf import settings
from django.utils.translation import gettext_lazy
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ketnoi.background import services
from ketnoi.background.kinds import Kind, Output, register
from ketnoi.background.models import Job

from .conftest import RENDER, STEPS, seen_progress

# The worker commits as it goes, like in production: these tests see real transactions.
pytestmark = pytest.mark.django_db(transaction=True)


def test_it_queues_the_job_and_its_task_together(coordinator):
    job = services.job_request(kind=RENDER, params={"title": "Tổng kết"}, by=coordinator)
    assert job.state == Job.State.QUEUED
    assert job.requested_by == coordinator
    task = DBTaskResult.objects.get()
    assert str(task.id) == job.task_id
    assert task.status == TaskResultStatus.READY
    assert task.task_path == "ketnoi.background.tasks.run_job"
    assert task.args_kwargs == {"args": [job.pk], "kwargs": {}}


def test_it_runs_the_job_and_stores_the_result(coordinator, worker):
    job = services.job_request(kind=RENDER, params={"title": "Tổng kết năm 2020"}, by=coordinator)
    assert worker() == 1
    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert job.attempts == 1
    assert job.started_at is not None and job.finished_at >= job.started_at
    assert job.result_name == "bao-cao-thu.txt"
    with job.result.open("rb") as handle:
        assert handle.read().decode() == "Tổng kết năm 2020: 1.234 vướng mắc đã tiếp nhận"
    # Kept in the private files folder under a name of its own, never the download name.
    assert job.result.path.startswith(str(settings.MEDIA_ROOT))
    assert "bao-cao" not in job.result.name
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL


def test_it_records_the_progress_as_the_work_goes(coordinator, worker):
    job = services.job_request(kind=RENDER, params={}, by=coordinator)
    worker()
    # Read back from the database by the renderer itself, step by step.
    assert seen_progress == [(0, 3, STEPS[0]), (1, 3, STEPS[1]), (2, 3, STEPS[2])]
    job.refresh_from_db()
    assert (job.progress_done, job.progress_total, job.step, job.percent) == (3, 3, "", 100)


def test_it_runs_a_job_once_even_if_its_task_runs_twice(coordinator, worker):
    job = services.job_request(kind=RENDER, params={}, by=coordinator)
    worker()
    first = Job.objects.get(pk=job.pk)
    assert services.job_run(job_id=job.pk) == "not queued"
    again = Job.objects.get(pk=job.pk)
    assert (again.attempts, again.result.name, again.finished_at) == (first.attempts, first.result.name, first.finished_at)


def _labelled(params, progress):
    # A label the translations already know.
    progress(1, 2, gettext_lazy("Log in"))
    seen_progress.append((0, 0, Job.objects.get(state=Job.State.RUNNING).step))
    return Output(content=b"ok", filename="ok.txt", content_type="text/plain")


register(Kind(name="test.language", label="Thử ngôn ngữ", run=_labelled, clean=dict, may_request=lambda p: True))


@pytest.mark.parametrize(("language", "label"), [("vi", "Đăng nhập"), ("en", "Log in")])
def test_it_writes_the_step_labels_in_the_requesters_language(coordinator, worker, language, label):
    services.job_request(kind="test.language", params={}, by=coordinator, language=language)
    worker()
    assert seen_progress == [(0, 0, label)]
