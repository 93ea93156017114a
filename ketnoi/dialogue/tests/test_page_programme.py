"""A programme's page (public: schedule in words, venue, hosts, topics, next and past sessions)
and the leaders' forms to create and edit one, with the recurrence chosen in plain words."""

from datetime import date, time

import pytest

from ketnoi.dialogue.models import Minutes, Programme, Session

from .page_helpers import as_user, block, counts, english, error_summary, make_programme, text
from .page_helpers import clock, w  # noqa: F401 (fixtures)

FORM = {
    "name": "Cà phê doanh nhân Linh Trung", "description": "Gặp gỡ doanh nghiệp chế xuất mỗi tháng.",
    "pattern": "monthly_2", "weekday": "TH", "rrule": "", "starts_on": "01/04/2026", "ends_on": "",
    "start_time": "07:30", "end_time": "09:00", "venue": "Phòng họp số 1, Chi cục Hải quan KCX Linh Trung",
    "capacity": "15", "max_attendees": "2", "registration_closes_hours": "48", "topics": ["thue"],
}


# --- the page ----------------------------------------------------------------------------------

def test_anyone_sees_the_programme_with_its_schedule_and_next_sessions(client, w):
    programme = make_programme(w)
    english(client)
    response = client.get(f"/doi-thoai/chuong-trinh/{programme.pk}/")
    assert response.status_code == 200
    page = text(response)
    assert "Cà phê sáng cùng doanh nghiệp" in page and "07:30–09:00" in page and "Hội trường tầng 2" in page
    assert "Friday" in page  # the rule in words
    assert "Phan Văn Đức" in page  # the host
    upcoming = programme.sessions.order_by("starts_at")
    assert "06/03/2026" in block(response, f"session-{upcoming[0].pk}")
    assert f'href="/doi-thoai/chuong-trinh/{programme.pk}/lich.ics"' in response.content.decode()


def test_past_sessions_show_minutes_links_to_staff_only(client, w, clock):
    programme = make_programme(w)
    first = programme.sessions.order_by("starts_at").first()
    Session.objects.filter(pk=first.pk).update(status=Session.Status.HELD)
    Minutes.objects.create(session=first, number="3/BB-HQCNC", state=Minutes.State.ISSUED)
    clock.set(2026, 3, 10, 9)
    url = f"/doi-thoai/chuong-trinh/{programme.pk}/"
    assert f"/doi-thoai/phien/{first.pk}/bien-ban.pdf" not in client.get(url).content.decode()
    assert f"/doi-thoai/phien/{first.pk}/bien-ban.pdf" not in as_user(client, w.business).get(url).content.decode()
    assert f"/doi-thoai/phien/{first.pk}/bien-ban.pdf" in as_user(client, w.officer).get(url).content.decode()


def test_only_its_leaders_and_coordinators_are_offered_the_edit_form(client, w):
    programme = make_programme(w)
    url = f"/doi-thoai/chuong-trinh/{programme.pk}/"
    edit = f"/doi-thoai/chuong-trinh/{programme.pk}/sua/"
    for user in (w.leader, w.coordinator):
        assert edit in as_user(client, user).get(url).content.decode()
    for user in (w.officer, w.other_leader, w.business):
        assert edit not in as_user(client, user).get(url).content.decode()


def test_an_unknown_programme_is_a_404(client, w):
    assert client.get("/doi-thoai/chuong-trinh/999999/").status_code == 404


# --- creating ------------------------------------------------------------------------------------

def test_a_leader_creates_a_programme_from_plain_choices(client, w):
    as_user(client, w.other_leader)
    assert client.get("/doi-thoai/chuong-trinh/moi/").status_code == 200
    response = client.post("/doi-thoai/chuong-trinh/moi/", {**FORM, "unit": w.other_branch.pk})
    programme = Programme.objects.get(name="Cà phê doanh nhân Linh Trung")
    assert response.status_code == 302 and response["Location"] == f"/doi-thoai/chuong-trinh/{programme.pk}/"
    assert programme.rrule == "FREQ=MONTHLY;BYDAY=2TH"
    assert programme.unit == w.other_branch and programme.capacity == 15 and programme.max_attendees == 2
    assert programme.start_time == time(7, 30) and programme.starts_on == date(2026, 4, 1)
    assert [t.code for t in programme.topics.all()] == ["thue"]
    assert programme.sessions.order_by("starts_at").first().starts_at.date() == date(2026, 4, 9)


@pytest.mark.parametrize("pattern, rule", [("monthly_1", "FREQ=MONTHLY;BYDAY=1TH"), ("weekly", "FREQ=WEEKLY;BYDAY=TH"),
                                           ("fortnightly", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH")])
def test_each_plain_choice_is_its_rule(client, w, pattern, rule):
    as_user(client, w.other_leader)
    client.post("/doi-thoai/chuong-trinh/moi/", {**FORM, "unit": w.other_branch.pk, "pattern": pattern})
    assert Programme.objects.get(name=FORM["name"]).rrule == rule


def test_the_advanced_field_takes_an_rfc_5545_rule(client, w):
    as_user(client, w.other_leader)
    client.post("/doi-thoai/chuong-trinh/moi/", {**FORM, "unit": w.other_branch.pk, "pattern": "advanced",
                                                  "rrule": "FREQ=MONTHLY;BYDAY=-1TH"})
    assert Programme.objects.get(name=FORM["name"]).rrule == "FREQ=MONTHLY;BYDAY=-1TH"


def test_a_bad_rule_is_a_400_with_the_service_message_and_nothing_written(client, w):
    as_user(client, w.other_leader, "en")
    before = counts()
    response = client.post("/doi-thoai/chuong-trinh/moi/", {**FORM, "unit": w.other_branch.pk, "pattern": "advanced",
                                                             "rrule": "FREQ=HOURLY"})
    assert response.status_code == 400
    assert "MONTHLY" in error_summary(response)  # the service's message, on the rule's field
    assert 'href="#id_rrule"' in response.content.decode().split('class="error-summary"')[1].split("</div>")[0]
    assert counts() == before


def test_missing_fields_are_named(client, w):
    as_user(client, w.other_leader, "en")
    response = client.post("/doi-thoai/chuong-trinh/moi/", {"unit": w.other_branch.pk, "pattern": "advanced"})
    assert response.status_code == 400
    summary = error_summary(response)
    for message in ("Write the programme's name.", "Write the RFC 5545 rule", "Write the first day of the programme.",
                    "Write where the sessions are held.", "Write how many businesses a session can receive."):
        assert message in summary
    assert Programme.objects.count() == 0


def test_a_leader_cannot_create_for_another_unit(client, w):
    as_user(client, w.other_leader, "en")
    response = client.post("/doi-thoai/chuong-trinh/moi/", {**FORM, "unit": w.branch.pk})
    assert response.status_code == 400 and "Choose the unit that holds the programme." in error_summary(response)
    assert Programme.objects.count() == 0


@pytest.mark.parametrize("who", ["officer", "business", "operator", "party", "admin", "nobody"])
def test_others_may_not_create(client, w, who):
    as_user(client, getattr(w, who))
    assert client.get("/doi-thoai/chuong-trinh/moi/").status_code == 403
    assert client.post("/doi-thoai/chuong-trinh/moi/", {**FORM, "unit": w.branch.pk}).status_code == 403
    assert Programme.objects.count() == 0


def test_anonymous_is_sent_to_log_in(client, w):
    response = client.get("/doi-thoai/chuong-trinh/moi/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- editing -------------------------------------------------------------------------------------

def test_the_edit_form_shows_the_rule_as_its_plain_choice(client, w):
    programme = make_programme(w)
    response = as_user(client, w.leader).get(f"/doi-thoai/chuong-trinh/{programme.pk}/sua/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="monthly_1" id="id_pattern_0" checked' in html or 'value="monthly_1"' in html and "checked" in html
    assert '<option value="FR" selected>' in html


def test_a_leader_edits_the_programme(client, w):
    programme = make_programme(w)
    as_user(client, w.leader)
    response = client.post(f"/doi-thoai/chuong-trinh/{programme.pk}/sua/", {
        **FORM, "unit": w.branch.pk, "name": "Cà phê sáng cùng doanh nghiệp KCNC", "pattern": "monthly_1", "weekday": "FR",
        "starts_on": "01/03/2026", "hosts": [w.officer.pk, w.officer2.pk]})
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.name == "Cà phê sáng cùng doanh nghiệp KCNC" and programme.capacity == 15
    assert set(programme.hosts.all()) == {w.officer, w.officer2}


@pytest.mark.parametrize("who", ["officer", "other_leader", "business"])
def test_others_may_not_edit(client, w, who):
    programme = make_programme(w)
    as_user(client, getattr(w, who))
    assert client.get(f"/doi-thoai/chuong-trinh/{programme.pk}/sua/").status_code == 403
    assert client.post(f"/doi-thoai/chuong-trinh/{programme.pk}/sua/", {**FORM, "unit": w.branch.pk}).status_code == 403
    programme.refresh_from_db()
    assert programme.name == "Cà phê sáng cùng doanh nghiệp"


def test_too_many_people_per_business_gets_the_services_message_on_its_field(client, w):
    as_user(client, w.other_leader, "en")
    response = client.post("/doi-thoai/chuong-trinh/moi/", {**FORM, "unit": w.other_branch.pk, "max_attendees": "50"})
    assert response.status_code == 400
    assert 'href="#id_max_attendees"' in response.content.decode().split('class="error-summary"')[1].split("</div>")[0]
    assert Programme.objects.count() == 0
