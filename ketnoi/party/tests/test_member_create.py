from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ketnoi.audit.models import AuditEvent
from ketnoi.party import services
from ketnoi.party.models import Member

from .helpers import build_register, make_member


@pytest.fixture
def r(db):
    return build_register()


def _create(r, **fields):
    values = dict(organisation=r.high_tech, full_name="Ngô  Thị Phương Thảo", gender="female", born_on=date(1985, 6, 12),
                  admission_decision_on=date(2010, 9, 2), full_member_on=date(2011, 9, 2), card_number=" 79 123456 ",
                  position="Phó Bí thư chi bộ", by=r.office)
    return services.member_create(**{**values, **fields})


def test_it_creates_a_member(r):
    member = _create(r)
    assert member.full_name == "Ngô Thị Phương Thảo"
    assert member.card_number == "79123456"
    assert member.admitted_on == date(2010, 9, 2)
    assert member.status == Member.Status.ACTIVE and not member.has_gaps


def test_it_counts_from_the_card_when_the_decision_is_lost(r):
    member = _create(r, admission_decision_on=None, card_admitted_on=date(2010, 9, 15))
    assert member.admitted_on == date(2010, 9, 15)


def test_it_keeps_the_member_out_of_the_general_audit_trail(r):
    member = _create(r)
    event = AuditEvent.objects.get(action="party.member.created")
    text = str(event.after) + event.object_repr + str(event.before)
    assert event.object_id == str(member.pk)
    assert "Thảo" not in text and "79123456" not in text and "1985" not in text
    assert "full_name" in event.after["fields"]


def test_it_needs_an_admission_date(r):
    with pytest.raises(ValidationError) as error:
        _create(r, admission_decision_on=None)
    assert "admission_decision_on" in error.value.message_dict


def test_it_collects_every_error_of_the_fields(r):
    with pytest.raises(ValidationError) as error:
        _create(r, full_name=" ", gender="x", born_on=date(2030, 1, 1))
    assert {"full_name", "gender", "born_on"} <= set(error.value.message_dict)


def test_it_refuses_an_admission_before_birth_and_full_membership_before_admission(r):
    with pytest.raises(ValidationError) as error:
        _create(r, born_on=date(2011, 1, 1), full_member_on=date(2010, 1, 1))
    assert {"born_on", "full_member_on"} <= set(error.value.message_dict)


def test_it_refuses_a_card_number_already_in_the_register(r):
    make_member(card_number="79123456")
    with pytest.raises(ValidationError) as error:
        _create(r)
    assert "card_number" in error.value.message_dict


def test_it_refuses_a_closed_organisation(r):
    r.high_tech.dissolved_on = date(2020, 1, 1)
    r.high_tech.save()
    with pytest.raises(ValidationError) as error:
        _create(r)
    assert "organisation" in error.value.message_dict


def test_it_refuses_a_secretary(r):
    with pytest.raises(PermissionDenied):
        _create(r, by=r.high_tech_secretary)
    assert not Member.objects.filter(full_name__startswith="Ngô").exists()
