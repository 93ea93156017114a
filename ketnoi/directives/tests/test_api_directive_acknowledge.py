"""POST /api/v1/directives/{id}/acknowledgements: a unit's leader or delegate acknowledges."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ketnoi.accounts.models import Role
from ketnoi.accounts.services import role_assign
from ketnoi.audit.models import AuditEvent
from ketnoi.cases.tests.api_helpers import assert_error
from ketnoi.directives import services
from ketnoi.directives.models import Recipient
from ketnoi.testing import make_user

from .api_helpers import counts, dworld, issue  # noqa: F401  (fixture)


def url(directive) -> str:
    return f"/directives/{directive.pk}/acknowledgements"


def recipient(directive, unit) -> Recipient:
    return Recipient.objects.get(directive=directive, unit=unit)


@pytest.fixture
def directive(dworld):
    return issue(dworld, ack_within_hours=4)


# --- a leader or delegate acknowledges -------------------------------------------------------

def test_a_leader_acknowledges_for_its_unit(dworld, directive):
    r = dworld.post(url(directive), {"unit": "02CI"}, as_=dworld.leader)
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["unit"]["code"] == "02CI" and data["acknowledgement"] == "on_time"
    assert data["acknowledged_by"] == "Võ Văn Trưởng" and data["acknowledged_at"].endswith("+07:00")
    row = recipient(directive, dworld.unit)
    assert row.acknowledged_by == dworld.leader and row.acknowledged_at is not None
    assert recipient(directive, dworld.other_unit).acknowledged_at is None  # the other branch still has to
    assert AuditEvent.objects.filter(action="directive.acknowledged").count() == 1


def test_a_second_acknowledgement_answers_200_and_changes_nothing(dworld, directive):
    first = dworld.post(url(directive), {"unit": "02CI"}, as_=dworld.leader)
    assert first.status_code == 201
    dworld.delegate
    before = counts()
    again = dworld.post(url(directive), {"unit": "02CI"}, as_=dworld.delegate)
    assert again.status_code == 200, again.content
    assert again.json() == first.json()  # the same body: still the leader's acknowledgement, at its moment
    assert counts() == before


def test_the_unit_may_be_left_out_when_the_caller_acts_for_one(dworld, directive):
    r = dworld.post(url(directive), {}, as_=dworld.leader)
    assert r.status_code == 201, r.content
    assert r.json()["unit"]["code"] == "02CI"
    assert recipient(directive, dworld.unit).acknowledged_by == dworld.leader


@pytest.mark.parametrize("raw", ["", '{"unit": null}', '{"unit": " "}', "null"])
def test_an_empty_body_names_no_unit(dworld, directive, raw):
    r = dworld.post_raw(url(directive), raw, as_=dworld.other_leader)
    assert r.status_code == 201, r.content
    assert r.json()["unit"]["code"] == "02DS"


def test_the_unit_may_be_given_by_id(dworld, directive):
    r = dworld.post(url(directive), {"unit": dworld.other_unit.pk}, as_=dworld.other_leader)
    assert r.status_code == 201 and r.json()["unit"]["id"] == dworld.other_unit.pk


def test_a_delegate_acknowledges_for_its_unit(dworld, directive):
    r = dworld.post(url(directive), {}, as_=dworld.delegate)
    assert r.status_code == 201, r.content
    assert recipient(directive, dworld.unit).acknowledged_by == dworld.colleague


def test_a_leader_of_two_units_says_which(dworld, directive):
    role_assign(user=dworld.leader, role=Role.LEADER, unit=dworld.other_unit, enterprise=None, by=None)
    before = counts()
    r = dworld.post(url(directive), {}, as_=dworld.leader)
    assert_error(r, 400, "invalid")
    assert list(r.json()["error"]["details"]) == ["unit"]
    assert counts() == before
    assert dworld.post(url(directive), {"unit": "02DS"}, as_=dworld.leader).status_code == 201
    assert recipient(directive, dworld.other_unit).acknowledged_at is not None
    assert recipient(directive, dworld.unit).acknowledged_at is None


def test_a_late_acknowledgement_is_late(dworld):
    directive = issue(dworld, issued_at=timezone.now() - timedelta(hours=10), ack_within_hours=2)
    r = dworld.post(url(directive), {}, as_=dworld.leader)
    assert r.status_code == 201 and r.json()["acknowledgement"] == "late"


def test_an_acknowledgement_not_asked_for_is_still_recorded(dworld):
    directive = issue(dworld)  # no deadline
    r = dworld.post(url(directive), {}, as_=dworld.leader)
    assert r.status_code == 201 and r.json()["acknowledgement"] == "on_time" and r.json()["ack_due_at"] is None


def test_the_acknowledgement_shows_in_the_list_and_the_detail(dworld, directive):
    dworld.post(url(directive), {}, as_=dworld.leader)
    [item] = dworld.get("/directives", as_=dworld.officer).json()["items"]
    assert item["recipients"][0]["acknowledgement"] == "on_time"
    by_code = {r["unit"]["code"]: r for r in dworld.get(f"/directives/{directive.pk}", as_=dworld.coordinator).json()["recipients"]}
    assert by_code["02CI"]["acknowledgement"] == "on_time" and by_code["02DS"]["acknowledgement"] == "pending"


# --- refused: who may not, and what was not sent ---------------------------------------------

def test_an_officer_who_is_no_delegate_may_not_acknowledge(dworld, directive):
    before = counts()
    assert_error(dworld.post(url(directive), {"unit": "02CI"}, as_=dworld.officer), 403, "forbidden")
    assert_error(dworld.post(url(directive), {}, as_=dworld.officer), 403, "forbidden")
    assert counts() == before


def test_a_leader_may_not_acknowledge_for_another_unit(dworld, directive):
    before = counts()
    assert_error(dworld.post(url(directive), {"unit": "02DS"}, as_=dworld.leader), 403, "forbidden")
    assert counts() == before


def test_a_coordinator_does_not_acknowledge_for_the_units(dworld, directive):
    before = counts()
    assert_error(dworld.post(url(directive), {}, as_=dworld.coordinator), 403, "forbidden")
    assert_error(dworld.post(url(directive), {"unit": "02CI"}, as_=dworld.coordinator), 403, "forbidden")
    assert counts() == before


def test_a_unit_the_directive_was_not_sent_to_gets_400(dworld):
    """A team works under its branch's directives but was not itself asked to acknowledge."""
    directive = issue(dworld, target="units", target_units=[dworld.unit], ack_within_hours=4)
    team_leader = make_user(Role.LEADER, unit=dworld.team, language="en")
    before = counts()
    r = dworld.post(url(directive), {}, as_=team_leader)
    assert_error(r, 400, "invalid")
    assert list(r.json()["error"]["details"]) == ["unit"]
    r = dworld.post(url(directive), {"unit": dworld.team.pk}, as_=team_leader)
    assert_error(r, 400, "invalid")
    assert list(r.json()["error"]["details"]) == ["unit"]
    assert counts() == before


def test_a_directive_the_caller_may_not_see_is_404(dworld):
    directive = issue(dworld, target="units", target_units=[dworld.other_unit], ack_within_hours=4)
    before = counts()
    assert_error(dworld.post(url(directive), {"unit": "02DS"}, as_=dworld.leader), 404, "not_found")
    assert_error(dworld.post(url(directive), {}, as_=dworld.leader), 404, "not_found")
    assert counts() == before


@pytest.mark.parametrize("garbage", ["999999", "0", "abc", "99999999999999999999"])
def test_an_id_that_is_no_directive_is_404(dworld, directive, garbage):
    assert_error(dworld.post(f"/directives/{garbage}/acknowledgements", {}, as_=dworld.leader), 404, "not_found")


def test_it_requires_a_token(dworld, directive):
    before = counts()
    assert_error(dworld.post(url(directive), {"unit": "02CI"}), 401, "unauthenticated")
    assert counts() == before


@pytest.mark.parametrize("role", ["business", "operator", "party", "admin"])
def test_people_outside_customs_are_refused(dworld, directive, role):
    before = counts()
    assert_error(dworld.post(url(directive), {"unit": "02CI"}, as_=getattr(dworld, role)), 403, "forbidden")
    assert_error(dworld.post(url(directive), {}, as_=getattr(dworld, role)), 403, "forbidden")
    assert counts() == before


def test_a_user_with_no_role_is_refused(dworld, directive):
    before = counts()
    assert_error(dworld.post(url(directive), {}, as_=make_user(None)), 403, "forbidden")
    assert counts() == before


# --- bad input -----------------------------------------------------------------------------

@pytest.mark.parametrize("unit", ["99ZZ", "0", 999999])
def test_it_refuses_an_unknown_unit(dworld, directive, unit):
    before = counts()
    r = dworld.post(url(directive), {"unit": unit}, as_=dworld.leader)
    assert_error(r, 400, "invalid")
    assert list(r.json()["error"]["details"]) == ["unit"]
    assert counts() == before


@pytest.mark.parametrize("unit", ["02CI" * 10_000, ["02CI"], {"code": "02CI"}, True, -1, 2**40, 1.5])
def test_it_refuses_a_unit_that_is_not_one(dworld, directive, unit):
    before = counts()
    r = dworld.post(url(directive), {"unit": unit}, as_=dworld.leader)
    error = assert_error(r, 422, "invalid")
    assert [d["field"] for d in error["details"]] == ["unit"] and len(r.content) < 1000
    assert counts() == before


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", '"02CI"', "\x00"])
def test_it_refuses_a_body_that_is_not_an_object(dworld, directive, raw):
    before = counts()
    r = dworld.post_raw(url(directive), raw, as_=dworld.leader)
    assert r.status_code in (400, 422)
    assert r.json()["error"]["code"] in ("bad_request", "invalid")
    assert counts() == before


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_it_rejects_other_methods(dworld, directive, method):
    r = dworld.call(method, url(directive), as_=dworld.leader)
    assert_error(r, 405, "method_not_allowed")
    assert r["Allow"] == "POST"


def test_a_report_acknowledges_too(dworld, directive):
    """The service counts a report as an acknowledgement: the endpoint then answers 200."""
    services.directive_report(directive=directive, unit=dworld.unit, text="Đã triển khai tại các đội.", by=dworld.leader)
    r = dworld.post(url(directive), {}, as_=dworld.leader)
    assert r.status_code == 200 and r.json()["report"] == "on_time"
