"""The Content-Security-Policy in a real browser: headless Chromium visits a representative set of
pages as the people who use them (the public home, Q&A search and answer, the price board and a
facility's chart, a case as its business and as the officer, the dialogue dashboard, the agenda's
print view and the check-in page, the reports dashboard, directives, the party pages, the admin
changelist, the API docs) and fails on any violation the browser reports — a style, script,
image or frame that the policy blocked, in the console or as a `securitypolicyviolation` event."""

import re

import pytest
from django.conf import settings
from django.test import Client

from ketnoi.testing import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Listens from before the page's own scripts run (an init script is not subject to the policy).
LISTEN = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(
  `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile || ''}:${e.lineNumber}: ${e.sample || ''}`));
"""


def world():
    from ketnoi.party.tests.helpers import build_register
    from ketnoi.reports.tests.dashboard_helpers import build_world

    w = build_world()
    w.register = build_register()
    w.article = make_article(
        question="Hồ sơ hoàn thuế nhập khẩu nguyên liệu sản xuất hàng xuất khẩu gồm những gì?",
        answer="Căn cứ **Điều 36 Thông tư 38/2015/TT-BTC**, hồ sơ gồm:\n\n1. công văn đề nghị hoàn thuế;\n"
               "2. hợp đồng xuất khẩu;\n\nXem [Cổng thông tin Hải quan](https://www.customs.gov.vn).")
    return w


def signed_in(browser, live_server, user):
    """A browser context with ``user``'s session (signed in by Django's test client: the sign-in
    pages are not what this test is about) and the violation listener."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    if user is not None:
        client = Client()
        client.force_login(user)
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                              "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    context.add_init_script(LISTEN)
    return context


# What shows that a page works under the policy, not only that nothing was refused: the
# styles moved out of the pages apply, the scripts moved out of them run, Swagger UI draws.
WORKS = {
    r"^/api/v1/docs$": "document.querySelector('.swagger-ui .info .title') !== null",
    r"^/doi-thoai/chuong-trinh/\d+/thong-ke/$":
        "getComputedStyle(document.querySelector('svg rect.s0')).fill === 'rgb(11, 79, 60)'",
    r"^/bao-cao/$": "getComputedStyle(document.querySelector('.report-charts svg rect.s0, .report-charts svg circle.s0'))"
                 ".stroke === 'rgb(11, 79, 60)'",
    r"/chuong-trinh-lam-viec/in/$": "!document.querySelector('button[data-print]').hidden",
    r"^/units/$": "parseFloat(getComputedStyle(document.querySelector('td.depth-1')).paddingLeft) > 20",
}


def visit(context, live_server, path: str) -> list[str]:
    """Opens ``path``; every violation reported on it (events and console)."""
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text)
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text else None)
    response = page.goto(live_server.url + path, wait_until="load")
    assert response is not None and response.status == 200, (path, response and response.status)
    assert "Content-Security-Policy" in {name.title() for name in response.headers}, path
    page.wait_for_timeout(300)  # Swagger UI and the deferred scripts finish drawing
    for pattern, works in WORKS.items():
        if re.search(pattern, path):
            page.wait_for_function(f"() => {works}", timeout=10_000)
    found = page.evaluate("window.__violations") + console
    page.close()
    return found


def test_the_browser_reports_a_violation_when_the_page_breaks_the_policy(browser, live_server):
    # The detector itself, so that the test below cannot pass by hearing nothing.
    context = signed_in(browser, live_server, None)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">đỏ</p>')")
    page.wait_for_timeout(200)
    assert any("style-src" in violation for violation in page.evaluate("window.__violations"))
    context.close()


def test_representative_pages_break_no_rule_of_the_policy(browser, live_server):
    from ketnoi.dialogue.models import Programme, Registration, Session
    from ketnoi.directives.models import Directive
    from ketnoi.party.models import Member, Organisation
    from ketnoi.prices.models import Facility

    w = world()
    case = w.cases[0]
    programme = Programme.objects.get()
    session = Session.objects.filter(programme=programme).order_by("starts_at").first()
    pages = {
        None: ["/", "/hoi-dap/?q=hoan+thue+nguyen+lieu", f"/hoi-dap/{w.article.pk}/", "/gia-dich-vu/",
               f"/gia-dich-vu/{Facility.objects.order_by('pk').first().pk}/", "/bao-cao/cong-khai/", "/units/",
               "/doi-thoai/", "/api/v1/docs", "/accounts/login/"],
        w.users["business"]: [f"/cases/{case.reference}/", "/cases/new/", "/cases/", "/doi-thoai/cua-toi/",
                              f"/doi-thoai/dang-ky/{Registration.objects.filter(registered_by=w.users['business']).first().pk}/"],
        w.users["officer"]: [f"/cases/{case.reference}/", "/cases/queue/"],
        w.users["leader"]: [f"/doi-thoai/chuong-trinh/{programme.pk}/thong-ke/",
                            f"/doi-thoai/phien/{session.pk}/chuong-trinh-lam-viec/in/",
                            f"/doi-thoai/phien/{session.pk}/diem-danh/", "/chi-dao/"],
        w.users["coordinator"]: ["/bao-cao/", "/doi-thoai/thong-ke/",
                                 f"/chi-dao/{Directive.objects.order_by('pk').first().pk}/"],
        w.register.office: ["/dang-bo/", "/dang-bo/dang-vien/", f"/dang-bo/dang-vien/{Member.objects.first().pk}/",
                            f"/dang-bo/to-chuc/{Organisation.objects.first().pk}/", "/dang-bo/huy-hieu/in/"],
        w.users["admin"]: ["/admin/", "/admin/accounts/user/", f"/admin/accounts/user/{w.users['officer'].pk}/change/",
                           "/admin/audit/auditevent/"],
    }
    violations = {}
    for user, paths in pages.items():
        context = signed_in(browser, live_server, user)
        for path in paths:
            found = visit(context, live_server, path)
            if found:
                violations[path] = found
        context.close()
    assert violations == {}
