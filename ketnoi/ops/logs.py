"""Logs: one JSON object per line on stderr for the machines, or text for people.

KETNOI_LOG_FORMAT=json|text chooses. Unset, it is text where a person reads (stderr is a
terminal: `ketnoi runserver`, `ketnoi tick` typed by hand; and under pytest) and json where a
program collects (systemd's journal, docker, a log shipper: `ketnoi serve`, the worker and the
tick run by a timer).

A JSON line holds the time (UTC, ISO 8601 with milliseconds), level, logger, message and process,
with what is known of the request it belongs to: request_id, method, path, and in the line
`ketnoi.request` writes at the end of each request, status, duration_ms and user_id. Nothing
else of a record is written: no query string (it may hold what a person searched for), no
header, cookie, form field or party data, and a path's tokens (password reset, confirmation,
rating and check-in links) are replaced by "[redacted]".

No Django import here: settings.py builds LOGGING with `logging_config()`.
"""

import json
import logging
import os
import sys
from contextvars import ContextVar
from datetime import UTC, datetime

FORMATS = ("json", "text")
# What a request contributes to each line logged while it is served (set by
# ketnoi.ops.middleware.RequestMiddleware).
request_fields: ContextVar[dict | None] = ContextVar("ketnoi_log_request", default=None)
# The secrets of the request's URL (a link's token): replaced in every line of the request,
# Django's own included ("Bad Request: /cases/rate/<token>/").
request_secrets: ContextVar[tuple[str, ...]] = ContextVar("ketnoi_log_secrets", default=())
REDACTED = "[redacted]"
# The fields a record may carry into a JSON line, and nothing else.
REQUEST_FIELDS = ("request_id", "method", "path", "status", "duration_ms", "user_id")


def log_format(environ=os.environ, stream=None) -> str:
    chosen = environ.get("KETNOI_LOG_FORMAT", "").strip().lower()
    if chosen in FORMATS:
        return chosen
    if environ.get("PYTEST_VERSION"):
        return "text"
    stream = stream if stream is not None else sys.stderr
    try:
        return "text" if stream.isatty() else "json"
    except (AttributeError, ValueError):
        return "json"


def redact(text: str) -> str:
    for secret in request_secrets.get():
        text = text.replace(secret, REDACTED)
    return text


def _fields(record: logging.LogRecord) -> dict:
    fields = dict(request_fields.get() or {})
    for name in REQUEST_FIELDS:
        value = getattr(record, name, None)
        if value is not None:
            fields[name] = value
    return fields


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace(
                "+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
            "process": record.process,
        }
        line.update(_fields(record))
        if record.exc_info:
            line["exception"] = redact(self.formatException(record.exc_info))
        elif record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """`2021-01-15 08:30:00,123 INFO ketnoi.request [3f2a…] GET /cases/ 200 12 ms`"""

    def format(self, record: logging.LogRecord) -> str:
        request_id = _fields(record).get("request_id")
        text = f"{self.formatTime(record)} {record.levelname} {record.name} "
        if request_id:
            text += f"[{request_id}] "
        text += record.getMessage()
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        elif record.stack_info:
            text += "\n" + self.formatStack(record.stack_info)
        return redact(text)


def logging_config(fmt: str, level: str = "INFO") -> dict:
    """Django's LOGGING: everything to stderr in `fmt`; ketnoi's own loggers from `level`
    (the request lines are INFO), the others' from WARNING."""
    formatter = "ketnoi.ops.logs.JsonFormatter" if fmt == "json" else "ketnoi.ops.logs.TextFormatter"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"ketnoi": {"()": formatter}},
        "handlers": {"console": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr",
                                 "formatter": "ketnoi"}},
        "root": {"handlers": ["console"], "level": "WARNING"},
        "loggers": {
            "ketnoi": {"level": level},
            # Django's own request warnings (404s, 500s with their traceback) keep their level;
            # through the root handler they are written in the same format.
            "django": {"level": "WARNING"},
        },
    }
