from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ketnoi.accounts.models import Role
from ketnoi.audit.models import AuditEvent
from ketnoi.lib.party_org import Kind
from ketnoi.party import services
from ketnoi.testing import make_user

from .helpers import make_organisation, make_party_office


@pytest.fixture
def office(db):
    return make_party_office()


def test_it_creates_the_tree(office):
    committee = services.organisation_create(kind=Kind.UPPER_GRASSROOTS_COMMITTEE, by=office,
                                             name="  Đảng bộ Cục Hải quan  TP. Hồ Chí Minh ")
    secretary = make_user(Role.OFFICER)
    cell = services.organisation_create(kind=Kind.GRASSROOTS_CELL, parent=committee, by=office, secretaries=[secretary],
                                        name="Chi bộ Chi cục Hải quan Khu công nghệ cao", founded_on=date(2003, 5, 1))
    assert committee.name == "Đảng bộ Cục Hải quan TP. Hồ Chí Minh"
    assert cell.parent == committee
    assert list(cell.secretaries.all()) == [secretary]
    event = AuditEvent.objects.get(action="party.organisation.created", object_id=str(cell.pk))
    assert event.actor == office and event.after["secretaries"] == [secretary.pk]


def test_it_refuses_a_kind_that_cannot_sit_under_the_parent(office):
    cell = make_organisation(kind=Kind.GRASSROOTS_CELL)
    with pytest.raises(ValidationError) as error:
        services.organisation_create(kind=Kind.CELL, parent=cell, name="Chi bộ 1", by=office)
    assert "parent" in error.value.message_dict


def test_it_refuses_a_grassroots_organisation_without_a_parent(office):
    with pytest.raises(ValidationError) as error:
        services.organisation_create(kind=Kind.GRASSROOTS_CELL, name="Chi bộ lạc", by=office)
    assert "parent" in error.value.message_dict


def test_it_refuses_a_closed_parent(office):
    committee = make_organisation(kind=Kind.GRASSROOTS_COMMITTEE, dissolved_on=date(2020, 1, 1), change="dissolved")
    with pytest.raises(ValidationError) as error:
        services.organisation_create(kind=Kind.CELL, parent=committee, name="Chi bộ 2", by=office)
    assert "parent" in error.value.message_dict


def test_it_refuses_an_empty_name(office):
    with pytest.raises(ValidationError) as error:
        services.organisation_create(kind=Kind.UPPER_GRASSROOTS_COMMITTEE, name="  ", by=office)
    assert "name" in error.value.message_dict


@pytest.mark.parametrize("role", [Role.ADMIN, Role.COORDINATOR, Role.LEADER, Role.OFFICER])
def test_it_requires_the_party_office(db, role):
    with pytest.raises(PermissionDenied):
        services.organisation_create(kind=Kind.UPPER_GRASSROOTS_COMMITTEE, name="Đảng bộ", by=make_user(role))


def test_it_changes_the_secretaries(office):
    cell = make_organisation(secretaries=[old := make_user(Role.OFFICER)])
    new = make_user(Role.LEADER)
    services.organisation_set_secretaries(organisation=cell, secretaries=[new], by=office)
    assert list(cell.secretaries.all()) == [new]
    event = AuditEvent.objects.get(action="party.organisation.secretaries")
    assert event.before["secretaries"] == [old.pk] and event.after["secretaries"] == [new.pk]
