"""iCalendar files (RFC 5545) for dialogue sessions, and the recurrence rules of programmes.

Times are written in UTC ("DTSTART:20200207T003000Z"), not with TZID=Asia/Ho_Chi_Minh and a
VTIMEZONE. Every calendar program (Outlook, Google Calendar, Apple Calendar, Thunderbird, phones)
imports UTC times the same way and shows them in the reader's own zone, whereas a TZID must be
matched by a VTIMEZONE that some programs ignore or misread (Outlook maps zone names its own
way; a file without the VTIMEZONE is invalid). A zone would only matter for an event that
repeats across a daylight-saving change, and Vietnam has kept UTC+7 all year since 1975; the
files here hold single sessions (a programme's feed lists each session, not a rule), so UTC
loses nothing. The feed still names the zone (X-WR-TIMEZONE) so that programs which create
events in it default to Vietnamese time.

A moved session is the same UID with a higher SEQUENCE; a cancelled one is the same UID with a
higher SEQUENCE, METHOD:CANCEL and STATUS:CANCELLED (RFC 5546, 3.2.5).

Recurrence rules (RRULE, RFC 5545 3.3.10) are checked by `validate_rrule`, expanded in Vietnamese
local time by `rrule_occurrences` (python-dateutil) and described to people by `describe_rrule`.
Error messages exist in both languages of the platform (this module knows nothing of Django's
translation machinery; `InvalidRecurrence.message_in(language)` picks one).

Pure: no Django.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta

import icalendar
from dateutil import rrule as dateutil_rrule

from ketnoi.lib.workdays import TIMEZONE

PRODID = "-//ketnoi//Ket noi Hai quan - Doanh nghiep//VI"
METHODS = ("PUBLISH", "REQUEST", "CANCEL")
STATUSES = ("TENTATIVE", "CONFIRMED", "CANCELLED")
# How often a calendar program should fetch a programme's feed again (RFC 7986 REFRESH-INTERVAL
# and the older X-PUBLISHED-TTL that Outlook reads).
FEED_REFRESH = timedelta(hours=6)


# -- Events -------------------------------------------------------------------------------------


def event_ics(*, uid: str, start: datetime, end: datetime, summary: str, description: str = "",
              location: str = "", url: str = "", organizer_email: str = "",
              organizer_name: str = "", attendee_emails: Iterable[str] = (),
              method: str = "PUBLISH", sequence: int = 0, status: str | None = None,
              stamp: datetime | None = None) -> bytes:
    """One session as an .ics file (one VCALENDAR holding one VEVENT).

    ``status`` defaults to CONFIRMED, or CANCELLED when ``method`` is CANCEL. REQUEST and
    CANCEL are messages to attendees (RFC 5546): they need the organizer's address. ``stamp``
    is the DTSTAMP (when the file was made), now by default.
    """
    method = method.upper()
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    if status is None:
        status = "CANCELLED" if method == "CANCEL" else "CONFIRMED"
    if method == "CANCEL" and status.upper() != "CANCELLED":
        raise ValueError("a CANCEL message carries STATUS:CANCELLED")
    if method in ("REQUEST", "CANCEL") and not organizer_email:
        raise ValueError(f"a {method} message needs the organizer's e-mail address (RFC 5546)")
    calendar = _calendar(method)
    calendar.add_component(_event(
        uid=uid, start=start, end=end, summary=summary, description=description,
        location=location, url=url, organizer_email=organizer_email,
        organizer_name=organizer_name, attendee_emails=attendee_emails, sequence=sequence,
        status=status, stamp=stamp))
    return calendar.to_ical()


def calendar_ics(*, name: str, events: Iterable[Mapping], stamp: datetime | None = None) -> bytes:
    """A feed: one VCALENDAR (METHOD:PUBLISH) with a VEVENT for each mapping of ``events``,
    whose keys are `event_ics`'s event arguments (uid, start, end, summary, description,
    location, url, organizer_email, organizer_name, sequence, status)."""
    calendar = _calendar("PUBLISH")
    calendar.add("name", name)  # RFC 7986
    calendar.add("x-wr-calname", name)  # what Google, Apple and Outlook show as its name
    calendar.add("x-wr-timezone", str(TIMEZONE))
    calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", FEED_REFRESH)
    for event in events:
        calendar.add_component(_event(stamp=stamp, **event))
    return calendar.to_ical()


def content_type(method: str = "PUBLISH") -> str:
    """The MIME type of an .ics attached to an e-mail: mail programs act on a REQUEST or a
    CANCEL (add or remove the event) only when the method is also in the MIME type."""
    return f"text/calendar; charset=utf-8; method={method.upper()}"


def _calendar(method: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    return calendar


def _event(*, uid: str, start: datetime, end: datetime, summary: str, description: str = "",
           location: str = "", url: str = "", organizer_email: str = "",
           organizer_name: str = "", attendee_emails: Iterable[str] = (), sequence: int = 0,
           status: str = "CONFIRMED", stamp: datetime | None = None) -> icalendar.Event:
    if not uid:
        raise ValueError("an event needs a UID that stays the same when it is moved or cancelled")
    start, end = _utc(start, "start"), _utc(end, "end")
    if end <= start:
        raise ValueError("an event must end after it starts")
    status = status.upper()
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    if sequence < 0:
        raise ValueError("SEQUENCE starts at 0 and grows with each change")
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", _utc(stamp, "stamp") if stamp else datetime.now(UTC).replace(microsecond=0))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", summary)
    if description:
        event.add("description", description)
    if location:
        event.add("location", location)
    if url:
        event.add("url", url)
    if organizer_email:
        organizer = icalendar.vCalAddress(f"mailto:{organizer_email}")
        if organizer_name:
            organizer.params["CN"] = icalendar.vText(organizer_name)
        event.add("organizer", organizer)
    for email in attendee_emails:
        attendee = icalendar.vCalAddress(f"mailto:{email}")
        attendee.params["ROLE"] = icalendar.vText("REQ-PARTICIPANT")
        event.add("attendee", attendee)
    event.add("sequence", sequence)
    event.add("status", status)
    event.add("transp", "TRANSPARENT" if status == "CANCELLED" else "OPAQUE")
    return event


def _utc(moment: datetime, name: str) -> datetime:
    if not isinstance(moment, datetime) or moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime")
    return moment.astimezone(UTC).replace(microsecond=0)


# -- Recurrence rules ---------------------------------------------------------------------------

# A programme meets at most once a day, and a session generator must stop: the occurrences one
# rule may produce (a daily rule over a year and a half, a monthly one over 40 years).
MAX_OCCURRENCES = 500
HORIZON_YEARS = 100  # no occurrence is looked for further than this after the start
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
# The parts accepted, in the order the normal form writes them.
PARTS = ("FREQ", "INTERVAL", "COUNT", "UNTIL", "BYMONTH", "BYMONTHDAY", "BYDAY", "BYSETPOS", "WKST")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

_BYDAY_ITEM = re.compile(r"([+-]?)(\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)")
_UNTIL = re.compile(r"(\d{8})(?:T(\d{6})(Z?))?")

MESSAGES: dict[str, dict[str, str]] = {
    "empty": {
        "vi": "Hãy nhập quy tắc lặp lại, ví dụ FREQ=MONTHLY;BYDAY=1FR (hằng tháng, thứ Sáu đầu "
              "tiên).",
        "en": "Enter a recurrence rule, for example FREQ=MONTHLY;BYDAY=1FR (monthly, on the first "
              "Friday).",
    },
    "syntax": {
        "vi": "Quy tắc gồm các phần TÊN=GIÁ TRỊ, cách nhau bằng dấu chấm phẩy, ví dụ "
              "FREQ=MONTHLY;BYDAY=1FR; “{part}” không đúng dạng đó.",
        "en": "Write the rule as NAME=VALUE parts separated by semicolons, for example "
              "FREQ=MONTHLY;BYDAY=1FR; “{part}” is not of that form.",
    },
    "unknown_part": {
        "vi": "Không dùng được phần “{name}”; chỉ dùng FREQ, INTERVAL, COUNT, UNTIL, BYMONTH, "
              "BYMONTHDAY, BYDAY, BYSETPOS hoặc WKST.",
        "en": "“{name}” cannot be used here; use FREQ, INTERVAL, COUNT, UNTIL, BYMONTH, "
              "BYMONTHDAY, BYDAY, BYSETPOS or WKST.",
    },
    "duplicate": {
        "vi": "Phần “{name}” được viết hai lần; mỗi phần chỉ viết một lần.",
        "en": "“{name}” is written twice; write each part once.",
    },
    "freq": {
        "vi": "Quy tắc phải có FREQ=DAILY (hằng ngày), WEEKLY (hằng tuần), MONTHLY (hằng tháng) "
              "hoặc YEARLY (hằng năm).",
        "en": "The rule needs FREQ=DAILY, WEEKLY, MONTHLY or YEARLY.",
    },
    "number": {
        "vi": "{name} phải là số nguyên từ {low} đến {high}; “{value}” không phải.",
        "en": "{name} must be a whole number from {low} to {high}; “{value}” is not.",
    },
    "day": {
        "vi": "Ngày trong tuần viết là MO, TU, WE, TH, FR, SA, SU (thứ Hai đến Chủ nhật), có thể "
              "kèm thứ tự trong tháng, như 1FR (thứ Sáu đầu tiên) hoặc -1FR (thứ Sáu cuối cùng); "
              "“{value}” không phải.",
        "en": "Write days of the week as MO, TU, WE, TH, FR, SA, SU, optionally with their place "
              "in the month, such as 1FR (first Friday) or -1FR (last Friday); “{value}” is not "
              "one.",
    },
    "day_position": {
        "vi": "Thứ tự như 1FR chỉ dùng với FREQ=MONTHLY hoặc FREQ=YEARLY; với quy tắc hằng tuần, "
              "bỏ con số đi (BYDAY=FR).",
        "en": "A place such as 1FR only goes with FREQ=MONTHLY or FREQ=YEARLY; in a weekly rule, "
              "leave the number out (BYDAY=FR).",
    },
    "until": {
        "vi": "UNTIL viết là một ngày YYYYMMDD (ví dụ 20201231) hoặc một thời điểm UTC như "
              "20201231T170000Z; “{value}” không đúng.",
        "en": "Write UNTIL as a date, YYYYMMDD (e.g. 20201231), or a UTC time such as "
              "20201231T170000Z; “{value}” is not one.",
    },
    "count_and_until": {
        "vi": "Chỉ dùng COUNT (số lần) hoặc UNTIL (đến ngày), không dùng cả hai.",
        "en": "Use COUNT (how many times) or UNTIL (until when), not both.",
    },
    "too_many": {
        "vi": "Quy tắc này tạo ra hơn {limit} lần; hãy thêm COUNT hoặc UNTIL, hoặc chọn khoảng "
              "thời gian ngắn hơn.",
        "en": "This rule gives more than {limit} occurrences; add COUNT or UNTIL, or choose a "
              "shorter period.",
    },
    "never": {
        "vi": "Quy tắc này không bao giờ xảy ra: không tháng nào đã chọn có ngày {day}; hãy kiểm "
              "tra BYMONTHDAY và BYMONTH.",
        "en": "This rule never happens: none of the months chosen has a day {day}; check "
              "BYMONTHDAY and BYMONTH.",
    },
    "monthday_with": {
        "vi": "BYMONTHDAY không dùng cùng FREQ=WEEKLY, BYSETPOS hay thứ tự trong BYDAY (như 1FR); "
              "hãy chọn một cách chỉ ngày.",
        "en": "BYMONTHDAY cannot go with FREQ=WEEKLY, BYSETPOS or a place in BYDAY (such as 1FR); "
              "choose one way of naming the day.",
    },
    "setpos": {
        "vi": "BYSETPOS chỉ dùng với FREQ=MONTHLY hoặc FREQ=WEEKLY và BYDAY không kèm thứ tự, từ "
              "-{limit} đến {limit}; ví dụ FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1 (ngày "
              "làm việc cuối cùng của tháng).",
        "en": "BYSETPOS only goes with FREQ=MONTHLY or FREQ=WEEKLY and a BYDAY without places, "
              "from -{limit} to {limit}; for example FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1 "
              "(the last working day of the month).",
    },
    "invalid": {
        "vi": "Không đọc được quy tắc này ({detail}); hãy viết theo dạng FREQ=MONTHLY;BYDAY=1FR.",
        "en": "This rule cannot be read ({detail}); write it like FREQ=MONTHLY;BYDAY=1FR.",
    },
}


class InvalidRecurrence(ValueError):
    """A recurrence rule that cannot be accepted; ``code`` says why, ``str()`` says what to
    write (in Vietnamese; ``message_in("en")`` in English)."""

    def __init__(self, code: str, **params: object) -> None:
        if code not in MESSAGES:
            raise ValueError(f"unknown recurrence error: {code!r}")
        self.code, self.params = code, params
        self.message = self.message_in("vi")
        super().__init__(self.message)

    def message_in(self, language: str | None) -> str:
        text = MESSAGES[self.code]["en" if (language or "").startswith("en") else "vi"]
        return text.format(**self.params)


def _parts(rule: str) -> dict[str, str]:
    text = (rule or "").strip()
    if text.upper().startswith("RRULE:"):
        text = text[len("RRULE:"):]
    parts: dict[str, str] = {}
    for chunk in text.split(";"):
        chunk = chunk.strip()
        if not chunk:
            continue
        name, sep, value = chunk.partition("=")
        name, value = name.strip().upper(), value.strip().upper().replace(" ", "")
        if not sep or not name or not value:
            raise InvalidRecurrence("syntax", part=chunk)
        if name not in PARTS:
            raise InvalidRecurrence("unknown_part", name=name)
        if name in parts:
            raise InvalidRecurrence("duplicate", name=name)
        parts[name] = value
    if not parts:
        raise InvalidRecurrence("empty")
    return parts


def _integers(name: str, value: str, low: int, high: int, *, signed: bool = False) -> list[int]:
    numbers = []
    for item in value.split(","):
        try:
            number = int(item)
        except ValueError:
            raise InvalidRecurrence("number", name=name, low=-high if signed else low, high=high,
                                    value=item) from None
        if not (low <= abs(number) <= high if signed else low <= number <= high):
            raise InvalidRecurrence("number", name=name, low=-high if signed else low, high=high,
                                    value=item)
        numbers.append(number)
    return numbers


def validate_rrule(rule: str) -> str:
    """The rule in its normal form (upper-case, parts in a fixed order, "+2MO" written "2MO",
    without "RRULE:"), or `InvalidRecurrence` (a ValueError) saying what to write."""
    parts = _parts(rule)
    freq = parts.get("FREQ")
    if freq not in FREQUENCIES:
        raise InvalidRecurrence("freq")
    if "COUNT" in parts and "UNTIL" in parts:  # RFC 5545 3.3.10: "MUST NOT occur in the same rule"
        raise InvalidRecurrence("count_and_until")
    if "INTERVAL" in parts:
        parts["INTERVAL"] = str(_integers("INTERVAL", parts["INTERVAL"], 1, 99)[0])
    if "COUNT" in parts:
        parts["COUNT"] = str(_integers("COUNT", parts["COUNT"], 1, MAX_OCCURRENCES)[0])
    if "UNTIL" in parts:
        until = _UNTIL.fullmatch(parts["UNTIL"])
        if not until or (until.group(2) and not until.group(3)):
            raise InvalidRecurrence("until", value=parts["UNTIL"])
        try:
            _until_local(parts["UNTIL"])
        except ValueError:
            raise InvalidRecurrence("until", value=parts["UNTIL"]) from None
    if "BYMONTH" in parts:
        parts["BYMONTH"] = ",".join(map(str, _integers("BYMONTH", parts["BYMONTH"], 1, 12)))
    if "BYMONTHDAY" in parts:
        parts["BYMONTHDAY"] = ",".join(
            map(str, _integers("BYMONTHDAY", parts["BYMONTHDAY"], 1, 31, signed=True)))
    if "BYSETPOS" in parts:
        parts["BYSETPOS"] = ",".join(
            map(str, _integers("BYSETPOS", parts["BYSETPOS"], 1, 366, signed=True)))
    if "BYDAY" in parts:
        days = []
        for item in parts["BYDAY"].split(","):
            match = _BYDAY_ITEM.fullmatch(item)
            if not match or (match.group(1) and not match.group(2)):
                raise InvalidRecurrence("day", value=item)
            sign, position, day = match.groups()
            if position:
                if freq not in ("MONTHLY", "YEARLY"):  # RFC 5545 3.3.10
                    raise InvalidRecurrence("day_position")
                # The place counts within the month, or within the year when no month is named.
                limit = 53 if freq == "YEARLY" and "BYMONTH" not in parts else 5
                if not 1 <= int(position) <= limit:
                    raise InvalidRecurrence("day", value=item)
                days.append(f"{'-' if sign == '-' else ''}{int(position)}{day}")
            else:
                days.append(day)
        parts["BYDAY"] = ",".join(days)
    if "WKST" in parts and parts["WKST"] not in WEEKDAYS:
        raise InvalidRecurrence("day", value=parts["WKST"])
    _refuse_rules_that_never_happen(parts)
    normal = ";".join(f"{name}={parts[name]}" for name in PARTS if name in parts)
    try:  # whatever the checks above missed, dateutil refuses
        dateutil_rrule.rrulestr(_for_dateutil(normal), dtstart=datetime(2020, 1, 1))
    except (ValueError, TypeError) as error:
        raise InvalidRecurrence("invalid", detail=str(error)) from None
    return normal


# The longest each month can be (February in a leap year).
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _refuse_rules_that_never_happen(parts: dict[str, str]) -> None:
    """Refuse the combinations that can never match (30 February; the 6th of a set of 5 days;
    the 15th that is also a first Monday). dateutil would look for a match up to the year 9999
    before giving up: seconds of work for one request (5 s for a daily rule)."""
    freq, days = parts["FREQ"], parts.get("BYDAY", "")
    positioned = any(char.isdigit() for char in days)
    if "BYMONTHDAY" in parts:
        if freq == "WEEKLY" or positioned or "BYSETPOS" in parts:  # RFC 5545 3.3.10, WEEKLY
            raise InvalidRecurrence("monthday_with")
        months = [int(month) for month in parts.get("BYMONTH", "").split(",") if month]
        longest = max(_MONTH_DAYS[month - 1] for month in months) if months else 31
        monthdays = [int(day) for day in parts["BYMONTHDAY"].split(",")]
        if all(abs(day) > longest for day in monthdays):
            raise InvalidRecurrence("never", day=parts["BYMONTHDAY"])
    if "BYSETPOS" in parts:
        # Each weekday comes at least 4 times in any month and once in any week, so a position
        # within these limits exists in every period.
        count = len(days.split(",")) if days else 0
        limit = count * (4 if freq == "MONTHLY" else 1)
        positions = [int(position) for position in parts["BYSETPOS"].split(",")]
        if (freq not in ("MONTHLY", "WEEKLY") or not days or positioned
                or any(abs(position) > limit for position in positions)):
            raise InvalidRecurrence("setpos", limit=max(limit, 1))


def _until_local(value: str) -> datetime:
    """UNTIL as a naive local (Asia/Ho_Chi_Minh) time. A date means the end of that day: a
    rule "until 31/12/2020" includes a session at 07:30 that day."""
    match = _UNTIL.fullmatch(value)
    if match is None:
        raise ValueError(value)
    day = datetime.strptime(match.group(1), "%Y%m%d")
    if not match.group(2):
        return datetime.combine(day.date(), time(23, 59, 59))
    moment = datetime.strptime(match.group(1) + match.group(2), "%Y%m%d%H%M%S")
    return moment.replace(tzinfo=UTC).astimezone(TIMEZONE).replace(tzinfo=None)


def _for_dateutil(normal: str) -> str:
    # Expansion runs on naive local times (Vietnam has one offset all year), so UNTIL is given
    # to dateutil in the same naive local time.
    def local(match: re.Match) -> str:
        return f"UNTIL={_until_local(match.group(1)):%Y%m%dT%H%M%S}"

    return re.sub(r"UNTIL=([0-9TZ]+)", local, normal)


def _local_naive(moment: datetime | date) -> datetime:
    if isinstance(moment, datetime):
        if moment.tzinfo is not None:
            moment = moment.astimezone(TIMEZONE)
        return moment.replace(tzinfo=None)
    return datetime.combine(moment, time(23, 59, 59))  # a date bound includes that whole day


def rrule_occurrences(rule: str, *, dtstart: datetime, until: datetime | date | None = None,
                      count: int | None = None) -> list[datetime]:
    """The starts of the occurrences of ``rule`` from ``dtstart``, as aware datetimes in
    Asia/Ho_Chi_Minh (a naive ``dtstart`` is read as Vietnamese local time).

    ``until`` (inclusive; a date means to the end of that day) and ``count`` bound the result
    further than the rule's own UNTIL and COUNT. More than MAX_OCCURRENCES occurrences, or a
    rule that never ends with nothing to bound it, raises `InvalidRecurrence` ("too_many").
    """
    parts = dict(part.split("=", 1) for part in validate_rrule(rule).split(";"))
    if count is not None and not 1 <= count <= MAX_OCCURRENCES:
        raise InvalidRecurrence("number", name="COUNT", low=1, high=MAX_OCCURRENCES, value=count)
    start = _local_naive(dtstart).replace(microsecond=0)
    ends = [_until_local(parts.pop("UNTIL"))] if "UNTIL" in parts else []
    if until is not None:
        ends.append(_local_naive(until))
    limits = [int(parts.pop("COUNT"))] if "COUNT" in parts else []
    if count is not None:
        limits.append(count)
    if not ends and not limits:
        raise InvalidRecurrence("too_many", limit=MAX_OCCURRENCES)
    # dateutil looks for a match up to the year 9999 before it gives up on a rule that never
    # matches (30 February): half a second of work for nothing. It is always given an end.
    horizon = datetime(min(start.year + HORIZON_YEARS, 9999), 12, 31, 23, 59, 59)
    parts["UNTIL"] = f"{min(ends + [horizon]):%Y%m%dT%H%M%S}"
    recurrence = dateutil_rrule.rrulestr(
        ";".join(f"{name}={value}" for name, value in parts.items()), dtstart=start)
    limit = min(limits) if limits else None
    occurrences: list[datetime] = []
    for moment in recurrence:
        if limit is not None and len(occurrences) == limit:
            break
        if len(occurrences) == MAX_OCCURRENCES:
            raise InvalidRecurrence("too_many", limit=MAX_OCCURRENCES)
        occurrences.append(moment.replace(tzinfo=TIMEZONE))
    return occurrences


# -- Describing a rule --------------------------------------------------------------------------

_DAY_NAMES = {
    "vi": {"MO": "thứ Hai", "TU": "thứ Ba", "WE": "thứ Tư", "TH": "thứ Năm", "FR": "thứ Sáu",
           "SA": "thứ Bảy", "SU": "Chủ nhật"},
    "en": {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday", "FR": "Friday",
           "SA": "Saturday", "SU": "Sunday"},
}
_POSITIONS = {
    "vi": {1: "đầu tiên", 2: "thứ hai", 3: "thứ ba", 4: "thứ tư", 5: "thứ năm", -1: "cuối cùng",
           -2: "áp chót"},
    "en": {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last",
           -2: "second to last"},
}
_EVERY = {
    "vi": {"DAILY": ("Hằng ngày", "{n} ngày một lần"), "WEEKLY": ("Hằng tuần", "{n} tuần một lần"),
           "MONTHLY": ("Hằng tháng", "{n} tháng một lần"),
           "YEARLY": ("Hằng năm", "{n} năm một lần")},
    "en": {"DAILY": ("Daily", "Every {n} days"), "WEEKLY": ("Weekly", "Every {n} weeks"),
           "MONTHLY": ("Monthly", "Every {n} months"), "YEARLY": ("Yearly", "Every {n} years")},
}


def describe_rrule(rule: str, language: str = "vi") -> str:
    """The rule in words for the common cases ("Hằng tháng, thứ Sáu đầu tiên" / "Monthly, on
    the first Friday"; weekly on given days; every N weeks or months; a day of the month);
    anything else, or a rule that is not valid, is returned as it is written."""
    lang = "en" if (language or "").startswith("en") else "vi"
    try:
        normal = validate_rrule(rule)
    except InvalidRecurrence:
        return rule
    parts = dict(part.split("=", 1) for part in normal.split(";"))
    freq, interval = parts.pop("FREQ"), int(parts.pop("INTERVAL", "1"))
    count, until = parts.pop("COUNT", None), parts.pop("UNTIL", None)
    parts.pop("WKST", None)  # changes nothing in the cases described here
    once, every = _EVERY[lang][freq]
    words = [once if interval == 1 else every.format(n=interval)]

    days = parts.pop("BYDAY", "")
    setpos = parts.pop("BYSETPOS", "")
    monthdays = parts.pop("BYMONTHDAY", "")
    if parts:  # BYMONTH and the like: not a common case
        return normal
    if days:
        items = [_BYDAY_ITEM.fullmatch(item).groups() for item in days.split(",")]
        if setpos:  # BYDAY=FR;BYSETPOS=1 is another way to write BYDAY=1FR
            if len(items) != 1 or items[0][1] or "," in setpos:
                return normal
            items = [("-" if setpos.startswith("-") else "", setpos.lstrip("-"), items[0][2])]
        positioned = [item for item in items if item[1]]
        if positioned and (len(items) != 1 or freq != "MONTHLY"):
            return normal
        if positioned:
            sign, position, day = items[0]
            position = -int(position) if sign == "-" else int(position)
            if position not in _POSITIONS[lang]:
                return normal
            name, place = _DAY_NAMES[lang][day], _POSITIONS[lang][position]
            words.append(f"{name} {place}" if lang == "vi" else f"on the {place} {name}")
        else:
            names = [_DAY_NAMES[lang][item[2]] for item in items]
            words.append(("vào " if lang == "vi" else "on ") + _join(names, lang))
    elif setpos:
        return normal
    elif monthdays:
        if freq != "MONTHLY" or "," in monthdays:
            return normal
        day = int(monthdays)
        if day > 0:
            words.append(f"ngày {day}" if lang == "vi" else f"on day {day}")
        elif day == -1:
            words.append("ngày cuối tháng" if lang == "vi" else "on the last day")
        else:
            return normal
    if count:
        words.append(f"{count} lần" if lang == "vi" else f"{count} times")
    if until:
        last = _until_local(until)
        words.append(f"đến hết ngày {last:%d/%m/%Y}" if lang == "vi" else f"until {last:%d/%m/%Y}")
    return ", ".join(words)


def _join(names: list[str], lang: str) -> str:
    if len(names) == 1:
        return names[0]
    if lang == "vi":
        return ", ".join(names[:-1]) + " và " + names[-1]
    return ", ".join(names[:-1]) + " and " + names[-1]
