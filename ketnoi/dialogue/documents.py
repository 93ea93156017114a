"""What the dialogue programmes hand out as files: a session's calendar entry (.ics), the
check-in QR code of a registration, and the minutes (biên bản) as DOCX and PDF."""

from email.utils import parseaddr

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ketnoi.lib import calendar_ics, officialdoc, qr

from .models import Session


def _host() -> str:
    return settings.KETNOI_BASE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "ketnoi"


def session_uid(session: Session) -> str:
    """The calendar UID of a session: the same in every .ics sent about it (confirmation, move,
    cancellation), so that the registrant's calendar updates the entry instead of adding one."""
    return f"dialogue-session-{session.pk}@{_host()}"


def session_event(session: Session) -> dict:
    """The session as the calendar module's event fields, in Vietnamese (the invitation's
    language); the organiser is the unit (its e-mail, or the platform's sender address)."""
    programme = session.programme
    with translation.override("vi"):
        summary = f"{programme.name} – {programme.unit.short_name}"
        description = "\n".join(part for part in [
            _("Session %(number)d of %(programme)s, %(unit)s.") % {
                "number": session.number, "programme": programme.name, "unit": programme.unit.name},
            programme.description,
            session.change_reason and _("Change: %(reason)s") % {"reason": session.change_reason},
        ] if part)
        organizer_name = programme.unit.name
    return dict(uid=session_uid(session), start=session.starts_at, end=session.ends_at, summary=summary,
                description=description, location=session.venue,
                url=settings.KETNOI_BASE_URL + session.get_absolute_url(), sequence=session.sequence,
                organizer_email=programme.unit.email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1],
                organizer_name=organizer_name,
                status="CANCELLED" if session.status == Session.Status.CANCELLED else "CONFIRMED")


def session_ics(session: Session, *, method: str | None = None) -> bytes:
    """The session's .ics: METHOD:CANCEL once it is cancelled, PUBLISH otherwise; the same UID
    every time and a SEQUENCE that rises with every change, so calendars replace their entry."""
    method = method or ("CANCEL" if session.status == Session.Status.CANCELLED else "PUBLISH")
    return calendar_ics.event_ics(method=method, **session_event(session))


def programme_feed(programme, sessions) -> bytes:
    """A programme's calendar feed: one entry per session (cancelled ones marked so)."""
    with translation.override("vi"):
        name = f"{programme.name} – {programme.unit.short_name}"
    return calendar_ics.calendar_ics(name=name, events=[session_event(session) for session in sessions])


def qr_png(data: str) -> bytes:
    return qr.qr_png(data)


def checkin_url(token: str) -> str:
    """The address the check-in QR code holds: an officer's phone camera opens it."""
    return settings.KETNOI_BASE_URL + reverse("dialogue:checkin_token", args=[token])


# --- the minutes (biên bản) ---------------------------------------------------------------------
#
# The minutes are an official document of the unit, issued in Vietnamese whatever language the
# person who prints them reads (as the fixed words of lib.officialdoc): their generated text is
# written here in Vietnamese, not through gettext.

PLACE = "TP. Hồ Chí Minh"  # địa danh of the department's units (Nghị định 30/2020, Phụ lục I, II.4)
KIND = "Biên bản"
KIND_CODE = "BB"


def _local(moment):
    return timezone.localtime(moment)


def _moment_vi(moment) -> str:
    """"07 giờ 30 phút, ngày 06 tháng 3 năm 2026" (the date written as in place_and_date)."""
    moment = _local(moment)
    month = f"{moment.month:02d}" if moment.month <= 2 else str(moment.month)
    return f"{moment:%H} giờ {moment:%M} phút, ngày {moment.day:02d} tháng {month} năm {moment.year}"


def _unit_vi(unit) -> str:
    return unit.name_vi


def _short_code(unit) -> str:
    """The unit's code in document numbers, e.g. HQCNC (its Vietnamese short name without
    spaces or dots), else its office code."""
    short = "".join(ch for ch in (unit.short_name_vi or "") if ch.isalnum())
    return short or unit.code or "HQ"


def suggested_number(session: Session) -> str:
    """The next minutes number of the unit this year, e.g. 03/BB-HQCNC: a proposal the leader edits."""
    from .models import Minutes

    unit = session.programme.unit
    year = _local(session.starts_at).year
    issued = Minutes.objects.filter(session__programme__unit=unit, session__starts_at__year=year).exclude(
        session=session).count()
    return minutes_number(issued + 1, unit)


def minutes_number(sequence: int, unit) -> str:
    return officialdoc.document_number(sequence, KIND_CODE, _short_code(unit))


def _record(session: Session) -> dict:
    from .models import Question
    from .selectors import agenda
    from .services import attended

    came = attended(session)
    questions = list(agenda(session))
    return {
        "came": came,
        "people": sum(len(r.attendees.all()) for r in came),
        "questions": questions,
        "answered": [q for q in questions if q.outcome == Question.Outcome.ANSWERED],
        "follow_ups": [q for q in questions if q.outcome == Question.Outcome.FOLLOW_UP],
        "pending": [q for q in questions if q.outcome == Question.Outcome.PENDING],
    }


def _person(user) -> str:
    if user is None:
        return ""
    return f"{user.get_full_name()}, {user.position}" if user.position else user.get_full_name()


def minutes_text(session: Session) -> tuple[str, str]:
    """The opening and conclusion of the draft minutes, in Vietnamese, from the session's record."""
    programme, unit = session.programme, session.programme.unit
    record = _record(session)
    chair = session.chaired_by
    opening = [
        f"Vào hồi {_moment_vi(session.starts_at)}, tại {session.venue}, {_unit_vi(unit)} tổ chức buổi "
        f"“{programme.name}” lần thứ {session.number}.",
        f"Chủ trì: {_person(chair)}." if chair else "Chủ trì: ….",
        f"Thành phần tham dự: lãnh đạo, công chức {_unit_vi(unit)}; đại diện {len(record['came'])} doanh nghiệp "
        f"với {record['people']} người (danh sách kèm theo).",
        f"Tại buổi gặp, doanh nghiệp nêu {len(record['questions'])} câu hỏi, vướng mắc: "
        f"{len(record['answered'])} câu hỏi được giải đáp trực tiếp, {len(record['follow_ups'])} câu hỏi được ghi nhận "
        f"để tiếp tục xử lý và trả lời bằng văn bản.",
    ]
    conclusion = []
    if record["follow_ups"]:
        conclusion.append(f"{_unit_vi(unit)} giao các công chức sau tiếp tục xử lý và trả lời doanh nghiệp "
                          f"đúng thời hạn:")
        for question in record["follow_ups"]:
            conclusion.append(
                f"- {question.case.reference} ({question.case.enterprise.name}): {question.follow_up_note} "
                f"– {question.follow_up_owner.get_full_name()}, hạn {question.follow_up_due:%d/%m/%Y}.")
    if record["pending"]:
        conclusion.append(f"{len(record['pending'])} câu hỏi chưa được trao đổi tại buổi gặp sẽ được "
                          f"{_unit_vi(unit)} trả lời bằng văn bản theo quy trình giải quyết vướng mắc.")
    conclusion.append(f"Buổi gặp kết thúc vào hồi {_local(session.ends_at):%H} giờ {_local(session.ends_at):%M} "
                      f"phút cùng ngày. Biên bản được gửi đến các doanh nghiệp tham dự.")
    return "\n".join(opening), "\n".join(conclusion)


def _outcome_vi(question) -> str:
    from .models import Question

    if question.outcome == Question.Outcome.ANSWERED:
        return question.answer_text
    if question.outcome == Question.Outcome.FOLLOW_UP:
        return (f"Tiếp tục xử lý: {question.follow_up_note} ({question.follow_up_owner.get_full_name()}, "
                f"hạn {question.follow_up_due:%d/%m/%Y})")
    return "Chưa trao đổi; trả lời bằng văn bản."


def minutes_document(minutes) -> officialdoc.Document:
    """The minutes as an official document (Nghị định 30/2020/NĐ-CP, Phụ lục I and III):
    the opening, the businesses that came, each question with its answer or follow-up, the
    conclusion; signed by the chair."""
    session = minutes.session
    programme, unit = session.programme, session.programme.unit
    record = _record(session)
    businesses = officialdoc.Table(
        headers=("STT", "Doanh nghiệp", "Người tham dự"),
        rows=[(str(n), f"{r.enterprise.name}\nMST {r.enterprise.tax_code}",
               "\n".join(f"{a.name}{', ' + a.position if a.position else ''}" for a in r.attendees.all()))
              for n, r in enumerate(record["came"], start=1)],
        widths=(1, 5, 5))
    questions = officialdoc.Table(
        headers=("STT", "Doanh nghiệp, câu hỏi", "Giải đáp, hướng xử lý", "Người trả lời"),
        rows=[(str(n), f"{q.case.enterprise.name}: {q.case.subject} ({q.case.reference})", _outcome_vi(q),
               q.answerer.get_full_name() if q.answerer else "")
              for n, q in enumerate(record["questions"], start=1)],
        widths=(1, 5, 6, 3))
    blocks = [officialdoc.Paragraph(minutes.opening)]
    blocks += [officialdoc.Heading("I. DOANH NGHIỆP THAM DỰ"), businesses] if record["came"] else []
    blocks += [officialdoc.Heading("II. NỘI DUNG TRAO ĐỔI"), questions] if record["questions"] else []
    blocks += [officialdoc.Heading("III. KẾT LUẬN"), officialdoc.Paragraph(minutes.conclusion)]
    day = _local(minutes.issued_at or session.starts_at).date()
    parent = unit.parent.name_vi if unit.parent_id else ""
    return officialdoc.Document(
        issuer_parent=parent, issuer=unit.name_vi, number=minutes.number, place=PLACE, date=day, kind=KIND,
        title=f"{programme.name} lần thứ {session.number}, ngày {_local(session.starts_at):%d/%m/%Y}",
        blocks=blocks, signer_position=minutes.signer_position, signer_name=minutes.signer_name,
        signer_authority="CHỦ TRÌ",
        recipients=["Lãnh đạo Cục (để báo cáo);", "Các doanh nghiệp tham dự;", f"Lưu: VT, {_short_code(unit)}."])


def minutes_docx(minutes) -> bytes:
    return officialdoc.render_docx(minutes_document(minutes))


def minutes_pdf(minutes) -> bytes:
    return officialdoc.render_pdf(minutes_document(minutes))
