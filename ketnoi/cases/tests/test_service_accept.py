"""case_accept: the business accepts the answer; the case is resolved and a rating link is sent."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ketnoi.cases import services
from ketnoi.cases.models import CaseEvent, Status

from .core_helpers import assert_state_is_replayable, file_case, fresh, kinds, mail_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(w):
    case = file_case(w)
    services.case_answer(case=case, body="Trả lời.", by=w.officer)
    return case


def test_the_business_accepts_and_gets_a_rating_link(w, answered, commit):
    with commit():
        services.case_accept(case=answered, by=w.business2)
    case = fresh(answered)
    assert case.status == Status.RESOLVED and case.resolved_at is not None
    assert kinds(case)[-2:] == [CaseEvent.Kind.ACCEPTED, CaseEvent.Kind.RESOLVED]
    assert case.events.get(kind=CaseEvent.Kind.RESOLVED).data == {"automatic": False}
    for user in (w.business, w.business2):
        (message,) = mail_to(user)
        token = re.search(r"/cases/rate/([^/\s]+)/", message.body).group(1)
        assert services.case_from_rating_token(token) == case
    assert_state_is_replayable(case)


@pytest.mark.parametrize("who", ["other_business", "operator", "officer", "leader", "coordinator"])
def test_only_a_business_user_of_the_enterprise_accepts(w, answered, who):
    with pytest.raises(PermissionDenied):
        services.case_accept(case=answered, by=getattr(w, who))
    assert fresh(answered).status == Status.ANSWERED


def test_only_an_answered_case_is_accepted(w):
    case = file_case(w)
    with pytest.raises(ValidationError):
        services.case_accept(case=case, by=w.business)
    services.case_answer(case=case, body="Trả lời.", by=w.officer)
    services.case_accept(case=case, by=w.business)
    with pytest.raises(ValidationError):
        services.case_accept(case=case, by=w.business)
    assert kinds(case).count(CaseEvent.Kind.RESOLVED) == 1
