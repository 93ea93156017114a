"""Who may do what in the dialogue programmes: the matrix of roles × questions of access.py."""

import pytest

from ketnoi.accounts.access import principal_for
from ketnoi.accounts.models import Role
from ketnoi.dialogue import access
from ketnoi.dialogue.models import Session
from ketnoi.testing import make_user

from .service_helpers import clock, first_session, make_programme, w  # noqa: F401

USERS = ["leader", "deputy", "officer", "team_officer", "department_leader", "host", "other_officer", "other_leader",
         "coordinator", "business", "operator", "party", "admin", "nobody", "anonymous"]

# user: (create/manage/lead, run the session)
EXPECTED = {
    "leader": (True, True), "deputy": (True, True), "officer": (False, True),
    "team_officer": (False, False),  # a team below the branch does not run the branch's sessions
    "department_leader": (False, True),  # the unit above does
    "host": (False, True),
    "other_officer": (False, False), "other_leader": (False, False), "coordinator": (True, True),
    "business": (False, False), "operator": (False, False), "party": (False, False), "admin": (False, False),
    "nobody": (False, False), "anonymous": (False, False),
}


@pytest.fixture
def programme(w):
    w.host = make_user(Role.OFFICER, unit=w.other_branch, full_name="Kiều Thị Bảo Ngọc")  # invited from another branch
    return make_programme(w, hosts=[w.host])


def _principal(w, name):
    return principal_for(None) if name == "anonymous" else principal_for(getattr(w, name))


@pytest.mark.parametrize("name", USERS)
def test_the_matrix(w, programme, name):
    p = _principal(w, name)
    session = first_session(programme)
    manage, run = EXPECTED[name]
    assert access.may_create_programme(p, w.branch) is manage
    assert access.may_manage_programme(p, programme) is manage
    assert access.may_lead_session(p, session) is manage
    assert access.may_run_session(p, session) is run
    assert (session in access.sessions_run_by(p)) is run


def test_a_host_who_leaves_the_staff_side_runs_nothing(w, programme):
    from ketnoi.accounts.models import RoleAssignment, User

    RoleAssignment.objects.filter(user=w.host).delete()
    assert access.may_run_session(principal_for(User.objects.get(pk=w.host.pk)), first_session(programme)) is False


def test_only_the_enterprises_business_users_register_it(w):
    assert access.may_register(principal_for(w.business), w.enterprise)
    assert not access.may_register(principal_for(w.business), w.enterprise2)
    assert not access.may_register(principal_for(w.operator), w.operator.role_assignments.get().enterprise)
    assert not access.may_register(principal_for(w.officer), w.enterprise)


def test_sessions_run_by_a_department_leader_cover_the_units_below(w, programme):
    other = make_programme(w, by=w.coordinator, unit=w.other_branch, hosts=[])
    run = set(access.sessions_run_by(principal_for(w.department_leader)).values_list("programme_id", flat=True))
    assert run == {programme.pk, other.pk}
    assert not access.sessions_run_by(principal_for(w.business)).exists()
    assert access.sessions_run_by(principal_for(w.coordinator)).count() == Session.objects.count()
