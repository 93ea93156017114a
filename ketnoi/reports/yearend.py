"""The year-end review (báo cáo tổng kết năm): the department's party committee's report on
its support of businesses (cases, dialogue, service prices), the directives and its party work,
built from every unit's figures as an official document of the Party (lib.officialdoc, party
layout, Hướng dẫn 36-HD/VPTW 2018), rendered as DOCX or PDF.

The document is issued in Vietnamese whatever language the person who renders it reads (as the
fixed words of lib.officialdoc and the minutes of dialogue.documents): its sentences are written
here in Vietnamese, not through gettext, and the figures' own labels (topics, units, rating
levels) are read in Vietnamese. Only the progress labels, shown to the person who waits for
the file, are translated.

Party data is sensitive personal data: the party section is made of counts only
(party.selectors.year_figures), never a member's name.

Numbers are written the Vietnamese way: 1.234 and 95,2 %.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ketnoi.lib import commendation as commendation_rules
from ketnoi.lib import officialdoc, party_org
from ketnoi.lib import party_rating as rating_rules
from ketnoi.lib.officialdoc import Bullets, Heading, Paragraph, Table
from ketnoi.ops.replica import reading_from_primary, reading_from_replica

Progress = Callable[[int, int, str], None]

FORMATS = ("docx", "pdf")
# The platform's records start with the department's of 2015 (as the background page's year
# list, background.kinds): a review of an earlier year would be empty.
FIRST_YEAR = 2015

DEPARTMENT = "Cục Hải quan TP. Hồ Chí Minh"  # when the register holds no unit of kind department
# Cấp uỷ cấp trên trực tiếp (HD 36-HD/VPTW, mục II.2): the committee the department's party
# committee answers to; the demo puts it under a bloc committee of the city's committee.
# UNCONFIRMED: the bloc's exact name is the party office's to check.
PARENT_COMMITTEE = "Đảng bộ Khối Cơ sở Bộ Tài chính tại TP. Hồ Chí Minh"
PLACE = "TP. Hồ Chí Minh"
KIND = "Báo cáo"
KIND_CODE = "BC"
ISSUER_CODE = "ĐU"
# The number is given by the committee's office when the report is signed: left blank
# ("Số    -BC/ĐU", HD 36-HD/VPTW, mục II.3, as drafts are printed); no-break spaces, which
# neither HTML nor Word collapse.
NUMBER = "\u00a0" * 8 + f"-{KIND_CODE}/{ISSUER_CODE}"


class YearEndError(ValueError):
    """A year or format the review cannot be made for; the message says why (translated)."""


# --- numbers the Vietnamese way ------------------------------------------------------------

def number(value: int) -> str:
    """1234567 → "1.234.567"."""
    return f"{value:,}".replace(",", ".")


def decimal(value: float | None, places: int = 1) -> str:
    """2.35 → "2,4"; 1234.5 → "1.234,5"; None → "–" (nothing to measure)."""
    if value is None:
        return "–"
    text = f"{value:,.{places}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def percent(share: float | None, places: int = 1) -> str:
    """0.952 → "95,2 %"; None → "–"."""
    return "–" if share is None else f"{decimal(100 * share, places)} %"


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _day(day: date) -> str:
    return f"{day:%d/%m/%Y}"


# --- checks ------------------------------------------------------------------------------

def check_year(year, *, today: date | None = None) -> int:
    """The year as an int, or YearEndError: from FIRST_YEAR to this year (a review of the year
    under way reads its figures so far)."""
    today = today or timezone.localdate()
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise YearEndError(_("Give the year as four digits, e.g. 2020.")) from None
    if not FIRST_YEAR <= year <= today.year:
        raise YearEndError(_("The year must be between %(first)d and %(last)d.")
                           % {"first": FIRST_YEAR, "last": today.year})
    return year


def check_format(fmt) -> str:
    fmt = str(fmt or "").strip().lower()
    if fmt not in FORMATS:
        raise YearEndError(_("The format must be docx or pdf."))
    return fmt


# --- the sections ------------------------------------------------------------------------

@dataclass(frozen=True)
class _Period:
    year: int
    start: date
    end: date
    today: date


def _cases(period: _Period) -> list:
    from ketnoi.reports.selectors import case_figures

    f = case_figures(start=period.start, end=period.end)
    text = (f"Năm {period.year}, các đơn vị tiếp nhận {number(f.received)} vướng mắc, kiến nghị của doanh nghiệp; "
            f"đã trả lời {number(f.answered)} vướng mắc, trong đó {number(f.answered_on_time)} vướng mắc được trả "
            f"lời đúng hạn, đạt {percent(f.on_time_rate)}. Thời gian trả lời (trung vị) là "
            f"{decimal(f.median_answer_workdays)} ngày làm việc kể từ khi tiếp nhận. "
            f"{number(f.resolved)} vướng mắc đã được giải quyết xong trong năm.")
    rating = (f"Doanh nghiệp đã đánh giá {number(f.rated)} lượt trả lời, mức hài lòng bình quân "
              f"{decimal(f.satisfaction)}/5 điểm." if f.rated else
              "Trong năm chưa có doanh nghiệp đánh giá mức hài lòng với câu trả lời.")
    backlog = (f"Đến ngày {_day(period.today)}, còn {number(f.open)} vướng mắc đang xử lý, trong đó "
               f"{number(f.overdue)} vướng mắc đã quá hạn trả lời.")
    blocks = [Heading("1. Tiếp nhận, giải quyết vướng mắc, kiến nghị của doanh nghiệp"), Paragraph(text),
              Paragraph(rating), Paragraph(backlog)]
    if any(m.received or m.answered or m.resolved for m in f.months):
        blocks.append(Paragraph("Số liệu theo tháng:", italic=True))
        blocks.append(Table(
            ("Tháng", "Tiếp nhận", "Đã trả lời", "Trả lời đúng hạn", "Đã giải quyết"),
            [(f"{m.month:%m/%Y}", number(m.received), number(m.answered), number(m.answered_on_time),
              number(m.resolved)) for m in f.months]
            + [("Cả năm", number(f.received), number(f.answered), number(f.answered_on_time), number(f.resolved))],
            widths=(2, 2, 2, 2, 2)))
    if f.top_topics:
        blocks.append(Paragraph("Các lĩnh vực doanh nghiệp nêu nhiều vướng mắc nhất:", italic=True))
        blocks.append(Table(
            ("STT", "Lĩnh vực", "Số vướng mắc", "Tỷ lệ"),
            [(str(n), name, number(count), percent(_share(count, f.received)))
             for n, (name, count) in enumerate(f.top_topics, start=1)],
            widths=(1, 7, 3, 2)))
    if f.by_unit:
        blocks.append(Paragraph("Kết quả theo đơn vị:", italic=True))
        blocks.append(Table(
            ("Đơn vị", "Tiếp nhận", "Đã trả lời", "Đúng hạn", "Trung vị (ngày làm việc)", "Hài lòng (1–5)",
             "Quá hạn hiện nay"),
            [(u.unit_name, number(u.received), number(u.answered), percent(u.on_time_rate),
              decimal(u.median_answer_workdays), decimal(u.satisfaction), number(u.overdue)) for u in f.by_unit
             if u.received or u.answered or u.rated or u.open],
            widths=(5, 2, 2, 2, 2.4, 2, 2)))
    return blocks


def _dialogue(period: _Period) -> list:
    from ketnoi.reports.activity import dialogue_figures

    f = dialogue_figures(start=period.start, end=period.end, today=period.today)
    blocks = [Heading("2. Đối thoại, gặp gỡ doanh nghiệp")]
    if not (f.held or f.cancelled):
        return blocks + [Paragraph(f"Năm {period.year}, các đơn vị không tổ chức buổi đối thoại nào trên hệ thống.")]
    text = (f"Năm {period.year}, các đơn vị tổ chức {number(f.held)} buổi đối thoại, gặp gỡ doanh nghiệp"
            + (f" ({number(f.cancelled)} buổi phải hủy)" if f.cancelled else "")
            + f", với {number(f.businesses)} lượt doanh nghiệp ({number(f.attendees)} người) tham dự. "
            f"Doanh nghiệp nêu {number(f.questions)} câu hỏi, vướng mắc: {number(f.answered_on_spot)} câu hỏi được "
            f"giải đáp ngay tại buổi gặp ({percent(f.answered_share)}), {number(f.followed_up)} câu hỏi được ghi "
            f"nhận để tiếp tục xử lý, trong đó {number(f.follow_ups_closed)} câu hỏi đã được trả lời xong"
            + (f" và {number(f.follow_ups_overdue)} câu hỏi đã quá hạn theo dõi." if f.follow_ups_overdue else "."))
    blocks.append(Paragraph(text))
    if f.responses:
        blocks.append(Paragraph(f"Qua {number(f.responses)} phiếu khảo sát, doanh nghiệp đánh giá mức hài lòng bình "
                                f"quân {decimal(f.satisfaction)}/5 điểm."))
    if f.by_unit:
        blocks.append(Table(
            ("Đơn vị", "Số buổi", "Lượt doanh nghiệp", "Câu hỏi", "Giải đáp tại chỗ", "Tiếp tục xử lý",
             "Đã trả lời xong"),
            [(u.unit_name, number(u.held), number(u.businesses), number(u.questions), number(u.answered_on_spot),
              number(u.followed_up), number(u.follow_ups_closed)) for u in f.by_unit],
            widths=(5, 1.6, 2.2, 1.8, 2, 2, 2)))
    return blocks


def _prices(period: _Period) -> list:
    from ketnoi.reports.activity import price_figures

    f = price_figures(start=period.start, end=period.end)
    blocks = [Heading("3. Vận động doanh nghiệp kinh doanh kho, bãi, cảng không tăng giá dịch vụ")]
    if not f.in_force:
        return blocks + [Paragraph(f"Năm {period.year}, không có cam kết giữ giá dịch vụ nào có hiệu lực.")]
    text = (f"Năm {period.year}, {number(f.in_force)} cam kết không tăng giá dịch vụ của {number(f.operators)} "
            f"doanh nghiệp kinh doanh kho, bãi, cảng với {number(f.facilities)} cơ sở có hiệu lực; "
            f"{number(f.kept)} cam kết được thực hiện đúng ({percent(f.kept_share)}), {number(f.broken)} cam kết "
            f"bị phát hiện tăng giá trong năm"
            + (f"; {number(f.broken_before)} cam kết đã vi phạm từ trước năm {period.year}." if f.broken_before
               else "."))
    blocks.append(Paragraph(text))
    if f.breaches:
        blocks.append(Paragraph("Các trường hợp tăng giá được phát hiện và xử lý:", italic=True))
        blocks.append(Table(
            ("Ngày phát hiện", "Doanh nghiệp", "Cơ sở", "Số dịch vụ tăng giá", "Xử lý"),
            [(_day(b.found_on), b.operator, b.facilities, number(b.services_raised), b.follow_up)
             for b in f.breaches],
            widths=(2.2, 4, 4, 2, 3)))
    return blocks


def _directives(period: _Period) -> list:
    from ketnoi.reports.activity import directive_figures

    f = directive_figures(start=period.start, end=period.end)
    blocks = [Heading("II. LÃNH ĐẠO TRIỂN KHAI CÁC VĂN BẢN CHỈ ĐẠO")]
    if not f.issued:
        return blocks + [Paragraph(f"Năm {period.year}, không có văn bản chỉ đạo nào được ban hành trên hệ thống.")]
    text = (f"Năm {period.year}, Cục ban hành {number(f.issued)} văn bản chỉ đạo, gửi {number(f.recipients)} lượt "
            f"đơn vị. Các đơn vị đã xác nhận tiếp nhận {number(f.acknowledged)} lượt "
            f"({percent(f.acknowledged_share)}), trong đó {number(f.acknowledged_on_time)} lượt đúng hạn "
            f"({percent(f.on_time_share)})"
            + (f"; {number(f.acknowledgement_overdue)} lượt đã quá hạn mà chưa xác nhận." if f.acknowledgement_overdue
               else "."))
    blocks.append(Paragraph(text))
    if f.reports_due:
        blocks.append(Paragraph(
            f"Các văn bản yêu cầu {number(f.reports_due)} báo cáo kết quả thực hiện; các đơn vị đã gửi "
            f"{number(f.reports_received)} báo cáo, trong đó {number(f.reports_on_time)} báo cáo đúng hạn"
            + (f", còn {number(f.reports_overdue)} báo cáo quá hạn." if f.reports_overdue else ".")))
    if f.by_unit:
        blocks.append(Table(
            ("Đơn vị", "Văn bản nhận", "Đã xác nhận", "Đúng hạn", "Báo cáo yêu cầu", "Báo cáo đã gửi"),
            [(u.unit_name, number(u.recipients), number(u.acknowledged), number(u.acknowledged_on_time),
              number(u.reports_due), number(u.reports_received)) for u in f.by_unit],
            widths=(5, 2, 2, 2, 2, 2)))
    return blocks


def _level_rows(counts: dict[str, int], codes: list[str]) -> list[tuple[str, str, str]]:
    total = sum(counts.values())
    return [(rating_rules.label(code, "vi"), number(counts[code]), percent(_share(counts[code], total)))
            for code in codes if counts.get(code)] + [("Tổng số", number(total), percent(1.0 if total else None))]


def _ordered_codes(counts: dict[str, int], *, organisations: bool) -> list[str]:
    """Best to worst: the distinction first (organisations), the four levels, then any other
    (legacy) label as it was given."""
    first = [rating_rules.OrgDistinction.XUAT_SAC_TIEU_BIEU] if organisations else []
    order = [*first, *rating_rules.LEVELS]
    return [str(c) for c in order] + sorted(c for c in counts if c not in order)


def _party(period: _Period) -> list:
    from ketnoi.party.awards import initiative_figures
    from ketnoi.party.models import Initiative
    from ketnoi.party.selectors import year_figures

    f = year_figures(year=period.year)
    end = _day(period.end)
    kinds = f.organisations_by_kind
    blocks = [Heading("III. CÔNG TÁC XÂY DỰNG ĐẢNG"), Heading("1. Tổ chức đảng")]
    blocks.append(Paragraph(
        f"Đến ngày {end}, Đảng bộ có {number(f.grassroots)} tổ chức cơ sở đảng "
        f"({number(kinds.get(party_org.Kind.GRASSROOTS_COMMITTEE, 0))} đảng bộ cơ sở, "
        f"{number(kinds.get(party_org.Kind.GRASSROOTS_CELL, 0))} chi bộ cơ sở) và "
        f"{number(kinds.get(party_org.Kind.CELL, 0))} chi bộ trực thuộc đảng bộ cơ sở."))
    blocks.append(Table(("Loại tổ chức đảng", "Số lượng"),
                        [(party_org.KIND_LABELS[kind]["vi"], number(kinds[kind]))
                         for kind in party_org.Kind if kinds.get(kind)],
                        widths=(6, 2)))

    probationary = f.members_end - f.full_members_end
    changes = [f"kết nạp {number(f.admitted)} đảng viên mới"]
    changes += [f"chuyển sinh hoạt đảng ra ngoài Đảng bộ {number(f.transferred_out)} đảng viên"]
    changes += [f"{number(f.deceased)} đảng viên từ trần"]
    if f.removed:
        changes += [f"{number(f.removed)} đảng viên bị khai trừ, xóa tên"]
    blocks += [Heading("2. Đảng viên"), Paragraph(
        f"Đầu năm {period.year}, Đảng bộ có {number(f.members_start)} đảng viên. Trong năm, "
        + ", ".join(changes) + (f"; {number(f.moved_within)} lượt đảng viên chuyển sinh hoạt giữa các tổ chức đảng "
                                f"trong Đảng bộ" if f.moved_within else "")
        + f". Đến ngày {end}, Đảng bộ có {number(f.members_end)} đảng viên ({number(f.full_members_end)} đảng viên "
        f"chính thức, {number(probationary)} đảng viên dự bị).")]
    blocks.append(Table(("Đảng viên", "Số lượng"), [
        (f"Đầu năm {period.year}", number(f.members_start)),
        ("Kết nạp trong năm", number(f.admitted)),
        ("Chuyển sinh hoạt ra ngoài Đảng bộ", number(f.transferred_out)),
        ("Từ trần", number(f.deceased)),
        ("Khai trừ, xóa tên", number(f.removed)),
        (f"Cuối năm ({end})", number(f.members_end)),
    ], widths=(6, 2)))

    blocks.append(Heading(f"3. Đánh giá, xếp loại chất lượng năm {period.year}"))
    members_rated = sum(f.member_ratings.values())
    organisations_rated = sum(f.organisation_ratings.values())
    if members_rated:
        excellent = sum(n for code, n in f.member_ratings.items()
                        if rating_rules.current_level(code) is rating_rules.Level.XUAT_SAC)
        blocks.append(Paragraph(
            f"Đánh giá, xếp loại {number(members_rated)} đảng viên: {number(excellent)} đảng viên hoàn thành xuất "
            f"sắc nhiệm vụ ({percent(_share(excellent, members_rated))})."))
        blocks.append(Table(("Mức xếp loại đảng viên", "Số lượng", "Tỷ lệ"),
                            _level_rows(f.member_ratings, _ordered_codes(f.member_ratings, organisations=False)),
                            widths=(6, 2, 2)))
    if organisations_rated:
        blocks.append(Paragraph(f"Đánh giá, xếp loại {number(organisations_rated)} tổ chức đảng:"))
        blocks.append(Table(("Mức xếp loại tổ chức đảng", "Số lượng", "Tỷ lệ"),
                            _level_rows(f.organisation_ratings,
                                        _ordered_codes(f.organisation_ratings, organisations=True)),
                            widths=(6, 2, 2)))
    if not (members_rated or organisations_rated):
        blocks.append(Paragraph(f"Chưa có kết quả đánh giá, xếp loại chất lượng năm {period.year} trên hệ thống."))

    blocks.append(Heading("4. Khen thưởng"))
    commended = sum(c.count for c in f.commendations)
    if commended:
        members = sum(c.count for c in f.commendations if c.subject == "member")
        blocks.append(Paragraph(
            f"Khen thưởng thành tích năm {period.year}: {number(commended)} lượt, gồm {number(members)} lượt đảng "
            f"viên và {number(commended - members)} lượt tổ chức đảng."))
        blocks.append(Table(("Đối tượng", "Hình thức", "Cấp khen", "Thành tích", "Số lượng"), [
            ("Đảng viên" if c.subject == "member" else "Tổ chức đảng",
             commendation_rules.FORM_LABELS[commendation_rules.Form(c.form)]["vi"],
             commendation_rules.ISSUER_LABELS[commendation_rules.Issuer(c.issuer)]["vi"],
             "5 năm liền" if c.five_years else f"Năm {period.year}", number(c.count)) for c in f.commendations],
            widths=(2.5, 2.5, 5, 2, 1.8)))
    else:
        blocks.append(Paragraph(f"Chưa có quyết định khen thưởng thành tích năm {period.year} trên hệ thống."))

    blocks.append(Heading("5. Trao Huy hiệu Đảng"))
    badges = sum(f.badges.values())
    if badges:
        blocks.append(Paragraph(
            f"Nhân các dịp kỷ niệm trong năm {period.year}, {number(badges)} đảng viên được trao tặng Huy hiệu Đảng."))
        blocks.append(Table(("Huy hiệu", "Số lượng"),
                            [(f"Huy hiệu {threshold} năm tuổi Đảng", number(f.badges[threshold]))
                             for threshold in sorted(f.badges, reverse=True)],
                            widths=(6, 2)))
    else:
        blocks.append(Paragraph(f"Trong năm {period.year}, không có đảng viên được trao Huy hiệu Đảng."))

    initiatives = list(Initiative.objects.filter(started_on__lte=period.end).exclude(
        status=Initiative.Status.ENDED).select_related("organisation").order_by("started_on", "name"))
    blocks.append(Heading("6. Mô hình sáng tạo"))
    if initiatives:
        rows = []
        for initiative in initiatives:
            live = initiative_figures(initiative)
            parts = []
            if initiative.programme_id:
                parts.append(f"{number(live.sessions_held)} buổi đối thoại, {number(live.businesses_attending)} doanh "
                             f"nghiệp tham dự, {number(live.questions)} câu hỏi")
            if live.commitments_kept or live.commitments_broken:
                parts.append(f"{number(live.commitments_kept)} cam kết giữ giá thực hiện đúng, "
                             f"{number(live.commitments_broken)} cam kết vi phạm")
            rows.append((initiative.name, initiative.organisation.name, "; ".join(parts) or "–"))
        blocks.append(Paragraph(f"Các tổ chức đảng duy trì {number(len(initiatives))} mô hình sáng tạo gắn với nhiệm "
                                f"vụ chính trị của đơn vị; kết quả (số liệu trên hệ thống):"))
        blocks.append(Table(("Mô hình", "Tổ chức đảng", "Kết quả"), rows, widths=(5, 4, 5)))
    else:
        blocks.append(Paragraph("Chưa có mô hình sáng tạo nào được đăng ký trên hệ thống."))
    return blocks


def _tasks(period: _Period) -> list:
    following = period.year + 1
    return [
        Heading(f"IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {following}"),
        Bullets([
            "Tiếp tục lãnh đạo thực hiện tốt nhiệm vụ chính trị, cải cách, hiện đại hóa hải quan; giải quyết vướng "
            "mắc của doanh nghiệp đúng hạn, giảm số vướng mắc quá hạn, nâng cao mức hài lòng của doanh nghiệp.",
            "Duy trì và nhân rộng các mô hình đối thoại, đồng hành cùng doanh nghiệp; theo dõi đến cùng các vướng mắc "
            "được ghi nhận tại các buổi gặp.",
            "Tiếp tục vận động doanh nghiệp kinh doanh kho, bãi, cảng giữ ổn định giá dịch vụ; kịp thời phát hiện, "
            "xử lý các trường hợp tăng giá.",
            "Triển khai kịp thời, nghiêm túc các văn bản chỉ đạo của cấp trên; xác nhận và báo cáo kết quả thực hiện "
            "đúng hạn.",
            "Nâng cao chất lượng sinh hoạt chi bộ, công tác phát triển đảng viên; thực hiện tốt việc đánh giá, xếp "
            "loại chất lượng, khen thưởng và trao Huy hiệu Đảng kịp thời, đúng quy định.",
        ]),
    ]


# The sections in the order of the document: (progress label, builder). Labels are marked for
# translation here and translated when shown.
SECTIONS: tuple[tuple[str, Callable[[_Period], list]], ...] = (
    (gettext_noop("Cases"), _cases),
    (gettext_noop("Dialogue with businesses"), _dialogue),
    (gettext_noop("Service prices"), _prices),
    (gettext_noop("Directives"), _directives),
    (gettext_noop("Party work"), _party),
    (gettext_noop("Tasks for next year"), _tasks),
)
RENDER_LABEL = gettext_noop("Writing the file")


def _department_name() -> str:
    from ketnoi.org.models import Unit

    unit = Unit.objects.filter(kind=Unit.Kind.DEPARTMENT, parent__isnull=True).order_by("pk").first()
    return unit.name_vi if unit is not None else DEPARTMENT


@reading_from_replica()
def year_end_document(*, year: int, progress: Progress | None = None, on: date | None = None,
                      signer_name: str = "", _total: int | None = None) -> officialdoc.Document:
    """The year-end review of ``year`` as an official document of the party committee, its
    figures read today (``on``): ``progress(done, total, label)`` is called as each section is
    built. YearEndError for a year it cannot be made for."""
    today = on or timezone.localdate()
    year = check_year(year, today=today)
    if progress is not None:
        # The figures are read from the replica (when there is one); the job's progress is written
        # to the primary without sending the reads that follow there.
        progress = reading_from_primary()(progress)
    period = _Period(year=year, start=date(year, 1, 1), end=min(date(year, 12, 31), today), today=today)
    total = _total or len(SECTIONS)
    department = _department_name()
    blocks: list = [Paragraph(
        f"Thực hiện chương trình công tác năm {year}, Đảng ủy {department} báo cáo kết quả lãnh đạo công tác hỗ trợ "
        f"doanh nghiệp, triển khai các văn bản chỉ đạo và công tác xây dựng Đảng của Đảng bộ {department} năm "
        f"{year} như sau:"),
        Paragraph(f"(Số liệu tổng hợp từ hệ thống Kết nối Hải quan – Doanh nghiệp ngày {_day(today)}, từ ngày "
                  f"{_day(period.start)} đến ngày {_day(period.end)}; số vướng mắc đang xử lý và quá hạn tính đến "
                  f"ngày tổng hợp.)", italic=True),
        Heading("I. CÔNG TÁC HỖ TRỢ, ĐỒNG HÀNH CÙNG DOANH NGHIỆP")]
    for done, (label, build) in enumerate(SECTIONS, start=1):
        # The figures' own labels (topics, units, the breach follow-ups) are read in Vietnamese;
        # the progress label in the language of whoever waits for the file.
        with translation.override("vi"):
            blocks += build(period)
        if progress is not None:
            progress(done, total, _(label))
    return officialdoc.Document(
        issuer_parent=PARENT_COMMITTEE, issuer=f"Đảng ủy {department}", number=NUMBER, place=PLACE, date=today,
        kind=KIND, title=f"Tổng kết công tác năm {year}", blocks=blocks, signer_position="Bí thư",
        signer_name=signer_name, signer_authority="T/M Đảng ủy", layout="party",
        recipients=[f"{PARENT_COMMITTEE} (để báo cáo),", "Các đồng chí Đảng ủy viên,",
                    "Các tổ chức cơ sở đảng trực thuộc,", "Lưu Văn phòng Đảng ủy."])


def year_end_render(*, year: int, fmt: str, progress: Progress | None = None, on: date | None = None,
                    signer_name: str = "") -> bytes:
    """The review as a DOCX or PDF file. Progress counts the sections and then the writing of
    the file, so the last call is (total, total) once the bytes are ready."""
    fmt = check_format(fmt)
    total = len(SECTIONS) + 1
    document = year_end_document(year=year, progress=progress, on=on, signer_name=signer_name, _total=total)
    data = officialdoc.render_docx(document) if fmt == "docx" else officialdoc.render_pdf(document)
    if progress is not None:
        progress(total, total, _(RENDER_LABEL))
    return data


def year_end_filename(*, year: int, fmt: str) -> str:
    """bao-cao-tong-ket-nam-2020.pdf"""
    return f"bao-cao-tong-ket-nam-{int(year)}.{check_format(fmt)}"
