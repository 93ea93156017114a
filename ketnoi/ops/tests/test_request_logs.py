"""Logs: a JSON line per record with the request's id, method, path, status, time and user;
never a password, token, cookie or query string; the request id from nginx when it is sane."""

import io
import json
import logging
import os
import subprocess
import sys

import pytest

from ketnoi.ops.logs import JsonFormatter, TextFormatter, log_format, logging_config
from ketnoi.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines():
    """What the project's loggers write, as the JSON lines a deployment gets."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    level = logging.getLogger("ketnoi").level
    logging.getLogger("ketnoi").setLevel(logging.DEBUG)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    logging.getLogger("ketnoi").setLevel(level)


def request_lines(lines):
    return [line for line in lines if line["logger"] == "ketnoi.request"]


def test_it_writes_one_json_line_per_request(client, json_lines):
    response = client.get("/hoi-dap/", {"q": "hoàn thuế"})
    [line] = request_lines(json_lines())
    assert line["level"] == "INFO"
    assert line["method"] == "GET"
    assert line["path"] == "/hoi-dap/"
    assert line["status"] == response.status_code == 200
    assert line["duration_ms"] > 0
    assert line["request_id"] == response["X-Request-ID"]
    assert len(line["request_id"]) == 32
    assert line["time"].endswith("Z") and "T" in line["time"]
    assert "user_id" not in line  # nobody signed in
    assert "hoàn" not in json.dumps(line, ensure_ascii=False)  # the query string is not logged


def test_it_keeps_the_request_id_nginx_sent(client, json_lines):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="7f3c2a9e41b04d0c8e5a6b1d2c3e4f50")
    assert response["X-Request-ID"] == "7f3c2a9e41b04d0c8e5a6b1d2c3e4f50"
    assert request_lines(json_lines())[0]["request_id"] == "7f3c2a9e41b04d0c8e5a6b1d2c3e4f50"


@pytest.mark.parametrize("sent", ['abc"def<script>', "x" * 300, "short", "hai quan 123456"])
def test_it_replaces_a_request_id_that_is_not_sane(client, sent):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=sent)
    assert response["X-Request-ID"] != sent
    assert len(response["X-Request-ID"]) == 32


def test_it_names_the_user_who_asked(client, json_lines):
    user = make_user("coordinator")
    client.force_login(user)
    client.get("/")
    [line] = request_lines(json_lines())
    assert line["user_id"] == user.pk


def test_it_writes_no_password_cookie_or_csrf_token(client, json_lines):
    user = make_user("business", username="vo.thi.mai")  # staff would stop at the code page (2FA)
    client.post("/accounts/login/", {"username": "vo.thi.mai", "password": PASSWORD})
    client.get("/")
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in json_lines())
    assert len(request_lines(json_lines())) == 2
    assert PASSWORD not in text
    assert client.cookies["sessionid"].value not in text
    assert "csrf" not in text.lower()
    assert request_lines(json_lines())[1]["user_id"] == user.pk


def test_it_hides_the_token_of_a_link_in_the_path(client, json_lines):
    client.get("/accounts/reset/MTIz/cbk9xy-4f1c2a7b9d3e5f60718293a4b5c6d7e8/")
    client.get("/cases/rate/Zm9vYmFyLWJhei1xdXV4LXRva2VuLTEyMzQ1/")
    lines = request_lines(json_lines())
    assert [line["path"] for line in lines] == ["/accounts/reset/[redacted]/[redacted]/", "/cases/rate/[redacted]/"]
    text = json.dumps(json_lines())
    assert "cbk9xy" not in text and "MTIz" not in text and "Zm9vYmFy" not in text


@pytest.mark.urls("ketnoi.ops.tests.urls")
def test_the_lines_logged_while_serving_carry_the_request_id(client, json_lines):
    response = client.get("/slow")
    warning = [line for line in json_lines() if line["logger"] == "ketnoi.ops.tests"][0]
    assert warning["message"] == "cơ sở dữ liệu chậm"
    assert warning["request_id"] == response["X-Request-ID"]
    assert warning["path"] == "/slow"


def test_a_probe_is_logged_below_info(client, json_lines):
    client.get("/healthz")
    assert request_lines(json_lines())[0]["level"] == "DEBUG"


def test_an_exception_is_written_with_its_traceback_on_the_same_line():
    formatter = JsonFormatter()
    try:
        raise ValueError("Bảng số liệu thiếu cột")
    except ValueError:
        record = logging.getLogger("ketnoi.test").makeRecord("ketnoi.test", logging.ERROR, __file__, 1,
                                                             "render failed", (), sys.exc_info())
    text = formatter.format(record)
    assert "\n" not in text
    assert "ValueError: Bảng số liệu thiếu cột" in json.loads(text)["exception"]


def test_the_text_format_reads_as_a_sentence():
    record = logging.getLogger("ketnoi.test").makeRecord("ketnoi.test", logging.WARNING, __file__, 1,
                                                         "tick job %s failed", ("cases",), None)
    assert TextFormatter().format(record).endswith(" WARNING ketnoi.test tick job cases failed")


class FakeStream:
    def __init__(self, tty):
        self.tty = tty

    def isatty(self):
        return self.tty


@pytest.mark.parametrize(("environ", "tty", "expected"), [
    ({"KETNOI_LOG_FORMAT": "json"}, True, "json"),
    ({"KETNOI_LOG_FORMAT": "TEXT"}, False, "text"),
    ({}, True, "text"),  # a person at a terminal (runserver, a command typed by hand)
    ({}, False, "json"),  # systemd's journal, docker
    ({"PYTEST_VERSION": "8.3"}, False, "text"),
    ({"KETNOI_LOG_FORMAT": "xml"}, False, "json"),
])
def test_it_chooses_the_format(environ, tty, expected):
    assert log_format(environ, FakeStream(tty)) == expected


def test_the_settings_write_json_lines_to_stderr(tmp_path):
    environment = {**os.environ, "KETNOI_VAR_DIR": str(tmp_path), "KETNOI_LOG_FORMAT": "json",
                   "DJANGO_SETTINGS_MODULE": "ketnoi.settings"}
    environment.pop("PYTEST_VERSION", None)
    code = ("import django, logging; django.setup(); "
            "logging.getLogger('ketnoi.tick').warning('việc %s lỗi', 'nhắc hạn'); "
            "logging.getLogger('ketnoi.tick').info('xong')")
    result = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True,
                            timeout=120)
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    assert [(line["level"], line["logger"], line["message"]) for line in lines] == [
        ("WARNING", "ketnoi.tick", "việc nhắc hạn lỗi"), ("INFO", "ketnoi.tick", "xong")]


def test_the_configuration_sends_everything_through_one_formatter():
    config = logging_config("json")
    assert config["formatters"]["ketnoi"]["()"] == "ketnoi.ops.logs.JsonFormatter"
    assert logging_config("text")["formatters"]["ketnoi"]["()"] == "ketnoi.ops.logs.TextFormatter"
