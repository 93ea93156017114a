"""Coordinators change the deadline policies on /cases/deadlines/."""

import pytest

from ketnoi.cases.models import SlaPolicy, Topic

from .page_helpers import page_text, world

pytestmark = pytest.mark.django_db
URL = "/cases/deadlines/"


@pytest.fixture
def w():
    return world()


def default_policy():
    return SlaPolicy.objects.get(topic=None, level="unit", priority=False)


def test_it_lists_the_policies(client, w):
    client.force_login(w.coordinator)
    response = client.get(URL)
    assert response.status_code == 200
    text = page_text(response)
    assert "All topics (the default)" in text and "10 working days" in text and "8 working hours" in text


def test_it_changes_a_policy(client, w):
    policy = default_policy()
    client.force_login(w.coordinator)
    assert client.get(f"{URL}{policy.pk}/").status_code == 200
    response = client.post(f"{URL}{policy.pk}/", {"acknowledge_workdays": "2", "answer_workdays": "7",
                                                  "answer_work_hours": "", "reminder_work_hours": "4",
                                                  "source": "Quyết định của Cục trưởng"})
    assert response.status_code == 302 and response["Location"] == URL
    policy.refresh_from_db()
    assert (policy.acknowledge_workdays, policy.answer_workdays, policy.reminder_work_hours) == (2, 7, 4)


def test_a_policy_needs_an_answer_deadline(client, w):
    policy = default_policy()
    client.force_login(w.coordinator)
    response = client.post(f"{URL}{policy.pk}/", {"acknowledge_workdays": "1", "answer_workdays": "",
                                                  "answer_work_hours": "", "reminder_work_hours": "8"})
    assert response.status_code == 400
    assert "Give the answer deadline in working days or in working hours." in page_text(response)
    policy.refresh_from_db()
    assert policy.answer_workdays == 10


def test_it_adds_a_policy_for_a_topic(client, w):
    client.force_login(w.coordinator)
    topic = Topic.objects.get(code="thue")
    response = client.post(f"{URL}new/", {"topic": topic.pk, "level": "unit", "acknowledge_workdays": "1",
                                          "answer_workdays": "15", "reminder_work_hours": "8"})
    assert response.status_code == 302
    assert SlaPolicy.objects.get(topic=topic).answer_workdays == 15


def test_a_second_policy_for_the_same_topic_and_level_is_refused(client, w):
    topic = Topic.objects.get(code="thue")
    SlaPolicy.objects.create(topic=topic, level="unit", answer_workdays=15)
    client.force_login(w.coordinator)
    response = client.post(f"{URL}new/", {"topic": topic.pk, "level": "unit", "acknowledge_workdays": "1",
                                          "answer_workdays": "5", "reminder_work_hours": "8"})
    assert response.status_code == 400
    assert SlaPolicy.objects.filter(topic=topic).count() == 1


@pytest.mark.parametrize("who", ["officer", "leader", "business"])
def test_it_refuses_everyone_but_coordinators(client, w, who):
    policy = default_policy()
    client.force_login(getattr(w, who))
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}{policy.pk}/").status_code == 403
    assert client.post(f"{URL}{policy.pk}/", {"acknowledge_workdays": "1", "answer_workdays": "1",
                                              "reminder_work_hours": "1"}).status_code == 403
    policy.refresh_from_db()
    assert policy.answer_workdays == 10


def test_anonymous_visitors_are_sent_to_log_in(client, w):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
