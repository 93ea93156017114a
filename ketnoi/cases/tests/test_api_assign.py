import pytest

from ketnoi.accounts.models import User
from ketnoi.cases import services

from .api_helpers import assert_error, file_case, garbage_references, refreshed, resolved, world  # noqa: F401


def url(case) -> str:
    return f"/cases/{case.reference}/assign"


@pytest.fixture
def case(world):
    return file_case(world)


def assignee_of(case):
    return refreshed(case).assignee


@pytest.mark.parametrize("payload", [{}, {"assignee": None}])
def test_an_officer_takes_a_case(world, case, payload):
    r = world.post(url(case), payload, as_=world.officer)
    assert r.status_code == 200
    assert r.json()["assignee"] == "hung" and r.json()["status"] == "in_progress"
    assert r.json()["reference"] == case.reference
    assert assignee_of(case) == world.officer
    assert case.events.filter(kind="assigned", public=False).count() == 1


def test_taking_a_case_twice_changes_nothing(world, case):
    world.post(url(case), {}, as_=world.officer)
    assert world.post(url(case), {}, as_=world.officer).status_code == 200
    assert case.events.filter(kind="assigned").count() == 1


def test_a_leader_assigns_an_officer(world, case):
    world.colleague
    r = world.post(url(case), {"assignee": "mai"}, as_=world.leader)
    assert r.status_code == 200 and r.json()["assignee"] == "mai"
    assert assignee_of(case) == world.colleague


def test_a_coordinator_assigns_an_officer(world, case):
    world.officer
    assert world.post(url(case), {"assignee": "hung"}, as_=world.coordinator).json()["assignee"] == "hung"


def test_a_coordinator_takes_a_case_from_the_queue(world):
    queued = file_case(world, unit=None)
    r = world.post(url(queued), {}, as_=world.coordinator)
    assert r.status_code == 200 and r.json()["assignee"] == "dieuphoi"


def test_an_officer_cannot_assign_a_colleague(world, case):
    world.colleague
    assert_error(world.post(url(case), {"assignee": "mai"}, as_=world.officer), 403, "forbidden")
    assert assignee_of(case) is None


@pytest.mark.parametrize("username", ["khac", "lan", "dieuphoi-khong-co", "", "x" * 150])
def test_a_leader_can_assign_only_an_officer_of_the_unit(world, case, username):
    world.other_officer, world.business
    error = assert_error(world.post(url(case), {"assignee": username}, as_=world.leader), 400, "invalid")
    assert list(error["details"]) == ["assignee"]
    assert assignee_of(case) is None


def test_a_leader_cannot_assign_an_officer_who_left(world, case):
    User.objects.filter(pk=world.colleague.pk).update(is_active=False)
    assert_error(world.post(url(case), {"assignee": "mai"}, as_=world.leader), 400, "invalid")


def test_a_case_no_longer_open_cannot_be_assigned(world, case):
    resolved(world, case)
    assert_error(world.post(url(case), {}, as_=world.officer), 400, "invalid")


@pytest.mark.parametrize("payload", [{}, {"assignee": "hung"}, {"assignee": "khong-co-ai"}])
def test_the_business_cannot_assign(world, case, payload):
    """Refused before the username is looked up: a business cannot probe usernames."""
    world.officer
    assert_error(world.post(url(case), payload, as_=world.business), 403, "forbidden")
    assert assignee_of(case) is None


def test_a_unit_the_case_is_shared_with_cannot_take_it(world, case):
    services.case_share(case=case, unit=world.other_unit, by=world.officer)
    assert_error(world.post(url(case), {}, as_=world.other_officer), 403, "forbidden")


@pytest.mark.parametrize("user", ["other_business", "other_officer", "operator", "party", "admin"])
def test_those_who_may_not_see_the_case_get_404(world, case, user):
    assert_error(world.post(url(case), {}, as_=getattr(world, user)), 404, "not_found")
    assert assignee_of(case) is None


def test_an_officer_cannot_take_a_case_from_the_coordinators_queue(world):
    queued = file_case(world, unit=None)
    assert_error(world.post(url(queued), {}, as_=world.officer), 404, "not_found")


@pytest.mark.parametrize("reference", garbage_references())
def test_it_answers_404_to_garbage(world, case, reference):
    assert_error(world.post(f"/cases/{reference}/assign", {}, as_=world.leader), 404, "not_found")


@pytest.mark.parametrize("payload", [{"assignee": 7}, {"assignee": ["hung"]}])
def test_it_refuses_the_wrong_types(world, case, payload):
    assert_error(world.post(url(case), payload, as_=world.leader), 422, "invalid")


def test_it_requires_a_token(world, case):
    assert_error(world.post(url(case), {}), 401, "unauthenticated")


def test_it_rejects_get(world, case):
    assert_error(world.get(url(case), as_=world.officer), 405, "method_not_allowed")
