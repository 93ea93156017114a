import socket
import socketserver
import threading
from datetime import date

import pytest


@pytest.fixture
def email_templates(settings, tmp_path):
    """A tiny e-mail template trio, `email/test/hello`, that shows the language it was rendered
    in: the weekday name comes from Django's own catalogue ("Monday" / "Thứ hai")."""
    folder = tmp_path / "templates" / "email" / "test"
    folder.mkdir(parents=True)
    head = '{% load i18n %}{% get_current_language as LANG %}'
    (folder / "hello.subject.txt").write_text(head + '[{{ LANG }}]\n {{ day|date:"l" }}: {{ topic }}\n')
    (folder / "hello.txt").write_text(head + 'lang={{ LANG }} day={{ day|date:"l" }} topic={{ topic }} link={{ url }}\n')
    (folder / "hello.html").write_text(head + '<p lang="{{ LANG }}">{{ day|date:"l" }} <b>{{ topic }}</b> '
                                              '<a href="{{ url }}">{{ url }}</a></p>\n')
    engine = dict(settings.TEMPLATES[0])
    engine["DIRS"] = [tmp_path / "templates", *engine["DIRS"]]
    settings.TEMPLATES = [engine, *settings.TEMPLATES[1:]]
    return {"day": date(2025, 3, 3), "topic": "Hoàn thuế nhập khẩu"}  # a Monday


class SmtpServer:
    """A mail server on 127.0.0.1 that speaks enough SMTP (RFC 5321) for Django's SMTP backend:
    it keeps what it accepts, refuses the addresses in `refused` for good (550) and those in
    `busy` for now (451)."""

    def __init__(self):
        self.received: list[tuple[str, list[str], bytes]] = []
        self.refused: set[str] = set()
        self.busy: set[str] = set()
        server = self

        class Session(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write(line.encode() + b"\r\n")

            def handle(self):
                self.reply("220 mail.haiquan.example ESMTP")
                sender, recipients = "", []
                for raw in self.rfile:
                    command = raw.decode().strip()
                    verb = command[:4].upper()
                    if verb in ("EHLO", "HELO"):
                        self.reply("250 mail.haiquan.example")
                    elif verb == "MAIL":
                        sender, recipients = command.split(":", 1)[1].strip(" <>"), []
                        self.reply("250 2.1.0 Ok")
                    elif verb == "RCPT":
                        address = command.split(":", 1)[1].strip(" <>")
                        if address in server.refused:
                            self.reply(f"550 5.1.1 <{address}>: Recipient address rejected: User unknown")
                        elif address in server.busy:
                            self.reply("451 4.3.0 Mailbox temporarily unavailable, try again later")
                        else:
                            recipients.append(address)
                            self.reply("250 2.1.5 Ok")
                    elif verb == "DATA":
                        self.reply("354 End data with <CR><LF>.<CR><LF>")
                        lines = []
                        for line in self.rfile:
                            if line == b".\r\n":
                                break
                            lines.append(line)
                        server.received.append((sender, recipients, b"".join(lines)))
                        self.reply("250 2.0.0 Ok: queued")
                    elif verb in ("RSET", "NOOP"):
                        self.reply("250 2.0.0 Ok")
                    elif verb == "QUIT":
                        self.reply("221 2.0.0 Bye")
                        return
                    else:
                        self.reply("502 5.5.2 Command not recognised")

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Session)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    def recipients(self) -> list[str]:
        return [address for _sender, recipients, _data in self.received for address in recipients]


@pytest.fixture
def smtp(settings):
    """Django's SMTP backend talking to an `SmtpServer` of the test's own."""
    with SmtpServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 5
        yield server


@pytest.fixture
def no_mail_server(settings):
    """The SMTP backend pointed at a port of 127.0.0.1 where nothing listens (the server is down)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    return port


@pytest.fixture
def by_the_worker(settings):
    """E-mails left to the background worker, as in production (the tests' default sends them
    when their transaction commits)."""
    settings.KETNOI_EMAIL_SEND_ON_COMMIT = False
    settings.KETNOI_EMAIL_ATTEMPTS = 3
    settings.KETNOI_EMAIL_RETRY_SECONDS = 30
    from ketnoi.background.worker import run_queued

    return run_queued
