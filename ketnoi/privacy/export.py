"""A business downloads all its own data (Decree 13/2023/NĐ-CP: the data subject's right to
obtain its data): one ZIP with its enterprise record and users, its cases with their public
timelines, the answers sent, ratings and attachments (the files), its dialogue registrations
and questions, and its price lists when it operates warehouses, yards or ports. Each kind is in
``data.json`` and in a CSV of its own (UTF-8 with a BOM, so Excel reads the Vietnamese); a
README.txt in Vietnamese and English says what is where.

Only what the business may see is written: no password hash, no internal note, no internal
attachment, no draft or rejected answer, no name of the officer who handled a case (the
timeline says "customs" as the case page does).

Built by the background worker (kind ``privacy.enterprise_export``), with its progress on the
job page: a large enterprise has thousands of cases and their files.
"""

import csv
import io
import json
import zipfile
from collections.abc import Callable
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ketnoi.accounts.access import Principal, principal_for
from ketnoi.accounts.models import Enterprise, Role

EXPORT = "privacy.enterprise_export"
CASE_BATCH = 200

README = """Dữ liệu của doanh nghiệp {name} (mã số thuế {tax_code})
Tải về từ ketnoi ngày {day}.

Tệp này chứa toàn bộ dữ liệu của doanh nghiệp mà doanh nghiệp được xem trên ketnoi:
- enterprise.csv: thông tin doanh nghiệp;
- users.csv: tài khoản của doanh nghiệp (không có mật khẩu);
- cases.csv: các vướng mắc đã gửi, trạng thái, thời hạn, đánh giá;
- case_events.csv: diễn biến của từng vướng mắc (không có ghi chú nội bộ của cơ quan hải quan);
- answers.csv: các câu trả lời đã gửi cho doanh nghiệp;
- attachments.csv và thư mục attachments/: các tệp đính kèm;
- dialogue_registrations.csv, dialogue_questions.csv: đăng ký và câu hỏi tại các buổi
  "Cà phê sáng cùng doanh nghiệp";
- price_lists.csv: bảng giá dịch vụ kho, bãi, cảng (nếu doanh nghiệp là đơn vị kinh doanh);
- data.json: tất cả các nội dung trên ở dạng JSON.
Thời gian ghi theo giờ Việt Nam (Asia/Ho_Chi_Minh). Căn cứ: Nghị định 13/2023/NĐ-CP về bảo vệ
dữ liệu cá nhân.

Data of the enterprise {name} (tax code {tax_code})
Downloaded from ketnoi on {day}.

This file holds all the enterprise's data that it may see in ketnoi:
- enterprise.csv: the enterprise's record;
- users.csv: its user accounts (no passwords);
- cases.csv: the difficulties it raised, their status, deadlines and ratings;
- case_events.csv: each case's timeline (customs' internal notes are not included);
- answers.csv: the answers sent to the enterprise;
- attachments.csv and the attachments/ folder: the attached files;
- dialogue_registrations.csv, dialogue_questions.csv: registrations and questions for the
  "morning coffee with businesses" sessions;
- price_lists.csv: warehouse, yard and port service prices (when the enterprise is an operator);
- data.json: all of the above as JSON.
Times are Vietnam's (Asia/Ho_Chi_Minh). Legal basis: Decree 13/2023/ND-CP on personal data
protection.
"""

Progress = Callable[[int, int, str], None]


def may_export(p: Principal, enterprise_id: int) -> bool:
    """The enterprise's own users (business or operator), and no one else: not staff, not
    administrators (they have the admin site; this is the business's copy of its own data)."""
    return enterprise_id in p.enterprises(Role.BUSINESS, Role.OPERATOR)


def exportable_enterprises(p: Principal) -> list[Enterprise]:
    return list(Enterprise.objects.filter(pk__in=p.enterprises(Role.BUSINESS, Role.OPERATOR)).order_by("name"))


def _value(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _row(**fields) -> dict:
    return {key: _value(value) for key, value in fields.items()}


def _csv(rows: list[dict], columns: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value
                         for key, value in row.items()})
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _safe_name(name: str) -> str:
    kept = "".join(c if c.isalnum() or c in "-_. " else "_" for c in name).strip(" .")
    return kept[:120] or "file"


def build(*, enterprise: Enterprise, progress: Progress | None = None) -> bytes:
    """The ZIP of ``enterprise``'s data (who may ask is checked by the caller: ``request``)."""
    from ketnoi.cases.models import Answer, Attachment, Case, CaseEvent
    from ketnoi.dialogue.models import Question, Registration
    from ketnoi.prices.models import PriceList

    progress = progress or (lambda done, total, label: None)
    cases = Case.objects.filter(enterprise=enterprise).select_related("topic", "unit", "named_unit", "filed_by")
    total = cases.count() + 3
    done = 0
    progress(done, total, _("Reading the enterprise and its users"))
    users = list(enterprise.role_assignments.select_related("user").order_by("user__username"))
    user_ids = {ra.user_id for ra in users}
    data: dict[str, list[dict]] = {
        "enterprise": [_row(tax_code=enterprise.tax_code, name=enterprise.name, short_name=enterprise.short_name,
                            address=enterprise.address, email=enterprise.email, phone=enterprise.phone,
                            priority=enterprise.is_priority,
                            usual_customs_unit=str(enterprise.home_unit) if enterprise.home_unit_id else "",
                            created_at=enterprise.created_at)],
        "users": [_row(username=ra.user.username, full_name=ra.user.full_name, email=ra.user.email, role=ra.role,
                       active=ra.user.is_active, joined=ra.user.date_joined, last_login=ra.user.last_login)
                  for ra in users],
        "cases": [], "case_events": [], "answers": [], "attachments": [],
        "dialogue_registrations": [], "dialogue_questions": [], "price_lists": [],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        last_id = 0
        while True:
            batch = list(cases.filter(pk__gt=last_id).order_by("pk")[:CASE_BATCH])
            if not batch:
                break
            last_id = batch[-1].pk
            ids = [case.pk for case in batch]
            reference = {case.pk: case.reference for case in batch}
            for case in batch:
                data["cases"].append(_row(
                    reference=case.reference, subject=case.subject, description=case.description,
                    topic=str(case.topic), channel=case.channel,
                    declaration_numbers=case.declaration_numbers, hs_codes=case.hs_codes,
                    unit_named=str(case.named_unit) if case.named_unit_id else "",
                    handling_unit=str(case.unit) if case.unit_id else "", status=case.status,
                    filed_by=case.filed_by.username, received_at=case.received_at,
                    acknowledge_due_at=case.acknowledge_due_at, acknowledged_at=case.acknowledged_at,
                    due_at=case.due_at, answered_at=case.answered_at, resolved_at=case.resolved_at,
                    forwarded_to=case.forwarded_to, rating=case.rating, rating_comment=case.rating_comment,
                    rated_at=case.rated_at))
            # Public events only: internal notes, routing and officers' drafts stay with customs.
            for event in CaseEvent.objects.filter(case_id__in=ids, public=True).order_by("case_id", "at", "id"):
                data["case_events"].append(_row(
                    case=reference[event.case_id], at=event.at, kind=event.kind,
                    label=str(CaseEvent.Kind(event.kind).label) if event.kind in CaseEvent.Kind.values else event.kind,
                    by=("business" if event.actor_id in user_ids else "customs") if event.actor_id else "ketnoi",
                    text=event.body))
            for answer in Answer.objects.filter(case_id__in=ids, state=Answer.State.SENT).order_by("case_id", "id"):
                data["answers"].append(_row(case=reference[answer.case_id], sent_at=answer.updated_at,
                                            answer=answer.body))
            for attachment in Attachment.objects.filter(case_id__in=ids, public=True).order_by("case_id", "id"):
                path = f"attachments/{reference[attachment.case_id]}/{attachment.pk}-{_safe_name(attachment.original_name)}"
                try:
                    with attachment.file.open("rb") as handle:
                        archive.writestr(path, handle.read())
                except (FileNotFoundError, OSError, ValueError):
                    path = ""  # a file lost from the disk: listed, with no path
                data["attachments"].append(_row(
                    case=reference[attachment.case_id], file_name=attachment.original_name,
                    content_type=attachment.content_type, size=attachment.size, sha256=attachment.sha256,
                    uploaded_at=attachment.created_at,
                    uploaded_by="business" if attachment.uploaded_by_id in user_ids else "customs", path=path))
            done += len(batch)
            progress(done, total, _("Cases: %(done)d of %(total)d") % {"done": done, "total": total - 3})

        progress(done, total, _("Dialogue sessions"))
        registrations = (Registration.objects.filter(enterprise=enterprise)
                         .select_related("session__programme__unit").prefetch_related("attendees").order_by("id"))
        for registration in registrations:
            session = registration.session
            data["dialogue_registrations"].append(_row(
                programme=session.programme.name, unit=str(session.programme.unit), session_starts=session.starts_at,
                status=registration.status, registered_at=registration.created_at,
                cancelled_at=registration.cancelled_at, checked_in_at=registration.checked_in_at,
                attendees=[{"name": a.name, "position": a.position} for a in registration.attendees.all()]))
        for question in (Question.objects.filter(case__enterprise=enterprise).select_related("case", "session")
                         .order_by("id")):
            data["dialogue_questions"].append(_row(
                case=question.case.reference, session_starts=question.session.starts_at, outcome=question.outcome,
                answer_given=question.answer_text,
                follow_up_due=question.follow_up_due))
        done += 1

        progress(done, total, _("Price lists"))
        for price_list in (PriceList.objects.filter(facility__operator=enterprise).select_related("facility")
                           .prefetch_related("prices__service").order_by("facility_id", "version")):
            data["price_lists"].append(_row(
                facility=str(price_list.facility), version=price_list.version,
                effective_from=price_list.effective_from, source=price_list.source, note=price_list.note,
                filed_at=price_list.filed_at,
                prices=[{"service": str(price.service), "amount_vnd": price.amount} for price in price_list.prices.all()]))
        done += 1

        progress(done, total, _("Writing the file"))
        for kind, rows in data.items():
            columns = list(rows[0]) if rows else COLUMNS[kind]
            archive.writestr(f"{kind}.csv", _csv(rows, columns))
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=1))
        archive.writestr("README.txt", README.format(name=enterprise.name, tax_code=enterprise.tax_code,
                                                     day=f"{timezone.localdate():%d/%m/%Y}"))
    progress(total, total, _("Done"))
    return buffer.getvalue()


# The header of an empty CSV (a kind with no row yet).
COLUMNS = {
    "enterprise": ["tax_code", "name"], "users": ["username", "full_name", "email", "role"],
    "cases": ["reference", "subject", "status", "received_at"], "case_events": ["case", "at", "kind", "text"],
    "answers": ["case", "sent_at", "answer"], "attachments": ["case", "file_name", "path"],
    "dialogue_registrations": ["programme", "session_starts", "status"],
    "dialogue_questions": ["case", "session_starts", "outcome"], "price_lists": ["facility", "version", "prices"],
}


def filename(enterprise: Enterprise) -> str:
    return f"du-lieu-{enterprise.tax_code}-{timezone.localdate():%Y%m%d}.zip"


# --- the background job ----------------------------------------------------------------------

def _clean(params: dict) -> dict:
    try:
        enterprise, by = int(params.get("enterprise")), int(params.get("by"))
    except (TypeError, ValueError):
        raise ValidationError({"enterprise": _("Choose your enterprise.")}) from None
    return {"enterprise": enterprise, "by": by}


def _run(params: dict, progress):
    from ketnoi.accounts.models import User
    from ketnoi.background.kinds import Output

    # Checked again when the work is done: someone removed from the enterprise meanwhile gets nothing.
    user = User.objects.filter(pk=params["by"]).first()
    if user is None or not may_export(principal_for(user), params["enterprise"]):
        raise PermissionDenied
    enterprise = Enterprise.objects.get(pk=params["enterprise"])
    return Output(content=build(enterprise=enterprise, progress=progress), filename=filename(enterprise),
                  content_type="application/zip")


def _may_request(p: Principal) -> bool:
    return bool(p.enterprises(Role.BUSINESS, Role.OPERATOR))


def request(*, enterprise_id: int, by, language: str | None = None):
    """Queue the export of ``enterprise_id``'s data for ``by``, one of its users; the Job."""
    from ketnoi.background.services import job_request

    if not may_export(principal_for(by), enterprise_id):
        raise PermissionDenied
    return job_request(kind=EXPORT, params={"enterprise": enterprise_id, "by": by.pk}, by=by, language=language)


def register_kind() -> None:
    from ketnoi.background.kinds import Kind, register

    register(Kind(name=EXPORT, label=gettext_lazy("All our enterprise's data (ZIP)"), run=_run, clean=_clean,
                  may_request=_may_request))
