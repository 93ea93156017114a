"""case_share: another unit sees the case and adds notes; it does not handle it."""

import pytest
from django.core.exceptions import PermissionDenied

from ketnoi.accounts.access import principal_for
from ketnoi.cases import access, services
from ketnoi.cases.models import CaseEvent

from .core_helpers import assert_state_is_replayable, file_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(w):
    return file_case(w)


def test_sharing_makes_the_case_visible_to_the_shared_unit(w, case):
    p = principal_for(w.shared_officer)
    assert not access.may_view(p, case)
    services.case_share(case=case, unit=w.shared_unit, by=w.officer)
    assert access.may_view(p, case) and access.may_add_note(p, case)
    assert not access.may_handle(p, case) and not access.may_lead(p, case)
    assert list(access.visible_cases(p)) == [case]
    event = case.events.get(kind=CaseEvent.Kind.SHARED)
    assert not event.public and event.data == {"unit": w.shared_unit.pk}
    assert_state_is_replayable(case)


def test_sharing_twice_or_with_the_handling_unit_records_nothing_more(w, case):
    services.case_share(case=case, unit=w.shared_unit, by=w.officer)
    services.case_share(case=case, unit=w.shared_unit, by=w.leader)
    services.case_share(case=case, unit=w.unit, by=w.leader)
    assert case.events.filter(kind=CaseEvent.Kind.SHARED).count() == 1
    assert list(case.shared_with.all()) == [w.shared_unit]


@pytest.mark.parametrize("who", ["other_officer", "business", "party", "admin"])
def test_outsiders_cannot_share(w, case, who):
    with pytest.raises(PermissionDenied):
        services.case_share(case=case, unit=w.shared_unit, by=getattr(w, who))
    assert not case.shared_with.exists()


def test_a_shared_unit_cannot_share_further(w, case):
    services.case_share(case=case, unit=w.shared_unit, by=w.officer)
    with pytest.raises(PermissionDenied):
        services.case_share(case=case, unit=w.other_unit, by=w.shared_officer)
