"""A small year 2020 for the tests of the year-end review, built through the services with
Django's clock moved along the year; and the text of the rendered files, extracted as a reader
would (python-docx, pypdf).

What the year holds (the expectations of the tests are counted from it here, not by the
reports code):
- the department, two branches (the High-Tech Park, Cát Lái) and the department office;
- cases filed at both branches through the year, answered on time or late, accepted and rated,
  one still open at the end;
- the High-Tech Park's morning coffee: one session held on 06/03/2020, two businesses (three
  people), two questions sent ahead (one answered on the spot, one followed up and answered),
  one survey answer;
- two price commitments for April–December 2020, one broken by a list filed on 01/07/2020;
- one directive sent to both branches on 05/02/2020, acknowledged in time by one only;
- the party committee: two grassroots organisations and a cell, nine members (one admitted,
  one deceased, one transferred out, one moved between cells in 2020), the 2020 ratings, two
  commendations, a 30-year badge and the morning coffee as a creative model.
"""

import io
import subprocess
import sys
from datetime import date, time, timedelta
from types import SimpleNamespace

import docx
import pypdf
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import translation

from ketnoi.accounts.models import Role
from ketnoi.cases import services as cases
from ketnoi.cases.models import OPEN_STATUSES, Case
from ketnoi.dialogue import selectors as dialogue_selectors
from ketnoi.dialogue import services as dialogue
from ketnoi.directives import services as directives
from ketnoi.directives.models import Target
from ketnoi.lib import badges as badge_rules
from ketnoi.lib import party_age
from ketnoi.lib.commendation import Form, Issuer
from ketnoi.lib.party_org import Kind
from ketnoi.lib.party_rating import Level, OrgDistinction
from ketnoi.lib.workdays import TIMEZONE, workdays_between
from ketnoi.org.models import Unit
from ketnoi.party import awards, services as party
from ketnoi.prices import services as prices
from ketnoi.prices.models import FacilityKind
from ketnoi.reports.yearend import (
    SECTIONS, YearEndError, check_year, year_end_document, year_end_filename, year_end_render,
)
from ketnoi.testing import Clock, at, make_enterprise, make_unit, make_user, seed_reference_data

YEAR = 2020
RENDERED_ON = (2021, 1, 15, 9)  # Friday 15/01/2021 09:00: the review is written in January

MEMBER_NAMES = ["Lương Thị Diễm Kiều", "Tăng Quốc Việt", "Âu Dương Thanh Trúc", "Khổng Minh Nhựt",
                "Lạc Thị Ngọc Hân", "Quách Bửu Lâm", "Ninh Thị Tố Uyên", "Doãn Văn Sáu", "Ông Thị Mỹ Lệ"]


def text_of_docx(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return " ".join(" ".join(parts).split())


def text_of_pdf(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def vn(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def vn_pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}".replace(".", ",") + " %"


def build_year(clock) -> SimpleNamespace:
    seed_reference_data()
    y = SimpleNamespace()
    clock.set(2020, 1, 2, 8)
    y.department = make_unit(code="02", kind=Unit.Kind.DEPARTMENT, name_vi="Cục Hải quan TP. Hồ Chí Minh",
                             name_en="Ho Chi Minh City Customs Department", valid_from=date(2000, 1, 1))
    y.park = make_unit(code="02F3", parent=y.department, name_vi="Chi cục Hải quan Khu Công nghệ cao",
                       name_en="High-Tech Park Customs Branch", short_name_vi="HQCNC", valid_from=date(2000, 1, 1))
    y.cat_lai = make_unit(code="02CX", parent=y.department, name_vi="Chi cục Hải quan cửa khẩu cảng Cát Lái",
                          name_en="Cat Lai Port Customs Branch", short_name_vi="HQ Cát Lái", valid_from=date(2000, 1, 1))
    y.office = make_unit(kind=Unit.Kind.DIVISION, parent=y.department, name_vi="Văn phòng Cục",
                         name_en="Department Office", short_name_vi="VP", valid_from=date(2000, 1, 1))
    y.park_leader = make_user(Role.LEADER, unit=y.park, full_name="Châu Thị Bảo Ngọc")
    y.park_officer = make_user(Role.OFFICER, unit=y.park, full_name="Thạch Văn Lợi")
    y.cat_lai_leader = make_user(Role.LEADER, unit=y.cat_lai, full_name="La Hoàng Tùng")
    y.coordinator = make_user(Role.COORDINATOR, full_name="Văn Thị Hoài Thương")
    y.party_office = make_user(Role.PARTY_OFFICE, full_name="Giang Thị Phương Thảo")
    y.enterprise = make_enterprise(name="Công ty TNHH Vi mạch Ánh Dương", home_unit=y.park)
    y.enterprise2 = make_enterprise(name="Công ty Cổ phần Cơ điện tử Bến Nghé", home_unit=y.park)
    y.enterprise3 = make_enterprise(name="Công ty TNHH Thực phẩm Sông Hậu", home_unit=y.cat_lai)
    y.business = make_user(Role.BUSINESS, enterprise=y.enterprise)
    y.business2 = make_user(Role.BUSINESS, enterprise=y.enterprise2)
    y.business3 = make_user(Role.BUSINESS, enterprise=y.enterprise3)
    _cases(y, clock)
    _dialogue(y, clock)
    _prices(y, clock)
    _directives(y, clock)
    _party(y, clock)
    clock.set(*RENDERED_ON)
    y.expected_cases = case_oracle(clock.now)
    return y


# --- cases ---------------------------------------------------------------------------------

def _file(y, clock, moment, *, unit, business, enterprise, topic="thu-tuc"):
    clock.set(*moment)
    return cases.case_file(enterprise=enterprise, by=business, topic=topic, named_unit=unit,
                           subject="Thủ tục nhập khẩu linh kiện điện tử", description="Xin hướng dẫn thủ tục.")


def _answer(case, clock, moment, leader):
    clock.set(*moment)
    return cases.case_answer(case=case, body="Cục Hải quan trả lời Công ty như sau: …", by=leader)


def _cases(y, clock):
    park = dict(unit=y.park, business=y.business, enterprise=y.enterprise)
    c1 = _file(y, clock, (2020, 3, 2, 9), **park)
    _answer(c1, clock, (2020, 3, 4, 10), y.park_leader)
    clock.set(2020, 3, 5, 9)
    cases.case_accept(case=c1, by=y.business)
    cases.case_rate(case=c1, score=5, by=y.business)
    c2 = _file(y, clock, (2020, 3, 2, 10), topic="thue", **park)
    _answer(c2, clock, (2020, 3, 9, 10), y.park_leader)
    clock.set(2020, 3, 10, 9)
    cases.case_accept(case=c2, by=y.business)
    cases.case_rate(case=c2, score=4, by=y.business)
    c3 = _file(y, clock, (2020, 6, 1, 9), **park)
    _answer(c3, clock, (2020, 8, 3, 10), y.park_leader)  # two months: late
    cat_lai = dict(unit=y.cat_lai, business=y.business3, enterprise=y.enterprise3)
    c4 = _file(y, clock, (2020, 9, 7, 9), topic="thue", **cat_lai)
    _answer(c4, clock, (2020, 9, 11, 10), y.cat_lai_leader)
    y.open_case = _file(y, clock, (2020, 12, 1, 9), **cat_lai)  # still open in January: overdue


def case_oracle(now) -> SimpleNamespace:
    """The department's 2020 case figures counted here from the rows the services wrote."""
    lo = at(YEAR, 1, 1)
    hi = at(YEAR + 1, 1, 1)
    rows = list(Case.objects.all())
    received = [c for c in rows if lo <= c.received_at < hi]
    answered = [c for c in rows if c.answered_at and lo <= c.answered_at < hi]
    on_time = [c for c in answered if c.due_at is None or c.answered_at <= c.due_at]
    days = sorted(workdays_between(c.received_at.astimezone(TIMEZONE).date(),
                                   c.answered_at.astimezone(TIMEZONE).date()) for c in answered)
    middle = len(days) // 2
    median = days[middle] if len(days) % 2 else (days[middle - 1] + days[middle]) / 2
    rated = [c for c in rows if c.rated_at and lo <= c.rated_at < hi]
    open_ = [c for c in rows if c.status in OPEN_STATUSES]
    overdue = [c for c in open_ if c.paused_at is None and c.due_at and c.due_at < now]
    return SimpleNamespace(
        received=len(received), answered=len(answered), on_time=len(on_time), median=median,
        resolved=len([c for c in rows if c.resolved_at and lo <= c.resolved_at < hi]),
        rated=len(rated), satisfaction=sum(c.rating for c in rated) / len(rated),
        open=len(open_), overdue=len(overdue))


# --- dialogue ------------------------------------------------------------------------------

def _dialogue(y, clock):
    clock.set(2020, 2, 10, 9)
    y.programme = dialogue.programme_create(
        by=y.park_leader, unit=y.park, name="Cà phê sáng cùng doanh nghiệp", rrule="FREQ=MONTHLY;BYDAY=1FR",
        starts_on=date(2020, 3, 1), ends_on=date(2020, 3, 31), start_time=time(7, 30), end_time=time(9, 0),
        venue="Hội trường Chi cục Hải quan Khu Công nghệ cao", capacity=10, topics=["thu-tuc", "thue"],
        hosts=[y.park_officer])
    session = y.programme.sessions.order_by("starts_at").first()
    clock.set(2020, 3, 2, 14)
    first = dialogue.registration_create(
        session=session, by=y.business, enterprise=y.enterprise,
        attendees=[{"name": "Mạc Thị Thu Sương", "position": "Kế toán trưởng"},
                   {"name": "Bế Văn Khải", "position": "Trưởng phòng xuất nhập khẩu"}],
        questions=[{"topic": "thu-tuc", "subject": "Thủ tục thanh lý máy móc tạm nhập",
                    "description": "Máy móc tạm nhập đã hết khấu hao: thủ tục thanh lý thế nào?"}])
    second = dialogue.registration_create(
        session=session, by=y.business2, enterprise=y.enterprise2,
        attendees=[{"name": "Lữ Minh Tâm", "position": "Giám đốc"}],
        questions=[{"topic": "thue", "subject": "Hoàn thuế nhập khẩu linh kiện sản xuất xuất khẩu",
                    "description": "Hồ sơ hoàn thuế cần những chứng từ gì?"}])
    clock.set(2020, 3, 6, 7, 45)
    dialogue.agenda_save(session=session, by=y.park_leader,
                         order=[q.pk for q in dialogue.agenda_default(session)], chair=y.park_leader)
    for registration in (first, second):
        dialogue.registration_check_in(registration=registration, by=y.park_officer)
    questions = {q.case.subject: q for q in dialogue_selectors.agenda(session)}
    dialogue.question_answer_on_spot(question=questions["Thủ tục thanh lý máy móc tạm nhập"], by=y.park_leader,
                                     answer="Làm thủ tục thay đổi mục đích sử dụng, mở tờ khai mới.")
    follow_up = questions["Hoàn thuế nhập khẩu linh kiện sản xuất xuất khẩu"]
    dialogue.question_follow_up(question=follow_up, by=y.park_leader, owner=y.park_officer,
                                due=date(2020, 3, 20), note="Xin ý kiến Phòng Thuế xuất nhập khẩu.")
    clock.set(2020, 3, 6, 9, 5)
    dialogue.session_close(session=session, by=y.park_leader)
    clock.set(2020, 3, 7, 10)
    dialogue.survey_submit(token=dialogue.survey_token(first), satisfaction=5, usefulness=4)
    _answer(follow_up.case, clock, (2020, 3, 18, 10), y.park_leader)


# --- prices --------------------------------------------------------------------------------

TARIFF = {"NH20": 1_050_000, "NH40": 1_550_000, "LB20": 55_000, "DO": 300_000}


def _prices(y, clock):
    clock.set(2020, 2, 3, 9)
    y.port_operator = make_enterprise(name="Công ty Cổ phần Cảng Phú Định Xanh", short_name="Cảng Phú Định Xanh")
    y.depot_operator = make_enterprise(name="Công ty TNHH Kho vận Long Bình Tân", short_name="Kho vận Long Bình Tân")
    port_user = make_user(Role.OPERATOR, enterprise=y.port_operator)
    depot_user = make_user(Role.OPERATOR, enterprise=y.depot_operator)
    y.port = prices.facility_create(operator=y.port_operator, name="Cảng Phú Định Xanh – bãi container",
                                    kind=FacilityKind.PORT, unit=y.cat_lai, by=y.coordinator)
    y.depot = prices.facility_create(operator=y.depot_operator, name="Kho CFS Long Bình Tân",
                                     kind=FacilityKind.CFS, unit=y.cat_lai, by=y.coordinator)
    prices.price_list_file(facility=y.port, prices=TARIFF, effective_from=date(2020, 2, 3), by=port_user)
    prices.price_list_file(facility=y.depot, prices=TARIFF, effective_from=date(2020, 2, 3), by=depot_user)
    clock.set(2020, 3, 20, 9)
    for operator, facility in ((y.port_operator, y.port), (y.depot_operator, y.depot)):
        prices.commitment_create(operator=operator, facilities=[facility], period_from=date(2020, 4, 1),
                                 period_to=date(2020, 12, 31), signed_on=date(2020, 3, 20), by=y.coordinator)
    clock.set(2020, 7, 1, 9)
    _list, breaches = prices.price_list_file(facility=y.depot, prices={**TARIFF, "NH20": 1_200_000},
                                             effective_from=date(2020, 7, 1), by=depot_user)
    assert len(breaches) == 1


# --- directives ----------------------------------------------------------------------------

def _directives(y, clock):
    clock.set(2020, 2, 5, 9)
    y.directive = directives.directive_issue(
        by=y.coordinator, number="315/HQHCM-VP", title="Về việc tăng cường phòng, chống dịch COVID-19",
        body="Các đơn vị triển khai ngay các biện pháp phòng, chống dịch tại trụ sở.", issuing_unit=y.office,
        signer_name="Hứa Văn Tài", signer_title="Phó Cục trưởng", effective_from=date(2020, 2, 5),
        target=Target.UNITS, target_units=[y.park, y.cat_lai], ack_within_hours=24)
    clock.set(2020, 2, 5, 15)
    directives.directive_acknowledge(directive=y.directive, unit=y.park, by=y.park_leader)


# --- the party committee -------------------------------------------------------------------

def _party(y, clock):
    clock.set(2020, 12, 15, 9)
    by = y.party_office
    y.committee = party.organisation_create(kind=Kind.UPPER_GRASSROOTS_COMMITTEE, by=by,
                                            name="Đảng bộ Cục Hải quan TP. Hồ Chí Minh", founded_on=date(1976, 3, 26))
    y.cat_lai_committee = party.organisation_create(kind=Kind.GRASSROOTS_COMMITTEE, parent=y.committee, by=by,
                                                    name="Đảng bộ Chi cục Hải quan cửa khẩu cảng Cát Lái",
                                                    unit=y.cat_lai, founded_on=date(1996, 5, 19))
    y.cat_lai_cell = party.organisation_create(kind=Kind.CELL, parent=y.cat_lai_committee, by=by,
                                               name="Chi bộ Đội Thủ tục hàng hóa xuất khẩu",
                                               founded_on=date(2005, 9, 2))
    y.park_cell = party.organisation_create(kind=Kind.GRASSROOTS_CELL, parent=y.committee, by=by,
                                            name="Chi bộ Chi cục Hải quan Khu Công nghệ cao", unit=y.park,
                                            founded_on=date(2008, 2, 3))

    def member(n, organisation, admitted, **fields):
        return party.member_create(organisation=organisation, full_name=MEMBER_NAMES[n],
                                   gender="female" if n % 2 else "male", born_on=date(admitted.year - 25, 4, 12),
                                   admission_decision_on=admitted, by=by, **fields)

    def full(admitted):
        return party_age.add_months(admitted, 12)

    admitted = [date(1995, 6, 2), date(2001, 9, 2), date(2008, 3, 26), date(2012, 12, 22), date(1990, 2, 3)]
    y.members = [member(n, org, day, full_member_on=full(day)) for n, (org, day) in enumerate(zip(
        [y.cat_lai_committee, y.cat_lai_cell, y.park_cell, y.park_cell, y.cat_lai_cell], admitted))]
    y.new_member = member(5, y.park_cell, date(2020, 5, 19))  # admitted in 2020, on probation
    y.deceased = member(6, y.cat_lai_cell, date(1980, 1, 7), full_member_on=date(1981, 1, 7))
    y.leaver = member(7, y.park_cell, date(1985, 8, 19), full_member_on=date(1986, 8, 19))
    y.rotated = member(8, y.cat_lai_cell, date(2004, 11, 7), full_member_on=date(2005, 11, 7))
    party.member_set_status(member=y.deceased, status="deceased", on=date(2020, 8, 10), by=by)
    party.member_transfer(member=y.leaver, to=None, on=date(2020, 10, 1), by=by,
                          note="Nghỉ hưu, chuyển sinh hoạt về nơi cư trú")
    party.member_transfer(member=y.rotated, to=y.park_cell, on=date(2020, 6, 1), by=by)

    levels = [Level.XUAT_SAC, Level.TOT, Level.TOT, Level.HOAN_THANH, Level.TOT]
    for m, level in zip(y.members, levels):
        awards.rating_set(year=YEAR, level=level, member=m, by=by)
    awards.rating_set(year=YEAR, level=Level.TOT, member=y.rotated, by=by)
    awards.rating_set(year=YEAR, level=OrgDistinction.XUAT_SAC_TIEU_BIEU, organisation=y.park_cell, by=by)
    awards.rating_set(year=YEAR, level=Level.XUAT_SAC, organisation=y.cat_lai_committee, by=by)
    awards.commendation_record(year=YEAR, form=Form.GIAY_KHEN, issuer=Issuer.GRASSROOTS_COMMITTEE,
                               issuer_name="Đảng ủy Chi cục Hải quan cửa khẩu cảng Cát Lái", decision_number="21-QĐ/ĐU",
                               decided_on=date(2020, 12, 10), member=y.members[0], by=by)
    awards.commendation_record(year=YEAR, form=Form.BANG_KHEN, issuer=Issuer.PROVINCIAL_STANDING,
                               issuer_name="Ban Thường vụ Thành ủy TP. Hồ Chí Minh", decision_number="3419-QĐ/TU",
                               decided_on=date(2020, 12, 10), organisation=y.park_cell, by=by)
    thirty = y.members[4]
    occasion = badge_rules.next_occasion(party_age.date_reaching(thirty.admitted_on, 30, []))
    awards.badge_award(member=thirty, threshold=30, decision_number="1163-QĐ/TU",
                       decided_on=occasion - timedelta(days=14), occasion=occasion, by=by)
    y.badge_occasion = occasion
    awards.initiative_create(organisation=y.park_cell, name="Cà phê sáng cùng doanh nghiệp",
                             started_on=date(2020, 1, 3), by=by, programme=y.programme)


# --- the tests -----------------------------------------------------------------------------

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def year(django_db_setup, django_db_blocker):
    """The year, built once for the module and rolled back after it, with its review rendered
    as DOCX and PDF (the progress calls recorded)."""
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch, transaction.atomic():
        clock = Clock(patch, at(YEAR, 1, 2, 8))
        y = build_year(clock)
        y.clock = clock
        y.calls = {"docx": [], "pdf": []}
        for fmt in ("docx", "pdf"):
            y.__dict__[fmt] = year_end_render(year=YEAR, fmt=fmt, progress=lambda *call, f=fmt: y.calls[f].append(call))
        y.docx_text, y.pdf_text = text_of_docx(y.docx), text_of_pdf(y.pdf)
        yield y
        transaction.set_rollback(True)


@pytest.fixture(params=["docx", "pdf"])
def text(request, year):
    return year.docx_text if request.param == "docx" else year.pdf_text


def test_it_is_the_party_committees_report_on_the_year(year, text):
    for words in ("ĐẢNG CỘNG SẢN VIỆT NAM", "ĐẢNG ỦY CỤC HẢI QUAN TP. HỒ CHÍ MINH", "Số -BC/ĐU",
                  "TP. Hồ Chí Minh, ngày 15 tháng 01 năm 2021", "BÁO CÁO", "Tổng kết công tác năm 2020",
                  "Đảng bộ Cục Hải quan TP. Hồ Chí Minh năm 2020", "I. CÔNG TÁC HỖ TRỢ, ĐỒNG HÀNH CÙNG DOANH NGHIỆP",
                  "II. LÃNH ĐẠO TRIỂN KHAI CÁC VĂN BẢN CHỈ ĐẠO", "III. CÔNG TÁC XÂY DỰNG ĐẢNG",
                  "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2021", "T/M ĐẢNG ỦY", "BÍ THƯ", "Nơi nhận:"):
        assert words in text


def test_it_states_the_departments_case_figures_of_the_year(year, text):
    e = year.expected_cases
    assert e.received == 7 and e.answered == 6 and e.open == 1 and e.overdue == 1  # the year as built
    assert (f"tiếp nhận {vn(e.received)} vướng mắc, kiến nghị của doanh nghiệp; đã trả lời {vn(e.answered)} vướng "
            f"mắc, trong đó {vn(e.on_time)} vướng mắc được trả lời đúng hạn, đạt {vn_pct(e.on_time, e.answered)}") in text
    median = f"{e.median:.1f}".replace(".", ",")
    assert f"Thời gian trả lời (trung vị) là {median} ngày làm việc" in text
    assert f"{vn(e.resolved)} vướng mắc đã được giải quyết xong trong năm" in text
    assert (f"đánh giá {vn(e.rated)} lượt trả lời, mức hài lòng bình quân "
            f"{e.satisfaction:.1f}".replace(".", ",") + "/5 điểm") in text
    assert (f"Đến ngày 15/01/2021, còn {vn(e.open)} vướng mắc đang xử lý, trong đó {vn(e.overdue)} vướng mắc đã quá "
            f"hạn trả lời") in text


def test_it_shows_the_cases_by_unit_and_by_topic(year, text):
    assert "Kết quả theo đơn vị" in text and "HQCNC" in text and "HQ Cát Lái" in text
    # The topics in Vietnamese, whatever the language of whoever renders it.
    assert "Thủ tục hải quan" in text and "Thuế, miễn thuế, hoàn thuế" in text


def test_it_states_the_dialogue_of_the_year(year, text):
    assert ("tổ chức 1 buổi đối thoại, gặp gỡ doanh nghiệp, với 2 lượt doanh nghiệp (3 người) tham dự. Doanh nghiệp "
            "nêu 2 câu hỏi, vướng mắc: 1 câu hỏi được giải đáp ngay tại buổi gặp (50,0 %), 1 câu hỏi được ghi nhận "
            "để tiếp tục xử lý, trong đó 1 câu hỏi đã được trả lời xong.") in text
    assert "Qua 1 phiếu khảo sát, doanh nghiệp đánh giá mức hài lòng bình quân 5,0/5 điểm." in text


def test_it_states_the_price_commitments_and_the_breach(year, text):
    assert ("2 cam kết không tăng giá dịch vụ của 2 doanh nghiệp kinh doanh kho, bãi, cảng với 2 cơ sở có hiệu lực; "
            "1 cam kết được thực hiện đúng (50,0 %), 1 cam kết bị phát hiện tăng giá trong năm.") in text
    assert "01/07/2020" in text and "Kho vận Long Bình Tân" in text and "Kho CFS Long Bình Tân" in text


def test_it_states_the_directives_acknowledged_in_time(year, text):
    assert ("ban hành 1 văn bản chỉ đạo, gửi 2 lượt đơn vị. Các đơn vị đã xác nhận tiếp nhận 1 lượt (50,0 %), trong "
            "đó 1 lượt đúng hạn (100,0 %); 1 lượt đã quá hạn mà chưa xác nhận.") in text


def test_it_counts_the_party_organisations_and_members(year, text):
    assert ("Đến ngày 31/12/2020, Đảng bộ có 2 tổ chức cơ sở đảng (1 đảng bộ cơ sở, 1 chi bộ cơ sở) và 1 chi bộ "
            "trực thuộc đảng bộ cơ sở.") in text
    # Start: the eight admitted before 2020; end: less the deceased and the one transferred out,
    # plus the one admitted (on probation).
    assert ("Đầu năm 2020, Đảng bộ có 8 đảng viên. Trong năm, kết nạp 1 đảng viên mới, chuyển sinh hoạt đảng ra "
            "ngoài Đảng bộ 1 đảng viên, 1 đảng viên từ trần; 1 lượt đảng viên chuyển sinh hoạt giữa các tổ chức "
            "đảng trong Đảng bộ. Đến ngày 31/12/2020, Đảng bộ có 7 đảng viên (6 đảng viên chính thức, 1 đảng viên "
            "dự bị).") in text


def test_it_gives_the_ratings_by_level_with_their_shares(year, text):
    assert "Đánh giá, xếp loại 6 đảng viên: 1 đảng viên hoàn thành xuất sắc nhiệm vụ (16,7 %)." in text
    assert "Hoàn thành tốt nhiệm vụ 4 66,7 %" in text
    assert "Hoàn thành xuất sắc nhiệm vụ tiêu biểu 1 50,0 %" in text


def test_it_counts_the_commendations_badges_and_creative_models(year, text):
    assert "Khen thưởng thành tích năm 2020: 2 lượt, gồm 1 lượt đảng viên và 1 lượt tổ chức đảng." in text
    assert "Bằng khen" in text and "Ban Thường vụ Thành uỷ" in text
    assert "Nhân các dịp kỷ niệm trong năm 2020, 1 đảng viên được trao tặng Huy hiệu Đảng." in text
    assert "Huy hiệu 30 năm tuổi Đảng 1" in text
    assert "Cà phê sáng cùng doanh nghiệp" in text and "1 buổi đối thoại, 2 doanh nghiệp tham dự, 2 câu hỏi" in text


def test_it_names_no_party_member(year, text):
    for name in MEMBER_NAMES:
        assert name not in text and name.upper() not in text


def test_progress_reaches_its_total_once_per_section_and_once_for_the_file(year):
    for calls in year.calls.values():
        total = len(SECTIONS) + 1
        assert [done for done, _total, _label in calls] == list(range(1, total + 1))
        assert {t for _done, t, _label in calls} == {total}
        assert all(label for _d, _t, label in calls)


def test_the_progress_labels_follow_the_language_while_the_document_stays_vietnamese(year):
    calls = []
    with translation.override("en"):
        document = year_end_document(year=YEAR, progress=lambda *call: calls.append(call))
    assert [label for _d, _t, label in calls][0] == "Cases"
    assert document.title == "Tổng kết công tác năm 2020" and document.layout == "party"


def test_it_refuses_a_year_to_come_and_one_before_the_platform(year):
    with translation.override("en"):
        for bad in (2022, 1999, "năm ngoái"):
            with pytest.raises(YearEndError):
                year_end_document(year=bad)
        with pytest.raises(YearEndError, match="docx or pdf"):
            year_end_render(year=YEAR, fmt="odt")


def test_the_file_is_named_after_the_year(year):
    assert year_end_filename(year=2020, fmt="pdf") == "bao-cao-tong-ket-nam-2020.pdf"



# --- the command ---------------------------------------------------------------------------

def test_the_command_writes_each_file_that_opens_again_and_prints_its_path(year, tmp_path, capsys):
    for fmt in ("docx", "pdf"):
        call_command("report", "year-end", "--year", "2020", "--format", fmt, "--output", str(tmp_path))
        out, err = capsys.readouterr()
        path = tmp_path / f"bao-cao-tong-ket-nam-2020.{fmt}"
        assert out.strip() == str(path.resolve())
        # The progress bar on stderr, to the end.
        assert f"{len(SECTIONS) + 1}/{len(SECTIONS) + 1}" in err
        data = path.read_bytes()
        text = text_of_docx(data) if fmt == "docx" else text_of_pdf(data)
        assert "Tổng kết công tác năm 2020" in text and f"tiếp nhận {vn(year.expected_cases.received)} vướng mắc" in text


def test_the_command_prints_the_signers_name_under_the_signature(year, tmp_path, capsys):
    output = tmp_path / "tong-ket.docx"
    call_command("report", "year-end", "--year", "2020", "--format", "docx", "--output", str(output),
                 "--signer", "Nghiêm Quang Đạt", "--no-progress")
    assert "BÍ THƯ Nghiêm Quang Đạt" in text_of_docx(output.read_bytes())


@pytest.mark.parametrize("args, message", [
    (["--year", "1999", "--format", "docx"], "The year must be between 2015 and"),
    (["--year", "2020", "--format", "odt"], "The format must be docx or pdf."),
    (["--year", "hai nghìn", "--format", "pdf"], "Give the year as four digits"),
])
def test_the_command_refuses_a_bad_year_or_format_with_exit_code_2(year, tmp_path, args, message):
    with translation.override("en"), pytest.raises(CommandError) as refused:
        call_command("report", "year-end", *args, "--output", str(tmp_path))
    assert refused.value.returncode == 2 and message in str(refused.value)
    assert list(tmp_path.iterdir()) == []


def test_the_command_line_exits_2_with_the_message(tmp_path):
    # The command speaks the default language (Vietnamese), argparse English.
    with translation.override(settings.LANGUAGE_CODE), pytest.raises(YearEndError) as refused:
        check_year(1999, today=date.today())  # the command runs on the real clock
    for args, message in ((["--year", "1999", "--format", "docx"], str(refused.value)),
                          (["--year", "2020"], "the following arguments are required: --format")):
        done = subprocess.run([sys.executable, "-m", "ketnoi", "report", "year-end", *args, "--output", str(tmp_path)],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 2, done.stderr
        assert message in done.stderr
    assert list(tmp_path.iterdir()) == []
