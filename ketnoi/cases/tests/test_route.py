"""Routing: topic × the unit the business named (or its usual unit) → the handling unit, or the
department coordinators' queue when nothing says where the case goes."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ketnoi.accounts.models import Enterprise
from ketnoi.audit.models import AuditEvent
from ketnoi.cases import services
from ketnoi.cases.models import Case, RoutingRule, Topic
from ketnoi.org.models import Unit
from ketnoi.org.services import unit_close
from ketnoi.testing import make_enterprise, make_unit

from .core_helpers import build_world, file_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(db):
    w = build_world()
    w.tax, w.hs, w.procedures = (Topic.objects.get(code=code) for code in ("thue", "phan-loai-hs", "thu-tuc"))
    w.x, w.y, w.z, w.q = (make_unit() for _ in range(4))
    w.lost = make_enterprise()  # no usual unit
    return w


def rule(topic, named_unit, handling_unit):
    return RoutingRule.objects.create(topic=topic, named_unit=named_unit, handling_unit=handling_unit)


def route(w, topic, named_unit, enterprise=None):
    return services.route(topic=topic, named_unit=named_unit, enterprise=enterprise or w.lost)


def test_without_rules_a_named_unit_handles_its_case(w):
    assert route(w, w.tax, w.x) == w.x


def test_without_rules_or_a_named_unit_the_case_goes_to_the_coordinators(w):
    assert route(w, w.tax, None) is None
    assert route(w, w.tax, None, enterprise=w.enterprise) is None  # a usual unit alone decides nothing


def test_a_rule_for_the_topic_and_the_named_unit(w):
    rule(w.tax, w.x, w.y)
    assert route(w, w.tax, w.x) == w.y
    assert route(w, w.hs, w.x) == w.x  # another topic: the named unit
    assert route(w, w.tax, w.z) == w.z  # another unit: the named unit


def test_a_rule_for_the_topic_alone(w):
    rule(w.tax, None, w.z)
    assert route(w, w.tax, w.x) == w.z
    assert route(w, w.tax, None) == w.z
    assert route(w, w.hs, w.x) == w.x


def test_a_rule_for_the_unit_alone(w):
    rule(None, w.x, w.y)
    assert route(w, w.tax, w.x) == w.y
    assert route(w, w.hs, w.x) == w.y
    assert route(w, w.hs, w.z) == w.z


@pytest.mark.parametrize("topic, named, expected", [
    ("tax", "x", "y"),   # topic × unit
    ("tax", "z", "q"),   # topic alone
    ("tax", None, "q"),  # topic alone, no unit named
    ("hs", "x", "z"),    # unit alone
    ("hs", "z", "z"),    # nothing: the named unit
    ("hs", None, None),  # nothing at all: the coordinators' queue
    ("procedures", "q", "q"),
])
def test_the_most_specific_rule_wins(w, topic, named, expected):
    rule(w.tax, w.x, w.y)
    rule(w.tax, None, w.q)
    rule(None, w.x, w.z)
    result = route(w, getattr(w, topic), getattr(w, named) if named else None)
    assert result == (getattr(w, expected) if expected else None)


def test_without_a_named_unit_the_usual_unit_looks_up_the_rules(w):
    home = make_enterprise(home_unit=w.x)
    rule(None, w.x, w.y)
    assert route(w, w.hs, None, enterprise=home) == w.y
    rule(w.tax, w.x, w.z)
    assert route(w, w.tax, None, enterprise=home) == w.z


def test_a_named_unit_wins_over_the_usual_unit(w):
    home = make_enterprise(home_unit=w.x)
    rule(None, w.x, w.y)
    assert route(w, w.hs, w.z, enterprise=home) == w.z


def test_a_rule_to_a_closed_unit_sends_the_case_to_its_successor(w):
    rule(w.tax, None, w.x)
    unit_close(unit=w.x, on=timezone.localdate() - timedelta(days=1), change=Unit.Change.MERGED,
               successor=w.q, by=None)
    assert route(w, w.tax, w.z) == w.q


def test_the_usual_unit_that_closed_is_looked_up_as_its_successor(w):
    old = make_unit(valid_from=date(2020, 1, 1))
    home = make_enterprise(home_unit=old)
    unit_close(unit=old, on=timezone.localdate() - timedelta(days=1), change=Unit.Change.MERGED,
               successor=w.x, by=None)
    rule(None, w.x, w.y)  # the rules name units that exist today
    home = Enterprise.objects.get(pk=home.pk)
    assert route(w, w.hs, None, enterprise=home) == w.y


# --- through case_file (issue #3, API contract) -------------------------------------------

def test_a_case_goes_to_the_unit_the_business_named_unless_a_rule_for_its_topic_says_otherwise(w):
    rule(w.tax, None, w.z)
    kept = file_case(w, topic="phan-loai-hs", named_unit=w.x)
    moved = file_case(w, topic="thue", named_unit=w.x)
    assert Case.objects.get(pk=kept.pk).unit == w.x
    assert Case.objects.get(pk=moved.pk).unit == w.z
    assert Case.objects.get(pk=moved.pk).named_unit == w.x


def test_a_case_with_no_clear_unit_waits_in_the_coordinators_queue(w):
    case = file_case(w, named_unit=None, enterprise=w.lost, by=w.officer, channel="phone")
    assert Case.objects.get(pk=case.pk).unit is None


# --- the table is data, edited by coordinators ------------------------------------------

def test_a_coordinator_adds_and_changes_a_rule(w):
    first = services.routing_rule_save(topic=w.tax, named_unit=w.x, handling_unit=w.y, by=w.coordinator)
    second = services.routing_rule_save(topic=w.tax, named_unit=w.x, handling_unit=w.z, by=w.coordinator)
    assert first.pk == second.pk and RoutingRule.objects.get().handling_unit == w.z
    assert AuditEvent.objects.filter(action="routing_rule.save").count() == 2
    services.routing_rule_delete(rule=second, by=w.coordinator)
    assert not RoutingRule.objects.exists()


@pytest.mark.parametrize("who", ["officer", "leader", "business", "admin", "party"])
def test_only_coordinators_edit_the_table(w, who):
    with pytest.raises(PermissionDenied):
        services.routing_rule_save(topic=w.tax, named_unit=w.x, handling_unit=w.y, by=getattr(w, who))
    assert not RoutingRule.objects.exists()


def test_a_rule_needs_a_condition_and_a_handling_unit(w):
    with pytest.raises(ValidationError):
        services.routing_rule_save(topic=None, named_unit=None, handling_unit=w.y, by=w.coordinator)
    with pytest.raises(ValidationError):
        services.routing_rule_save(topic=w.tax, named_unit=None, handling_unit=None, by=w.coordinator)
    assert not RoutingRule.objects.exists()
