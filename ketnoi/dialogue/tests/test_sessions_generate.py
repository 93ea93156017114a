from datetime import date

from django.utils import timezone

from ketnoi.dialogue import services
from ketnoi.testing import at

from .service_helpers import audit, clock, make_programme, w  # noqa: F401


def test_it_is_idempotent(w):
    programme = make_programme(w)
    assert services.sessions_generate(programme=programme) == 0
    assert programme.sessions.count() == 6
    assert len(audit("dialogue.sessions_generated", programme)) == 1


def test_it_generates_further_as_time_passes_and_numbers_continue(w, clock):
    programme = make_programme(w)
    clock.set(2026, 4, 10, 9)
    assert services.sessions_generate(programme=programme) == 2  # 04/09 and 02/10/2026
    sessions = list(programme.sessions.order_by("starts_at"))
    assert [s.number for s in sessions] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert timezone.localtime(sessions[-1].starts_at).date() == date(2026, 10, 2)


def test_it_generates_up_to_the_given_moment(w):
    programme = make_programme(w)
    assert services.sessions_generate(programme=programme, until=at(2026, 12, 31)) == 4
    assert programme.sessions.count() == 10


def test_it_generates_nothing_in_the_past(w, clock):
    programme = make_programme(w, starts_on=date(2025, 1, 1))
    assert timezone.localtime(programme.sessions.order_by("starts_at").first().starts_at).date() == date(2026, 3, 6)
    assert programme.sessions.order_by("starts_at").first().number == 1


def test_it_generates_nothing_for_an_inactive_programme(w, clock):
    programme = make_programme(w)
    services.programme_update(programme=programme, by=w.leader, active=False)
    clock.set(2026, 6, 1, 9)
    assert services.sessions_generate(programme=programme) == 0
