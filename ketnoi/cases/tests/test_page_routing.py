"""Coordinators edit the routing table on /cases/routing/."""

import pytest

from ketnoi.cases.models import RoutingRule, Topic

from .page_helpers import page_text, world

pytestmark = pytest.mark.django_db
URL = "/cases/routing/"


@pytest.fixture
def w():
    return world()


def test_it_lists_the_rules(client, w):
    RoutingRule.objects.create(topic=Topic.objects.get(code="thue"), named_unit=None, handling_unit=w.other_unit)
    client.force_login(w.coordinator)
    response = client.get(URL)
    assert response.status_code == 200
    text = page_text(response)
    assert "Tax, exemption and refund" in text and "Any unit" in text and "02DS" in text


def test_it_adds_a_rule_that_routes_new_cases(client, w):
    client.force_login(w.coordinator)
    response = client.post(URL, {"topic": Topic.objects.get(code="thu-tuc").pk, "named_unit": w.unit.pk,
                                 "handling_unit": w.other_unit.pk})
    assert response.status_code == 302 and response["Location"] == URL
    rule = RoutingRule.objects.get()
    assert (rule.topic.code, rule.named_unit, rule.handling_unit) == ("thu-tuc", w.unit, w.other_unit)
    assert w.case().unit == w.other_unit


def test_a_rule_for_the_same_topic_and_unit_replaces_the_old_one(client, w):
    topic = Topic.objects.get(code="thu-tuc")
    RoutingRule.objects.create(topic=topic, named_unit=w.unit, handling_unit=w.unit)
    client.force_login(w.coordinator)
    client.post(URL, {"topic": topic.pk, "named_unit": w.unit.pk, "handling_unit": w.other_unit.pk})
    assert list(RoutingRule.objects.values_list("handling_unit", flat=True)) == [w.other_unit.pk]


def test_a_rule_needs_a_topic_or_a_unit(client, w):
    client.force_login(w.coordinator)
    response = client.post(URL, {"topic": "", "named_unit": "", "handling_unit": w.other_unit.pk})
    assert response.status_code == 400
    assert "A rule needs a topic, a unit, or both." in page_text(response)
    assert RoutingRule.objects.count() == 0


def test_a_rule_needs_a_handling_unit(client, w):
    client.force_login(w.coordinator)
    response = client.post(URL, {"topic": Topic.objects.get(code="thue").pk, "handling_unit": ""})
    assert response.status_code == 400
    assert "Choose the unit that handles these cases." in page_text(response)


def test_it_deletes_a_rule(client, w):
    rule = RoutingRule.objects.create(topic=None, named_unit=w.unit, handling_unit=w.other_unit)
    client.force_login(w.coordinator)
    assert client.get(f"{URL}{rule.pk}/delete/").status_code == 405
    response = client.post(f"{URL}{rule.pk}/delete/")
    assert response.status_code == 302
    assert RoutingRule.objects.count() == 0


@pytest.mark.parametrize("who", ["officer", "leader", "business"])
def test_it_refuses_everyone_but_coordinators(client, w, who):
    rule = RoutingRule.objects.create(topic=None, named_unit=w.unit, handling_unit=w.other_unit)
    client.force_login(getattr(w, who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"named_unit": w.unit.pk, "handling_unit": w.unit.pk}).status_code == 403
    assert client.post(f"{URL}{rule.pk}/delete/").status_code == 403
    assert RoutingRule.objects.get().handling_unit == w.other_unit


def test_anonymous_visitors_are_sent_to_log_in(client, w):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
