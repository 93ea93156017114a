"""The hostile-input corpus (`corpus.spread`) in the query of every search and filter page: the answer is below
500 (200 with the results or the form's message, or 400), the hostile text is shown escaped,
and a search writes nothing to the audit trail."""

from urllib.parse import quote, quote_from_bytes

import pytest
from django.test import Client

from .corpus import CORPUS, spread
from .test_forms_hostile import _assert_escaped
from .world import build_world, table_counts

# page -> (who searches, the parameters a person types into)
SEARCH_PAGES = {
    "/hoi-dap/": (None, ["q", "topic"]),
    "/hoi-dap/van-ban/": (None, ["q", "status"]),
    "/cases/similar/": (None, ["text"]),
    "/cases/queue/": ("coordinator", ["q", "status", "topic", "unit", "sort"]),
    "/cases/": ("business", ["q"]),
    "/chi-dao/tim-kiem/": ("coordinator", ["q"]),
    "/chi-dao/": ("leader", ["day", "unit"]),
    "/gia-dich-vu/": (None, ["unit", "kind"]),
    "/doi-thoai/": (None, ["unit", "topic"]),
    "/dang-bo/dang-vien/": ("party", ["q", "organisation", "status"]),
    "/dang-bo/huy-hieu/": ("party", ["on", "organisation"]),
    "/bao-cao/": ("coordinator", ["year", "unit", "period"]),
}


@pytest.fixture
def world(db):
    world = build_world()
    world.client = Client(raise_request_exception=False)
    world.client.cookies["ketnoi_language"] = "en"
    world.article, world.case, world.directive, world.member  # something to find
    return world


@pytest.mark.parametrize("page", sorted(SEARCH_PAGES))
def test_it_answers_every_hostile_query_without_a_server_error(world, page):
    role, parameters = SEARCH_PAGES[page]
    if role:
        world.client.force_login(getattr(world, role))
    for parameter, name, value in spread(parameters, CORPUS):
        encoded = quote_from_bytes(value) if isinstance(value, bytes) else quote(value)
        before = table_counts([])
        r = world.client.get(f"{page}?{parameter}={encoded}")
        what = f"{page}?{parameter}={name}"
        assert r.status_code in (200, 302, 400), f"{what}: {r.status_code}"
        _assert_escaped(r.content.decode(errors="replace"), what)
        assert table_counts([]) == before, f"{what}: a search wrote to the audit trail"
