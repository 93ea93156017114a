"""`ketnoi demo`'s cases: a year of difficulties whose cached state is what their timelines say,
written as the services and `ketnoi tick` would have written them."""

from collections import Counter, defaultdict
from datetime import datetime, time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from ketnoi.accounts.models import Enterprise, Role, RoleAssignment, User
from ketnoi.cases import services, state
from ketnoi.cases.models import OPEN_STATUSES, Answer, Case, CaseEvent, Level, Sequence, Status
from ketnoi.demo.cases import CaseBuilder
from ketnoi.demo.generate import PARTY_SECRETARY
from ketnoi.lib import customs, deadlines
from ketnoi.lib.workdays import TIMEZONE, is_workday, workdays_between

pytestmark = pytest.mark.django_db

Kind = CaseEvent.Kind
NOW = datetime(2026, 3, 4, 10, 0, tzinfo=TIMEZONE)  # a Wednesday morning: "today" for the open cases
INTERNAL = {Kind.ROUTED, Kind.REASSIGNED, Kind.ASSIGNED, Kind.NOTE, Kind.ANSWER_DRAFTED, Kind.ANSWER_SUBMITTED,
            Kind.ANSWER_REJECTED, Kind.REMINDED, Kind.BREACH, Kind.ESCALATED, Kind.SHARED}


def demo(*args, **options) -> str:
    out = StringIO()
    options = {"officers": 40, "enterprises": 60, "cases": 300, "no_progress": True, **options}
    call_command("demo", *args, stdout=out, **options)
    return out.getvalue()


def timelines() -> dict[int, list[CaseEvent]]:
    events = defaultdict(list)
    for event in CaseEvent.objects.order_by("case_id", "id"):
        events[event.case_id].append(event)
    return events


def when(value) -> datetime:
    return datetime.fromisoformat(value)


@pytest.fixture(scope="class")
def year(django_db_setup, django_db_blocker):
    """A small demo department with 300 cases of 2020 and the open cases of 04/03/2026, loaded
    once for the class and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo(cases=0)
        made = CaseBuilder(count=300, seed=2020, now=NOW).build()
        yield made
        transaction.set_rollback(True)


class TestTheDemoYear:
    def test_it_writes_the_year_and_cases_open_today(self, year):
        assert Case.objects.count() == year
        assert Case.objects.filter(received_at__year=2020).count() == 300
        recent = Case.objects.exclude(received_at__year=2020)
        assert recent.exists()
        assert all(case.received_at <= NOW for case in recent)
        assert recent.filter(status__in=OPEN_STATUSES).count() >= 10
        assert not Case.objects.filter(received_at__year=2020, status__in=OPEN_STATUSES + [Status.ANSWERED]).exists()

    def test_the_cached_state_is_what_the_timeline_says(self, year):
        events = timelines()
        for case in Case.objects.all():
            replayed = state.replay(case, events[case.pk])
            assert state.cached_state(replayed) == state.cached_state(case), case.reference

    def test_references_are_unique_formatted_and_counted(self, year):
        references = list(Case.objects.values_list("reference", flat=True))
        assert len(set(references)) == len(references)
        numbers = defaultdict(list)
        for reference in references:
            parsed = customs.parse_reference(reference)
            assert parsed and customs.format_reference(*parsed) == reference
            numbers[parsed[0]].append(parsed[1])
        for year_, taken in numbers.items():
            assert sorted(taken) == list(range(1, len(taken) + 1))
            assert Sequence.objects.get(year=year_).last == len(taken)
        # Numbered in the order received.
        by_time = list(Case.objects.filter(received_at__year=2020).order_by("received_at", "id").values_list("reference", flat=True))
        assert by_time == sorted(by_time)

    def test_events_are_in_timeline_order_with_the_services_visibility(self, year):
        events = timelines()
        for case in Case.objects.all():
            timeline = events[case.pk]
            assert [e.kind for e in timeline[:2]] == [Kind.FILED, Kind.ROUTED]
            assert timeline[0].at == case.received_at
            assert [e.at for e in timeline] == sorted(e.at for e in timeline), case.reference
            for event in timeline:
                assert event.public == (event.kind not in INTERNAL), (case.reference, event.kind)
            keys = [e.once_key for e in timeline if e.once_key]
            assert len(keys) == len(set(keys))
            assert case.updated_at == timeline[-1].at

    def test_it_has_cases_in_every_status(self, year):
        statuses = Counter(Case.objects.values_list("status", flat=True))
        assert set(statuses) == set(Status.values)
        assert statuses[Status.RESOLVED] > 0.8 * Case.objects.count()
        assert Case.objects.filter(unit__isnull=True).exists()  # the coordinators' queue
        assert Case.objects.filter(level=Level.DEPARTMENT).exists()
        assert CaseEvent.objects.filter(kind=Kind.REOPENED).exists()
        assert CaseEvent.objects.filter(kind=Kind.BREACH).exists()
        assert CaseEvent.objects.filter(kind=Kind.INFO_REQUESTED).exists()
        assert Answer.objects.filter(state=Answer.State.SENT).count() >= 300

    def test_ratings_are_1_to_5_and_poor_ones_reopen_for_review(self, year):
        resolved = Case.objects.filter(received_at__year=2020, status=Status.RESOLVED)
        rated = resolved.filter(rating__isnull=False)
        assert 0.45 < rated.count() / resolved.count() < 0.75
        assert set(Case.objects.exclude(rating=None).values_list("rating", flat=True)) <= {1, 2, 3, 4, 5}
        assert Counter(rated.values_list("rating", flat=True)).most_common(1)[0][0] == 5
        for case_id, timeline in timelines().items():
            for i, event in enumerate(timeline):
                if event.kind == Kind.RATED and event.data["score"] <= 2:
                    assert timeline[i + 1].kind == Kind.REOPENED and timeline[i + 1].data["review"] is True

    def test_deadlines_follow_the_policies(self, year):
        checked = 0
        for case in Case.objects.select_related("topic"):
            timeline = timelines_for(case)
            filed = timeline[0]
            assert when(filed.data["acknowledge_due"]) == deadlines.due(case.received_at, days=1)
            if case.priority:  # AEO: 8 working hours (TT 72/2015/TT-BTC)
                assert when(filed.data["due"]) == deadlines.due(case.received_at, hours=8)
            else:
                assert when(filed.data["due"]) == deadlines.due(case.received_at, days=10)
            moved = [e for e in timeline[1:] if e.data.get("due")]
            if not case.priority and case.level == Level.UNIT and not moved:
                received = case.received_at.astimezone(TIMEZONE)
                due = case.due_at.astimezone(TIMEZONE)
                assert due.time() == time(17, 0)
                if is_workday(received.date()):
                    assert workdays_between(received.date(), due.date()) == 10, case.reference
                checked += 1
            # Every later deadline is the one the services would set.
            fresh = Case(pk=case.pk, reference=case.reference)
            for event in timeline:
                if event.kind in (Kind.BUSINESS_REPLIED, Kind.ANSWERED, Kind.ANSWER_SUBMITTED) and event.data.get("due"):
                    assert fresh.status == Status.WAITING
                    assert when(event.data["due"]) == deadlines.extend_for_pause(fresh.due_at, fresh.paused_at, event.at)
                if event.kind == Kind.ESCALATED and event.data.get("due"):
                    assert when(event.data["due"]) == deadlines.due(max(event.at, fresh.due_at), days=10)
                if event.kind == Kind.REOPENED and event.data.get("due"):
                    policy = services.policy_for(topic=case.topic, level=fresh.level, priority=fresh.priority)
                    assert when(event.data["due"]) == deadlines.due(event.at, days=policy.answer_workdays,
                                                                    hours=policy.answer_work_hours)
                if event.kind == Kind.FORWARDED:
                    assert when(event.data["forward_due"]) == deadlines.due(case.received_at, days=5)
                state.apply(fresh, event)
        assert checked > 150

    def test_late_cases_have_their_breach_and_escalation(self, year):
        late = 0
        for case_id, timeline in timelines().items():
            answered = [e for e in timeline if e.kind == Kind.ANSWERED]
            breaches = [e for e in timeline if e.kind == Kind.BREACH and e.data["deadline"] == "answer"]
            fresh = Case()
            for event in timeline:
                if event.kind == Kind.ANSWERED and fresh.due_at and event.at > fresh.due_at and fresh.paused_at is None:
                    late += 1
                    assert breaches, case_id
                    assert any(e.kind == Kind.ESCALATED and e.once_key for e in timeline), case_id
                    break
                state.apply(fresh, event)
            assert not answered or answered[0].at >= timeline[0].at
        assert 0.04 * 300 < late < 0.2 * 300

    def test_the_tick_finds_nothing_left_to_do(self, year):
        """The journeys include what `ketnoi tick` would have done up to now."""
        assert services.cases_tick(now=NOW) == {"reminded": 0, "breaches": 0, "escalated": 0, "auto_resolved": 0}

    def test_businesses_file_through_their_own_users(self, year):
        business = set(RoleAssignment.objects.filter(role=Role.BUSINESS).values_list("user_id", "enterprise_id"))
        staff = set(RoleAssignment.objects.filter(role__in=[Role.OFFICER, Role.LEADER, Role.COORDINATOR])
                    .values_list("user_id", flat=True))
        for filed_by, enterprise, channel in Case.objects.values_list("filed_by", "enterprise", "channel"):
            if channel in ("web", "api"):
                assert (filed_by, enterprise) in business
            else:
                assert filed_by in staff
        made = User.objects.filter(username__startswith="dn")
        assert made.exists()
        assert not any(user.has_usable_password() for user in made)

    def test_the_demo_logins_have_work_to_do(self, year):
        officer = User.objects.get(username="officer")
        mine = Case.objects.filter(assignee=officer, status__in=OPEN_STATUSES)
        assert mine.filter(status=Status.WAITING).exists()
        assert mine.filter(paused_at__isnull=True, due_at__lt=NOW).exists()  # overdue
        assert Case.objects.filter(unit__code="02F3", status=Status.PENDING_APPROVAL).exists()
        assert Case.objects.filter(unit__code="02F3", needs_review=True).exists()
        assert Case.objects.filter(unit__code="02F3", status=Status.NEW, assignee=None).exists()
        own = Enterprise.objects.get(role_assignments__user__username="business")
        statuses = set(Case.objects.filter(enterprise=own, received_at__year=2026).values_list("status", flat=True))
        assert {Status.NEW, Status.WAITING, Status.IN_PROGRESS, Status.ANSWERED, Status.RESOLVED, Status.FORWARDED} <= statuses
        assert Case.objects.filter(enterprise=own, status=Status.RESOLVED, rated_at=None, received_at__year=2026).exists()
        assert Case.objects.filter(enterprise=own, received_at__year=2020).count() >= 5

    def test_a_second_run_adds_nothing(self, year):
        # The fixture built the cases alone: this run adds the parts that come with them (the Q&A,
        # directives, the prices with one user per operator, the dialogue sessions whose questions
        # are cases of their own, and the party cell's secretary), but no other case and no officer.
        def counts():
            cases = Case.objects.filter(dialogue_question=None)
            staff = User.objects.filter(role_assignments__role__in=[Role.OFFICER, Role.LEADER, Role.COORDINATOR]
                                        ).exclude(username=PARTY_SECRETARY.username).distinct()
            return (cases.count(), CaseEvent.objects.filter(case__in=cases).count(),
                    Answer.objects.filter(case__in=cases).count(), staff.count())
        before = counts()
        output = demo()
        assert "new cases: 0" in output
        assert counts() == before
        assert Case.objects.exclude(dialogue_question=None).exists()
        # every case still has a number of its own, within its year's sequence
        for year_, last in Sequence.objects.values_list("year", "last"):
            assert Case.objects.filter(reference__startswith=f"VM-{year_}-").count() == last


def timelines_for(case: Case) -> list[CaseEvent]:
    return list(CaseEvent.objects.filter(case=case).order_by("id"))


def test_if_empty_adds_the_cases_to_a_demo_loaded_without_them(monkeypatch):
    monkeypatch.setenv("KETNOI_DEMO_PASSWORD", "Cà-phê-sáng-2020")
    demo(cases=0)
    assert not Case.objects.exists()
    output = demo("--if-empty", cases=100)
    assert "The database has data: demo not reloaded." in output
    assert Case.objects.filter(received_at__year=2020, dialogue_question=None).count() == 100
    count = Case.objects.count()
    output = demo("--if-empty", cases=100)
    assert "new cases" not in output
    assert Case.objects.count() == count


def test_the_same_seed_gives_the_same_year(monkeypatch):
    monkeypatch.setenv("KETNOI_DEMO_PASSWORD", "Cà-phê-sáng-2020")
    demo(cases=0)
    with transaction.atomic():
        CaseBuilder(count=50, seed=7, now=NOW).build()
        first = list(Case.objects.filter(received_at__year=2020).order_by("reference")
                     .values_list("reference", "subject", "received_at", "status", "rating"))
        transaction.set_rollback(True)
    CaseBuilder(count=50, seed=7, now=NOW).build()
    second = list(Case.objects.filter(received_at__year=2020).order_by("reference")
                  .values_list("reference", "subject", "received_at", "status", "rating"))
    assert first == second


def test_every_case_template_has_its_own_answer():
    from ketnoi.demo import data_cases as text

    for topic, templates in text.CASES.items():
        assert {answer for _subject, _situation, answer in templates} == set(range(len(text.ANSWERS[topic]))), topic
