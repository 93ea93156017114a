"""The public calendar /doi-thoai/: upcoming sessions across units with their seats (counts,
never names), filters by unit and topic, and the iCalendar feeds."""

from ketnoi.dialogue.models import Session

from .page_helpers import as_user, block, english, make_programme, text
from .page_helpers import clock, w  # noqa: F401 (fixtures)


def test_anyone_sees_the_upcoming_sessions_with_date_time_unit_and_venue(client, w):
    programme = make_programme(w)
    response = client.get("/doi-thoai/")
    assert response.status_code == 200
    first = programme.sessions.order_by("starts_at").first()
    row = block(response, f"session-{first.pk}")
    assert "06/03/2026" in row and "07:30–09:00" in row
    assert "Chi cục Hải quan Khu Công nghệ cao" in row and "Hội trường tầng 2" in row
    assert "Cà phê sáng cùng doanh nghiệp" in row
    assert f'href="/doi-thoai/phien/{first.pk}/#register"' in response.content.decode()


def test_it_shows_seats_as_counts_only(client, w):
    make_programme(w, capacity=20)
    english(client)
    response = client.get("/doi-thoai/")
    assert "0/20 seats" in text(response) and "20 seats left" in text(response)


def test_it_links_each_session_and_programme_to_its_ics(client, w):
    programme = make_programme(w)
    html = client.get("/doi-thoai/").content.decode()
    first = programme.sessions.order_by("starts_at").first()
    assert f'href="/doi-thoai/phien/{first.pk}/lich.ics"' in html
    assert f'href="/doi-thoai/chuong-trinh/{programme.pk}/lich.ics"' in html


def test_it_filters_by_unit_and_topic(client, w):
    ours = make_programme(w)
    theirs = make_programme(w, by=w.other_leader, unit=w.other_branch, name="Đối thoại doanh nghiệp chế xuất",
                            topics=["thue"], hosts=[])
    by_unit = block(client.get(f"/doi-thoai/?unit={w.other_branch.pk}"), "sessions")
    assert theirs.name in by_unit and ours.name not in by_unit
    by_topic = block(client.get("/doi-thoai/?topic=thu-tuc"), "sessions")
    assert ours.name in by_topic and theirs.name not in by_topic


def test_a_bad_filter_is_a_400_with_a_message(client, w):
    make_programme(w)
    english(client)
    response = client.get("/doi-thoai/?unit=abc&topic=castles")
    assert response.status_code == 400
    assert "Choose a unit from the list." in text(response) and "Choose a topic from the list." in text(response)


def test_a_cancelled_session_is_marked_and_offers_no_registration(client, w):
    programme = make_programme(w)
    first = programme.sessions.order_by("starts_at").first()
    Session.objects.filter(pk=first.pk).update(status=Session.Status.CANCELLED)
    english(client)
    row = block(client.get("/doi-thoai/"), f"session-{first.pk}")
    assert "Cancelled" in row and "Register" not in row


def test_staff_see_the_programmes_they_run_and_leaders_may_create_one(client, w):
    programme = make_programme(w)
    as_user(client, w.officer, "en")
    page = client.get("/doi-thoai/").content.decode()
    assert f'href="/doi-thoai/chuong-trinh/{programme.pk}/"' in page.split('id="staff-title"')[1]
    assert "/doi-thoai/chuong-trinh/moi/" not in page
    as_user(client, w.leader, "en")
    assert "/doi-thoai/chuong-trinh/moi/" in client.get("/doi-thoai/").content.decode()


def test_others_are_not_offered_the_staff_part(client, w):
    make_programme(w)
    for user in (w.business, w.other_officer, w.operator, w.party, w.admin):
        as_user(client, user, "en")
        page = client.get("/doi-thoai/").content.decode()
        assert 'id="staff-title"' not in page and "/doi-thoai/chuong-trinh/moi/" not in page, user


def test_it_rejects_a_post(client, w):
    assert client.post("/doi-thoai/").status_code == 405


def test_coordinators_are_offered_the_figures_of_every_programme(client, w):
    make_programme(w)
    assert "/doi-thoai/thong-ke/" in as_user(client, w.coordinator).get("/doi-thoai/").content.decode()
    assert "/doi-thoai/thong-ke/" not in as_user(client, w.leader).get("/doi-thoai/").content.decode()
