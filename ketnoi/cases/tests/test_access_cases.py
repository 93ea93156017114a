"""Who may see and act on which case: a matrix of roles × questions, and the list of visible
cases agreeing with the one-case answer."""

import pytest
from django.contrib.auth.models import AnonymousUser

from ketnoi.accounts.access import principal_for
from ketnoi.cases import access, services
from ketnoi.cases.models import Case

from .core_helpers import build_world, file_case, fresh

pytestmark = pytest.mark.django_db

QUESTIONS = ["may_view", "may_handle", "may_add_note", "may_lead", "visible", "is_business_party"]

# Who                  view   handle note   lead   visible party
MATRIX = {
    "business":       (True,  False, False, False, True,  True),
    "other_business": (False, False, False, False, False, False),
    "officer":        (True,  True,  True,  False, True,  False),
    "other_officer":  (False, False, False, False, False, False),
    "shared_officer": (True,  False, True,  False, True,  False),
    "leader":         (True,  True,  True,  True,  True,  False),
    "other_leader":   (False, False, False, False, False, False),
    "coordinator":    (True,  True,  True,  True,  True,  False),
    "party":          (False, False, False, False, False, False),
    "operator":       (False, False, False, False, False, False),
    "admin":          (False, False, False, False, False, False),
    "anonymous":      (False, False, False, False, False, False),
}


@pytest.fixture
def w(db):
    w = build_world()
    w.anonymous = AnonymousUser()
    return w


@pytest.fixture
def case(w):
    case = file_case(w)
    services.case_share(case=case, unit=w.shared_unit, by=w.officer)
    return fresh(case)


def answers(p, case):
    return (access.may_view(p, case), access.may_handle(p, case), access.may_add_note(p, case),
            access.may_lead(p, case), access.visible_cases(p).filter(pk=case.pk).exists(),
            access.is_business_party(p, case))


@pytest.mark.parametrize("who", list(MATRIX))
def test_the_access_matrix(w, case, who):
    got = answers(principal_for(getattr(w, who)), case)
    assert dict(zip(QUESTIONS, got)) == dict(zip(QUESTIONS, MATRIX[who]))


@pytest.mark.parametrize("who", list(MATRIX))
def test_the_list_of_visible_cases_agrees_with_may_view(w, case, who):
    file_case(w, enterprise=w.other_enterprise, by=w.other_business, named_unit=w.other_unit)
    file_case(w, named_unit=None, enterprise=w.other_enterprise, by=w.other_business)  # coordinators' queue
    p = principal_for(getattr(w, who))
    assert set(access.visible_cases(p)) == {c for c in Case.objects.all() if access.may_view(p, c)}


@pytest.mark.parametrize("who", ["party", "admin", "anonymous", "operator"])
def test_party_office_admin_operator_and_anonymous_see_no_case(w, case, who):
    file_case(w, named_unit=None)
    assert not access.visible_cases(principal_for(getattr(w, who))).exists()


def test_a_case_in_the_coordinators_queue_is_for_coordinators_and_the_business(w):
    case = fresh(file_case(w, named_unit=None, enterprise=w.other_enterprise, by=w.other_business))
    assert case.unit is None
    assert answers(principal_for(w.coordinator), case)[:5] == (True, True, True, True, True)
    assert answers(principal_for(w.other_business), case)[0]
    for who in ("officer", "leader", "other_officer", "other_leader"):
        assert answers(principal_for(getattr(w, who)), case)[:5] == (False,) * 5


def test_a_case_with_the_department_is_led_by_coordinators(w, case):
    services.case_escalate(case=case, by=w.leader, reason="Vượt thẩm quyền.")
    case = fresh(case)
    assert answers(principal_for(w.leader), case)[:4] == (True, True, True, False)
    assert answers(principal_for(w.coordinator), case)[:4] == (True, True, True, True)
    assert answers(principal_for(w.other_officer), case)[:1] == (False,)


def test_a_business_user_of_two_enterprises_sees_both(w, case):
    from ketnoi.accounts.services import role_assign
    role_assign(user=w.business, role="business", enterprise=w.other_enterprise, by=None)
    del w.business._ketnoi_principal
    other = file_case(w, enterprise=w.other_enterprise, by=w.other_business, named_unit=w.other_unit)
    assert set(access.visible_cases(principal_for(w.business))) == {case, fresh(other)}


def test_an_inactive_user_is_nobody(w, case):
    w.officer.is_active = False
    assert not access.may_view(principal_for(w.officer), case)


@pytest.mark.parametrize("who, expected", [
    ("business", True), ("business2", True), ("other_business", False), ("operator", False),
    ("officer", False), ("coordinator", False), ("admin", False), ("anonymous", False),
])
def test_who_files_for_the_enterprise_on_the_web(w, who, expected):
    assert access.may_file_for_enterprise(principal_for(getattr(w, who)), w.enterprise.pk) is expected


@pytest.mark.parametrize("who, expected", [
    ("officer", True), ("leader", True), ("coordinator", True),
    ("business", False), ("party", False), ("admin", False), ("anonymous", False),
])
def test_who_files_on_behalf_of_a_business(w, who, expected):
    assert access.may_file_on_behalf(principal_for(getattr(w, who))) is expected


@pytest.mark.parametrize("who, expected", [("coordinator", True), ("leader", False), ("admin", False)])
def test_who_edits_routing_and_deadlines(w, who, expected):
    assert access.may_manage_routing(principal_for(getattr(w, who))) is expected


@pytest.mark.parametrize("topic, who, expected", [
    ("thue", "officer", True), ("thue", "leader", False), ("thue", "coordinator", False),
    ("thu-tuc", "officer", False),
])
def test_whose_answers_need_approval(w, topic, who, expected):
    case = fresh(file_case(w, topic=topic))
    assert access.answer_needs_approval(principal_for(getattr(w, who)), case) is expected
