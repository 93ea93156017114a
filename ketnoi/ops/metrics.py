"""Prometheus metrics: /metrics in the text exposition format (version 0.0.4), written here.

Requests are counted by each process (a gunicorn worker) in memory and added to running totals
in the database every KETNOI_METRICS_FLUSH_SECONDS by a thread of the process (and when /metrics
is read), never on the way of a request, so the figures
are those of every process of every app server since the platform was installed, whichever
app server Prometheus asks, and they survive restarts. Chosen over prometheus_client's
multiprocess mode, which adds up the processes of one machine only, through a folder of files
that each app server's start-up must empty and that grows with every worker ever started. What
it costs: one small transaction per process every few seconds, and a process that is killed
loses what it counted since its last addition (at most KETNOI_METRICS_FLUSH_SECONDS' worth).
Scrape one app server (or the address of the load balancer), not each: they all report the
same totals.

The gauges (queue depth, open and overdue cases, last tick) are read from the database when
/metrics is read.
"""

import math
import threading
import time
from collections import defaultdict

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils import timezone

from . import selectors, services

REQUESTS = "ketnoi_http_requests_total"
DURATION = "ketnoi_http_request_duration_seconds"
# Upper bounds of the latency buckets, in seconds: a page should answer well under a second.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def _le(bound: float) -> str:
    return "+Inf" if bound == float("inf") else repr(bound)


# The series names, made once: a request only looks them up.
_BUCKET_SERIES = tuple((bound, f'{DURATION}_bucket{{le="{_le(bound)}"}}') for bound in (*BUCKETS, float("inf")))
_REQUEST_SERIES = {(method, status_class): f'{REQUESTS}{{method="{method}",status="{status_class}"}}'
                   for method in (*METHODS, "other")
                   for status_class in ("1xx", "2xx", "3xx", "4xx", "5xx", "other")}


def request_series(*, method: str, status: int, seconds: float) -> dict[str, float]:
    """What one request adds to the totals: its count by method and status class, and the
    latency histogram's buckets (cumulative, as Prometheus reads them), sum and count."""
    method = method if method in METHODS else "other"
    status_class = f"{status // 100}xx" if 100 <= status < 600 else "other"
    series = {_REQUEST_SERIES[method, status_class]: 1.0}
    for bound, name in _BUCKET_SERIES:
        if seconds <= bound:
            series[name] = 1.0
    series[f"{DURATION}_sum"] = seconds
    series[f"{DURATION}_count"] = 1.0
    return series


class Tally:
    """What this process counted since it last added to the totals."""

    def __init__(self):
        self._lock = threading.Lock()  # gunicorn's threaded workers serve requests side by side
        self._pending: dict[str, float] = defaultdict(float)
        self._flushed_at = time.monotonic()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    def add(self, series: dict[str, float]) -> None:
        with self._lock:
            for name, value in series.items():
                self._pending[name] += value

    def flush(self, *, force: bool = False) -> bool:
        """Add what is pending to the totals, if KETNOI_METRICS_FLUSH_SECONDS have passed
        (or `force`). A database that fails keeps it pending for the next time."""
        with self._lock:
            due = force or time.monotonic() - self._flushed_at >= settings.KETNOI_METRICS_FLUSH_SECONDS
            if not due or not self._pending:
                return False
            pending, self._pending = self._pending, defaultdict(float)
            self._flushed_at = time.monotonic()
        try:
            services.metric_totals_add(deltas=pending)
        except DatabaseError:
            self.add(pending)
            return False
        return True

    def start_flushing(self) -> None:
        """Start the thread that adds what is pending every KETNOI_METRICS_FLUSH_SECONDS, once
        per process (a worker forked from a process that had one starts its own). Not under
        pytest (the setting is infinite there): its writes would land beside the tests'."""
        if self._thread is not None and self._thread.is_alive():
            return
        if not math.isfinite(settings.KETNOI_METRICS_FLUSH_SECONDS):
            return
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._flush_forever, name="ketnoi-metrics", daemon=True)
                self._thread.start()

    def stop_flushing(self) -> None:
        """Stop the thread after one last addition."""
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            self._thread = None
            self._stop = threading.Event()

    def _flush_forever(self) -> None:
        stop = self._stop
        while True:
            stopping = stop.wait(settings.KETNOI_METRICS_FLUSH_SECONDS)
            try:
                self.flush(force=True)
            finally:
                connections.close_all()  # this thread's own connection: not kept between flushes
            if stopping:
                return


tally = Tally()


def record_request(*, method: str, status: int, seconds: float) -> None:
    tally.add(request_series(method=method, status=status, seconds=seconds))
    tally.start_flushing()


# --- the exposition ------------------------------------------------------------------------------

def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


class _Page:
    def __init__(self):
        self.lines: list[str] = []

    def metric(self, name: str, kind: str, help_text: str, samples: list[tuple[str, float]]) -> None:
        self.lines.append(f"# HELP {name} {help_text}")
        self.lines.append(f"# TYPE {name} {kind}")
        for series, value in samples:
            self.lines.append(f"{series} {_number(value)}")

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _labels(**labels: str) -> str:
    return "{" + ",".join(f'{key}="{_escape(str(value))}"' for key, value in labels.items()) + "}"


def exposition() -> str:
    """The text Prometheus reads."""
    tally.flush(force=True)  # this process's own requests, up to the last one
    totals = selectors.metric_totals()
    page = _Page()
    page.metric(REQUESTS, "counter", "HTTP requests served by every app server, by method and status class.",
                sorted((s, v) for s, v in totals.items() if s.startswith(REQUESTS + "{")))
    # Every bucket, those no request fell in too (a row is written for a bucket once it counts).
    buckets = [(name, totals.get(name, 0.0)) for _bound, name in _BUCKET_SERIES]
    page.metric(DURATION, "histogram", "Time from a request's arrival to its response (streamed bodies not "
                "included), every app server.",
                [*buckets, (f"{DURATION}_sum", totals.get(f"{DURATION}_sum", 0.0)),
                 (f"{DURATION}_count", totals.get(f"{DURATION}_count", 0.0))])

    jobs = selectors.jobs_by_state()
    page.metric("ketnoi_background_jobs", "gauge", "Background jobs (report renders, imports) waiting, running "
                "and failed.", [(f"ketnoi_background_jobs{_labels(state=state)}", n) for state, n in jobs.items()])
    queue = selectors.task_queue()
    page.metric("ketnoi_task_queue", "gauge", "Tasks in the worker's queue (django-tasks-db): ready to run now, "
                "waiting for their time (retries), running, failed attempts kept.",
                [(f"ketnoi_task_queue{_labels(status='ready')}", queue.ready),
                 (f"ketnoi_task_queue{_labels(status='waiting')}", queue.waiting_later),
                 (f"ketnoi_task_queue{_labels(status='running')}", queue.running),
                 (f"ketnoi_task_queue{_labels(status='failed')}", queue.failed)])
    waited = (timezone.now() - queue.oldest_ready_at).total_seconds() if queue.oldest_ready_at else 0.0
    page.metric("ketnoi_task_queue_oldest_seconds", "gauge", "How long the longest-waiting ready task has waited "
                "(0: none waits); grows when no worker runs.", [("ketnoi_task_queue_oldest_seconds", max(0.0, waited))])
    cases = selectors.open_cases()
    page.metric("ketnoi_cases_open", "gauge", "Cases not yet answered and closed.", [("ketnoi_cases_open", cases.open)])
    page.metric("ketnoi_cases_overdue", "gauge", "Open cases past the moment their answer was due (not paused).",
                [("ketnoi_cases_overdue", cases.overdue)])
    tick = selectors.heartbeat_at(name=services.TICK)
    page.metric("ketnoi_tick_last_run_timestamp_seconds", "gauge", "When `ketnoi tick` last ran to its end (Unix "
                "time; 0: never).", [("ketnoi_tick_last_run_timestamp_seconds", tick.timestamp() if tick else 0)])
    return page.text()
