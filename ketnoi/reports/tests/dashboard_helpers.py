"""A small department in 2020 for the tests of the dashboards, the scorecard and the open data.

Units: the department (02), the High-Tech Park branch (02F3) with a team under it, the Tân
Thuận export-processing zone branch (02XE). Its people in every role. Cases of each unit with
their dates set (the figures below are counted by hand from them), a dialogue programme of the
branch, a price commitment kept and one broken, two directives. The enterprises, tax codes
and people are made up; the tests of the open data look for them in the downloads.

Cases (2020, local dates; due = answer due date):
  02F3: 02/03 answered 05/03 (due 10/03, resolved 06/03, rated 5), 03/03 → 09/03 (due 13/03, rated 4),
        04/03 → 20/03 late (due 16/03, rated 3), 01/06 → 04/06 (resolved 05/06, rated 5),
        02/06 → 08/06 (rated 4), 03/06 → 05/06 (topic thue); 10/11 open, due 20/11 (overdue);
        11/11 open, waiting for the business (not overdue)
  team of 02F3: 15/06 → 18/06
  02XE: 05/03 → 10/03, 06/03 → 12/03, 07/07 open, due 20/07 (overdue)
  coordinators' queue: 08/08 open, no due date
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from ketnoi.accounts.models import Role
from ketnoi.cases.models import Case, Status
from ketnoi.lib.workdays import TIMEZONE
from ketnoi.org.models import Unit
from ketnoi.testing import make_case, make_enterprise, make_user, seed_reference_data, make_unit

YEAR_2020 = {"period": "custom", "start": "01/01/2020", "end": "31/12/2020"}

ENTERPRISE_NAMES = ("Công ty TNHH Điện tử Sao Mai Thử Nghiệm", "Công ty Cổ phần Linh kiện Bình Minh Thử Nghiệm")
PEOPLE = ("Trần Thị Bích Ngọc", "Lâm Quốc Việt")


def local(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=TIMEZONE)


@dataclass
class World:
    department: Unit = None
    branch: Unit = None
    team: Unit = None
    other: Unit = None
    users: dict = field(default_factory=dict)
    enterprises: list = field(default_factory=list)
    cases: list = field(default_factory=list)


def set_case(case: Case, *, unit, received: date, answered: date | None = None, due: date | None = None,
             resolved: date | None = None, rating: int | None = None, topic=None, waiting: bool = False) -> Case:
    """The case's dates as the test needs them. `updated_at` is written too: the reports fold in
    the cases changed since their last refresh."""
    status = Status.RESOLVED if resolved else Status.ANSWERED if answered else Status.WAITING if waiting \
        else Status.IN_PROGRESS
    fields = dict(
        unit=unit, received_at=local(received, 9), answered_at=local(answered, 15) if answered else None,
        due_at=local(due, 17) if due else None, resolved_at=local(resolved, 16) if resolved else None,
        rating=rating, rated_at=local(resolved or answered, 18) if rating else None, status=status,
        paused_at=local(received, 14) if waiting else None, updated_at=timezone.now())
    if topic is not None:
        fields["topic"] = topic
    Case.objects.filter(pk=case.pk).update(**fields)
    case.refresh_from_db()
    return case


def build_world(*, dialogue: bool = True, prices: bool = True, directives: bool = True) -> World:
    seed_reference_data()
    w = World()
    w.department = make_unit(code="02", kind=Unit.Kind.DEPARTMENT, name_vi="Cục Hải quan TP. Hồ Chí Minh",
                             name_en="Ho Chi Minh City Customs Department")
    w.branch = make_unit(code="02F3", parent=w.department, name_vi="Chi cục Hải quan Khu Công nghệ cao",
                         name_en="High-Tech Park Customs Branch")
    w.team = make_unit(code="", kind=Unit.Kind.TEAM, parent=w.branch, name_vi="Đội Nghiệp vụ Khu Công nghệ cao",
                       name_en="High-Tech Park Operations Team")
    w.other = make_unit(code="02XE", parent=w.department, name_vi="Chi cục Hải quan Khu chế xuất Tân Thuận",
                        name_en="Tan Thuan Export Processing Zone Customs Branch")
    w.enterprises = [make_enterprise(name=name) for name in ENTERPRISE_NAMES]
    w.users = {
        "coordinator": make_user(Role.COORDINATOR, full_name="Nguyễn Thị Thu Hà"),
        "admin": make_user(Role.ADMIN),
        "department_leader": make_user(Role.LEADER, unit=w.department, full_name="Võ Hoàng Nam"),
        "leader": make_user(Role.LEADER, unit=w.branch, full_name="Lê Quốc Thịnh"),
        "officer": make_user(Role.OFFICER, unit=w.branch, full_name="Phạm Ngọc Trâm"),
        "team_leader": make_user(Role.LEADER, unit=w.team, full_name="Đỗ Minh Tâm"),
        "other_leader": make_user(Role.LEADER, unit=w.other, full_name="Bùi Đức Thắng"),
        "other_officer": make_user(Role.OFFICER, unit=w.other),
        "party": make_user(Role.PARTY_OFFICE),
        "business": make_user(Role.BUSINESS, enterprise=w.enterprises[0], full_name=PEOPLE[0]),
        "business2": make_user(Role.BUSINESS, enterprise=w.enterprises[1], full_name=PEOPLE[1]),
        "operator": make_user(Role.OPERATOR),
    }
    by = w.users["business"]
    by2 = w.users["business2"]
    from ketnoi.cases.models import Topic

    tax = Topic.objects.get(code="thue")
    plan = [
        (by, w.branch, dict(received=date(2020, 3, 2), answered=date(2020, 3, 5), due=date(2020, 3, 10),
                            resolved=date(2020, 3, 6), rating=5)),
        (by, w.branch, dict(received=date(2020, 3, 3), answered=date(2020, 3, 9), due=date(2020, 3, 13), rating=4)),
        (by2, w.branch, dict(received=date(2020, 3, 4), answered=date(2020, 3, 20), due=date(2020, 3, 16), rating=3)),
        (by, w.branch, dict(received=date(2020, 6, 1), answered=date(2020, 6, 4), due=date(2020, 6, 10),
                            resolved=date(2020, 6, 5), rating=5)),
        (by2, w.branch, dict(received=date(2020, 6, 2), answered=date(2020, 6, 8), due=date(2020, 6, 12), rating=4)),
        (by, w.branch, dict(received=date(2020, 6, 3), answered=date(2020, 6, 5), due=date(2020, 6, 15), topic=tax)),
        (by, w.branch, dict(received=date(2020, 11, 10), due=date(2020, 11, 20))),
        (by2, w.branch, dict(received=date(2020, 11, 11), due=date(2020, 11, 25), waiting=True)),
        (by, w.team, dict(received=date(2020, 6, 15), answered=date(2020, 6, 18), due=date(2020, 6, 26))),
        (by2, w.other, dict(received=date(2020, 3, 5), answered=date(2020, 3, 10), due=date(2020, 3, 18))),
        (by2, w.other, dict(received=date(2020, 3, 6), answered=date(2020, 3, 12), due=date(2020, 3, 19))),
        (by2, w.other, dict(received=date(2020, 7, 7), due=date(2020, 7, 20))),
        (by, None, dict(received=date(2020, 8, 8))),
    ]
    for n, (user, unit, dates) in enumerate(plan, start=1):
        case = make_case(by=user, subject=f"Vướng mắc về thủ tục nhập khẩu linh kiện điện tử số {n}",
                         description=f"{ENTERPRISE_NAMES[0]} (mã số thuế {w.enterprises[0].tax_code}) đề nghị "
                                     f"hướng dẫn; người liên hệ {PEOPLE[0]}.")
        w.cases.append(set_case(case, unit=unit, **dates))
    if dialogue:
        add_dialogue(w)
    if prices:
        add_prices(w)
    if directives:
        add_directives(w)
    return w


# --- dialogue: the branch's morning coffee ----------------------------------------------------------

def add_dialogue(w: World):
    """Two sessions held (06/03 and 05/06/2020), one cancelled (03/04, the lockdown). Businesses
    checked in: 2 on 06/03 (3 + 2 people), 1 on 05/06 (1 person). Questions: on 06/03 one answered
    on the spot and one followed up (closed 20/03); on 05/06 one answered, one not discussed.
    Survey: 5 and 4 on 06/03, 3 on 05/06."""
    from ketnoi.dialogue.models import Attendee, Programme, Question, Registration, Session, SurveyResponse

    leader = w.users["leader"]
    programme = Programme.objects.create(
        unit=w.branch, name="Cà phê sáng cùng doanh nghiệp", rrule="FREQ=MONTHLY;BYDAY=1FR",
        starts_on=date(2020, 1, 1), start_time=time(7, 30), end_time=time(9, 0),
        venue="Hội trường Chi cục Hải quan Khu Công nghệ cao", capacity=10, created_by=leader)

    def session(number, day, status=Session.Status.HELD):
        return Session.objects.create(
            programme=programme, occurrence=local(day, 7), number=number, starts_at=local(day, 7),
            ends_at=local(day, 9), venue=programme.venue, capacity=10,
            registration_closes_at=local(day, 7) - timedelta(days=1), status=status)

    def register(s, enterprise, user, people):
        registration = Registration.objects.create(
            session=s, enterprise=enterprise, registered_by=user, status=Registration.Status.CONFIRMED,
            created_at=s.starts_at - timedelta(days=5), checked_in_at=s.starts_at - timedelta(minutes=10))
        for i in range(people):
            Attendee.objects.create(registration=registration, name=f"{PEOPLE[0]} {i}", position="Trưởng phòng XNK")
        return registration

    def ask(s, registration, outcome, *, due=None, closed=None):
        case = make_case(by=registration.registered_by, subject="Câu hỏi gửi trước buổi đối thoại")
        if closed:
            Case.objects.filter(pk=case.pk).update(answered_at=local(closed, 15), status=Status.ANSWERED,
                                                   unit=w.branch, received_at=s.starts_at - timedelta(days=3),
                                                   updated_at=timezone.now())
        else:
            Case.objects.filter(pk=case.pk).update(unit=w.branch, received_at=s.starts_at - timedelta(days=3),
                                                   updated_at=timezone.now())
        return Question.objects.create(session=s, registration=registration, case=case, outcome=outcome,
                                       follow_up_owner=leader if due else None, follow_up_due=due)

    march, june = session(1, date(2020, 3, 6)), session(3, date(2020, 6, 5))
    session(2, date(2020, 4, 3), Session.Status.CANCELLED)
    b, b2 = w.users["business"], w.users["business2"]
    r1, r2 = register(march, w.enterprises[0], b, 3), register(march, w.enterprises[1], b2, 2)
    r3 = register(june, w.enterprises[0], b, 1)
    ask(march, r1, Question.Outcome.ANSWERED, closed=date(2020, 3, 6))
    ask(march, r2, Question.Outcome.FOLLOW_UP, due=date(2020, 3, 27), closed=date(2020, 3, 20))
    ask(june, r3, Question.Outcome.ANSWERED, closed=date(2020, 6, 5))
    ask(june, r3, Question.Outcome.PENDING)
    for registration, mark in ((r1, 5), (r2, 4), (r3, 3)):
        SurveyResponse.objects.create(session=registration.session, registration=registration, satisfaction=mark,
                                      usefulness=mark, submitted_at=registration.session.ends_at + timedelta(hours=2))
    return programme


# --- prices: Cát Lái's commitment kept, Tân Thuận's broken in 2020 ------------------------------------

def add_prices(w: World):
    from ketnoi.prices.models import Breach, BreachItem, Commitment, Facility, Price, PriceList, Service

    coordinator = w.users["coordinator"]
    operator = make_enterprise(name="Công ty Cổ phần Kho vận Tân Cát Long Thử Nghiệm", short_name="Tân Cát Long")
    operator2 = make_enterprise(name="Công ty TNHH Cảng Container Phú Hữu Thử Nghiệm", short_name="Cảng Phú Hữu")
    service = Service.objects.order_by("code").first()
    yard = Facility.objects.create(operator=operator, name="Bãi container Cát Lái Thử", kind="yard", unit=w.branch)
    port = Facility.objects.create(operator=operator2, name="Cảng Phú Hữu Thử", kind="port", unit=w.other)

    def price_list(facility, version, day, amount):
        pl = PriceList.objects.create(facility=facility, version=version, effective_from=day, filed_by=coordinator,
                                      filed_at=local(day, 8))
        Price.objects.create(price_list=pl, service=service, amount=amount)
        return pl

    base_yard, base_port = price_list(yard, 1, date(2019, 12, 1), 1_250_000), price_list(port, 1, date(2019, 12, 1), 900_000)
    raised = price_list(port, 2, date(2020, 9, 1), 990_000)
    kept = Commitment.objects.create(operator=operator, period_from=date(2020, 1, 1), period_to=date(2020, 12, 31),
                                     signed_on=date(2019, 12, 20), created_by=coordinator)
    kept.baselines.add(base_yard)
    broken = Commitment.objects.create(operator=operator2, period_from=date(2020, 1, 1), period_to=date(2020, 12, 31),
                                       signed_on=date(2019, 12, 20), created_by=coordinator, status="broken",
                                       first_breach_on=date(2020, 9, 1))
    broken.baselines.add(base_port)
    breach = Breach.objects.create(commitment=broken, price_list=raised, found_at=local(date(2020, 8, 20), 10))
    BreachItem.objects.create(breach=breach, service=service, baseline=900_000, price=990_000)
    return kept, broken


# --- directives: two in 2020 ---------------------------------------------------------------------

def add_directives(w: World):
    """Two directives issued in 2020 to both branches: the first acknowledged by 02F3 in time and by
    02XE late, a report asked for by 15/04 (02F3 filed it on 10/04, 02XE never); the second asked
    to be acknowledged within 24 hours, 02F3 did, 02XE did not."""
    from ketnoi.directives.models import Directive, Recipient

    coordinator = w.users["coordinator"]

    def directive(number, day, *, hours, report_due=None):
        return Directive.objects.create(
            number=number, title="Tăng cường phòng, chống dịch Covid-19 trong hoạt động hải quan",
            body="Các Chi cục triển khai ngay các biện pháp phòng, chống dịch.", issuing_unit=w.department,
            signer_name="Đinh Ngọc Thắng", issued_at=local(day, 8), effective_from=day, ack_within_hours=hours,
            report_due=report_due, issued_by=coordinator)

    first = directive("125/HQHCM-VP", date(2020, 3, 30), hours=48, report_due=date(2020, 4, 15))
    second = directive("311/HQHCM-VP", date(2020, 7, 28), hours=24)
    Recipient.objects.create(directive=first, unit=w.branch, ack_due_at=local(date(2020, 4, 1), 8),
                             acknowledged_at=local(date(2020, 3, 31), 9), reported_at=local(date(2020, 4, 10), 10))
    Recipient.objects.create(directive=first, unit=w.other, ack_due_at=local(date(2020, 4, 1), 8),
                             acknowledged_at=local(date(2020, 4, 2), 9))
    Recipient.objects.create(directive=second, unit=w.branch, ack_due_at=local(date(2020, 7, 29), 8),
                             acknowledged_at=local(date(2020, 7, 28), 10))
    Recipient.objects.create(directive=second, unit=w.other, ack_due_at=local(date(2020, 7, 29), 8))
    return first, second


# --- reading a dashboard page back -----------------------------------------------------------------

def number(text: str):
    """A figure as the page writes it ("1.234", "85 %", "4,2", "–") as a number, or None."""
    text = text.replace("\u00a0", " ").replace("%", "").strip()
    if text in ("", "–"):
        return None
    if "," in text:
        return float(text.replace(".", "").replace(",", "."))
    return int(text.replace(".", "").replace(" ", ""))


def chart_and_table(html: str, key: str) -> tuple[dict, dict]:
    """What the chart `key` draws and what its table says, each as {(row label, series): value}.
    A column's missing part is 0 (nothing to stack); a line's missing point is None."""
    from lxml import html as lxml_html

    page = lxml_html.fromstring(html)
    figure = page.get_element_by_id(f"chart-{key}")
    kind = figure.get("data-kind")
    drawn = {}
    labels = []
    if kind == "columns":
        series = len(figure.xpath(".//ul[@class='legend']/li"))
        for column in figure.xpath(".//*[local-name()='g'][@class='column']"):
            label = column.get("data-label")
            labels.append(label)
            for i in range(series):
                drawn[(label, i)] = 0
            for part in column.xpath("./*[local-name()='rect']"):
                drawn[(label, int(part.get("data-series")))] = int(part.get("data-value"))
    elif kind == "lines":
        for line in figure.xpath(".//*[local-name()='g'][@class='series']"):
            i = int(line.get("data-series"))
            for point in line.xpath("./*[local-name()='circle']"):
                drawn[(point.get("data-label"), i)] = float(point.get("data-value"))
    else:
        for bar in figure.xpath(".//*[local-name()='g'][@class='bar']"):
            drawn[(bar.get("data-label"), 0)] = int(bar.get("data-value"))
    table = {}
    for row in figure.xpath(".//table[@data-chart=$key]/tbody/tr", key=key):
        label = row.xpath("./th")[0].text_content().strip()
        for cell in row.xpath("./td[@data-series]"):
            value = number(cell.text_content())
            if kind == "lines" and value is None:
                continue
            table[(label, int(cell.get("data-series")))] = value
    if kind == "lines":
        drawn = {k: v for k, v in drawn.items() if v is not None}
    return drawn, table
