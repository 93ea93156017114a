"""Factories for tests: real rows written through the services, with valid defaults.

    unit = make_unit(code="02F3")
    officer = make_user(Role.OFFICER, unit=unit)
    client.force_login(officer)

Every factory takes keyword arguments for the fields a test cares about and invents the rest.
Users get PASSWORD unless told otherwise, so `client.login(username=..., password=PASSWORD)`
works too.
"""

import itertools
import re
from datetime import date, datetime, timedelta
from html import unescape

from django.utils import timezone

from ketnoi.accounts import services as accounts
from ketnoi.accounts.models import ENTERPRISE_ROLES, UNIT_ROLES, Enterprise, User
from ketnoi.lib import taxcode
from ketnoi.lib.workdays import TIMEZONE
from ketnoi.org import services as org
from ketnoi.org.models import Unit

PASSWORD = "Mật-khẩu-thử-2020"

_numbers = itertools.count(1)


def _next() -> int:
    return next(_numbers)


def make_unit(*, code: str | None = None, name_vi: str = "", name_en: str = "", kind: str = Unit.Kind.BRANCH,
              parent: Unit | None = None, valid_from: date | None = None, **fields) -> Unit:
    """A unit created through `unit_create` (so with its audit event). Without `code` it gets
    a made-up office code (Z001, Z002 …) unless it is a division (which has none)."""
    n = _next()
    if code is None:
        code = "" if kind == Unit.Kind.DIVISION else f"Z{n:03d}"
    return org.unit_create(
        code=code, name_vi=name_vi or f"Chi cục Hải quan thử nghiệm số {n}",
        name_en=name_en or f"Test Customs Branch No. {n}", kind=kind, parent=parent, by=None,
        valid_from=valid_from, **fields,
    )


def tax_code_for(n: int) -> str:
    """A valid tax code of a made-up Ho Chi Minh City enterprise (they start with 03)."""
    while True:
        first9 = f"039{n % 10**6:06d}"
        if taxcode.check_digit(first9) is not None:
            return taxcode.make(first9)
        n += 1


def make_enterprise(*, name: str = "", tax_code: str | None = None, **fields) -> Enterprise:
    n = _next()
    if tax_code is None:
        tax_code = tax_code_for(n)
        while Enterprise.objects.filter(tax_code=tax_code).exists():
            n = _next()
            tax_code = tax_code_for(n)
    return accounts.enterprise_create(tax_code=tax_code, name=name or f"Công ty TNHH Thử nghiệm {n}",
                                      by=None, **fields)


def make_user(role: str | None = None, unit: Unit | None = None, enterprise: Enterprise | None = None, *,
              username: str = "", full_name: str = "", email: str | None = None, language: str = "vi",
              password: str | None = PASSWORD, is_active: bool = True) -> User:
    """An active user with `role` (None: no role at all). An officer or leader without a unit
    gets a new unit; a business or operator user without an enterprise gets a new enterprise."""
    n = _next()
    username = username or f"{role or 'user'}{n}"
    user = User(username=username, full_name=full_name or f"Nguyễn Văn Thử {n}",
                email=f"{username}@ketnoi.example" if email is None else email,
                language=language, is_active=is_active)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    if role is not None:
        if role in UNIT_ROLES and unit is None:
            unit = make_unit()
        if role in ENTERPRISE_ROLES and enterprise is None:
            enterprise = make_enterprise()
        accounts.role_assign(user=user, role=role, unit=unit, enterprise=enterprise, by=None)
    return user


def nav_links(response) -> list[tuple[str, str]]:
    """(label, href) of every link in the page's main navigation bar, badges left out."""
    html = response.content.decode()
    start = html.index('<nav class="site-nav"')
    nav = html[start:html.index("</nav>", start)]
    links = []
    for href, inner in re.findall(r'<a href="([^"]*)"[^>]*>(.*?)</a>', nav, flags=re.S):
        label = re.sub(r"<span class=\"badge\".*?</span>", "", inner, flags=re.S)
        links.append((unescape(re.sub(r"<[^>]+>", "", label)).strip(), href))
    return links


def make_case(*, enterprise: Enterprise | None = None, by: User | None = None, topic: str = "thu-tuc",
              subject: str = "", description: str = "", unit: Unit | None = None, **fields):
    """A case filed through `services.case_file`, by a business user of `enterprise` (both made
    up when not given) naming `unit` (None: "not sure")."""
    from ketnoi.cases import services as cases

    n = _next()
    if by is None:
        by = make_user("business", enterprise=enterprise or make_enterprise())
    if enterprise is None:
        enterprise = Enterprise.objects.get(role_assignments__user=by, role_assignments__role="business")
    return cases.case_file(
        enterprise=enterprise, by=by, topic=topic, named_unit=unit,
        subject=subject or f"Vướng mắc thủ tục hải quan số {n}",
        description=description or "Doanh nghiệp đề nghị Cục Hải quan hướng dẫn thủ tục.", **fields,
    )


def make_article(*, question: str = "", answer: str = "", topic: str = "thu-tuc", references=(),
                 publish: bool = True, by: User | None = None, **fields):
    """A Q&A article written through `knowledge.services.article_create` by a coordinator
    (made up when not given), published unless `publish=False`."""
    from ketnoi.knowledge import services as knowledge

    n = _next()
    return knowledge.article_create(
        question=question or f"Câu hỏi về thủ tục hải quan số {n}?",
        answer=answer or "Căn cứ Điều 16 Thông tư 38/2015/TT-BTC, hồ sơ hải quan gồm tờ khai hải quan.",
        topic=topic, legal_references=references, publish=publish, by=by or make_user("coordinator"), **fields,
    )


def seed_reference_data() -> None:
    """Put back what data migrations seed (the cases' topics and deadline policies, the prices'
    service catalogue): a transactional test starts from tables another one may have flushed.
    Each seed is idempotent."""
    import importlib

    from django.apps import apps

    for migration in ("ketnoi.cases.migrations.0002_topics_and_deadlines", "ketnoi.prices.migrations.0002_catalogue"):
        importlib.import_module(migration).seed(apps, None)


# --- the clock of service tests ---------------------------------------------------------------

def at(year, month, day, hour=0, minute=0, second=0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=TIMEZONE)


class Clock:
    """Django's clock, set by the test (the services read `timezone.now()`), in Vietnam's time."""

    def __init__(self, monkeypatch, start: datetime):
        self.now = start
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def set(self, *args) -> datetime:
        self.now = at(*args)
        return self.now

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now

    @property
    def today(self) -> date:
        return timezone.localtime(self.now).date()


def race(*calls):
    """Run each call in its own thread (its own database connection), all released at once;
    (results, errors) in call order. For the concurrency tests on PostgreSQL."""
    import threading

    from django.db import connection

    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # kept for the test to look at
            errors[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


# --- signing in ------------------------------------------------------------------------------

def totp_code(user: User) -> str:
    """A code of `user`'s authenticator that the server will accept now: the current time step,
    or the next one (the server allows one step of clock drift) when the current one was used
    already; waits for a fresh step when both were."""
    import time

    import pyotp

    from ketnoi.accounts.models import TotpDevice

    device = TotpDevice.objects.get(user=user)
    totp = pyotp.TOTP(device.secret)
    for _wait in range(3):
        now = totp.timecode(timezone.now())
        for step in (now, now + 1):
            if step > device.last_step:
                return totp.generate_otp(step)
        time.sleep(max(0.2, totp.interval - time.time() % totp.interval))
    raise AssertionError(f"{user}: the codes of this time step and the next are used, and the clock does not move "
                         "(a test's Clock?): advance it 30 seconds between sign-ins of the same user")


def totp_enrolled(user: User) -> None:
    """Give a staff `user` a confirmed authenticator (through the services), if they have none."""
    from ketnoi.accounts.models import TotpDevice

    device = TotpDevice.objects.filter(user=user).first()
    if device is not None and device.confirmed_at is not None:
        return
    accounts.totp_enrol_start(user=user)
    accounts.totp_enrol_confirm(user=user, code=totp_code(user))


def browser_login(page, base_url: str, user: "User | str", *, password: str = PASSWORD):
    """Sign in through the login page in a Playwright `page`, as a person would: the username and
    password, then, for staff, the code of their authenticator (added first through the services
    when they have none). Returns `page`, on the page the sign-in led to."""
    from ketnoi.accounts import selectors as account_selectors

    if isinstance(user, str):
        user = User.objects.get(username=user)
    if account_selectors.two_factor_required(user=user):
        totp_enrolled(user)
    page.goto(base_url + "/accounts/login/")
    page.fill("#id_username", user.get_username())
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    if "/accounts/login/code/" in page.url:
        page.fill("#id_code", totp_code(user))
        with page.expect_navigation():
            page.click("main button[type=submit]")
    return page
