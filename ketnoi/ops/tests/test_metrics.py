"""/metrics: the Prometheus text format, requests and latency of every process, queue depth,
open and overdue cases, the last tick; for the monitoring server only."""

import re
import time
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ketnoi.background.models import Job
from ketnoi.ops import metrics, services
from ketnoi.ops.models import MetricTotal
from ketnoi.testing import Clock, make_case

pytestmark = pytest.mark.django_db

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (\S+)$')


def scrape(client, **headers) -> dict[str, float]:
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    samples = {}
    for line in response.content.decode().splitlines():
        if line.startswith("#"):
            assert re.match(r"^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* \S", line), line
            continue
        match = SAMPLE.match(line)
        assert match, f"not a Prometheus sample: {line!r}"
        series, value = line.rsplit(" ", 1)
        samples[series] = float(value)
    return samples


def test_it_counts_requests_by_method_and_status_class(client, fresh_tally):
    client.get("/healthz")
    client.get("/healthz")
    client.get("/khong-co-trang-nay/")
    client.post("/healthz")  # 200: healthz takes any method
    samples = scrape(client)
    assert samples['ketnoi_http_requests_total{method="GET",status="2xx"}'] == 2
    assert samples['ketnoi_http_requests_total{method="GET",status="4xx"}'] == 1
    assert samples['ketnoi_http_requests_total{method="POST",status="2xx"}'] == 1
    # The scrape itself is counted after its answer: it shows in the next one.
    assert scrape(client)['ketnoi_http_requests_total{method="GET",status="2xx"}'] == 3


def test_its_latency_histogram_is_cumulative(client, fresh_tally):
    fresh_tally.add(metrics.request_series(method="GET", status=200, seconds=0.03))
    fresh_tally.add(metrics.request_series(method="GET", status=200, seconds=0.7))
    fresh_tally.add(metrics.request_series(method="GET", status=500, seconds=45))
    samples = scrape(client)
    buckets = {key: value for key, value in samples.items() if key.startswith("ketnoi_http_request_duration_seconds_bucket")}
    assert buckets['ketnoi_http_request_duration_seconds_bucket{le="0.025"}'] == 0
    assert buckets['ketnoi_http_request_duration_seconds_bucket{le="0.05"}'] == 1
    assert buckets['ketnoi_http_request_duration_seconds_bucket{le="1.0"}'] == 2
    assert buckets['ketnoi_http_request_duration_seconds_bucket{le="30.0"}'] == 2
    assert buckets['ketnoi_http_request_duration_seconds_bucket{le="+Inf"}'] == 3
    values = list(buckets.values())
    assert values == sorted(values)  # in the order of their bounds, never decreasing
    assert samples["ketnoi_http_request_duration_seconds_count"] == 3
    assert samples["ketnoi_http_request_duration_seconds_sum"] == pytest.approx(45.73)


def test_it_adds_up_the_processes_of_every_app_server(client, fresh_tally):
    # Two gunicorn workers (or two machines): each adds what it counted to the same totals.
    first, second = metrics.Tally(), metrics.Tally()
    first.add(metrics.request_series(method="GET", status=200, seconds=0.01))
    second.add(metrics.request_series(method="GET", status=200, seconds=0.01))
    second.add(metrics.request_series(method="GET", status=302, seconds=0.01))
    assert first.flush(force=True) and second.flush(force=True)
    samples = scrape(client)
    assert samples['ketnoi_http_requests_total{method="GET",status="2xx"}'] == 2
    assert samples['ketnoi_http_requests_total{method="GET",status="3xx"}'] == 1


def test_it_keeps_the_counts_until_the_database_takes_them(client, fresh_tally, monkeypatch):
    fresh_tally.add(metrics.request_series(method="GET", status=200, seconds=0.01))

    def unreachable(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    # A context of its own: monkeypatch.undo() would also undo the fixture's fresh tally.
    with monkeypatch.context() as patched:
        patched.setattr(services, "metric_totals_add", unreachable)
        assert not fresh_tally.flush(force=True)
    assert fresh_tally.flush(force=True)
    assert scrape(client)['ketnoi_http_requests_total{method="GET",status="2xx"}'] == 1


def test_it_waits_before_adding_again(fresh_tally, settings):
    settings.KETNOI_METRICS_FLUSH_SECONDS = 3600
    fresh_tally.add(metrics.request_series(method="GET", status=200, seconds=0.01))
    assert not fresh_tally.flush()
    assert fresh_tally.flush(force=True)


def test_no_request_waits_for_the_counts_to_be_added(client, fresh_tally, django_assert_num_queries):
    client.get("/healthz")  # the view's own query, nothing more: the counts wait in memory
    with django_assert_num_queries(1):
        client.get("/healthz")


@pytest.mark.django_db(transaction=True)
def test_a_thread_of_the_process_adds_the_counts_while_it_is_idle(fresh_tally, settings):
    settings.KETNOI_METRICS_FLUSH_SECONDS = 0.05
    metrics.record_request(method="GET", status=200, seconds=0.01)
    deadline = time.monotonic() + 10
    while not MetricTotal.objects.filter(series__startswith="ketnoi_http_requests_total").exists():
        assert time.monotonic() < deadline, "the counts never reached the database"
        time.sleep(0.05)
    fresh_tally.stop_flushing()
    assert MetricTotal.objects.get(series='ketnoi_http_requests_total{method="GET",status="2xx"}').value == 1


def test_under_pytest_no_thread_is_started(fresh_tally):
    metrics.record_request(method="GET", status=200, seconds=0.01)
    assert fresh_tally._thread is None


def test_it_reports_the_queue_the_cases_and_the_tick(client, fresh_tally, monkeypatch):
    now = timezone.now()
    for state in (Job.State.QUEUED, Job.State.QUEUED, Job.State.RUNNING, Job.State.FAILED, Job.State.DONE):
        Job.objects.create(kind="reports.year_end", state=state)
    for status, run_after in ((TaskResultStatus.READY, now - timedelta(minutes=5)),
                              (TaskResultStatus.READY, now + timedelta(hours=1)),  # a retry, later
                              (TaskResultStatus.FAILED, now - timedelta(hours=1))):
        DBTaskResult.objects.create(status=status, run_after=run_after, args_kwargs={"args": [], "kwargs": {}},
                                    task_path="ketnoi.background.tasks.run_job", backend_name="default")
    DBTaskResult.objects.update(enqueued_at=now - timedelta(minutes=5))
    clock = Clock(monkeypatch, now - timedelta(days=60))
    late = make_case()  # filed two months ago: its answer was due long since
    clock.now = now
    make_case()
    services.heartbeat_record(name=services.TICK, at=now - timedelta(minutes=3))

    samples = scrape(client)
    assert samples['ketnoi_background_jobs{state="queued"}'] == 2
    assert samples['ketnoi_background_jobs{state="running"}'] == 1
    assert samples['ketnoi_background_jobs{state="failed"}'] == 1
    assert samples['ketnoi_task_queue{status="ready"}'] == 1
    assert samples['ketnoi_task_queue{status="waiting"}'] == 1
    assert samples['ketnoi_task_queue{status="failed"}'] == 1
    assert 290 <= samples["ketnoi_task_queue_oldest_seconds"] <= 400
    assert samples["ketnoi_cases_open"] == 2
    assert samples["ketnoi_cases_overdue"] == 1 and late.due_at < now
    assert samples["ketnoi_tick_last_run_timestamp_seconds"] == pytest.approx((now - timedelta(minutes=3)).timestamp())


def test_it_reports_zero_before_anything_happened(client, fresh_tally):
    samples = scrape(client)
    assert samples["ketnoi_tick_last_run_timestamp_seconds"] == 0
    assert samples["ketnoi_cases_overdue"] == 0
    assert samples['ketnoi_task_queue{status="ready"}'] == 0


def test_it_refuses_a_machine_other_than_this_one(client, fresh_tally):
    response = client.get("/metrics", REMOTE_ADDR="203.113.131.5")
    assert response.status_code == 403
    assert "KETNOI_METRICS_TOKEN" in response.content.decode()


def test_it_refuses_a_request_that_came_through_the_proxy(client, fresh_tally):
    # nginx on the same machine: the address is the loopback, the visitor is not.
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="203.113.131.5").status_code == 403
    assert client.get("/metrics", HTTP_X_REAL_IP="203.113.131.5").status_code == 403


def test_it_lets_in_the_bearer_of_the_token(client, fresh_tally, settings):
    settings.KETNOI_METRICS_TOKEN = "p8Xk2vQz-metrics-token-of-this-deployment"
    token = {"REMOTE_ADDR": "10.20.0.7", "HTTP_AUTHORIZATION": "Bearer p8Xk2vQz-metrics-token-of-this-deployment"}
    assert client.get("/metrics", **token).status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.20.0.7", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403


def test_no_token_configured_lets_no_one_in_from_outside(client, fresh_tally, settings):
    settings.KETNOI_METRICS_TOKEN = ""
    assert client.get("/metrics", REMOTE_ADDR="10.20.0.7", HTTP_AUTHORIZATION="Bearer ").status_code == 403


def test_it_is_not_cached(client, fresh_tally):
    assert "max-age=0" in client.get("/metrics")["Cache-Control"]


def test_it_rejects_a_post(client, fresh_tally):
    assert client.post("/metrics").status_code == 405
