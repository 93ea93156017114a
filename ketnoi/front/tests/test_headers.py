"""The security headers every response carries: a Content-Security-Policy without 'unsafe-inline'
(and pages that need none: no inline script, style or event handler), X-Frame-Options,
Referrer-Policy, X-Content-Type-Options, Cross-Origin-Opener-Policy, Permissions-Policy (the
camera only on the check-in page), HSTS behind HTTPS."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import URLResolver, get_resolver
from django.utils import timezone

from ketnoi.accounts.models import Role
from ketnoi.testing import make_user

pytestmark = pytest.mark.django_db

EXPECTED_CSP = {
    "default-src": "'self'", "script-src": "'self'", "style-src": "'self'", "img-src": "'self' data:",
    "font-src": "'self'", "connect-src": "'self'", "object-src": "'none'", "base-uri": "'self'",
    "form-action": "'self'", "frame-ancestors": "'none'",
}


def policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return {name: value.strip() for name, _, value in
            (part.strip().partition(" ") for part in header.split(";") if part.strip())}


def assert_security_headers(response, *, camera="()"):
    assert policy(response) == EXPECTED_CSP
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    features = dict(part.strip().split("=", 1) for part in response.headers["Permissions-Policy"].split(","))
    assert features["camera"] == camera
    assert features["microphone"] == features["geolocation"] == "()"


def test_it_sends_the_security_headers_on_a_page(client):
    response = client.get("/")
    assert response.status_code == 200
    assert_security_headers(response)


def test_it_sends_the_security_headers_on_an_api_response(client):
    response = client.get("/api/v1/units")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/json")
    assert_security_headers(response)


def test_it_sends_them_on_an_error_page_too(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert_security_headers(response)


def test_it_lets_only_the_check_in_page_use_the_camera(client):
    from ketnoi.dialogue.tests.service_helpers import build_world, first_session, make_programme

    w = build_world()
    session = first_session(make_programme(w, starts_on=timezone.localdate() + timedelta(days=1)))
    client.force_login(w.leader)
    scan = client.get(f"/doi-thoai/phien/{session.pk}/diem-danh/")
    assert scan.status_code == 200
    assert_security_headers(scan, camera="(self)")
    other = client.get(f"/doi-thoai/phien/{session.pk}/")
    assert other.status_code == 200
    assert_security_headers(other)


def test_it_sends_hsts_and_redirects_to_https_behind_an_https_proxy(client, settings):
    # The values settings.py takes when KETNOI_BASE_URL is https:// (checked by test_check_deploy).
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    plain = client.get("/")
    assert plain.status_code == 301 and plain.headers["Location"].startswith("https://")
    secure = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert secure.status_code == 200
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert_security_headers(secure)


def test_it_sends_no_hsts_over_plain_http(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


# --- every page: the header, and nothing inline that the policy would refuse --------------------

class InlineCode(HTMLParser):
    """What a page holds that a policy without 'unsafe-inline' refuses: <script> without src
    (a JSON data block is not run, so it is allowed), <style>, style="…", on…="…" handlers,
    javascript: links."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and "src" not in attributes and attributes.get("type") != "application/json":
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style>")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f'<{tag} {name}="{value}">')
            if name in {"href", "src", "action", "formaction"} and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f'<{tag} {name}="{value}">')

    handle_startendtag = handle_starttag


def test_the_inline_code_finder_finds_what_the_policy_refuses():
    # So that the page scan below cannot pass by finding nothing.
    html = ('<style>p{}</style><p style="color:red" onclick="x()">a</p><script>alert(1)</script>'
            '<a href="javascript:void(0)">b</a><script src="/static/js/cases.js"></script>'
            '<script type="application/json" id="settings">{}</script>')
    assert len(InlineCode(html).found) == 5


def parameterless_paths() -> list[str]:
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)
    paths = {"/" + path for path in walk(get_resolver().url_patterns) if "<" not in path and "(?P" not in path
             and not path.startswith("^")}
    return sorted(paths)


# The roles whose pages differ most (an officer's are a coordinator's, fewer).
@pytest.mark.parametrize("role", [None, Role.BUSINESS, Role.COORDINATOR, Role.PARTY_OFFICE, Role.ADMIN])
def test_every_html_response_carries_the_policy_and_needs_no_inline_code(client, role):
    if role is not None:
        client.force_login(make_user(role))
    pages = 0
    for path in parameterless_paths():
        if path in {"/accounts/logout/", "/metrics"}:
            continue  # logging out would end the role's session; /metrics is plain text for Prometheus
        response = client.get(path)
        assert "Content-Security-Policy" in response.headers, path
        assert "unsafe-inline" not in response.headers["Content-Security-Policy"], path
        if response.headers.get("Content-Type", "").startswith("text/html") and response.content:
            pages += 1
            found = InlineCode(response.content.decode()).found
            assert not found, (path, response.status_code, found[:5])
    assert pages >= (10 if role is None else 40)  # the walk saw the site, not just a few redirects
