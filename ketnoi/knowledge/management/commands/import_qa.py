"""Import Q&A articles from a file, checking every row through the services.

    ketnoi import-qa hoi-dap.jsonl
    ketnoi import-qa hoi-dap.xlsx --skip-invalid --report bi-loai.csv --as coordinator

.jsonl: one object per line with question, answer, topic, legal_references (or cites), and
optionally valid_from, valid_to, key. .xlsx: the first sheet, a header row with those names (or
the Vietnamese ones: câu hỏi, trả lời, chủ đề, văn bản ...); references separated by ";" or new
lines. A topic is its code or its name.

The file is one transaction: when any row is rejected nothing is written, unless --skip-invalid
(then the valid rows are). Rejected rows are listed (row, field, message) and, with --report,
written to a CSV file. A row whose question is already in the Q&A, word for word, is skipped, so
importing the same file twice adds nothing.
"""

import csv
import json
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from tqdm import tqdm

from ketnoi.accounts.models import Role, User
from ketnoi.cases.models import Topic
from ketnoi.knowledge import services
from ketnoi.knowledge.models import Article
from ketnoi.lib.vntext import fold, normalize

# Column names as people write them, folded (ketnoi.lib.vntext.fold, "_" read as a space).
HEADERS = {
    "key": ["key", "ma", "ma so", "so thu tu", "stt", "id"],
    "question": ["question", "cau hoi", "noi dung cau hoi", "hoi"],
    "answer": ["answer", "tra loi", "noi dung tra loi", "cau tra loi", "dap"],
    "topic": ["topic", "chu de", "linh vuc", "ma chu de"],
    "legal_references": ["legal references", "cites", "references", "van ban",
                         "van ban phap luat", "van ban trich dan", "can cu", "can cu phap ly"],
    "valid_from": ["valid from", "hieu luc tu", "hieu luc tu ngay", "tu ngay"],
    "valid_to": ["valid to", "hieu luc den", "hieu luc den ngay", "den ngay"],
}
_FIELD_OF = {alias: field for field, aliases in HEADERS.items() for alias in aliases}
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]


@dataclass
class Rejection:
    row: int
    key: str
    field: str
    message: str


def field_for(header) -> str | None:
    """The field a column header names ("Câu hỏi" → question), or None."""
    return _FIELD_OF.get(" ".join(fold(str(header or "")).replace("_", " ").split()))


# --- reading -------------------------------------------------------------------------------

def read_jsonl(path: Path):
    """(line number, {field: value}) for each non-empty line; a line that is not a JSON object
    gives {"_error": message}."""
    with path.open(encoding="utf-8-sig") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as error:
                yield number, {"_error": _("Not valid JSON: %(error)s.") % {"error": error.msg}}
                continue
            if not isinstance(data, dict):
                yield number, {"_error": _("Each line must be one JSON object.")}
                continue
            row = {}
            for name, value in data.items():
                field = field_for(name)
                if field and (field not in row or row[field] in (None, "", [])):
                    row[field] = value
            yield number, row


def read_xlsx(path: Path):
    """(spreadsheet row number, {field: value}) for each non-empty row of the first sheet."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several kinds for a file that is not a workbook
        raise CommandError(_("%(file)s is not an Excel workbook (.xlsx): %(error)s") % {"file": path, "error": error})
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        columns = [field_for(cell) for cell in header or ()]
        missing = [field for field in ("question", "answer", "topic") if field not in columns]
        if missing:
            raise CommandError(_("The first row of the sheet must name the columns; missing: %(fields)s.")
                               % {"fields": ", ".join(missing)})
        for number, cells in enumerate(rows, start=2):
            if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells):
                continue
            row = {}
            for field, cell in zip(columns, cells):
                if field and field not in row:
                    row[field] = cell
            yield number, row
    finally:
        workbook.close()


def read_rows(path: Path):
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return read_jsonl(path)
    if suffix == ".xlsx":
        return read_xlsx(path)
    raise CommandError(_("Give a .jsonl or .xlsx file."))


# --- one row -------------------------------------------------------------------------------

def _date(value, field: str, errors: dict):
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        for pattern in DATE_FORMATS:
            try:
                return datetime.strptime(value.strip(), pattern).date()
            except ValueError:
                continue
    errors[field] = _("Write the date as dd/mm/yyyy (or yyyy-mm-dd).")
    return None


def _references(value, errors: dict) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.replace("\r", "\n").replace(";", "\n").split("\n") if part.strip()]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return [item.strip() for item in value if item.strip()]
    errors["legal_references"] = _("Give the legal references as a list of document numbers, or separated by “;”.")
    return []


def _text(value) -> str:
    # A number typed in a spreadsheet cell arrives as a number; anything else that is not text is
    # passed on for the service to refuse.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value if isinstance(value, str) else ("" if value is None else value)


class TopicNames:
    """A topic given by its code or by its name in either language, folded."""

    def __init__(self):
        self.codes = {}
        for topic in Topic.objects.filter(active=True):
            for name in (topic.code, topic.name_vi, topic.name_en):
                self.codes[normalize(fold(name))] = topic.code

    def code(self, value):
        if not isinstance(value, str):
            return value
        return self.codes.get(normalize(fold(value)), value.strip())


def clean(row: dict, topics: TopicNames) -> tuple[dict, dict]:
    """The service's arguments for a row, and the errors found before calling it."""
    errors = {}
    if "_error" in row:
        return {}, {"row": row["_error"]}
    arguments = {
        "question": _text(row.get("question")),
        "answer": _text(row.get("answer")),
        "topic": topics.code(_text(row.get("topic"))),
        "legal_references": _references(row.get("legal_references"), errors),
        "valid_from": _date(row.get("valid_from"), "valid_from", errors),
        "valid_to": _date(row.get("valid_to"), "valid_to", errors),
    }
    return arguments, errors


def _messages(error: ValidationError) -> dict[str, str]:
    if hasattr(error, "error_dict"):
        return {field: " ".join(messages) for field, messages in error.message_dict.items()}
    return {"row": " ".join(error.messages)}


def existing_questions(questions: list[str]) -> set[str]:
    """The questions already in the Q&A, word for word (one query per 500)."""
    found = set()
    for start in range(0, len(questions), 500):
        found |= set(Article.objects.filter(question__in=questions[start:start + 500])
                     .values_list("question", flat=True))
    return found


class Rollback(Exception):
    pass


# --- the command ---------------------------------------------------------------------------

class Command(BaseCommand):
    help = ("Import Q&A articles from a .jsonl or .xlsx file, every row checked by the same rules as the "
            "pages; nothing is written if any row is rejected (unless --skip-invalid).")

    def add_arguments(self, parser):
        parser.add_argument("file", help=".jsonl (one JSON object per line) or .xlsx (a header row, then one row "
                                         "per article)")
        parser.add_argument("--skip-invalid", action="store_true",
                            help="import the valid rows even when others are rejected")
        parser.add_argument("--report", metavar="FILE.csv", help="write the rejected rows to this CSV file")
        parser.add_argument("--as", dest="username", metavar="USERNAME",
                            help="the department coordinator who publishes them (default: the first coordinator)")
        parser.add_argument("--draft", action="store_true", help="import as drafts instead of publishing")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, file, skip_invalid, report, username, draft, no_progress, **options):
        started = time.monotonic()
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": file})
        by = self._coordinator(username)
        quiet = no_progress or options["verbosity"] == 0
        rows = list(read_rows(path))
        topics = TopicNames()
        already = existing_questions([r["question"].strip() for _n, r in rows
                                      if isinstance(r.get("question"), str) and r["question"].strip()])
        rejected: list[Rejection] = []
        imported = skipped = 0
        keys: dict[str, int] = {}
        try:
            with transaction.atomic():
                for number, row in tqdm(rows, disable=quiet, ncols=80, unit=" rows", desc="Nhập / importing"):
                    key = str(row.get("key") or "")
                    arguments, errors = clean(row, topics)
                    if key and key in keys:
                        errors["key"] = _("The key %(key)s is also on row %(row)d.") % {"key": key, "row": keys[key]}
                    elif key:
                        keys[key] = number
                    if not errors and isinstance(arguments["question"], str) and arguments["question"].strip() in already:
                        skipped += 1
                        continue
                    if not errors:
                        try:
                            services.article_create(**arguments, publish=not draft, by=by)
                            imported += 1
                            already.add(arguments["question"].strip())
                            continue
                        except ValidationError as error:
                            errors = _messages(error)
                    rejected += [Rejection(number, key, field, message) for field, message in errors.items()]
                if rejected and not skip_invalid:
                    raise Rollback
        except Rollback:
            imported = 0
        self._report(rejected, report)
        elapsed = time.monotonic() - started
        if rejected and not skip_invalid:
            raise CommandError(_("%(n)d rows rejected: nothing was imported. Correct them, or import the others "
                                 "with --skip-invalid.") % {"n": len({r.row for r in rejected})})
        self.stdout.write(_("Imported %(imported)d articles (%(state)s), %(skipped)d already in the Q&A, "
                            "%(rejected)d rows rejected — %(seconds).1f s")
                          % {"imported": imported, "state": _("drafts") if draft else _("published"),
                             "skipped": skipped, "rejected": len({r.row for r in rejected}), "seconds": elapsed})

    def _coordinator(self, username: str | None) -> User:
        coordinators = User.objects.filter(is_active=True, role_assignments__role=Role.COORDINATOR).distinct()
        if username:
            user = coordinators.filter(username=username).first()
            if user is None:
                raise CommandError(_("%(username)s is not an active department coordinator.") % {"username": username})
            return user
        user = coordinators.order_by("pk").first()
        if user is None:
            raise CommandError(_("There is no department coordinator to publish the articles: create one, or "
                                 "give --as USERNAME."))
        return user

    def _report(self, rejected: list[Rejection], report: str | None) -> None:
        if rejected:
            self.stderr.write(_("Rejected rows:"))
            for r in rejected:
                self.stderr.write(f"  {_('row')} {r.row}{f' ({r.key})' if r.key else ''} · {r.field}: {r.message}")
        if report:
            with open(report, "w", newline="", encoding="utf-8-sig") as f:
                writer = csv.writer(f)
                writer.writerow(["row", "key", "field", "message"])
                writer.writerows([r.row, r.key, r.field, r.message] for r in rejected)
