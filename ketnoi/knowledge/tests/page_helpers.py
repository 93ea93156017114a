"""What the Q&A page tests share: the small department of the cases page tests (people of every
role reading in English), resolved cases to publish, and documents of the registry."""

from datetime import date

from ketnoi.cases import services as cases
from ketnoi.cases.models import Case, Status
from ketnoi.cases.tests.page_helpers import World, page_text, world
from ketnoi.knowledge import services
from ketnoi.knowledge.models import DocumentStatus, LegalDocument

__all__ = ["World", "page_text", "world", "resolved_case", "make_document", "who", "sign_in", "ROLES",
           "STAFF_ONLY_REFUSED"]

# Every role a page is tested for (the attribute of World; None: an anonymous visitor).
ROLES = [None, "business", "officer", "leader", "coordinator"]
# Signed-in users a coordinators' page refuses with 403.
STAFF_ONLY_REFUSED = ["business", "officer", "leader", "operator"]

SUBJECT = "Hoàn thuế nhập khẩu nguyên liệu sản xuất hàng xuất khẩu"
DESCRIPTION = ("Công ty TNHH Ánh Dương (mã số thuế {tax_code}) nhập khẩu nguyên liệu theo tờ khai 104512345670, "
               "đã sản xuất và xuất khẩu sản phẩm. Xin hỏi hồ sơ hoàn thuế gồm những gì? "
               "Liên hệ chị Nguyễn Thị Lan, điện thoại 0903 123 456.")
ANSWER = ("Căn cứ Điều 36 Nghị định 134/2016/NĐ-CP, Công ty TNHH Ánh Dương nộp hồ sơ hoàn thuế gồm công văn "
          "đề nghị hoàn thuế, hợp đồng xuất khẩu và báo cáo tính thuế nguyên liệu.\n\n"
          "Hồ sơ nộp tại Chi cục Hải quan nơi đăng ký tờ khai theo Thông tư 38/2015/TT-BTC.")


def resolved_case(w: World, *, subject: str = SUBJECT, description: str = "", answer: str = ANSWER) -> Case:
    """A tax case of the world's enterprise, answered by its officer (approved by the leader) and
    accepted by the business."""
    case = w.case(subject=subject, description=description or DESCRIPTION.format(tax_code=w.enterprise.tax_code),
                  topic="thue")
    cases.case_assign(case=case, assignee=w.officer, by=w.officer)
    case = cases.case_answer(case=case, body=answer, by=w.officer)
    if case.status == Status.PENDING_APPROVAL:  # tax answers need the leader's approval
        cases.answer_decide(case=case, approve=True, by=w.leader)
    cases.case_accept(case=Case.objects.get(pk=case.pk), by=w.business)
    return Case.objects.get(pk=case.pk)


def make_document(by, *, number: str, kind: str = "thong-tu", title: str = "", issuer: str = "Bộ Tài chính",
                  issued_on: date | None = date(2015, 3, 25), status: str = DocumentStatus.IN_FORCE,
                  replaced_by: LegalDocument | None = None) -> LegalDocument:
    existing = LegalDocument.objects.filter(number=number).first()
    return services.legal_document_save(
        document=existing, kind=kind, number=number, title=title or f"Văn bản {number}", issuer=issuer,
        issued_on=issued_on, status=status, replaced_by=replaced_by, by=by)


def who(w: World, role):
    return None if role is None else getattr(w, role)


def sign_in(client, w: World, role):
    """Sign `role` in (anonymous: English by cookie, as the world's users read English)."""
    client.cookies["ketnoi_language"] = "en"
    user = who(w, role)
    if user is not None:
        client.force_login(user)
    return user

