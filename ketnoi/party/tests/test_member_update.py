from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ketnoi.audit.models import AuditEvent
from ketnoi.party import services

from .helpers import build_register


@pytest.fixture
def r(db):
    return build_register()


def test_it_corrects_a_member_and_recomputes_the_admission(r):
    member = r.high_tech_members[0]
    services.member_update(member=member, by=r.office, position="Bí thư chi bộ", admission_decision_on=date(1990, 1, 9))
    member.refresh_from_db()
    assert member.position == "Bí thư chi bộ" and member.admitted_on == date(1990, 1, 9)
    event = AuditEvent.objects.get(action="party.member.updated")
    assert event.after["fields"] == ["admission_decision_on", "position"]
    assert "Bí thư" not in str(event.after)


def test_it_records_nothing_when_nothing_changes(r):
    member = r.high_tech_members[0]
    services.member_update(member=member, by=r.office, full_name=member.full_name)
    assert not AuditEvent.objects.filter(action="party.member.updated").exists()


def test_it_checks_the_dates_against_the_record(r):
    member = r.high_tech_members[0]  # admitted 19/01/1990
    with pytest.raises(ValidationError) as error:
        services.member_update(member=member, by=r.office, full_member_on=date(1989, 1, 1))
    assert "full_member_on" in error.value.message_dict


def test_it_refuses_another_members_card_number(r):
    with pytest.raises(ValidationError):
        services.member_update(member=r.high_tech_members[0], by=r.office, card_number=r.cat_lai_members[0].card_number)


def test_it_does_not_change_status_or_organisation(r):
    with pytest.raises(TypeError):
        services.member_update(member=r.high_tech_members[0], by=r.office, organisation=r.cat_lai)


def test_it_refuses_a_secretary(r):
    with pytest.raises(PermissionDenied):
        services.member_update(member=r.high_tech_members[0], by=r.high_tech_secretary, position="Bí thư")
