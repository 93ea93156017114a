"""Two coordinators changing one deadline policy: the one whose page was read before the other's
change is refused with 409, nothing of theirs is saved, and the form shows the policy as it is
now with its new version, so that saving again, having read it, goes through."""

import re

import pytest

from ketnoi.audit.models import AuditEvent
from ketnoi.cases.models import SlaPolicy

from .page_helpers import page_text, world

pytestmark = pytest.mark.django_db
URL = "/cases/deadlines/"


@pytest.fixture
def w():
    return world()


def values(acknowledge, answer, reminder, source):
    return {"acknowledge_workdays": str(acknowledge), "answer_workdays": str(answer), "answer_work_hours": "",
            "reminder_work_hours": str(reminder), "source": source}


def version_on(response) -> int:
    return int(re.search(r'name="version" value="(\d+)"', response.content.decode()).group(1))


def test_a_change_from_a_page_read_before_a_colleagues_is_refused_with_409(client, w):
    policy = SlaPolicy.objects.get(topic=None, level="unit", priority=False)
    client.force_login(w.coordinator)
    seen = version_on(client.get(f"{URL}{policy.pk}/"))
    # A colleague saves first.
    colleague = type(client)()
    colleague.force_login(w.coordinator)
    first = colleague.post(f"{URL}{policy.pk}/", {**values(1, 7, 8, "Quyết định 15/QĐ-HQHCM"), "version": seen})
    assert first.status_code == 302
    audit = AuditEvent.objects.filter(action="sla_policy.save").count()

    r = client.post(f"{URL}{policy.pk}/", {**values(2, 12, 4, "Ý kiến Phòng Nghiệp vụ"), "version": seen})
    assert r.status_code == 409
    assert "Someone else changed this deadline policy after you opened this page" in page_text(r)
    policy.refresh_from_db()
    assert (policy.acknowledge_workdays, policy.answer_workdays, policy.source) == (1, 7, "Quyết định 15/QĐ-HQHCM")
    assert AuditEvent.objects.filter(action="sla_policy.save").count() == audit
    # The form shows the colleague's values and the new version.
    assert 'value="7"' in r.content.decode() and version_on(r) == policy.version == seen + 1

    again = client.post(f"{URL}{policy.pk}/", {**values(2, 12, 4, "Ý kiến Phòng Nghiệp vụ"), "version": version_on(r)})
    assert again.status_code == 302
    policy.refresh_from_db()
    assert (policy.answer_workdays, policy.version) == (12, seen + 2)


def test_a_form_without_a_version_saves_as_before(client, w):
    policy = SlaPolicy.objects.get(topic=None, level="unit", priority=False)
    client.force_login(w.coordinator)
    assert client.post(f"{URL}{policy.pk}/", values(1, 9, 8, "")).status_code == 302
    policy.refresh_from_db()
    assert policy.answer_workdays == 9 and policy.version == 2
