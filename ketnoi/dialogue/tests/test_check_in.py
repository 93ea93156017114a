import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError

from ketnoi.dialogue import services
from ketnoi.testing import at

from .service_helpers import audit, clock, counts, first_session, fresh, make_programme, register, w  # noqa: F401


@pytest.fixture
def session(w):
    return first_session(make_programme(w, capacity=1))


def test_it_checks_in_on_the_day_by_the_qr_code(w, session, clock):
    registration = register(w, session)
    token = services.checkin_token(registration)
    clock.set(2026, 3, 6, 7, 20)
    found = services.registration_for_checkin(token)
    services.registration_check_in(registration=found, by=w.officer)
    registration = fresh(registration)
    assert registration.checked_in_at == at(2026, 3, 6, 7, 20) and registration.checked_in_by == w.officer
    assert len(audit("dialogue.checked_in", registration)) == 1


def test_a_second_check_in_changes_nothing(w, session, clock):
    registration = register(w, session)
    clock.set(2026, 3, 6, 7, 20)
    services.registration_check_in(registration=registration, by=w.officer)
    before = counts()
    clock.set(2026, 3, 6, 7, 40)
    services.registration_check_in(registration=registration, by=w.leader)
    assert counts() == before and fresh(registration).checked_in_at == at(2026, 3, 6, 7, 20)


def test_the_moment_can_be_given_for_a_list_ticked_on_paper(w, session, clock):
    registration = register(w, session)
    clock.set(2026, 3, 6, 10)
    services.registration_check_in(registration=registration, by=w.officer, at=at(2026, 3, 6, 7, 25))
    assert fresh(registration).checked_in_at == at(2026, 3, 6, 7, 25)


@pytest.mark.parametrize("moment", [(2026, 3, 5, 17), (2026, 3, 7, 7, 30)])
def test_it_refuses_on_another_day(w, session, clock, moment):
    registration = register(w, session)
    clock.set(*moment)
    before = counts()
    with pytest.raises(ValidationError):
        services.registration_check_in(registration=registration, by=w.officer)
    assert counts() == before


def test_it_refuses_a_waiting_or_cancelled_registration(w, session, clock):
    register(w, session)
    waiting = register(w, session, enterprise=w.enterprise2)
    cancelled = register(w, session, enterprise=w.enterprise3)
    services.registration_cancel(registration=cancelled, by=w.business3)
    clock.set(2026, 3, 6, 7, 20)
    before = counts()
    for registration in (waiting, cancelled):
        with pytest.raises(ValidationError):
            services.registration_check_in(registration=registration, by=w.officer)
    assert counts() == before


@pytest.mark.parametrize("user", ["business", "other_officer", "team_officer", "operator", "admin", "nobody"])
def test_it_refuses_anyone_who_does_not_run_the_session(w, session, clock, user):
    registration = register(w, session)
    clock.set(2026, 3, 6, 7, 20)
    with pytest.raises(PermissionDenied):
        services.registration_check_in(registration=registration, by=getattr(w, user))
    assert fresh(registration).checked_in_at is None


@pytest.mark.parametrize("token", ["", "abc", "eyJyIjoxfQ:1vXyZ:forged"])
def test_a_bad_token_is_refused(w, session, token):
    register(w, session)
    with pytest.raises(ValidationError):
        services.registration_for_checkin(token)


def test_a_token_signed_for_something_else_is_refused(w, session):
    registration = register(w, session)
    forged = signing.dumps({"r": registration.pk, "s": registration.session_id}, salt="ketnoi.cases.rating")
    with pytest.raises(ValidationError):
        services.registration_for_checkin(forged)
    with pytest.raises(ValidationError):
        services.registration_for_checkin(signing.dumps({"r": registration.pk, "s": 999999},
                                                        salt=services.CHECKIN_SALT, compress=True))
