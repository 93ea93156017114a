"""directive_issue with ``previous``: a new version that replaces or amends a directive — the
chain, the day the older version stops, what may not be replaced, and whom it tells."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from ketnoi.audit.models import AuditEvent
from ketnoi.directives.models import Directive
from ketnoi.notifications.models import Notification
from ketnoi.testing import race

from .service_helpers import (  # noqa: F401  (fixtures)
    at, audit, build_world, clock, counts, fresh, issue, mail_to, replace, unit_ids, w,
)

pytestmark = pytest.mark.django_db

MONDAY, TUESDAY, WEDNESDAY = date(2026, 3, 9), date(2026, 3, 10), date(2026, 3, 11)


@pytest.fixture
def first(w):
    """125/HQHCM-VP, issued Monday 09/03/2026 09:00, in force from that day, to the two branches."""
    return issue(w, number="125/HQHCM-VP", target="kinds", target_kinds=["branch"], ack_within_hours=4)


def errors_of(call) -> dict:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def refused(call, field: str) -> list[str]:
    before = counts()
    errors = errors_of(call)
    assert field in errors, errors
    assert counts() == before
    return errors[field]


# --- the chain -----------------------------------------------------------------------------------

def test_a_new_version_joins_the_chain_of_the_one_it_replaces(w, clock, first):
    clock.set(2026, 3, 10, 8)
    second = replace(w, first, number="126/HQHCM-VP", effective_from=TUESDAY,
                     body=first.body.replace("07 giờ 30", "08 giờ 00"))
    assert second.chain == first.chain and second.version == 2
    assert second.previous == first and second.change == "replaces"
    assert fresh(first).next_version == second and not fresh(first).is_latest and fresh(second).is_latest


def test_the_older_version_stops_the_day_the_new_one_takes_effect(w, clock, first):
    clock.set(2026, 3, 10, 16)
    replace(w, first, number="126/HQHCM-VP", effective_from=WEDNESDAY)
    older = fresh(first)
    assert older.superseded_from == WEDNESDAY
    assert older.in_force_on(TUESDAY) and not older.in_force_on(WEDNESDAY)


def test_nothing_else_of_the_older_version_changes(w, clock, first):
    before = {f.name: getattr(fresh(first), f.name) for f in Directive._meta.concrete_fields if f.name != "superseded_from"}
    clock.set(2026, 3, 10, 8)
    replace(w, first, number="126/HQHCM-VP", effective_from=TUESDAY, title="Một tiêu đề khác hẳn", urgency="immediate")
    after = {f.name: getattr(fresh(first), f.name) for f in Directive._meta.concrete_fields if f.name != "superseded_from"}
    assert after == before
    assert unit_ids(first) == {w.branch.pk, w.branch2.pk}


def test_an_amendment_is_a_version_too(w, clock, first):
    amended = replace(w, first, number="127/HQHCM-VP", change="amends")
    assert amended.change == "amends" and amended.version == 2 and amended.chain == first.chain


def test_versions_count_on_along_the_chain(w, clock, first):
    chain = [first]
    for day in (10, 11, 12):
        clock.set(2026, 3, day, 9)
        chain.append(replace(w, chain[-1], number=f"{120 + day}/HQHCM-VP", effective_from=date(2026, 3, day)))
    assert [d.version for d in chain] == [1, 2, 3, 4]
    assert {d.chain for d in chain} == {first.chain}
    assert [fresh(d).superseded_from for d in chain] == [date(2026, 3, 10), date(2026, 3, 11), date(2026, 3, 12), None]


def test_a_new_version_may_go_to_other_units(w, clock, first):
    second = replace(w, first, number="126/HQHCM-VP", target="units", target_units=[w.branch, w.division])
    assert unit_ids(second) == {w.branch.pk, w.division.pk}
    assert unit_ids(first) == {w.branch.pk, w.branch2.pk}


def test_each_version_has_its_own_acknowledgement_deadline(w, clock, first):
    clock.set(2026, 3, 10, 14)
    second = replace(w, first, number="126/HQHCM-VP", ack_within_hours=2, effective_from=TUESDAY)
    assert {r.ack_due_at for r in second.recipients.all()} == {at(2026, 3, 10, 16)}
    assert {r.ack_due_at for r in first.recipients.all()} == {at(2026, 3, 9, 13)}


# --- what may not be replaced ---------------------------------------------------------------------

def test_a_version_already_replaced_cannot_be_replaced_again(w, clock, first):
    replace(w, first, number="126/HQHCM-VP")
    (message,) = refused(lambda: replace(w, fresh(first), number="127/HQHCM-VP"), "previous")
    assert message == "125/HQHCM-VP has already been replaced: replace its latest version instead."


def test_a_stale_copy_of_the_replaced_version_is_refused_too(w, clock, first):
    stale = Directive.objects.get(pk=first.pk)
    replace(w, first, number="126/HQHCM-VP")
    assert refused(lambda: replace(w, stale, number="127/HQHCM-VP"), "previous")
    assert fresh(first).superseded_from == MONDAY


def test_the_latest_version_of_a_chain_can_be_replaced(w, clock, first):
    second = replace(w, first, number="126/HQHCM-VP")
    assert replace(w, second, number="127/HQHCM-VP").version == 3


@pytest.mark.parametrize("change", ["new", "", "revokes", None])
def test_a_new_version_says_whether_it_replaces_or_amends(w, first, change):
    assert refused(lambda: replace(w, first, number="126/HQHCM-VP", change=change), "change") == [
        "Say whether the new directive replaces or amends the previous one."]


def test_replaces_without_a_previous_version_is_a_new_directive(w):
    directive = issue(w, change="replaces")
    assert directive.change == "new" and directive.version == 1 and directive.previous is None


def test_a_new_version_cannot_take_effect_before_the_version_it_replaces(w, clock):
    later = issue(w, number="125/HQHCM-VP", effective_from=date(2026, 3, 16))
    assert refused(lambda: replace(w, later, number="126/HQHCM-VP", effective_from=date(2026, 3, 15)),
                   "effective_from") == ["The new version cannot take effect before the version it replaces (16/03/2026)."]
    assert fresh(later).superseded_from is None


def test_a_new_version_may_take_effect_the_same_day(w, clock, first):
    # A correction the same day: the first version was never in force on any day.
    second = replace(w, first, number="126/HQHCM-VP", effective_from=MONDAY)
    assert fresh(first).superseded_from == MONDAY and not fresh(first).in_force_on(MONDAY)
    assert second.in_force_on(MONDAY)


def test_a_new_version_cannot_take_effect_before_its_own_issue(w, clock, first):
    clock.set(2026, 3, 11, 9)
    assert refused(lambda: replace(w, first, number="126/HQHCM-VP", effective_from=TUESDAY), "effective_from") == [
        "A directive cannot take effect before the day it is issued (11/03/2026)."]


def test_a_new_version_needs_a_number_of_its_own(w, clock, first):
    assert refused(lambda: replace(w, first, number="125/HQHCM-VP"), "number") == [
        "A directive numbered 125/HQHCM-VP was already issued in 2026."]


@pytest.mark.parametrize("mistake", [{"number": "126"}, {"title": " "}, {"effective_from": None},
                                     {"target": "units", "target_units": []}, {"change": "new"},
                                     {"effective_from": date(2026, 3, 8)}])
def test_a_refused_new_version_leaves_the_older_one_in_force(w, clock, first, commit, mistake):
    before = counts()
    with commit(), pytest.raises(ValidationError):
        replace(w, first, **{"number": "126/HQHCM-VP", **mistake})
    assert counts() == before
    assert fresh(first).superseded_from is None and fresh(first).is_latest
    assert not audit("directive.superseded") and mail.outbox == []


# --- who may issue a new version --------------------------------------------------------------

@pytest.mark.parametrize("who", ["leader", "officer", "leader2", "business", "operator", "party", "admin", "nobody"])
def test_only_coordinators_issue_new_versions(w, first, who):
    before = counts()
    with pytest.raises(PermissionDenied):
        replace(w, first, number="126/HQHCM-VP", by=getattr(w, who))
    assert counts() == before and fresh(first).superseded_from is None


def test_another_coordinator_may_replace_a_colleague_s_directive(w, first):
    second = replace(w, first, number="126/HQHCM-VP", by=w.coordinator2)
    assert second.issued_by == w.coordinator2


# --- audit and notifications ----------------------------------------------------------------------

def test_it_audits_the_new_version_and_the_older_one_stopping(w, clock, first):
    clock.set(2026, 3, 10, 8)
    second = replace(w, first, number="126/HQHCM-VP", effective_from=WEDNESDAY, change="amends")
    (superseded,) = audit("directive.superseded", first)
    assert superseded.actor == w.coordinator
    assert superseded.before["superseded_from"] is None and superseded.after["superseded_from"] == "2026-03-11"
    (event,) = audit("directive.amends", second)
    assert event.after["previous"] == first.pk and sorted(event.after["units"]) == sorted([w.branch.pk, w.branch2.pk])
    assert not audit("directive.issued", second)


def test_replacing_is_audited_as_replaces(w, first):
    second = replace(w, first, number="126/HQHCM-VP")
    assert len(audit("directive.replaces", second)) == 1


def test_the_units_are_told_it_is_a_new_version(w, clock, first, commit):
    # The first version's notices are written with it (the e-mails wait for its commit).
    told_of_the_first = Notification.objects.filter(kind="directives/issued").count()
    with commit():
        replace(w, first, number="126/HQHCM-VP", target="units", target_units=[w.branch])
    (message,) = mail_to(w.deputy)  # reads English
    assert message.subject.startswith("New version: 126/HQHCM-VP replaces 125/HQHCM-VP")
    assert "126/HQHCM-VP is a new version of 125/HQHCM-VP." in message.body
    assert mail_to(w.leader2) == []  # the new version is not sent to the second branch
    assert Notification.objects.filter(kind="directives/issued").count() == told_of_the_first + 2  # the branch's two leaders


# --- two coordinators replacing the same version at once ------------------------------------------


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_two_coordinators_replacing_the_same_version_at_once_make_one_new_version(attempt):
    w = build_world()
    first = issue(w, number="125/HQHCM-VP")
    results, errors = race(
        lambda: replace(w, first, number="126/HQHCM-VP", by=w.coordinator),
        lambda: replace(w, first, number="127/HQHCM-VP", by=w.coordinator2),
    )
    made = [r for r in results if r is not None]
    assert len(made) == 1
    (error,) = [e for e in errors if e is not None]
    assert isinstance(error, ValidationError) and "previous" in error.message_dict
    assert Directive.objects.filter(chain=first.chain).count() == 2
    assert fresh(first).next_version == made[0]
    assert AuditEvent.objects.filter(action="directive.superseded").count() == 1


def test_a_new_version_cannot_be_issued_before_the_version_it_replaces(w, clock):
    # Entering paper directives later: the versions of a chain are issued in their order.
    clock.set(2026, 3, 12, 9)
    first = issue(w, number="125/HQHCM-VP", issued_at=at(2026, 3, 10, 15), effective_from=date(2026, 3, 11))
    assert refused(lambda: replace(w, first, number="126/HQHCM-VP", issued_at=at(2026, 3, 10, 14, 59),
                                   effective_from=date(2026, 3, 11)), "issued_at") == [
        "A new version cannot be issued before the version it replaces (15:00 10/03/2026)."]
    assert replace(w, first, number="126/HQHCM-VP", issued_at=at(2026, 3, 10, 15), effective_from=date(2026, 3, 11))
