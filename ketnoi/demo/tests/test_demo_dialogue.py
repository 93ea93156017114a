"""The demo's dialogue programmes: the High-Tech Park branch's twelve morning coffees of 2020 and
two other branches' programmes, written through the services with the clock of their time
(registrations, questions as cases, check-ins, answers on the spot and follow-ups, minutes,
surveys), the next session today, and nothing added twice."""

import json
import re
from collections import Counter
from datetime import date, time, timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from ketnoi.accounts.models import Enterprise, User
from ketnoi.audit.models import AuditEvent
from ketnoi.cases import services as cases_services
from ketnoi.cases.models import OPEN_STATUSES, Case, CaseEvent, Channel
from ketnoi.cases.models import Status as CaseStatus
from ketnoi.demo.dialogue import DATA, DialogueBuilder, plan, read_data
from ketnoi.demo.generate import DemoBuilder
from ketnoi.dialogue import dashboard
from ketnoi.dialogue.models import (
    Attendee, Minutes, Programme, Question, Registration, Session, SurveyResponse,
)
from ketnoi.lib.workdays import TIMEZONE
from ketnoi.notifications.models import Notification
from ketnoi.testing import seed_reference_data

pytestmark = pytest.mark.django_db

HIGH_TECH_PARK = "02F3"
VIETNAMESE = re.compile(r"[ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]", re.I)


def department(*, officers: int = 40):
    """The units, a few officers per unit (the first two of each are its leaders) and the logins."""
    builder = DemoBuilder(seed=2020, officers=officers, enterprises=0)
    builder.build_units()
    builder.build_officers()
    builder.build_logins(password=None)
    return builder


@pytest.fixture(scope="class")
def built(django_db_setup, django_db_blocker):
    """The dialogue demo, built once for the class and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        department()
        yield DialogueBuilder(seed=2020).build()
        transaction.set_rollback(True)


def local(moment):
    return timezone.localtime(moment, TIMEZONE)


def high_tech_park() -> Programme:
    return Programme.objects.get(unit__code=HIGH_TECH_PARK)


def held(programme: Programme):
    return programme.sessions.filter(status=Session.Status.HELD).order_by("starts_at")


def counts():
    return tuple(model.objects.count() for model in (
        Programme, Session, Registration, Attendee, Question, Case, CaseEvent, Minutes, SurveyResponse, Enterprise,
        User, Notification, AuditEvent))


class TestTheDialogueOfTheDemo:
    def test_it_builds_three_branches_programmes_through_the_services(self, built):
        assert built.skipped == []
        assert built.programmes == Programme.objects.count() == 3
        assert set(Programme.objects.values_list("unit__code", flat=True)) == {HIGH_TECH_PARK, "02XE", "02CI"}
        created = AuditEvent.objects.filter(action="dialogue.programme_created").order_by("at")
        assert [local(e.at).date() for e in created] == [date(2019, 12, 16), date(2020, 1, 9), date(2020, 4, 24)]
        assert all(e.actor.role_assignments.filter(role="leader").exists() for e in created)
        programme = high_tech_park()
        assert programme.name == "Cà phê sáng cùng doanh nghiệp" and programme.rrule == "FREQ=MONTHLY;BYDAY=1FR"
        assert programme.hosts.filter(username="officer").exists()

    def test_the_high_tech_park_held_twelve_morning_coffees_in_2020_at_seven_thirty(self, built):
        sessions = list(held(high_tech_park()).filter(starts_at__year=2020))
        assert len(sessions) == 12
        assert [local(s.starts_at).month for s in sessions] == list(range(1, 13))
        assert [s.number for s in sessions] == list(range(1, 13))
        for session in sessions:
            start = local(session.starts_at)
            assert start.time() == time(7, 30) and start.weekday() == 4  # Friday
            assert local(session.ends_at).time() == time(9, 0)

    def test_it_moved_the_sessions_2020_moved_with_a_reason(self, built):
        sessions = {local(s.occurrence).date(): s for s in high_tech_park().sessions.filter(occurrence__year=2020)}
        february, april, may = sessions[date(2020, 2, 7)], sessions[date(2020, 4, 3)], sessions[date(2020, 5, 1)]
        assert local(february.starts_at).date() == date(2020, 2, 14) and "Tết" in february.change_reason
        assert local(april.starts_at).date() == date(2020, 4, 3) and april.venue.startswith("Trực tuyến")
        assert "16/CT-TTg" in april.change_reason
        assert local(may.starts_at).date() == date(2020, 5, 8) and "Lao động" in may.change_reason
        assert all(s.sequence == 1 for s in (february, april, may))
        untouched = [s for day, s in sessions.items() if day not in (date(2020, 2, 7), date(2020, 4, 3), date(2020, 5, 1))]
        assert all(s.sequence == 0 and not s.change_reason and local(s.starts_at).date().day <= 7 for s in untouched)
        # The April registrants who had registered before the move were told (the audit trail says when).
        moved = AuditEvent.objects.get(action="dialogue.session_moved", object_id=str(april.pk))
        assert local(moved.at).date() == date(2020, 3, 31)

    def test_tan_thuan_cancelled_its_march_session_as_the_epidemic_grew(self, built):
        programme = Programme.objects.get(unit__code="02XE")
        cancelled = programme.sessions.get(status=Session.Status.CANCELLED)
        assert local(cancelled.occurrence).date() == date(2020, 3, 12) and "COVID-19" in cancelled.change_reason
        assert cancelled.registrations.exists() and not cancelled.questions.exists()
        assert held(programme).count() == 3
        assert held(Programme.objects.get(unit__code="02CI")).count() == 4

    def test_businesses_come_back_and_new_ones_keep_coming(self, built):
        figures = dashboard.programme_figures(programme=high_tech_park(), today=date(2021, 6, 30))[:12]
        assert all(f.attended >= 4 for f in figures)
        assert sum(f.returning for f in figures) > sum(f.new for f in figures) > 12
        assert figures[0].new == figures[0].attended and sum(f.new for f in figures[1:]) >= 5
        assert any(f.new for f in figures[6:])
        july = figures[6]
        assert july.confirmed == 12 and july.waiting >= 1  # a full session with a waiting list
        assert Registration.objects.exclude(promoted_at=None).exists()
        assert Registration.objects.filter(status=Registration.Status.CANCELLED).count() >= 2

    def test_attendees_have_vietnamese_names_and_positions_within_the_limit(self, built):
        for registration in Registration.objects.select_related("session__programme").prefetch_related("attendees"):
            people = list(registration.attendees.all())
            assert people, registration  # every registration names who comes
            assert len(people) <= registration.session.programme.max_attendees
            for person in people:
                assert len(person.name.split()) >= 3 and VIETNAMESE.search(person.name) and person.position

    def test_registrations_came_before_their_session_by_the_clock_of_the_time(self, built):
        for registration in Registration.objects.filter(session__starts_at__year=2020).select_related("session"):
            session = registration.session
            assert registration.created_at < session.registration_closes_at, registration
            assert registration.created_at > session.starts_at - timedelta(days=12)
            if registration.checked_in_at:
                assert local(registration.checked_in_at).date() == local(session.starts_at).date()
                assert registration.status == Registration.Status.CONFIRMED

    def test_each_session_held_discussed_two_to_four_questions_each_a_case_of_the_branch(self, built):
        for session in Session.objects.filter(status=Session.Status.HELD).select_related("programme__unit"):
            questions = list(session.questions.select_related("case"))
            assert 2 <= len(questions) <= 4, session
            for question in questions:
                case = question.case
                assert case.channel == Channel.DIALOGUE and case.unit_id == session.programme.unit_id
                assert case.received_at <= session.ends_at
                assert case.reference.startswith(f"VM-{local(case.received_at).year}-")  # January's sent in 2019
                assert question.outcome in (Question.Outcome.ANSWERED, Question.Outcome.FOLLOW_UP)
                assert question.registration.enterprise_id == case.enterprise_id
                if question.outcome == Question.Outcome.ANSWERED:
                    assert local(case.answered_at).date() == local(session.starts_at).date()
        assert Question.objects.filter(outcome=Question.Outcome.FOLLOW_UP).count() == built.follow_ups == 22
        assert Question.objects.filter(session__starts_at__year=2020).count() == built.questions == 60

    def test_follow_ups_were_mostly_closed_on_time_a_few_late_and_two_are_still_open(self, built):
        totals = Counter()
        for programme in Programme.objects.all():
            for f in dashboard.programme_figures(programme=programme, today=date(2026, 11, 26)):
                totals.update(on_time=f.on_time, late=f.late, overdue=f.overdue, follow_ups=f.follow_ups)
        assert totals == Counter(follow_ups=22, on_time=15, late=5, overdue=2)
        still_open = Question.objects.filter(outcome=Question.Outcome.FOLLOW_UP, case__status__in=OPEN_STATUSES)
        assert still_open.count() == 2
        for question in still_open.select_related("case"):
            assert question.case.escalation_step >= 1  # the ticks of January 2021 escalated them
        for question in Question.objects.filter(outcome=Question.Outcome.FOLLOW_UP).select_related("case", "session"):
            assert question.follow_up_owner.role_assignments.filter(unit=question.session.programme.unit).exists()
            assert question.follow_up_due > local(question.session.starts_at).date()
            assert question.case.assignee_id == question.follow_up_owner_id

    def test_answered_cases_of_2020_were_resolved_in_their_time(self, built):
        """The case jobs ran through 2020: no answer of 2020 is left for today's tick to close."""
        dialogue = Case.objects.filter(channel=Channel.DIALOGUE, received_at__year__lte=2020)
        assert dialogue.count() == 60
        assert not dialogue.filter(status=CaseStatus.ANSWERED).exists()
        assert dialogue.filter(status=CaseStatus.RESOLVED).count() == 58
        for case in dialogue.filter(status=CaseStatus.RESOLVED):
            assert local(case.resolved_at).year in (2020, 2021)
        moments = list(CaseEvent.objects.filter(case__in=dialogue).values_list("at", flat=True))
        assert max(moments) < timezone.now() - timedelta(days=365)

    def test_todays_tick_finds_nothing_left_of_2020_to_do(self, built):
        """No reminder, breach, escalation or resolution of a 2020 question waits for today's
        `ketnoi tick` (it would e-mail people today about 2020)."""
        dialogue = Case.objects.filter(channel=Channel.DIALOGUE, received_at__year__lte=2020)
        before = CaseEvent.objects.filter(case__in=dialogue).count()
        cases_services.cases_tick()
        assert CaseEvent.objects.filter(case__in=dialogue).count() == before

    def test_every_session_held_has_its_minutes_issued_with_the_branch_numbers(self, built):
        for programme, mark in ((high_tech_park(), "BB-HQCNC"), (Programme.objects.get(unit__code="02XE"), "BB-HQKCXTT"),
                                (Programme.objects.get(unit__code="02CI"), "BB-HQCSGKV1")):
            numbers = [s.minutes.number for s in held(programme)]
            assert numbers == [f"{n:02d}/{mark}" for n in range(1, len(numbers) + 1)]
            for session in held(programme):
                minutes = session.minutes
                assert minutes.state == Minutes.State.ISSUED and minutes.signer_name and minutes.signer_position
                assert session.ends_at < minutes.issued_at < session.ends_at + timedelta(days=7)
                assert "2020" in minutes.opening
        assert built.minutes == Minutes.objects.count() == 19

    def test_businesses_that_came_answered_the_survey(self, built):
        answers = SurveyResponse.objects.select_related("registration", "session")
        assert answers.count() == built.surveys > 100
        for answer in answers:
            assert answer.registration.checked_in_at is not None and answer.submitted_at > answer.session.ends_at
        scores = Counter(answers.values_list("satisfaction", flat=True))
        assert scores[5] + scores[4] > 0.7 * answers.count() and scores[3] > 0
        assert answers.exclude(comment="").count() > 20

    def test_the_logins_see_their_own_part(self, built):
        business = Registration.objects.filter(enterprise__role_assignments__user__username="business")
        assert business.count() >= 3 and set(business.values_list("session__programme__unit__code", flat=True)) == {HIGH_TECH_PARK}
        assert Question.objects.filter(registration__in=business).count() == 3
        assert Registration.objects.filter(enterprise__role_assignments__user__username="business2").exists()
        assert Question.objects.filter(follow_up_owner__username="leader").exists()
        assert Registration.objects.filter(checked_in_by__username="officer").exists()

    def test_the_next_session_is_open_with_a_few_registrations(self, built):
        now = timezone.now()
        upcoming = high_tech_park().sessions.filter(starts_at__gt=now).order_by("starts_at").first()
        assert upcoming is not None and upcoming.status == Session.Status.SCHEDULED
        assert upcoming.starts_at - now < timedelta(days=40) and local(upcoming.starts_at).weekday() == 4
        registrations = upcoming.registrations.all()
        assert registrations.count() == built.upcoming == 5
        assert upcoming.questions.count() == 2 and all(r.created_at < now for r in registrations)
        assert high_tech_park().ends_on is None  # the programme meets again

    def test_running_it_again_adds_nothing(self, built):
        before = counts()
        again = DialogueBuilder(seed=2020).build()
        assert (again.programmes, again.sessions, again.registrations, again.questions, again.minutes,
                again.surveys, again.upcoming) == (0, 0, 0, 0, 0, 0, 0)
        assert again.skipped == []
        assert counts() == before


def test_the_data_file_sends_two_to_four_questions_to_each_session_it_holds():
    data = read_data()
    firms = {f.key: f for f in data.firms}
    assert len({f.tax_code for f in data.firms}) == len(data.firms)
    for programme in data.programmes:
        occurrences = programme.occurrences()
        held = [day for day in occurrences if not programme.changes.get(day, {}).get("cancel")]
        asks = Counter(a.day for a in data.asks if a.programme == programme.key)
        assert set(asks) == set(held), programme.key
        assert all(2 <= n <= 4 for n in asks.values())
        assert all(firms[a.firm].programme == programme.key for a in data.asks if a.programme == programme.key)
    assert len([day for day in read_data().programmes[0].occurrences()]) == 12
    for ask in data.asks:
        assert len(ask.subject) <= 200 and ask.description.endswith((".", "?"))
        assert ask.answer or ask.follow_up["fate"] == "open"


def test_the_seed_decides_the_history_but_not_the_questions():
    one, again, other = plan(seed=2020), plan(seed=2020), plan(seed=7)
    key = [(s.at, s.kind, s.firm) for s in one.steps]
    assert key == [(s.at, s.kind, s.firm) for s in again.steps]
    assert key != [(s.at, s.kind, s.firm) for s in other.steps]
    asked = lambda p: sorted(s.ask for s in p.steps if s.kind == "outcome")  # noqa: E731
    assert asked(one) == asked(other)


@pytest.mark.django_db(transaction=True)
def test_the_notices_of_2020_send_no_mail_and_are_read(tmp_path):
    """Committed for real, so the services' notices run after the commit: no e-mail leaves today,
    the in-app notices are there, read. Tân Thuận's programme alone keeps it quick."""
    document = json.loads(DATA.read_text(encoding="utf-8"))
    document["programmes"] = [p for p in document["programmes"] if p["key"] == "kcx-tan-thuan"]
    document["firms"] = [f for f in document["firms"] if f["programme"] == "kcx-tan-thuan"]
    document["questions"] = {"kcx-tan-thuan": document["questions"]["kcx-tan-thuan"]}
    document["upcoming"] = {**document["upcoming"], "programme": "kcx-tan-thuan", "questions": []}
    (tmp_path / "one.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    seed_reference_data()
    department(officers=40)
    built = DialogueBuilder(seed=2020, data=tmp_path / "one.json").build()
    assert built.skipped == [] and built.sessions == 3 and built.minutes == 3
    assert mail.outbox == []
    notices = Notification.objects.filter(kind__startswith="dialogue/")
    assert notices.filter(kind="dialogue/registered").count() >= built.registrations - 3
    assert notices.filter(kind="dialogue/session_cancelled").exists()
    assert not Notification.objects.filter(read_at=None, kind__startswith="dialogue/").exists()
    assert not Notification.objects.filter(read_at=None, kind__startswith="cases/").exists()
