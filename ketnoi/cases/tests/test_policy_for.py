"""policy_for: the most specific deadline policy for a topic, level and priority."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ketnoi.audit.models import AuditEvent
from ketnoi.cases import services
from ketnoi.cases.models import Level, SlaPolicy, Topic
from ketnoi.cases.policy import CasePolicy, case_policy

from .core_helpers import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(db):
    w = build_world()
    w.tax, w.hs = Topic.objects.get(code="thue"), Topic.objects.get(code="phan-loai-hs")
    return w


def test_the_seeded_defaults_follow_the_rules(w):
    unit = services.policy_for(topic=w.tax, level=Level.UNIT, priority=False)
    assert unit.topic is None and (unit.acknowledge_workdays, unit.answer_workdays) == (1, 10)
    department = services.policy_for(topic=w.tax, level=Level.DEPARTMENT, priority=False)
    assert department.answer_workdays == 10
    aeo = services.policy_for(topic=w.tax, level=Level.UNIT, priority=True)
    assert aeo.priority and aeo.answer_work_hours == 8 and "72/2015" in aeo.source


def test_every_seeded_policy_cites_its_source(w):
    assert all(policy.source for policy in SlaPolicy.objects.all())


def test_the_topics_policy_wins_over_the_default(w):
    own = SlaPolicy.objects.create(topic=w.tax, level=Level.UNIT, answer_workdays=5)
    assert services.policy_for(topic=w.tax, level=Level.UNIT, priority=False) == own
    assert services.policy_for(topic=w.hs, level=Level.UNIT, priority=False).topic is None
    assert services.policy_for(topic=w.tax, level=Level.DEPARTMENT, priority=False).topic is None


def test_a_priority_enterprise_keeps_its_legal_eight_hours_over_an_ordinary_topic_policy(w):
    SlaPolicy.objects.create(topic=w.tax, level=Level.UNIT, answer_workdays=5)
    assert services.policy_for(topic=w.tax, level=Level.UNIT, priority=True).answer_work_hours == 8


def test_a_topics_own_priority_policy_wins_for_a_priority_enterprise(w):
    own = SlaPolicy.objects.create(topic=w.tax, level=Level.UNIT, priority=True, answer_work_hours=4)
    assert services.policy_for(topic=w.tax, level=Level.UNIT, priority=True) == own


def test_a_priority_enterprise_falls_back_to_the_ordinary_policy_of_the_level(w):
    # No priority policy at department level: the ordinary department policy applies.
    policy = services.policy_for(topic=w.tax, level=Level.DEPARTMENT, priority=True)
    assert policy.level == Level.DEPARTMENT and not policy.priority


def test_it_says_so_when_no_policy_is_set_for_the_level(w):
    SlaPolicy.objects.filter(level=Level.DEPARTMENT).delete()
    with pytest.raises(ValidationError):
        services.policy_for(topic=w.tax, level=Level.DEPARTMENT, priority=False)


def test_a_coordinator_changes_a_policy(w):
    policy = services.policy_for(topic=w.tax, level=Level.UNIT, priority=False)
    policy.answer_workdays = 7
    services.sla_policy_save(policy=policy, by=w.coordinator)
    assert SlaPolicy.objects.get(pk=policy.pk).answer_workdays == 7
    event = AuditEvent.objects.get(action="sla_policy.save")
    assert (event.before["answer_workdays"], event.after["answer_workdays"]) == (10, 7)


@pytest.mark.parametrize("who", ["officer", "leader", "admin", "business"])
def test_only_coordinators_change_policies(w, who):
    policy = services.policy_for(topic=w.tax, level=Level.UNIT, priority=False)
    policy.answer_workdays = 7
    with pytest.raises(PermissionDenied):
        services.sla_policy_save(policy=policy, by=getattr(w, who))
    assert SlaPolicy.objects.get(pk=policy.pk).answer_workdays == 10


def test_a_policy_needs_an_answer_deadline(w):
    with pytest.raises(ValidationError):
        services.sla_policy_save(policy=SlaPolicy(topic=w.tax, level=Level.UNIT), by=w.coordinator)
    assert not SlaPolicy.objects.filter(topic=w.tax).exists()


def test_two_policies_for_the_same_topic_and_level_are_refused(w):
    services.sla_policy_save(policy=SlaPolicy(topic=w.tax, level=Level.UNIT, answer_workdays=5), by=w.coordinator)
    with pytest.raises(ValidationError):
        services.sla_policy_save(policy=SlaPolicy(topic=w.tax, level=Level.UNIT, answer_workdays=6),
                                 by=w.coordinator)


def test_the_periodic_jobs_policy_can_be_changed_in_settings(settings):
    assert case_policy() == CasePolicy()
    settings.KETNOI_CASES = {"auto_resolve_workdays": 7, "unknown": 1}
    assert case_policy().auto_resolve_workdays == 7
    assert case_policy().forward_workdays == 5
