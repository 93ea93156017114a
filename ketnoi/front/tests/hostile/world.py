"""One small department for the hostile-input tests: the API tests' world (two branches, one
user of each role with a real token) with what every form and endpoint acts on — a case at each
step, a published Q&A and a legal document, a directive, a container yard with its price list,
a price commitment the yard has broken, a morning-coffee programme with a coming session (or,
for what is recorded on the day, that session brought to this morning with a registration and
its question), a party cell with a member, a veteran due the 30-year badge and a conference.
Built through the services and the apps' own test helpers, never through the forms under test.
"""

from datetime import date, time, timedelta
from functools import cached_property

from django.apps import apps
from django.db import connection
from django.utils import timezone

from ketnoi.audit.models import AuditEvent
from ketnoi.cases import services as cases
from ketnoi.cases.tests.api_helpers import file_case
from ketnoi.dialogue import services as dialogue
from ketnoi.dialogue.models import Question, Session
from ketnoi.directives.tests.api_helpers import DirectivesWorld, issue
from ketnoi.party import awards
from ketnoi.party.tests.helpers import make_member, make_organisation
from ketnoi.prices.tests.api_helpers import BASELINE, PricesWorld, commit
from ketnoi.testing import make_article, seed_reference_data


class HostileWorld(DirectivesWorld, PricesWorld):
    @cached_property
    def case(self):
        """A new case of the world's enterprise in the first branch."""
        return file_case(self)

    @cached_property
    def answered_case(self):
        case = file_case(self, subject="Thủ tục thanh khoản hợp đồng gia công")
        return cases.case_answer(case=case, body="Doanh nghiệp thực hiện theo Điều 60 Thông tư 38/2015/TT-BTC.",
                                 by=self.leader)

    @cached_property
    def article(self):
        return make_article(question="Doanh nghiệp chế xuất có phải nộp thuế nhập khẩu nguyên liệu không?",
                            by=self.coordinator)

    @cached_property
    def directive(self):
        return issue(self)

    @cached_property
    def price_list(self):
        from ketnoi.prices import services as prices

        price_list, _breaches = prices.price_list_file(facility=self.yard, prices=BASELINE,
                                                       effective_from=timezone.localdate() - timedelta(days=60),
                                                       by=self.coordinator)
        return price_list

    @property
    def today(self):
        return timezone.localdate()

    @cached_property
    def breach(self):
        """The yard raises two prices the operator committed not to raise."""
        from ketnoi.prices import services as prices

        self.price_list  # the baseline
        commit(self)
        _list, found = prices.price_list_file(facility=self.yard, prices={**BASELINE, "NH20": 1_400_000},
                                              effective_from=self.today, by=self.operator)
        return found[0]

    @cached_property
    def programme(self):
        return dialogue.programme_create(
            by=self.leader, unit=self.unit, name="Cà phê sáng cùng doanh nghiệp", rrule="FREQ=MONTHLY;BYDAY=1FR",
            starts_on=timezone.localdate() + timedelta(days=1), start_time=time(7, 30), end_time=time(9, 0),
            venue="Hội trường tầng 2, Chi cục Hải quan Khu vực I", capacity=30,
            description="Lãnh đạo Chi cục gặp gỡ, lắng nghe và tháo gỡ vướng mắc của doanh nghiệp.",
            topics=["thu-tuc", "thue"], hosts=[self.officer])

    @cached_property
    def session(self):
        return self.programme.sessions.order_by("starts_at").first()

    @cached_property
    def registration_today(self):
        """The world's business registered for the coming session with a question, the session then
        brought to this morning (staff record what is said at a session on its day only)."""
        registration = dialogue.registration_create(
            session=self.session, by=self.business, enterprise=self.enterprise,
            attendees=[{"name": "Ngô Thị Hồng Nhung"}],
            questions=[{"topic": "thue", "subject": "Hoàn thuế nguyên liệu", "description": "Hồ sơ hoàn thuế gồm gì?"}])
        now = timezone.now()
        Session.objects.filter(pk=self.session.pk).update(starts_at=now - timedelta(minutes=30),
                                                          ends_at=now + timedelta(minutes=60))
        return registration

    @cached_property
    def session_today(self):
        return self.registration_today.session

    @cached_property
    def question_today(self):
        return Question.objects.get(session=self.session_today)

    @cached_property
    def party_cell(self):
        return make_organisation(name="Chi bộ Chi cục Hải quan Khu vực I")

    @cached_property
    def other_party_cell(self):
        return make_organisation(name="Chi bộ Đội Kiểm soát Hải quan")

    @cached_property
    def member(self):
        return make_member(organisation=self.party_cell, full_name="Phạm Thị Thu Hà", admitted=date(2001, 5, 19))


    @cached_property
    def veteran(self):
        """Admitted thirty years before the 3 February 2021 anniversary: the 30-year badge is due."""
        return make_member(organisation=self.party_cell, full_name="Lê Văn Thạnh", admitted=date(1991, 2, 3))

    @cached_property
    def party_conference(self):
        return awards.event_create(kind="conference", name="Hội nghị tổng kết công tác đảng năm 2024",
                                   held_on=date(2025, 1, 10), organisation=self.party_cell, by=self.party)


def build_world() -> HostileWorld:
    seed_reference_data()
    world = HostileWorld()
    world.department, world.unit, world.other_unit  # the units directives are sent to
    return world


def table_counts(models, *, audit: bool = True) -> dict:
    """Rows of each model (by its label) and of the audit trail: a refused input leaves them all."""
    counts = {label: apps.get_model(label).objects.count() for label in models}
    if audit:
        counts["audit.AuditEvent"] = AuditEvent.objects.count()
    return counts


def text_values_with_nul(models) -> list[str]:
    """Text columns of `models` holding a NUL byte (PostgreSQL cannot store one; SQLite can,
    and must not be given one)."""
    if connection.vendor == "postgresql":
        return []  # it refuses them itself: a request that sent one must have been answered 4xx
    found = []
    for label in models:
        model = apps.get_model(label)
        for field in model._meta.concrete_fields:
            # Read back, not filtered: SQLite's LIKE stops at a NUL in its pattern.
            if field.get_internal_type() in ("CharField", "TextField") and any(
                    "\x00" in value for value in model.objects.values_list(field.attname, flat=True) if value):
                found.append(f"{label}.{field.name}")
    return found
