"""A case's state is its timeline folded: whatever the services did, the cached fields on the row
equal state.replay of its events. And the timeline is append-only."""

import random
from collections import Counter
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ketnoi.audit.models import AppendOnlyError
from ketnoi.cases import services, state
from ketnoi.cases.models import CaseEvent, Status

from .core_helpers import Clock, at, file_case, fresh, replayed_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, at(2026, 3, 2, 8))


def staff_of(w, case):
    """(an officer, a leader) of the unit that handles the case now."""
    if case.unit_id == w.unit.pk:
        return w.officer, w.leader
    if case.unit_id == w.other_unit.pk:
        return w.other_officer, w.other_leader
    return w.coordinator, w.coordinator


def actions(w, rng, clock):
    """Every service a case can go through, with someone entitled to call it. Some calls are
    refused in some states (a ValidationError): that is part of the walk, and must change
    nothing."""

    def officer(case):
        return staff_of(w, case)[0]

    def leader(case):
        return staff_of(w, case)[1] if case.level == "unit" else w.coordinator

    return {
        "take": lambda c: services.case_assign(case=c, assignee=officer(c), by=officer(c)),
        "assign": lambda c: services.case_assign(case=c, assignee=officer(c), by=leader(c)),
        "message": lambda c: services.case_message(case=c, body="Đang xử lý.", by=officer(c)),
        "note": lambda c: services.case_message(case=c, body="Ghi chú.", by=officer(c), internal=True),
        "shared note": lambda c: services.case_message(case=c, body="Phối hợp.", by=w.shared_officer,
                                                       internal=True),
        "ask": lambda c: services.case_request_info(case=c, body="Bổ sung hồ sơ.", by=officer(c)),
        "reply": lambda c: services.case_message(case=c, body="Đã bổ sung.", by=w.business),
        "draft": lambda c: services.answer_save_draft(case=c, body="Nháp.", by=officer(c)),
        "answer": lambda c: services.case_answer(case=c, body="Trả lời.", by=officer(c)),
        "leader answers": lambda c: services.case_answer(case=c, body="Trả lời.", by=leader(c)),
        "approve": lambda c: services.answer_decide(case=c, approve=True, by=leader(c)),
        "send back": lambda c: services.answer_decide(case=c, approve=False, reason="Sửa lại.", by=leader(c)),
        "accept": lambda c: services.case_accept(case=c, by=w.business2),
        "rate": lambda c: services.case_rate(case=c, score=rng.randint(1, 5), comment="Ý kiến.",
                                             token=services.rating_token(c)),
        "move": lambda c: services.case_reassign(
            case=c, unit=rng.choice([w.unit, w.other_unit, None]), reason="Đúng thẩm quyền.", by=leader(c)),
        "share": lambda c: services.case_share(case=c, unit=w.shared_unit, by=officer(c)),
        "escalate": lambda c: services.case_escalate(case=c, by=leader(c), reason="Cần Cục chỉ đạo."),
        "forward": lambda c: services.case_forward(case=c, to="Bộ Công Thương", reason="Ngoài thẩm quyền.",
                                                   by=leader(c)),
        "tick": lambda c: services.cases_tick(now=clock.now),
    }


WEIGHTS = {"forward": 1, "tick": 6, "reply": 5, "answer": 5, "accept": 4, "rate": 4, "ask": 4}


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_the_cached_state_always_equals_the_replayed_timeline(w, clock, seed):
    rng = random.Random(seed)
    cases = [file_case(w, topic=rng.choice(["thu-tuc", "thue", "tri-gia", "xuat-xu"]),
                       named_unit=rng.choice([w.unit, w.other_unit, None])) for _ in range(4)]
    table = actions(w, rng, clock)
    names = list(table)
    weights = [WEIGHTS.get(name, 2) for name in names]
    done, statuses = Counter(), Counter()
    for _ in range(200):
        clock.advance(minutes=rng.choice([5, 45, 180, 60 * 20, 60 * 24 * 3, 60 * 24 * 9]))
        if rng.random() < 0.05:
            cases.append(file_case(w, topic=rng.choice(["thu-tuc", "thue"]), named_unit=w.unit))
        case = fresh(rng.choice(cases))
        name = rng.choices(names, weights)[0]
        before = replayed_state(case)
        try:
            table[name](case)
        except (ValidationError, PermissionDenied):
            assert state.cached_state(fresh(case)) == before, name  # a refused call changes nothing
        else:
            done[name] += 1
        for each in cases if name == "tick" else [case]:
            row = fresh(each)
            assert state.cached_state(row) == replayed_state(row), (name, row.reference)
            statuses[row.status] += 1
    # The walk went through the whole life of a case, not just its first steps.
    assert set(statuses) >= {Status.NEW, Status.IN_PROGRESS, Status.WAITING, Status.ANSWERED, Status.RESOLVED}
    assert sum(done.values()) >= 60
    assert done["answer"] + done["leader answers"] + done["approve"] >= 3


def test_replay_starts_from_nothing(w, clock):
    case = file_case(w)
    services.case_assign(case=case, assignee=w.officer, by=w.officer)
    services.case_request_info(case=case, body="Bổ sung.", by=w.officer)
    case = fresh(case)
    replayed = state.replay(case, case.events.all())
    assert replayed is not case and replayed.pk == case.pk
    assert state.cached_state(replayed) == state.cached_state(case)
    assert state.cached_state(state.replay(case, [])) != state.cached_state(case)


def test_the_state_keeps_every_cached_field():
    assert set(state.CACHED_FIELDS) >= {"status", "level", "due_at", "paused_at", "unit_id", "assignee_id",
                                        "rating", "needs_review", "escalation_step", "forward_due_at"}


# --- the timeline is append-only ------------------------------------------------------------

def test_an_event_cannot_be_changed_or_removed(w, clock):
    case = file_case(w)
    event = case.events.first()
    event.body = "sửa lịch sử"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        CaseEvent.objects.filter(case=case).update(body="x")
    with pytest.raises(AppendOnlyError):
        CaseEvent.objects.filter(case=case).delete()
    with pytest.raises(AppendOnlyError):
        case.events.all().delete()
    assert CaseEvent.objects.get(pk=event.pk).body == ""


def test_new_events_are_appended(w, clock):
    case = file_case(w)
    clock.advance(minutes=1)
    services.case_message(case=case, body="Một.", by=w.officer)
    clock.advance(minutes=1)
    services.case_message(case=case, body="Hai.", by=w.officer)
    events = list(fresh(case).events.all())
    assert [e.kind for e in events] == ["filed", "routed", "message", "message"]
    assert [e.at for e in events] == sorted(e.at for e in events)
