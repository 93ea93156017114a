"""The hostile-input corpus against every form.

The forms come from the URL configuration: every view that reads a POST (`post_views()`).
Each must be declared below, either with a valid post (who sends it, where, what) whose fields
then receive the hostile values (`corpus.spread`: the core ones in every field, the others in
turn), or in BUTTONS with why it has no text to attack (a
button that only confirms, an upload checked elsewhere). A new form fails
`test_it_declares_every_form` until it is.

Posts are url-encoded as a browser sends them (invalid UTF-8 stays invalid, percent-encoded).
The answer must be below 500; a refusal (4xx) shows the form's message and changed no row of
the form's tables nor the audit trail; an acceptance shows the value back escaped, on the page
or on the page it redirects to, and stored no NUL byte.
"""

import inspect
import itertools
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote, quote_from_bytes

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver

from ketnoi.testing import PASSWORD

from .corpus import CORPUS, spread
from .world import build_world, table_counts, text_values_with_nul


def _walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, pattern.namespace or namespace)
        elif pattern.name:
            yield (f"{namespace}:" if namespace else "") + pattern.name, pattern.callback


def _reads_post(function, depth=1) -> bool:
    """Whether a view (or a helper of its module it calls) reads a POST."""
    if "POST" in inspect.getsource(function):
        return True
    return depth > 0 and any(
        inspect.isfunction(helper := function.__globals__.get(name)) and helper.__module__ == function.__module__
        and _reads_post(helper, depth - 1) for name in function.__code__.co_names)


def _accepts_post(callback) -> bool:
    if hasattr(callback, "view_class"):
        return hasattr(callback.view_class, "post")
    function = callback
    while True:
        for cell in function.__closure__ or ():  # require_http_methods' list of methods
            try:
                methods = cell.cell_contents
            except ValueError:
                continue
            if isinstance(methods, list) and methods and set(methods) <= {"GET", "POST", "HEAD", "PUT", "DELETE"}:
                return "POST" in methods
        if not hasattr(function, "__wrapped__"):
            return _reads_post(function)
        function = function.__wrapped__


def post_views() -> set[str]:
    """The names of the views (outside the admin and the API) that read a POST."""
    return {name for name, callback in _walk(get_resolver().url_patterns)
            if not name.startswith(("admin:", "api-v1:")) and _accepts_post(callback)}


@dataclass
class Form:
    role: str | None  # attribute of the world: who sends it; None for an anonymous visitor
    url: object  # world -> the address
    data: object  # world -> a valid post
    models: list[str]  # the tables it writes
    fixed: tuple = ()  # fields left valid (hidden versions, the button that chose the action)
    audited: bool = True  # False where a refusal rightly writes to the audit trail


CASE_TABLES = ["cases.Case", "cases.CaseEvent", "cases.Answer", "cases.Attachment"]


def _case_url(action):
    return lambda w: f"/cases/{w.case.reference}/{action}/"


_numbers = itertools.count(201)  # a directive's number is unique in its year: each accepted post takes a new one


def _directive(w, **fields):
    return {"number": f"{next(_numbers)}/HQHCM-VP", "title": "Tăng cường kiểm tra hàng hoá tạm nhập tái xuất",
            "body": "1. Các Chi cục rà soát tờ khai tạm nhập quá hạn.\n2. Báo cáo kết quả về Cục trước ngày 15.",
            "issuing_unit": str(w.department.pk), "signer_name": "Đinh Ngọc Thắng", "signer_title": "Phó Cục trưởng",
            "issued_on": "", "issued_time": "", "effective_from": "", "effective_to": "", "urgency": "normal",
            "target": "all", "ack_within_hours": "8", "report_due": "", **fields}


def _latest_directive_url(w):
    from ketnoi.directives import selectors

    return f"/chi-dao/{selectors.versions(w.directive)[-1].pk}/phien-ban-moi/"


FORMS = {
    "accounts:login": Form(None, lambda w: "/accounts/login/",
                           lambda w: {"username": w.business.username, "password": PASSWORD},
                           ["accounts.LoginFailure"], audited=False),
    "accounts:register": Form(None, lambda w: "/accounts/register/", lambda w: {
        "tax_code": "0301234567", "enterprise_name": "Công ty TNHH Thương mại Bến Nghé", "full_name": "Hà Minh Tâm",
        "email": "tam.ha@bennghe.example", "phone": "028 3829 1234", "password1": "Cà-phê-sáng-2026!",
        "password2": "Cà-phê-sáng-2026!"}, ["accounts.User", "accounts.Enterprise", "accounts.RoleAssignment"]),
    "accounts:password_reset": Form(None, lambda w: "/accounts/password-reset/",
                                    lambda w: {"email": w.business.email}, ["accounts.User"]),
    "accounts:token_create": Form("business", lambda w: "/accounts/tokens/", lambda w: {"name": "Phần mềm kế toán"},
                                  ["accounts.ApiToken"]),
    "cases:new": Form("business", lambda w: "/cases/new/", lambda w: {
        "topic": "thu-tuc", "subject": "Thủ tục nhập khẩu máy móc đã qua sử dụng",
        "description": "Doanh nghiệp cần hướng dẫn hồ sơ nhập khẩu dây chuyền đã qua sử dụng.",
        "declaration_numbers": "104512345670", "hs_codes": "84713020", "unit": str(w.unit.pk)}, CASE_TABLES),
    "cases:intake": Form("officer", lambda w: "/cases/intake/", lambda w: {
        "tax_code": w.enterprise.tax_code, "channel": "phone", "topic": "xuat-xu", "subject": "C/O mẫu D bị từ chối",
        "description": "Doanh nghiệp gọi điện hỏi về C/O mẫu D.", "declaration_numbers": "", "hs_codes": "",
        "unit": str(w.unit.pk)}, CASE_TABLES),
    "cases:message": Form("business", _case_url("message"),
                          lambda w: {"body": "Công ty xin gửi thêm chứng từ.", "version": w.case.version},
                          CASE_TABLES),
    "cases:note": Form("officer", _case_url("note"),
                       lambda w: {"body": "Đã gọi điện cho doanh nghiệp.", "version": w.case.version}, CASE_TABLES),
    "cases:request_info": Form("officer", _case_url("request-info"),
                               lambda w: {"body": "Bổ sung C/O mẫu D.", "version": w.case.version}, CASE_TABLES),
    "cases:draft": Form("officer", _case_url("draft"),
                        lambda w: {"body": "Dự thảo trả lời theo Điều 16 Thông tư 38.", "version": w.case.version},
                        CASE_TABLES),
    "cases:answer": Form("leader", _case_url("answer"),
                         lambda w: {"body": "Căn cứ Điều 36 Nghị định 134/2016/NĐ-CP…", "version": w.case.version},
                         CASE_TABLES),
    "cases:reassign": Form("leader", _case_url("reassign"), lambda w: {
        "unit": str(w.other_unit.pk), "reason": "Thuộc địa bàn Chi cục Khu vực II.", "version": w.case.version},
        CASE_TABLES),
    "cases:forward": Form("leader", _case_url("forward"), lambda w: {
        "to": "Sở Công Thương TP. Hồ Chí Minh", "reason": "Thuộc thẩm quyền cấp C/O.", "version": w.case.version},
        CASE_TABLES),
    "cases:escalate": Form("leader", _case_url("escalate"),
                           lambda w: {"reason": "Cần ý kiến của Cục.", "version": w.case.version}, CASE_TABLES),
    "cases:rating": Form("business", lambda w: f"/cases/{w.answered_case.reference}/rating/",
                         lambda w: {"score": "4", "comment": "Trả lời rõ ràng.", "version": w.answered_case.version},
                         CASE_TABLES),
    "knowledge:new": Form("coordinator", lambda w: "/hoi-dap/quan-ly/moi/", lambda w: {
        "question": "Doanh nghiệp chế xuất bán hàng vào nội địa phải làm thủ tục gì?",
        "answer": "Căn cứ Điều 74 Thông tư 38/2015/TT-BTC, doanh nghiệp chế xuất mở tờ khai xuất khẩu.",
        "topic": "thu-tuc", "legal_references": "Luật 54/2014/QH13", "valid_from": "01/01/2024", "valid_to": ""},
        ["knowledge.Article", "knowledge.Citation", "knowledge.LegalDocument"]),
    "knowledge:document_new": Form("coordinator", lambda w: "/hoi-dap/van-ban/moi/", lambda w: {
        "kind": "nghi-dinh", "number": "08/2015/nd-cp", "title": "Quy định chi tiết Luật Hải quan",
        "issuer": "Chính phủ", "issued_on": "21/01/2015", "effective_on": "15/03/2015", "status": "in_force",
        "replaced_by": "", "amended_by": ""}, ["knowledge.LegalDocument"]),
    "directives:report": Form("leader", lambda w: f"/chi-dao/{w.directive.pk}/bao-cao/", lambda w: {
        "unit": str(w.unit.pk), "report_text": "Đã bố trí máy đo thân nhiệt tại sảnh."}, ["directives.Recipient"]),
    "directives:new": Form("coordinator", lambda w: "/chi-dao/moi/", _directive,
                           ["directives.Directive", "directives.Recipient", "directives.Attachment"]),
    "directives:new_version": Form("coordinator", _latest_directive_url,
                                   lambda w: _directive(w, change="amends"),
                                   ["directives.Directive", "directives.Recipient", "directives.Attachment"]),
    "prices:facility_new": Form("coordinator", lambda w: "/gia-dich-vu/co-so/moi/", lambda w: {
        "operator": w.terminal.tax_code, "name": "Kho CFS Cát Lái số 2", "kind": "cfs", "unit": str(w.unit.pk),
        "address": "Đường Nguyễn Thị Định, TP. Thủ Đức"}, ["prices.Facility"]),
    "prices:file": Form("operator", lambda w: f"/gia-dich-vu/{w.yard.pk}/nop-bang-gia/", lambda w: {
        "via": "form", "effective_from": "01/01/2027", "note": "Quyết định số 12/QĐ-TCL", "price_NH20": "1.250.000",
        "price_NH40": "1.850.000"}, ["prices.PriceList", "prices.Price", "prices.Breach"], fixed=("via",)),
    "prices:commitment_new": Form("coordinator", lambda w: "/gia-dich-vu/cam-ket/moi/", lambda w: {
        "operator": str(w.price_list.facility.operator_id), "facilities": str(w.yard.pk),
        "period_from": f"{w.today:%d/%m/%Y}", "period_to": f"{w.today + timedelta(days=180):%d/%m/%Y}",
        "signed_on": f"{w.today - timedelta(days=10):%d/%m/%Y}", "covers_all": "all"},
        ["prices.Commitment", "prices.Commitment_baselines", "prices.Breach"]),
    "prices:follow_up": Form("coordinator", lambda w: f"/gia-dich-vu/vi-pham/{w.breach.pk}/theo-doi/", lambda w: {
        f"b{w.breach.pk}-follow_up": "contacted", f"b{w.breach.pk}-note": "Đã gọi điện cho ông Lê Minh Tâm."},
        ["prices.Breach", "prices.FollowUpNote"]),
    "dialogue:programme_new": Form("leader", lambda w: "/doi-thoai/chuong-trinh/moi/", lambda w: {
        "unit": str(w.unit.pk), "name": "Cà phê doanh nhân Khu vực I", "description": "Gặp gỡ doanh nghiệp mỗi tháng.",
        "pattern": "monthly_2", "weekday": "TH", "rrule": "", "starts_on": "01/01/2027", "ends_on": "",
        "start_time": "07:30", "end_time": "09:00", "venue": "Phòng họp số 1", "capacity": "15",
        "max_attendees": "2", "registration_closes_hours": "48", "topics": "thue"},
        ["dialogue.Programme", "dialogue.Session"]),
    "dialogue:register": Form("business", lambda w: f"/doi-thoai/phien/{w.session.pk}/dang-ky/", lambda w: {
        "attendee_0_name": "Ngô Thị Hồng Nhung", "attendee_0_position": "Trưởng phòng Xuất nhập khẩu",
        "question_0_topic": "thue", "question_0_subject": "Hoàn thuế nguyên liệu nhập sản xuất xuất khẩu",
        "question_0_description": "Doanh nghiệp đề nghị hướng dẫn hồ sơ hoàn thuế."},
        ["dialogue.Registration", "dialogue.Attendee", "dialogue.Question"] + CASE_TABLES),
    "dialogue:session_cancel": Form("leader", lambda w: f"/doi-thoai/phien/{w.session.pk}/huy/",
                                    lambda w: {"reason": "Trùng lịch họp giao ban của Cục."}, ["dialogue.Session"]),
    "dialogue:minutes": Form("leader", lambda w: f"/doi-thoai/phien/{w.session.pk}/bien-ban/", lambda w: {
        "action": "save", "number": "12/BB-HQKV1", "opening": "Vào hồi 07 giờ 30 phút …",
        "conclusion": "Chi cục giao công chức tiếp tục xử lý.", "signer_name": "Võ Văn Trưởng",
        "signer_position": "Chi cục trưởng"}, ["dialogue.Minutes"], fixed=("action",)),
    "dialogue:session_move": Form("leader", lambda w: f"/doi-thoai/phien/{w.session.pk}/doi-lich/", lambda w: {
        "day": f"{w.today + timedelta(days=3):%d/%m/%Y}", "start_time": "08:00", "end_time": "09:30",
        "venue": "Phòng họp số 2, Chi cục Hải quan Khu vực I", "reason": "Lãnh đạo Chi cục họp đột xuất với Cục."},
        ["dialogue.Session"]),
    "dialogue:question_new": Form("officer", lambda w: f"/doi-thoai/phien/{w.session_today.pk}/cau-hoi/moi/",
                                  lambda w: {"registration": str(w.registration_today.pk), "topic": "thu-tuc",
                                             "subject": "Thanh lý máy móc tạm nhập",
                                             "description": "Máy móc tạm nhập năm 2021 đã hết khấu hao: thủ tục thế nào?"},
                                  ["dialogue.Question"] + CASE_TABLES),
    "dialogue:question": Form("officer", lambda w: f"/doi-thoai/cau-hoi/{w.question_today.pk}/", lambda w: {
        "action": "answer", f"q{w.question_today.pk}a-answer": "Linh kiện đã qua sử dụng được kiểm tra sau thông quan."},
        ["dialogue.Question"] + CASE_TABLES, fixed=("action",)),
    "party:organisation_new": Form("party", lambda w: "/dang-bo/to-chuc/moi/", lambda w: {
        "kind": "grassroots_cell", "name": "Chi bộ Đội Kiểm soát Hải quan", "short_name": "Chi bộ KSHQ",
        "parent": "", "unit": "", "founded_on": "03/02/2010"}, ["party.Organisation"]),
    "party:member_edit": Form("party", lambda w: f"/dang-bo/dang-vien/{w.member.pk}/sua/", lambda w: {
        "full_name": "Phạm Thị Thu Hà", "gender": "female", "born_on": "12/08/1978",
        "admission_decision_on": "19/05/2001", "card_admitted_on": "", "full_member_on": "19/05/2002",
        "card_number": "79012345", "position": "Đảng viên"}, ["party.Member"]),
    "party:events": Form("party", lambda w: "/dang-bo/su-kien/", lambda w: {
        "kind": "ceremony", "name": "Lễ trao Huy hiệu Đảng đợt 19/5", "held_on": "19/05/2027",
        "organisation": str(w.party_cell.pk), "place": "Hội trường Cục", "description": "Trao Huy hiệu 30 năm."},
        ["party.Event"]),
    "party:gap_add": Form("party", lambda w: f"/dang-bo/dang-vien/{w.member.pk}/gian-doan/", lambda w: {
        "start": "01/03/2010", "end": "01/09/2010", "reason": "lost_contact",
        "note": "Đi công tác nước ngoài, không chuyển sinh hoạt tạm thời."}, ["party.Member", "party.Gap"]),
    "party:transfer": Form("party", lambda w: f"/dang-bo/dang-vien/{w.member.pk}/chuyen/", lambda w: {
        "to": str(w.other_party_cell.pk), "on": "02/01/2024", "note": "Điều động về Đội Kiểm soát."},
        ["party.Member", "party.Transfer"]),
    "party:member_status": Form("party", lambda w: f"/dang-bo/dang-vien/{w.member.pk}/trang-thai/", lambda w: {
        "status": "removed", "on": "15/06/2023", "reason": "removed", "note": "Tự nguyện xin ra khỏi Đảng."},
        ["party.Member", "party.Gap"]),
    "party:badge_award": Form("party", lambda w: "/dang-bo/huy-hieu/trao/", lambda w: {
        "member": str(w.veteran.pk), "threshold": "30", "occasion": "03/02/2021", "decision_number": "125-QĐ/ĐU",
        "decided_on": "15/01/2021", "early_ground": "", "event": ""}, ["party.BadgeAward"]),
    "party:rating_member": Form("party", lambda w: "/dang-bo/xep-loai/2025/dang-vien/", lambda w: {
        "card_number": w.member.card_number, "level": "tot", "score": "86.5",
        "note": "Hoàn thành tốt nhiệm vụ được giao."}, ["party.Rating"]),
    "party:commendation_record": Form("party", lambda w: "/dang-bo/khen-thuong/2024/ghi/", lambda w: {
        "subject": "member", "subject_id": str(w.member.pk), "form": "giay_khen", "issuer": "grassroots_committee",
        "issuer_name": "Đảng uỷ Cục Hải quan TP. Hồ Chí Minh", "decision_number": "35-QĐ/ĐU",
        "decided_on": "20/01/2025", "reason": "Hoàn thành xuất sắc nhiệm vụ năm 2024."}, ["party.Commendation"]),
    "party:contribution_add": Form("party", lambda w: f"/dang-bo/su-kien/{w.party_conference.pk}/tham-luan/",
                                   lambda w: {"organisation": str(w.party_cell.pk),
                                              "title": "Mô hình “Cà phê sáng cùng doanh nghiệp” tại Khu vực I",
                                              "presenter": "Phạm Thị Thu Hà"}, ["party.Contribution"]),
    "party:initiatives": Form("party", lambda w: "/dang-bo/mo-hinh/", lambda w: {
        "organisation": str(w.party_cell.pk), "name": "Cà phê sáng cùng doanh nghiệp",
        "description": "Lãnh đạo Chi cục gặp doanh nghiệp mỗi tháng.", "started_on": "03/03/2020",
        "status": "running", "programme": "", "recognition": "Bằng khen của Thành uỷ"}, ["party.Initiative"]),
}

# Views that read a POST but have no field a person types into (a confirming button, a
# choice from a list checked by the page, or an upload that person H's checks own).
BUTTONS = {
    "accounts:logout": "a button",
    "accounts:token_revoke": "a button",
    "accounts:login_code": "a six-digit code; the login tests and person A's throttling own it",
    "accounts:two_factor_enrol": "a six-digit code; person A's tests own it",
    "accounts:password_change": "passwords; the password policy tests own it",
    "accounts:password_reset_confirm": "passwords behind a signed link",
    "notifications:mark_all_read": "a button",
    "cases:routing": "three choices from lists",
    "cases:routing_delete": "a button",
    "cases:deadline_new": "numbers and choices",
    "cases:deadline_edit": "numbers and choices",
    "cases:rate": "the rating form behind a signed link (same fields as cases:rating)",
    "cases:assign": "a choice from a list",
    "cases:approve": "a button",
    "cases:reject": "same form as cases:escalate",
    "cases:share": "a choice from a list",
    "cases:reply": "same form as cases:message",
    "cases:accept": "a button",
    "knowledge:vote": "a button",
    "knowledge:edit": "same form as knowledge:new",
    "knowledge:withdraw": "a button",
    "knowledge:reviewed": "a button",
    "knowledge:publish_case": "same form as knowledge:new",
    "knowledge:document_edit": "same form as knowledge:document_new",
    "directives:delegates": "choices from lists",
    "directives:acknowledge": "a button",
    "dialogue:programme_edit": "same form as dialogue:programme_new",
    "dialogue:checkin": "a code scanned from a QR image",
    "dialogue:agenda": "an order of items",
    "dialogue:session_close": "a button",
    "dialogue:registration_cancel": "a button",
    "dialogue:registration_check_in": "a button",
    "dialogue:survey": "choices and a comment behind a signed link",
    "party:organisation_close": "choices and a date",
    "party:organisation_secretaries": "choices from a list",
    "party:members_import": "an XLSX upload; the import tests own it",
    "party:gap_end": "a date and a box",
    "party:rating_organisation": "choices and a note",
    "party:ratings_import": "an XLSX upload; the import tests own it",
    "party:event_present": "choices from a list",
    "party:initiative_link": "choices from lists",
    "background:year_end": "a year and a format from lists",
    "front:set_language": "a choice of language",
    "privacy:home": "a choice of enterprise and a button that asks for its data",
}


def test_it_declares_every_form():
    views = post_views()
    assert sorted(views - set(FORMS) - set(BUTTONS)) == [], "declare a valid post in FORMS (or why not, in BUTTONS)"
    assert sorted((set(FORMS) | set(BUTTONS)) - views) == [], "a declared form is no longer in the URLs"


def _encoded(data: dict) -> str:
    """The url-encoded body a browser sends; bytes go as they are (invalid UTF-8 included)."""
    parts = []
    for key, value in data.items():
        value = value if isinstance(value, bytes) else str(value).encode("utf-8", "surrogatepass")
        parts.append(f"{quote(key)}={quote_from_bytes(value)}")
    return "&".join(parts)


RAW_MARKUP = ("<script>alert(", "<img src=x onerror", "<svg/onload")


def _assert_escaped(html: str, what: str):
    for markup in RAW_MARKUP:
        assert markup not in html, f"{what}: {markup!r} shown unescaped"


@pytest.fixture
def world(db):
    world = build_world()
    world.client = Client(raise_request_exception=False)
    world.client.cookies["ketnoi_language"] = "en"
    return world


@pytest.mark.parametrize("name", sorted(FORMS))
def test_it_refuses_or_safely_shows_hostile_values_in_its_fields(world, name):
    spec = FORMS[name]
    if spec.role:
        world.client.force_login(getattr(world, spec.role))
    valid = spec.data(world)
    for key, value_name, value in spread([k for k in valid if k not in spec.fixed], CORPUS):
        url = spec.url(world)  # a new version is made of the latest one
        data = {**spec.data(world), key: value}  # the version fields read afresh after a change
        before = table_counts(spec.models, audit=spec.audited)
        r = world.client.post(url, _encoded(data), content_type="application/x-www-form-urlencoded")
        after = table_counts(spec.models, audit=spec.audited)
        what = f"{name} {key}={value_name}"
        assert r.status_code < 500, f"{what}: {r.status_code}"
        if r.status_code >= 400:
            assert before == after, f"{what}: refused with {r.status_code} but rows changed"
            if r.status_code == 400 and r["Content-Type"].startswith("text/html"):
                html = r.content.decode()
                assert 'role="alert"' in html or "errorlist" in html, f"{what}: 400 without a message"
                _assert_escaped(html, what)
            continue
        assert text_values_with_nul(spec.models) == [], f"{what}: a NUL byte was stored"
        if r.status_code in (301, 302, 303):
            page = world.client.get(r["Location"])
            assert page.status_code < 500, f"{what}: the page it leads to is {page.status_code}"
            _assert_escaped(page.content.decode(errors="replace"), what)
        else:
            _assert_escaped(r.content.decode(errors="replace"), what)
