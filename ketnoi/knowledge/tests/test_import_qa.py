"""`ketnoi import-qa FILE`: Q&A articles from .jsonl or .xlsx, every row checked by the services,
all or nothing unless --skip-invalid, with a report of the rejected rows."""

import csv
import json
import sys
from datetime import date, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command, get_commands
from django.utils import translation
from openpyxl import Workbook

from ketnoi.__main__ import main
from ketnoi.accounts.models import Role
from ketnoi.knowledge.models import Article, ArticleStatus, Citation, LegalDocument
from ketnoi.testing import make_user

pytestmark = pytest.mark.django_db

ROWS = [
    {"key": "thue-001", "topic": "thue", "question": "Hàng nhập khẩu phải tái xuất thì có được hoàn thuế nhập khẩu không?",
     "answer": "Căn cứ Điều 34 Nghị định 134/2016/NĐ-CP, hàng nhập khẩu phải tái xuất được hoàn thuế nhập khẩu.",
     "legal_references": ["Luật 107/2016/QH13"]},
    {"key": "thu-tuc-001", "topic": "thu-tuc", "question": "Hủy tờ khai nhập khẩu khi hàng không về thì làm thế nào?",
     "answer": "Căn cứ Điều 22 Thông tư 38/2015/TT-BTC, Công ty gửi văn bản đề nghị hủy tờ khai.",
     "cites": ["Thông tư 38/2015/TT-BTC", "Thông tư 39/2018/TT-BTC"], "valid_from": "2018-06-05"},
    {"key": "xuat-xu-001", "topic": "xuat-xu", "question": "C/O mẫu D cấp sau có được chấp nhận không?",
     "answer": "C/O cấp sau được chấp nhận theo Thông tư 38/2018/TT-BTC.", "legal_references": []},
]


@pytest.fixture
def coordinator():
    return make_user(Role.COORDINATOR, username="dieuphoi")


def write_jsonl(path, rows) -> str:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                    encoding="utf-8")
    return str(path)


def write_xlsx(path, header, rows) -> str:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return str(path)


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    # Messages in English, so that assertions on their text do not depend on the translation.
    with translation.override("en"):
        call_command("import_qa", *args, "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args) -> tuple[str, str]:
    err = StringIO()
    with translation.override("en"), pytest.raises(CommandError) as raised:
        call_command("import_qa", *args, "--no-progress", stdout=StringIO(), stderr=err)
    return str(raised.value), err.getvalue()


def assert_nothing_written():
    assert not Article.objects.exists() and not Citation.objects.exists() and not LegalDocument.objects.exists()


# --- .jsonl ----------------------------------------------------------------------------------

def test_it_imports_a_jsonl_file_and_publishes_the_articles(coordinator, tmp_path):
    out, err = run(write_jsonl(tmp_path / "qa.jsonl", ROWS))
    assert "Imported 3 articles (published), 0 already in the Q&A, 0 rows rejected" in out and err == ""
    refund = Article.objects.get(topic__code="thue")
    assert refund.status == ArticleStatus.PUBLISHED and refund.published_by == coordinator
    assert sorted(refund.documents.values_list("number", flat=True)) == ["107/2016/QH13", "134/2016/NĐ-CP"]
    procedure = Article.objects.get(topic__code="thu-tuc")
    assert procedure.valid_from == date(2018, 6, 5)
    assert sorted(procedure.documents.values_list("number", flat=True)) == ["38/2015/TT-BTC", "39/2018/TT-BTC"]


def test_importing_the_same_file_again_adds_nothing(coordinator, tmp_path):
    path = write_jsonl(tmp_path / "qa.jsonl", ROWS)
    run(path)
    counts = (Article.objects.count(), Citation.objects.count(), LegalDocument.objects.count())
    out, _err = run(path)
    assert "Imported 0 articles (published), 3 already in the Q&A" in out
    assert (Article.objects.count(), Citation.objects.count(), LegalDocument.objects.count()) == counts


def test_nothing_is_written_when_a_row_is_rejected(coordinator, tmp_path):
    rows = [ROWS[0], {**ROWS[1], "topic": "khong-co"}, ROWS[2]]
    message, err = run_failing(write_jsonl(tmp_path / "qa.jsonl", rows))
    assert "1 rows rejected: nothing was imported" in message
    assert "row 2 (thu-tuc-001) · topic: Choose one of the topics in the list." in err
    assert_nothing_written()


def test_it_reports_every_rejected_row_with_its_field(coordinator, tmp_path):
    rows = [
        {**ROWS[0], "question": "  "},                                     # line 1
        {**ROWS[1], "cites": ["Điều 22"]},                                # line 2
        ROWS[2],                                                          # line 3
        '{"question": "Câu hỏi bị cắt',                                   # line 4
        '["not", "an", "object"]',                                        # line 5
        {**ROWS[2], "key": "xuat-xu-002", "question": "Khác?", "valid_from": "31/02/2020"},  # line 6
        {**ROWS[2], "question": "Câu hỏi khác?"},                         # line 7: the key again
        {**ROWS[2], "key": "x", "question": "Câu hỏi thứ ba?", "valid_from": "2021-01-01", "valid_to": "2020-01-01"},
    ]
    report = tmp_path / "rejected.csv"
    run_failing(write_jsonl(tmp_path / "qa.jsonl", rows), "--report", str(report))
    with report.open(encoding="utf-8-sig") as f:
        lines = list(csv.DictReader(f))
    assert [(line["row"], line["key"], line["field"]) for line in lines] == [
        ("1", "thue-001", "question"),
        ("2", "thu-tuc-001", "legal_references"),
        ("4", "", "row"),
        ("5", "", "row"),
        ("6", "xuat-xu-002", "valid_from"),
        ("7", "xuat-xu-001", "key"),
        ("8", "x", "valid_to"),
    ]
    assert all(line["message"] for line in lines)
    assert "Điều 22" in lines[1]["message"]
    assert "row 3" in lines[5]["message"]
    assert_nothing_written()


def test_skip_invalid_imports_the_valid_rows_and_reports_the_others(coordinator, tmp_path):
    rows = [ROWS[0], {**ROWS[1], "answer": ""}, ROWS[2]]
    report = tmp_path / "rejected.csv"
    out, err = run(write_jsonl(tmp_path / "qa.jsonl", rows), "--skip-invalid", "--report", str(report))
    assert "Imported 2 articles (published), 0 already in the Q&A, 1 rows rejected" in out
    assert "row 2 (thu-tuc-001) · answer: Enter the answer." in err
    assert set(Article.objects.values_list("topic__code", flat=True)) == {"thue", "xuat-xu"}
    with report.open(encoding="utf-8-sig") as f:
        assert [line["field"] for line in csv.DictReader(f)] == ["answer"]


def test_an_empty_report_has_its_header(coordinator, tmp_path):
    report = tmp_path / "rejected.csv"
    run(write_jsonl(tmp_path / "qa.jsonl", ROWS), "--report", str(report))
    assert report.read_text(encoding="utf-8-sig").splitlines() == ["row,key,field,message"]


def test_it_can_import_drafts(coordinator, tmp_path):
    out, _err = run(write_jsonl(tmp_path / "qa.jsonl", ROWS), "--draft")
    assert "(drafts)" in out
    assert set(Article.objects.values_list("status", flat=True)) == {ArticleStatus.DRAFT}


# --- .xlsx -----------------------------------------------------------------------------------

def test_it_imports_a_workbook_with_vietnamese_headers(coordinator, tmp_path):
    path = write_xlsx(tmp_path / "hoi-dap.xlsx", ["STT", "Chủ đề", "Câu hỏi", "Trả lời", "Văn bản", "Hiệu lực từ", "Ghi chú"], [
        [1, "Thuế, miễn thuế, hoàn thuế", ROWS[0]["question"], ROWS[0]["answer"],
         "Luật 107/2016/QH13; Nghị định 134/2016/NĐ-CP", datetime(2016, 9, 1), "đã duyệt"],
        [2, "thu-tuc", ROWS[1]["question"], ROWS[1]["answer"],
         "Thông tư 38/2015/TT-BTC\nThông tư 39/2018/TT-BTC", "05/06/2018", None],
        [None, None, None, None, None, None, None],  # an empty row is not an article
    ])
    out, _err = run(path)
    assert "Imported 2 articles (published)" in out
    refund = Article.objects.get(topic__code="thue")
    assert refund.valid_from == date(2016, 9, 1)
    assert sorted(refund.documents.values_list("number", flat=True)) == ["107/2016/QH13", "134/2016/NĐ-CP"]
    assert Article.objects.get(topic__code="thu-tuc").valid_from == date(2018, 6, 5)


def test_it_imports_a_workbook_with_english_headers(coordinator, tmp_path):
    path = write_xlsx(tmp_path / "qa.xlsx", ["key", "question", "answer", "topic", "legal_references"], [
        ["k1", ROWS[2]["question"], ROWS[2]["answer"], "xuat-xu", ""],
    ])
    run(path)
    assert Article.objects.get().topic.code == "xuat-xu"


def test_workbook_rows_are_reported_by_their_sheet_row_number(coordinator, tmp_path):
    path = write_xlsx(tmp_path / "qa.xlsx", ["câu hỏi", "trả lời", "chủ đề"], [
        [ROWS[0]["question"], ROWS[0]["answer"], "thue"],
        [ROWS[1]["question"], ROWS[1]["answer"], "không có chủ đề này"],
    ])
    _message, err = run_failing(path)
    assert "row 3 · topic:" in err
    assert_nothing_written()


def test_a_workbook_without_the_needed_columns_is_refused(coordinator, tmp_path):
    path = write_xlsx(tmp_path / "qa.xlsx", ["câu hỏi", "ghi chú"], [["Hỏi?", "x"]])
    message, _err = run_failing(path)
    assert "missing: answer, topic" in message


def test_a_file_that_is_not_a_workbook_is_refused(coordinator, tmp_path):
    path = tmp_path / "qa.xlsx"
    path.write_text("không phải Excel", encoding="utf-8")
    message, _err = run_failing(str(path))
    assert "is not an Excel workbook" in message


# --- who and what ----------------------------------------------------------------------------

def test_as_names_the_coordinator_who_publishes(coordinator, tmp_path):
    other = make_user(Role.COORDINATOR, username="dieuphoi2")
    run(write_jsonl(tmp_path / "qa.jsonl", ROWS[:1]), "--as", "dieuphoi2")
    assert Article.objects.get().published_by == other


@pytest.mark.parametrize("role", [Role.OFFICER, Role.LEADER, Role.BUSINESS, Role.ADMIN])
def test_as_must_be_a_coordinator(coordinator, tmp_path, role):
    make_user(role, username="khong")
    message, _err = run_failing(write_jsonl(tmp_path / "qa.jsonl", ROWS), "--as", "khong")
    assert "not an active department coordinator" in message
    assert_nothing_written()


def test_it_needs_a_coordinator(tmp_path):
    make_user(Role.OFFICER)
    message, _err = run_failing(write_jsonl(tmp_path / "qa.jsonl", ROWS))
    assert "no department coordinator" in message


@pytest.mark.parametrize("name", ["qa.csv", "qa.json", "missing.jsonl"])
def test_it_refuses_other_files(coordinator, tmp_path, name):
    if name != "missing.jsonl":
        (tmp_path / name).write_text("question,answer\n", encoding="utf-8")
    message, _err = run_failing(str(tmp_path / name))
    assert "No such file" in message if name == "missing.jsonl" else ".jsonl or .xlsx" in message


def test_it_is_typed_ketnoi_import_qa(monkeypatch):
    # Running it for real would close the test's database connection: check what Django is given.
    given = []
    monkeypatch.setattr("django.core.management.execute_from_command_line", given.append)
    monkeypatch.setattr(sys, "argv", ["ketnoi", "import-qa", "hoi-dap.xlsx", "--skip-invalid"])
    main()
    assert given == [["ketnoi", "import_qa", "hoi-dap.xlsx", "--skip-invalid"]]
    assert get_commands()["import_qa"] == "ketnoi.knowledge"
