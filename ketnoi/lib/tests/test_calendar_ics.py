from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar

from ketnoi.lib.calendar_ics import (
    MAX_OCCURRENCES,
    InvalidRecurrence,
    calendar_ics,
    content_type,
    describe_rrule,
    event_ics,
    rrule_occurrences,
    validate_rrule,
)
from ketnoi.lib.workdays import TIMEZONE

START = datetime(2020, 2, 7, 7, 30, tzinfo=TIMEZONE)
END = datetime(2020, 2, 7, 9, 0, tzinfo=TIMEZONE)
STAMP = datetime(2020, 1, 20, 3, 0, tzinfo=UTC)
SESSION = dict(
    uid="phien-12@ketnoi.haiquan.example",
    start=START,
    end=END,
    summary="Cà phê sáng cùng doanh nghiệp tháng 02/2020",
    description="Chủ trì: bà Nguyễn Thị Hường, Trưởng phòng Nghiệp vụ; thuế GTGT; đề nghị; ưu đãi",
    location="Hội trường Chi cục Hải quan khu công nghệ cao, Lô I3, đường N2, TP. Thủ Đức",
    url="https://ketnoi.haiquan.example/doi-thoai/phien/12/",
)


def only_event(data: bytes):
    calendar = Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def test_it_writes_a_session_that_reads_back_at_0730_in_ho_chi_minh_as_0030_utc():
    data = event_ics(**SESSION, stamp=STAMP)
    calendar, event = only_event(data)
    assert b"DTSTART:20200207T003000Z" in data and b"DTEND:20200207T020000Z" in data
    assert event.decoded("dtstart") == START and event.decoded("dtend") == END
    assert event.decoded("dtstart").astimezone(TIMEZONE).strftime("%H:%M") == "07:30"
    assert str(event["uid"]) == SESSION["uid"]
    assert str(calendar["method"]) == "PUBLISH" and str(calendar["version"]) == "2.0"
    assert str(event["status"]) == "CONFIRMED" and int(event["sequence"]) == 0
    assert event.decoded("dtstamp") == STAMP


def test_it_keeps_vietnamese_text_intact_through_escaping_and_folding():
    long_description = " ".join([SESSION["description"]] * 6)
    data = event_ics(**{**SESSION, "description": long_description})
    _calendar, event = only_event(data)
    assert str(event["summary"]) == SESSION["summary"]
    assert str(event["description"]) == long_description
    assert str(event["location"]) == SESSION["location"]
    assert str(event["url"]) == SESSION["url"]
    # RFC 5545 3.1: lines of at most 75 octets, folded without cutting a character in two.
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    data.decode("utf-8")


def test_a_moved_session_keeps_its_uid_with_a_higher_sequence():
    moved = event_ics(**{**SESSION, "start": START + timedelta(days=7),
                         "end": END + timedelta(days=7)}, sequence=1)
    _calendar, event = only_event(moved)
    assert str(event["uid"]) == SESSION["uid"] and int(event["sequence"]) == 1
    assert event.decoded("dtstart") == datetime(2020, 2, 14, 0, 30, tzinfo=UTC)


def test_a_cancelled_session_is_the_same_uid_with_cancel_cancelled_and_a_higher_sequence():
    data = event_ics(**SESSION, method="CANCEL", sequence=2,
                     organizer_email="hqcnc@haiquan.example", organizer_name="Chi cục HQ CNC",
                     attendee_emails=["xnk@quangvinh.example"])
    calendar, event = only_event(data)
    assert str(calendar["method"]) == "CANCEL"
    assert str(event["status"]) == "CANCELLED" and int(event["sequence"]) == 2
    assert str(event["uid"]) == SESSION["uid"]
    assert str(event["organizer"]) == "mailto:hqcnc@haiquan.example"
    assert str(event["organizer"].params["CN"]) == "Chi cục HQ CNC"
    assert str(event["attendee"]) == "mailto:xnk@quangvinh.example"


def test_a_request_or_a_cancel_needs_the_organizer():
    for method in ("REQUEST", "CANCEL"):
        with pytest.raises(ValueError, match="organizer"):
            event_ics(**SESSION, method=method)


def test_it_refuses_a_cancel_that_says_confirmed_and_an_unknown_method():
    with pytest.raises(ValueError):
        event_ics(**SESSION, method="CANCEL", status="CONFIRMED", organizer_email="a@b.example")
    with pytest.raises(ValueError):
        event_ics(**SESSION, method="PUBLISHED")


def test_it_refuses_naive_times_and_a_session_that_ends_before_it_starts():
    with pytest.raises(ValueError, match="timezone-aware"):
        event_ics(**{**SESSION, "start": datetime(2020, 2, 7, 7, 30)})
    with pytest.raises(ValueError, match="end after"):
        event_ics(**{**SESSION, "end": START})


def test_the_feed_holds_every_session_under_the_programme_name():
    sessions = [
        {**SESSION, "uid": f"phien-{month}@ketnoi.haiquan.example",
         "start": START.replace(month=month), "end": END.replace(month=month),
         "summary": f"Cà phê sáng cùng doanh nghiệp tháng {month:02d}/2020"}
        for month in (2, 3, 4)
    ]
    sessions[2]["status"] = "CANCELLED"
    calendar = Calendar.from_ical(calendar_ics(name="Cà phê sáng – Chi cục HQ CNC",
                                               events=sessions))
    assert str(calendar["x-wr-calname"]) == "Cà phê sáng – Chi cục HQ CNC"
    assert str(calendar["method"]) == "PUBLISH"
    events = calendar.walk("VEVENT")
    assert [str(event["uid"]) for event in events] == [s["uid"] for s in sessions]
    assert [str(event["status"]) for event in events] == ["CONFIRMED", "CONFIRMED", "CANCELLED"]
    assert events[1].decoded("dtstart") == datetime(2020, 3, 7, 0, 30, tzinfo=UTC)


def test_the_mime_type_of_an_attachment_carries_the_method():
    assert content_type("cancel") == "text/calendar; charset=utf-8; method=CANCEL"


def test_it_finds_the_first_fridays_of_2020():
    found = rrule_occurrences("FREQ=MONTHLY;BYDAY=1FR", dtstart=datetime(2020, 1, 1, 7, 30),
                              until=date(2020, 12, 31))
    assert [moment.strftime("%d/%m") for moment in found] == [
        "03/01", "07/02", "06/03", "03/04", "01/05", "05/06",
        "03/07", "07/08", "04/09", "02/10", "06/11", "04/12"]
    assert all(moment.tzinfo == TIMEZONE and moment.strftime("%H:%M") == "07:30"
               for moment in found)
    assert found[1].astimezone(UTC) == datetime(2020, 2, 7, 0, 30, tzinfo=UTC)


def test_it_finds_the_second_mondays_and_writes_the_plus_sign_away():
    assert validate_rrule("rrule:freq=monthly; byday=+2mo;") == "FREQ=MONTHLY;BYDAY=2MO"
    found = rrule_occurrences("FREQ=MONTHLY;BYDAY=+2MO", dtstart=datetime(2020, 1, 1, 8, 0),
                              count=3)
    assert [moment.date() for moment in found] == [date(2020, 1, 13), date(2020, 2, 10),
                                                   date(2020, 3, 9)]


def test_it_reads_an_aware_start_in_vietnamese_time():
    found = rrule_occurrences("FREQ=WEEKLY;BYDAY=FR;COUNT=2",
                              dtstart=datetime(2020, 2, 7, 0, 30, tzinfo=UTC))
    assert found == [datetime(2020, 2, 7, 7, 30, tzinfo=TIMEZONE),
                     datetime(2020, 2, 14, 7, 30, tzinfo=TIMEZONE)]


def test_a_date_until_includes_the_sessions_of_that_day():
    rule_bound = rrule_occurrences("FREQ=MONTHLY;BYDAY=1FR;UNTIL=20200306",
                                   dtstart=datetime(2020, 1, 1, 7, 30))
    argument_bound = rrule_occurrences("FREQ=MONTHLY;BYDAY=1FR",
                                       dtstart=datetime(2020, 1, 1, 7, 30), until=date(2020, 3, 6))
    assert rule_bound == argument_bound
    assert rule_bound[-1].date() == date(2020, 3, 6)


def test_the_smallest_bound_wins():
    found = rrule_occurrences("FREQ=MONTHLY;BYDAY=1FR;COUNT=12",
                              dtstart=datetime(2020, 1, 1, 7, 30), until=date(2020, 4, 30))
    assert len(found) == 4


def test_it_refuses_a_rule_that_never_ends_or_gives_too_many_sessions():
    with pytest.raises(InvalidRecurrence) as never_ends:
        rrule_occurrences("FREQ=MONTHLY;BYDAY=1FR", dtstart=datetime(2020, 1, 1, 7, 30))
    assert never_ends.value.code == "too_many"
    assert "COUNT" in never_ends.value.message_in("en")
    with pytest.raises(InvalidRecurrence, match=str(MAX_OCCURRENCES)):
        rrule_occurrences("FREQ=DAILY", dtstart=datetime(2020, 1, 1, 7, 30),
                          until=date(2030, 1, 1))


@pytest.mark.parametrize("rule, code", [
    ("", "empty"),
    ("MONTHLY", "syntax"),
    ("FREQ=HOURLY", "freq"),
    ("BYDAY=FR", "freq"),
    ("FREQ=DAILY;COLOR=RED", "unknown_part"),
    ("FREQ=DAILY;FREQ=WEEKLY", "duplicate"),
    ("FREQ=MONTHLY;INTERVAL=0", "number"),
    ("FREQ=MONTHLY;COUNT=3;UNTIL=20201231", "count_and_until"),
    ("FREQ=MONTHLY;UNTIL=31/12/2020", "until"),
    ("FREQ=MONTHLY;BYDAY=FRI", "day"),
    ("FREQ=MONTHLY;BYDAY=6FR", "day"),
    ("FREQ=WEEKLY;BYDAY=1FR", "day_position"),
    ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "never"),
    ("FREQ=MONTHLY;BYDAY=1MO;BYMONTHDAY=15", "monthday_with"),
    ("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6", "setpos"),
])
def test_it_refuses_an_invalid_rule_and_says_what_to_write(rule, code):
    with pytest.raises(InvalidRecurrence) as refused:
        validate_rrule(rule)
    assert refused.value.code == code
    assert isinstance(refused.value, ValueError)
    assert str(refused.value) == refused.value.message_in("vi")
    assert refused.value.message_in("en") != refused.value.message_in("vi")


def test_it_answers_a_rule_that_can_never_match_at_once():
    # dateutil alone would search until the year 9999 (seconds) before finding nothing.
    started = datetime.now()
    with pytest.raises(InvalidRecurrence):
        rrule_occurrences("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", dtstart=datetime(2020, 1, 1),
                          count=1)
    assert datetime.now() - started < timedelta(seconds=0.5)


@pytest.mark.parametrize("rule, vi, en", [
    ("FREQ=MONTHLY;BYDAY=1FR", "Hằng tháng, thứ Sáu đầu tiên", "Monthly, on the first Friday"),
    ("FREQ=MONTHLY;BYDAY=+2MO", "Hằng tháng, thứ Hai thứ hai", "Monthly, on the second Monday"),
    ("FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1", "Hằng tháng, thứ Sáu cuối cùng",
     "Monthly, on the last Friday"),
    ("FREQ=WEEKLY;BYDAY=TH", "Hằng tuần, vào thứ Năm", "Weekly, on Thursday"),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH", "2 tuần một lần, vào thứ Ba và thứ Năm",
     "Every 2 weeks, on Tuesday and Thursday"),
    ("FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15;COUNT=4", "3 tháng một lần, ngày 15, 4 lần",
     "Every 3 months, on day 15, 4 times"),
    ("FREQ=MONTHLY;BYDAY=1FR;UNTIL=20201231",
     "Hằng tháng, thứ Sáu đầu tiên, đến hết ngày 31/12/2020",
     "Monthly, on the first Friday, until 31/12/2020"),
])
def test_it_describes_the_common_rules_in_both_languages(rule, vi, en):
    assert describe_rrule(rule) == vi
    assert describe_rrule(rule, language="en") == en


def test_it_falls_back_to_the_rule_itself_when_it_has_no_words_for_it():
    assert describe_rrule("FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "en") == \
        "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"
    assert describe_rrule("not a rule") == "not a rule"
