"""GET /api/v1/dialogue/sessions and /dialogue/sessions/{id}: the public calendar, seats as counts."""

import pytest

from ketnoi.dialogue.models import Session

from .api_helpers import api, assert_error, first_session, make_programme  # noqa: F401
from .api_helpers import clock, w  # noqa: F401 (fixtures)


def test_anyone_lists_the_upcoming_sessions(api, w):
    programme = make_programme(w)
    r = api.get("/dialogue/sessions")
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == programme.sessions.count() == len(body["items"])
    first = body["items"][0]
    assert first["starts_at"] == "2026-03-06T07:30:00+07:00" and first["ends_at"] == "2026-03-06T09:00:00+07:00"
    assert first["unit"]["code"] == "02F3" and first["programme"]["rrule"] == "FREQ=MONTHLY;BYDAY=1FR"
    assert first["capacity"] == 3 and first["confirmed"] == 0 and first["seats_left"] == 3 and first["waiting"] == 0
    assert first["registration_open"] is True and first["status"] == "scheduled"
    assert first["ics_url"].endswith(f"/doi-thoai/phien/{first['id']}/lich.ics")
    assert "Friday" in first["programme"]["schedule"]


def test_it_never_names_a_registrant(api, w):
    make_programme(w)
    for item in api.get("/dialogue/sessions").json()["items"]:
        assert not {"registrations", "attendees", "enterprises", "questions"} & set(item)


def test_it_filters_by_unit_code_and_days(api, w):
    make_programme(w)
    make_programme(w, by=w.other_leader, unit=w.other_branch, name="Đối thoại KCX Linh Trung", hosts=[])
    by_unit = api.get("/dialogue/sessions", {"unit": "02pg"}).json()
    assert by_unit["count"] and {i["unit"]["code"] for i in by_unit["items"]} == {"02PG"}
    by_parent = api.get("/dialogue/sessions", {"unit": "02"}).json()  # the department: every unit below it
    assert {i["unit"]["code"] for i in by_parent["items"]} == {"02F3", "02PG"}
    april = api.get("/dialogue/sessions", {"from": "2026-04-01", "to": "2026-04-30", "unit": "02F3"}).json()
    assert [i["starts_at"][:10] for i in april["items"]] == ["2026-04-03"]


def test_empty_filters_are_no_filter(api, w):
    make_programme(w)
    assert api.get("/dialogue/sessions", {"unit": "", "from": "", "to": ""}).status_code == 200


def test_an_unknown_unit_is_a_400_naming_the_field(api, w):
    error = assert_error(api.get("/dialogue/sessions", {"unit": "XX99"}), 400, "invalid")
    assert "unit" in error["details"]


@pytest.mark.parametrize("bad", ["06/03/2026", "20260306", "2026-13-01", "tomorrow"])
def test_a_bad_day_is_a_422_naming_the_field(api, w, bad):
    error = assert_error(api.get("/dialogue/sessions", {"from": bad}), 422, "invalid")
    assert error["details"][0]["field"] == "from"


def test_to_before_from_is_a_400(api, w):
    error = assert_error(api.get("/dialogue/sessions", {"from": "2026-05-01", "to": "2026-04-01"}), 400, "invalid")
    assert "to" in error["details"]


def test_a_bad_token_is_a_401_even_on_the_public_calendar(api, w):
    assert_error(api.get("/dialogue/sessions", headers={"Authorization": "Bearer nope"}), 401, "unauthenticated")


def test_a_token_gets_the_same_calendar(api, w):
    make_programme(w)
    assert api.get("/dialogue/sessions", as_=w.business).json()["count"] == api.get("/dialogue/sessions").json()["count"]


def test_one_session(api, w):
    session = first_session(make_programme(w))
    r = api.get(f"/dialogue/sessions/{session.pk}")
    assert r.status_code == 200 and r.json()["id"] == session.pk and r.json()["number"] == 1


def test_a_cancelled_session_says_so(api, w):
    session = first_session(make_programme(w))
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED, change_reason="Trùng lịch họp")
    body = api.get(f"/dialogue/sessions/{session.pk}").json()
    assert body["status"] == "cancelled" and body["registration_open"] is False and body["change_reason"] == "Trùng lịch họp"


@pytest.mark.parametrize("path", ["/dialogue/sessions/999999", f"/dialogue/sessions/{2**40}", "/dialogue/sessions/abc"])
def test_an_unknown_session_is_a_404(api, w, path):
    assert_error(api.get(path), 404, "not_found")


def test_it_rejects_a_post_on_the_list(api, w):
    assert_error(api.post("/dialogue/sessions"), 405, "method_not_allowed")


def test_a_period_asked_for_includes_its_held_sessions(api, w, clock):
    programme = make_programme(w)
    march, april = programme.sessions.order_by("starts_at")[:2]
    Session.objects.filter(pk=march.pk).update(status=Session.Status.HELD)
    clock.set(2026, 3, 20, 9)  # March's session is past and held
    upcoming = api.get("/dialogue/sessions").json()
    assert march.pk not in [i["id"] for i in upcoming["items"]] and upcoming["items"][0]["id"] == april.pk
    period = api.get("/dialogue/sessions", {"from": "2026-03-01", "to": "2026-04-30"}).json()
    assert [(i["id"], i["status"]) for i in period["items"]] == [(march.pk, "held"), (april.pk, "scheduled")]
