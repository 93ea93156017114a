"""The one small department the access matrix calls every view in.

Unit X (an officer and a leader) handles everything of enterprise A (its business user); unit Y
has an officer who must see none of it; enterprise B's business user likewise. An operator runs a
facility in X's area. One object of each kind belongs to them: a case of A handled by X, with an
answer and an attachment; a Q&A article and a legal document; a directive sent to every unit (two
versions, an attachment); a price list, a commitment and its breach; a dialogue programme of X
with a session, A's registration and its question; the party register (an organisation, a
member, a period outside party activity, a ceremony, a creative model); a year-end job.

Everything is written through ketnoi.testing's factories and the apps' services, as the
demo and the tests of each app do.
"""

from datetime import date, time, timedelta
from types import SimpleNamespace

from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ketnoi.accounts import services as accounts
from ketnoi.accounts.models import Role
from ketnoi.testing import tax_code_for, make_article, make_case, make_enterprise, make_unit, make_user, seed_reference_data

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def build_world() -> SimpleNamespace:
    from ketnoi.background.kinds import YEAR_END
    from ketnoi.background.services import job_request, job_run
    from ketnoi.cases import services as cases
    from ketnoi.cases.models import SlaPolicy
    from ketnoi.dialogue import services as dialogue
    from ketnoi.directives import services as directives
    from ketnoi.knowledge import services as knowledge
    from ketnoi.lib.party_org import Kind
    from ketnoi.org.models import Unit
    from ketnoi.party import services as party
    from ketnoi.party.models import Event, Initiative
    from ketnoi.prices import services as prices
    from ketnoi.prices.models import FacilityKind

    seed_reference_data()
    w = SimpleNamespace()
    today = timezone.localdate()

    # --- places and people -------------------------------------------------------------------
    w.department = make_unit(code="02", kind=Unit.Kind.DEPARTMENT, name_vi="Cục Hải quan TP. Hồ Chí Minh",
                             name_en="Ho Chi Minh City Customs Department")
    w.office = make_unit(kind=Unit.Kind.DIVISION, parent=w.department, name_vi="Văn phòng Cục",
                         name_en="Department Office", short_name_vi="VP")
    w.unit = make_unit(code="02F3", parent=w.department, name_vi="Chi cục Hải quan Khu Công nghệ cao",
                       name_en="High-Tech Park Customs Branch", short_name_vi="HQCNC")
    w.other_unit = make_unit(code="02PG", parent=w.department, name_vi="Chi cục Hải quan Khu chế xuất Linh Trung",
                             name_en="Linh Trung Export Processing Zone Customs Branch")
    w.enterprise = make_enterprise(name="Công ty TNHH Điện tử Sao Việt Thử", home_unit=w.unit)
    w.other_enterprise = make_enterprise(name="Công ty Cổ phần Cơ khí Phước Long Thử", home_unit=w.other_unit)
    w.operator_enterprise = make_enterprise(name="Công ty Cổ phần Kho vận Tân Thuận Thử")

    w.users = {
        "business": make_user(Role.BUSINESS, enterprise=w.enterprise, full_name="Ngô Thị Hồng Nhung"),
        "other_business": make_user(Role.BUSINESS, enterprise=w.other_enterprise, full_name="Lý Văn Phát"),
        "operator": make_user(Role.OPERATOR, enterprise=w.operator_enterprise, full_name="Hồ Thị Mỹ Duyên"),
        "officer": make_user(Role.OFFICER, unit=w.unit, full_name="Phan Văn Đức"),
        "leader": make_user(Role.LEADER, unit=w.unit, full_name="Nguyễn Thành Trung"),
        "other_officer": make_user(Role.OFFICER, unit=w.other_unit, full_name="Huỳnh Thị Thu Trang"),
        "secretary": make_user(Role.OFFICER, unit=w.other_unit, full_name="Đoàn Thị Kim Oanh"),
        "coordinator": make_user(Role.COORDINATOR, full_name="Trương Thị Ngọc Ánh"),
        "party": make_user(Role.PARTY_OFFICE, full_name="Lâm Thị Bích Ngọc"),
        "admin": make_user(Role.ADMIN, full_name="Lê Minh Quân"),
    }
    u = w.users
    w.business_user = u["business"]

    # --- accounts: a registration waiting for its confirmation, a reset link, an API token ------
    accounts.business_register(tax_code=tax_code_for(777001), enterprise_name="Công ty TNHH Mới Đăng Ký Thử",
                               full_name="Trần Thị Mới", email="moi@ketnoi.example", phone="0909000111",
                               password="Mật-khẩu-thử-2020")
    from django.core import signing

    from ketnoi.accounts.services import CONFIRM_SALT
    from ketnoi.accounts.models import User

    newcomer = User.objects.get(email="moi@ketnoi.example")
    w.confirm_token = signing.dumps({"u": newcomer.pk, "e": newcomer.email}, salt=CONFIRM_SALT)
    w.reset_uid = urlsafe_base64_encode(force_bytes(u["business"].pk))
    w.reset_token = default_token_generator.make_token(u["business"])
    w.api_token, _key = accounts.token_create(user=u["business"], name="Phần mềm kế toán")

    # --- cases ------------------------------------------------------------------------------
    w.case = make_case(enterprise=w.enterprise, by=u["business"], unit=w.unit,
                       subject="Hoàn thuế nhập khẩu linh kiện bo mạch Sao Việt",
                       description="Doanh nghiệp nhập khẩu linh kiện để sản xuất bo mạch xuất khẩu; xin hướng dẫn hồ sơ.",
                       attachments=[pdf("to-khai.pdf")])
    w.case_attachment = w.case.attachments.first()
    cases.case_assign(case=w.case, assignee=u["officer"], by=u["leader"])
    w.case = cases.case_answer(case=w.case, body="Căn cứ Điều 36 Nghị định 134/2016/NĐ-CP, hồ sơ hoàn thuế gồm ...",
                               by=u["leader"])
    w.case = cases.case_accept(case=w.case, by=u["business"])  # resolved: it can be rated and published
    w.rating_token = cases.rating_token(w.case)
    w.routing_rule = cases.routing_rule_save(topic=None, named_unit=w.other_unit, handling_unit=w.other_unit,
                                             by=u["coordinator"])
    w.deadline_policy = SlaPolicy.objects.first()

    # --- knowledge ------------------------------------------------------------------------------
    w.document = knowledge.legal_document_save(kind="nghi-dinh", number="134/2016/NĐ-CP",
                                               title="Quy định chi tiết Luật Thuế xuất khẩu, thuế nhập khẩu",
                                               by=u["coordinator"])
    w.article = make_article(by=u["coordinator"])

    # --- directives -------------------------------------------------------------------------
    issue = dict(by=u["coordinator"], title="Về việc tăng cường phòng, chống dịch COVID-19 tại trụ sở",
                 body="Các Chi cục bố trí cán bộ làm việc từ 07 giờ 30 đến 17 giờ 00 hằng ngày.",
                 issuing_unit=w.office, signer_name="Nguyễn Văn Tâm", signer_title="Phó Cục trưởng",
                 effective_from=today)
    w.directive = directives.directive_issue(number="125/HQHCM-VP", attachments=[pdf("cong-van.pdf")], **issue)
    w.directive_attachment = w.directive.attachments.first()
    w.directive_v2 = directives.directive_issue(number="126/HQHCM-VP", previous=w.directive, change="amends",
                                                **{**issue, "body": issue["body"] + " Đo thân nhiệt tại cổng."})

    # --- prices ---------------------------------------------------------------------------------
    w.facility = prices.facility_create(operator=w.operator_enterprise, name="Kho CFS Tân Thuận Thử",
                                        kind=FacilityKind.CFS, unit=w.unit, by=u["coordinator"])
    tariff = {"NH20": 1_050_000, "NH40": 1_550_000}
    prices.price_list_file(facility=w.facility, prices=tariff, effective_from=today - timedelta(days=30),
                           by=u["operator"])
    w.commitment = prices.commitment_create(operator=w.operator_enterprise, facilities=[w.facility],
                                            period_from=today - timedelta(days=10), period_to=today + timedelta(days=300),
                                            signed_on=today - timedelta(days=20), by=u["coordinator"],
                                            document=pdf("cam-ket.pdf"))
    _list, breaches = prices.price_list_file(facility=w.facility, prices={**tariff, "NH20": 1_200_000},
                                             effective_from=today, by=u["operator"])
    w.breach = breaches[0]
    w.service_code = "NH20"

    # --- dialogue -------------------------------------------------------------------------------
    w.programme = dialogue.programme_create(
        by=u["leader"], unit=w.unit, name="Cà phê sáng cùng doanh nghiệp", rrule="FREQ=WEEKLY;BYDAY=FR",
        starts_on=today, start_time=time(7, 30), end_time=time(9, 0),
        venue="Hội trường tầng 2, Chi cục Hải quan Khu Công nghệ cao", capacity=20,
        topics=["thu-tuc"], hosts=[u["officer"]])
    w.session = w.programme.sessions.filter(starts_at__gt=timezone.now() + timedelta(days=3)).order_by("starts_at").first()
    w.registration = dialogue.registration_create(
        session=w.session, by=u["business"], enterprise=w.enterprise,
        attendees=[{"name": "Ngô Thị Hồng Nhung", "position": "Kế toán trưởng"}],
        questions=[{"topic": "thu-tuc", "subject": "Thủ tục thanh lý máy móc tạm nhập",
                    "description": "Máy móc tạm nhập năm 2021 đã hết khấu hao: thủ tục thanh lý thế nào?"}])
    w.question = w.registration.questions.first()
    w.checkin_token = dialogue.checkin_token(w.registration)
    # A session held three weeks ago (the programme's first), with minutes issued and A's survey.
    started = timezone.now() - timedelta(days=28)
    w.past_programme = dialogue.programme_create(
        by=u["leader"], unit=w.unit, name="Đối thoại doanh nghiệp Khu Công nghệ cao", rrule="FREQ=WEEKLY;BYDAY=TU",
        starts_on=timezone.localdate(started), start_time=time(8, 0), end_time=time(10, 0),
        venue="Hội trường tầng 2, Chi cục Hải quan Khu Công nghệ cao", capacity=20, hosts=[u["officer"]], now=started)
    w.held_session = w.past_programme.sessions.order_by("starts_at").first()
    held = w.held_session.starts_at
    w.attended = dialogue.registration_create(
        session=w.held_session, by=u["business"], enterprise=w.enterprise,
        attendees=[{"name": "Ngô Thị Hồng Nhung", "position": "Kế toán trưởng"}], now=held - timedelta(days=2))
    dialogue.registration_check_in(registration=w.attended, by=u["officer"], at=held + timedelta(minutes=10))
    dialogue.session_close(session=w.held_session, by=u["leader"], now=held + timedelta(hours=2))
    minutes = dialogue.minutes_prepare(session=w.held_session, by=u["leader"])
    minutes = dialogue.minutes_save(minutes=minutes, by=u["leader"], number="05/BB-HQCNC",
                                    opening="Buổi đối thoại bắt đầu lúc 8 giờ.", conclusion="Buổi đối thoại kết thúc.",
                                    signer_name="Nguyễn Thành Trung", signer_position="Chi cục trưởng")
    dialogue.minutes_issue(minutes=minutes, by=u["leader"], now=held + timedelta(hours=3))
    w.survey_token = dialogue.survey_token(w.attended)

    # --- party ----------------------------------------------------------------------------------
    w.committee = party.organisation_create(kind=Kind.UPPER_GRASSROOTS_COMMITTEE, by=u["party"],
                                            name="Đảng bộ Cục Hải quan TP. Hồ Chí Minh", founded_on=date(1976, 1, 1))
    w.organisation = party.organisation_create(kind=Kind.GRASSROOTS_CELL, parent=w.committee, name="Chi bộ Chi cục Hải quan Khu Công nghệ cao",
                                               by=u["party"], founded_on=date(2005, 1, 1))
    w.member = party.member_create(organisation=w.organisation, full_name="Đặng Minh Khôi", gender="male",
                                   born_on=date(1968, 5, 4), admission_decision_on=date(1990, 1, 19),
                                   full_member_on=date(1991, 1, 19), card_number="79000123", by=u["party"])
    w.gap = party.gap_add(member=w.member, start=date(2001, 3, 1), end=date(2002, 3, 1), reason="transfer",
                          by=u["party"])
    # Another cell, with its own member, whose secretary is the matrix's "secretary".
    w.other_organisation = party.organisation_create(
        kind=Kind.GRASSROOTS_CELL, parent=w.committee, name="Chi bộ Chi cục Hải quan Khu chế xuất Linh Trung",
        by=u["party"], founded_on=date(2008, 1, 1), secretaries=[u["secretary"]])
    party.member_create(organisation=w.other_organisation, full_name="Vũ Thị Hồng Nhung", gender="female",
                        born_on=date(1980, 3, 26), admission_decision_on=date(2005, 3, 26),
                        full_member_on=date(2006, 3, 26), card_number="79000456", by=u["party"])
    w.event = Event.objects.create(kind=Event.Kind.CEREMONY, name="Lễ trao Huy hiệu Đảng đợt 19/5",
                                   held_on=today, organisation=w.organisation)
    w.initiative = Initiative.objects.create(organisation=w.organisation, name="Cà phê sáng cùng doanh nghiệp",
                                             started_on=date(2019, 1, 1), programme=w.programme)
    w.year = today.year

    # --- background work, reports, admin --------------------------------------------------------
    w.job = job_request(kind=YEAR_END, params={"year": today.year - 1, "fmt": "docx"}, by=u["coordinator"])
    job_run(job_id=w.job.pk)  # done: its file can be downloaded
    w.format = "csv"
    w.article_content_type = ContentType.objects.get_for_model(w.article).pk
    w.org_label = "org"
    w.unknown_admin_path = "khong-co/"

    # What must never show on a page or in an answer to anyone but the roles named: the matrix
    # reads every text response for them (a list or a search that lets something through).
    w.secrets = [
        ("enterprise A's case", w.case.subject, {"business", "officer", "leader", "coordinator"}),
        ("a party member's name", w.member.full_name, {"party"}),
    ]
    return w
