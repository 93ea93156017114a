"""The .ics files: a session's (the same UID as the e-mails', its SEQUENCE rising with each
change; METHOD:CANCEL once cancelled), a programme's feed, and the feed of every session."""

import icalendar
import pytest

from ketnoi.dialogue import services
from ketnoi.dialogue.documents import session_uid
from ketnoi.testing import at

from .page_helpers import as_user, first_session, make_programme
from .page_helpers import clock, w  # noqa: F401 (fixtures)


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def test_anyone_downloads_a_sessions_ics(client, w):
    session = first_session(make_programme(w))
    response = client.get(f"/doi-thoai/phien/{session.pk}/lich.ics")
    assert f'filename="phien-{session.pk}.ics"' in response["Content-Disposition"]
    calendar = parse(response)
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == session_uid(session)
    assert event.decoded("DTSTART") == session.starts_at and event.decoded("DTEND") == session.ends_at
    assert "Hội trường tầng 2" in str(event["LOCATION"]) and "Cà phê sáng cùng doanh nghiệp" in str(event["SUMMARY"])
    assert int(event["SEQUENCE"]) == 0


def test_a_moved_session_keeps_its_uid_with_a_higher_sequence(client, w):
    session = first_session(make_programme(w))
    services.session_move(session=session, by=w.leader, starts_at=at(2026, 3, 13, 7, 30), reason="Trùng lịch")
    [event] = parse(client.get(f"/doi-thoai/phien/{session.pk}/lich.ics")).walk("VEVENT")
    assert str(event["UID"]) == session_uid(session) and int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == at(2026, 3, 13, 7, 30)


def test_a_cancelled_session_is_a_cancel(client, w):
    session = first_session(make_programme(w))
    services.session_cancel(session=session, by=w.leader, reason="Lãnh đạo đi công tác")
    calendar = parse(client.get(f"/doi-thoai/phien/{session.pk}/lich.ics"))
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(calendar.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"


def test_a_programmes_feed_lists_every_session(client, w):
    programme = make_programme(w)
    response = client.get(f"/doi-thoai/chuong-trinh/{programme.pk}/lich.ics")
    events = parse(response).walk("VEVENT")
    assert sorted(str(e["UID"]) for e in events) == sorted(session_uid(s) for s in programme.sessions.all())


def test_the_feed_of_every_session_holds_each_units(client, w):
    ours = make_programme(w)
    theirs = make_programme(w, by=w.other_leader, unit=w.other_branch, name="Đối thoại KCX Linh Trung", hosts=[])
    uids = {str(e["UID"]) for e in parse(client.get("/doi-thoai/lich.ics")).walk("VEVENT")}
    assert {session_uid(s) for s in [*ours.sessions.all(), *theirs.sessions.all()]} == uids


def test_no_registrant_is_in_a_file(client, w):
    session = first_session(make_programme(w))
    services.registration_create(session=session, by=w.business, enterprise=w.enterprise,
                                 attendees=[{"name": "Ngô Thị Hồng Nhung", "position": "Giám đốc"}])
    for url in (f"/doi-thoai/phien/{session.pk}/lich.ics", f"/doi-thoai/chuong-trinh/{session.programme_id}/lich.ics",
                "/doi-thoai/lich.ics"):
        content = client.get(url).content.decode()
        assert "Sao Việt" not in content and "Hồng Nhung" not in content


@pytest.mark.parametrize("url", ["/doi-thoai/phien/999999/lich.ics", "/doi-thoai/chuong-trinh/999999/lich.ics"])
def test_an_unknown_one_is_a_404(client, w, url):
    assert client.get(url).status_code == 404


def test_it_rejects_a_post(client, w):
    session = first_session(make_programme(w))
    assert as_user(client, w.leader).post(f"/doi-thoai/phien/{session.pk}/lich.ics").status_code == 405
