"""The API refuses text no database can store (a NUL, an unpaired surrogate) with a 422 that
names the field, before the operation runs: PostgreSQL would fail on it with a 500, and SQLite
would store a NUL no one can see."""

import pytest

from ketnoi.cases.models import Case
from ketnoi.cases.tests.api_helpers import world  # noqa: F401 (fixture)

BODY = ('{"topic": "thue", "subject": "Hoàn thuế%s", "description": "Hồ sơ hoàn thuế gồm những gì?", '
        '"declaration_numbers": [], "hs_codes": [], "unit": null}')


@pytest.mark.parametrize("escaped", ["\\u0000", "\\ud800", "\\uDFFF"])
def test_it_refuses_an_unstorable_character_in_a_json_field(world, escaped):
    r = world.post_raw("/cases", BODY % escaped, as_=world.business)
    assert r.status_code == 422
    assert r.json()["error"]["details"][0]["field"] == "subject"
    assert Case.objects.count() == 0


def test_it_accepts_a_surrogate_pair_written_as_escapes(world):
    r = world.post_raw("/cases", BODY % " \\ud83d\\udce6", as_=world.business)
    assert r.status_code == 201, r.content
    assert Case.objects.get().subject == "Hoàn thuế 📦"


def test_it_refuses_a_nul_in_a_query_parameter(world):
    r = world.get("/knowledge/search", {"q": "hoàn\x00thuế"})
    assert r.status_code == 422
    assert r.json()["error"]["details"] == [{"field": "q", "message": r.json()["error"]["details"][0]["message"]}]
    assert "NUL" in r.json()["error"]["details"][0]["message"]
