"""Every page and API operation, called as every role, gets the outcome its app declares.

The pages come from the URL configuration (walked recursively, Django admin's included), the
API operations from the OpenAPI schema: a new view or operation without a rule fails
`test_it_has_a_rule_for_every_page_and_operation`, which says in which file to declare it.
Each role's test calls everything once (GET; and for every role that must be refused, a POST
with an empty body, which must be refused too and write nothing) and reports every mismatch at
once, as a table. Every text answer is also read for what the role must never see (world.secrets:
another enterprise's case, a party member's name).

The world (world.py) is built once for the module inside a transaction rolled back at the end;
each request runs in a savepoint rolled back after it, so what one role's call changes (a page
view counted, a session touched) is not what the next one sees.
"""

import importlib
import json
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ketnoi.access_matrix import rules as project_rules
from ketnoi.access_matrix.rules import LOGIN, NO, OK, ROLES, Rule
from ketnoi.access_matrix.world import build_world

# The test database is created for the module (pytest-django creates it for marked tests only);
# each test runs inside the world's transaction.
pytestmark = pytest.mark.django_db
SKIPPED_MODULES = {"ninja.operation"}  # the API's operations: checked from the schema instead


# --- what there is to call ------------------------------------------------------------------

def _walk(patterns, prefix="", namespace=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(filter(None, [namespace, p.namespace])) or None
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), namespace, p


def pages() -> list[tuple[str, str, str | None, URLPattern]]:
    """(key, route, namespace, pattern) of every URL pattern: the key is the URL's name
    ("cases:detail"), or its route when it has none ("favicon.ico")."""
    found = []
    for route, namespace, pattern in _walk(get_resolver().url_patterns):
        if getattr(pattern.callback, "__module__", "") in SKIPPED_MODULES:
            continue
        key = f"{namespace}:{pattern.name}" if pattern.name and namespace else pattern.name or route
        found.append((key, route, namespace, pattern))
    return found


def operations() -> list[tuple[str, str, str, str]]:
    """(key, method, path, app) of every operation of the OpenAPI schema; the key is
    "GET /api/v1/cases/{reference}", the app the one whose router has it (its operationId)."""
    from ketnoi.api import api

    found = []
    for path, methods in api.get_openapi_schema()["paths"].items():
        for method, operation in methods.items():
            app = operation["operationId"].split("_")[1]
            found.append((f"{method.upper()} {path}", method, path, app))
    return found


def _app_of_page(namespace: str | None) -> str | None:
    """The ketnoi app whose access_rules.py declares a page: the one its namespace names (None:
    the project's own rules, for the admin site, the API's own pages and unnamespaced ones)."""
    app = (namespace or "").split(":")[0]
    return app if app and Path(settings.BASE_DIR, "ketnoi", app).is_dir() else None


def _table(app: str | None, name: str) -> dict:
    if app is None:
        return getattr(project_rules, name)
    try:
        module = importlib.import_module(f"ketnoi.{app}.tests.access_rules")
    except ModuleNotFoundError as error:
        if error.name != f"ketnoi.{app}.tests.access_rules":
            raise
        return {}
    return getattr(module, name, {})


def _where(app: str | None, name: str) -> str:
    return f"ketnoi/{app}/tests/access_rules.py, {name}" if app else f"ketnoi/access_matrix/rules.py, {name}"


def rule_for_page(key: str, namespace: str | None) -> Rule | None:
    app = _app_of_page(namespace)
    rule = _table(app, "PAGES").get(key)
    if rule is None and namespace == "admin":
        rule = project_rules.ADMIN_SITE  # every other admin page: the admin role only
    return rule


def rule_for_operation(key: str, app: str) -> Rule | None:
    return _table(app, "API").get(key)


# --- turning a rule into a request ----------------------------------------------------------

def _value(world, spec):
    if not isinstance(spec, str):
        return spec
    value = world
    for part in spec.split("."):
        value = getattr(value, part)
    return getattr(value, "pk", value)


def _of_world(world, spec):
    """A rule's query, form or body: as it is, or what its function returns for the world."""
    return spec(world) if callable(spec) else spec


def _admin_object_id(route: str):
    """The pk of the first object of the model an admin route is about ("admin/org/unit/…")."""
    app_label, model_name = route.split("/")[1:3]
    obj = apps.get_model(app_label, model_name).objects.order_by("pk").first()
    return obj.pk if obj is not None else 999999


ARG = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def url_of(world, route: str, rule: Rule, namespace: str | None) -> str:
    """The route with its arguments filled in; KeyError names an argument the rule lacks."""
    def fill(match):
        name = match.group(1) or match.group(2)
        if name in rule.args:
            return str(_value(world, rule.args[name]))
        if namespace == "admin" and name == "object_id":
            return str(_admin_object_id(route))
        raise KeyError(name)

    return "/" + ARG.sub(fill, route).replace("^", "").replace("$", "")


def api_path_of(world, path: str, rule: Rule) -> str:
    def fill(match):
        name = match.group(1)
        if name not in rule.args:
            raise KeyError(name)
        return str(_value(world, rule.args[name]))

    return re.sub(r"\{(\w+)\}", fill, path)


# --- what came back -------------------------------------------------------------------------

def outcome(response) -> str:
    """OK, LOGIN or NO (rules.py), or the status code itself when it is none of them."""
    login_paths = (reverse(settings.LOGIN_URL), reverse("admin:login"))
    status = response.status_code
    if 200 <= status < 300:
        return OK
    if 300 <= status < 400:
        location = response.get("Location", "")
        return LOGIN if location.split("?")[0].endswith(login_paths) else OK
    if status == 401:
        return LOGIN
    if status in (403, 404):
        return NO
    return str(status)


def expected_ok(expected: str, got: str, rule: Rule, method: str) -> bool:
    if got == expected:
        return True
    # A view that only answers POST refuses a GET with 405 before or after its access check;
    # and a POST to a view that does not take one (405) changes nothing.
    if got == "405" and (rule.post_only if method == "get" else expected != OK):
        return True
    return False


# --- the world, once for the module ---------------------------------------------------------

# The tables of ketnoi's own apps (those with models or views), for the counts of a POST.
def _counted_models():
    return [m for m in apps.get_models() if m.__module__.startswith("ketnoi.") and not m._meta.proxy]


def counts() -> dict:
    """Every ketnoi table's row count in one query: a refused POST must change none of them."""
    models = _counted_models()
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)})" for m in models)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return {m._meta.label: n for m, n in zip(models, row)}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("matrix-files")
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], MEDIA_ROOT=media,
                             EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    with django_db_blocker.unblock(), fast:
        with transaction.atomic():
            w = build_world()
            w.media_root = media
            w.clients = {}
            for role in ROLES:
                client = Client(raise_request_exception=False)
                if role != "anonymous":
                    client.force_login(w.users[role])
                w.clients[role] = client
            w.keys = {}
            from ketnoi.accounts.services import token_create

            for role in ROLES[1:]:
                _token, w.keys[role] = token_create(user=w.users[role], name="Ma trận quyền truy cập")
            w.seen = {}
            yield w
            transaction.set_rollback(True)
    _write_matrix(w.seen)


def _write_matrix(seen: dict) -> None:
    """var/access-matrix.md: the status each role got from each view (GET, then the refused
    POST's), for people to read; written when the roles' tests ran."""
    if not seen:
        return
    lines = ["# Access matrix (written by ketnoi/access_matrix/tests)", "",
             "| view | " + " | ".join(ROLES) + " |", "|---|" + "---|" * len(ROLES)]
    for key, cells in seen.items():
        lines.append(f"| `{key}` | " + " | ".join(cells.get(role, "") for role in ROLES) + " |")
    path = Path(settings.VAR_DIR) / "access-matrix.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def call(world, role: str, method: str, url: str, *, data=None, json=None, query=None, api=False):
    """One request in a savepoint rolled back after it; the client's cookies put back too."""
    client = world.clients[role]
    cookies = client.cookies
    client.cookies = type(cookies)(cookies)
    headers = {}
    if api and role != "anonymous":
        headers["Authorization"] = f"Bearer {world.keys[role]}"
    try:
        with transaction.atomic():
            before = counts() if method == "post" else None
            if method == "get":
                response = client.get(url, query or {}, headers=headers)
            elif json is not None:
                response = client.post(url, json, content_type="application/json", headers=headers)
            else:
                response = client.post(url, data or {}, headers=headers)
            written = {}
            if before is not None:
                after = counts()
                written = {label: after[label] - n for label, n in before.items() if after[label] != n}
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
    return response, written


def needles(text: str) -> list[str]:
    """A text as a page (HTML-escaped) or a JSON answer (escaped to ASCII or not) may carry it."""
    from html import escape

    return list({text, escape(text), json.dumps(text)[1:-1]})


def _text_of(response) -> str:
    """The body of a text answer (HTML, JSON, CSV, calendar); "" for files and streams."""
    content_type = response.get("Content-Type", "")
    if response.streaming or not content_type.startswith(("text/", "application/json")):
        return ""
    return response.content.decode(response.charset or "utf-8", errors="replace")


def _describe(response) -> str:
    got = str(response.status_code)
    if 300 <= response.status_code < 400:
        got += " → " + response.get("Location", "")[:60]
    if getattr(response, "exc_info", None):
        got += f" {response.exc_info[1]!r}"[:160]
    return got


# --- the tests ------------------------------------------------------------------------------

def test_it_has_a_rule_for_every_page_and_operation():
    missing = []
    for key, route, namespace, _pattern in pages():
        if rule_for_page(key, namespace) is None:
            missing.append(f"  page {key!r} (/{route}): declare it in {_where(_app_of_page(namespace), 'PAGES')}")
    for key, _method, _path, app in operations():
        if rule_for_operation(key, app) is None:
            missing.append(f"  API {key!r}: declare it in {_where(app, 'API')}")
    assert not missing, ("These views have no access rule (see ketnoi/access_matrix/rules.py for the words):\n"
                         + "\n".join(missing))


def test_it_has_no_rule_for_a_view_that_is_gone():
    keys = {key for key, *_ in pages()} | {key for key, *_ in operations()}
    tables = [(None, "PAGES"), (None, "API")] + [
        (app.label, name) for app in apps.get_app_configs() if app.name.startswith("ketnoi.") for name in ("PAGES", "API")]
    stale = [f"  {key!r} in {_where(app, name)}" for app, name in tables for key in _table(app, name) if key not in keys]
    assert not stale, "These rules name no page or operation any more:\n" + "\n".join(stale)


def test_it_calls_the_admin_pages_of_every_registered_model():
    from django.contrib import admin

    routes = {route for _key, route, namespace, _p in pages() if namespace == "admin"}
    for model in admin.site._registry:
        base = f"admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert {base, base + "add/", base + "<path:object_id>/change/"} <= routes, model


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_rules_say(world, role, settings):
    settings.MEDIA_ROOT = world.media_root
    mismatches = []

    secrets = [(what, needles(text)) for what, text, allowed in world.secrets if role not in allowed]

    def check(key, method, expected, rule, response, written=None):
        got = outcome(response)
        cell = world.seen.setdefault(key, {})
        cell[role] = (cell.get(role, "") + " / " if role in cell else "") + str(response.status_code)
        if not expected_ok(expected, got, rule, method) or got.startswith("5"):
            mismatches.append((key, method.upper(), expected, _describe(response)))
        elif written:
            mismatches.append((key, method.upper(), "writes nothing", f"wrote {written}"))
        elif shown := [what for what, texts in secrets if what not in rule.may_show
                       and any(text in _text_of(response) for text in texts)]:
            mismatches.append((key, method.upper(), "not to show it", f"shows {', '.join(shown)}"))

    for key, route, namespace, _pattern in pages():
        rule = rule_for_page(key, namespace)
        if rule is None:
            continue  # test_it_has_a_rule_for_every_page_and_operation says where to declare it
        try:
            url = url_of(world, route, rule, namespace)
        except KeyError as error:
            mismatches.append((key, "", "", f"argument {error} not declared: .at({error.args[0]}=...)"))
            continue
        expected = rule.expect[role]
        response, _ = call(world, role, "get", url, query=_of_world(world, rule.query_params))
        check(key, "get", expected, rule, response)
        post_expected = (rule.post_expect or rule.expect)[role]
        if post_expected != OK and not rule.sends_to_login:
            response, written = call(world, role, "post", url, data=_of_world(world, rule.form_data))
            check(key, "post", post_expected, rule, response, written)

    for key, method, path, app in operations():
        rule = rule_for_operation(key, app)
        if rule is None:
            continue
        try:
            url = api_path_of(world, path, rule)
        except KeyError as error:
            mismatches.append((key, "", "", f"argument {error} not declared: .at({error.args[0]}=...)"))
            continue
        expected = rule.expect[role]
        if method == "get":
            response, _ = call(world, role, "get", url, query=_of_world(world, rule.query_params), api=True)
            check(key, "get", expected, rule, response)
        elif expected != OK:
            if rule.json_body is None:
                mismatches.append((key, method.upper(), expected, "no .body(...) declared for the refused roles' call"))
                continue
            response, written = call(world, role, method, url, json=_of_world(world, rule.json_body), api=True)
            check(key, method, expected, rule, response, written)

    if mismatches:
        width = max(len(m[0]) for m in mismatches)
        lines = [f"  {k:<{width}}  {m:<4}  expected {e:<14} got {g}" for k, m, e, g in mismatches]
        pytest.fail(f"{len(mismatches)} view(s) do not give {role!r} what the rules say:\n" + "\n".join(lines),
                    pytrace=False)
