"""The kinds of job a person can ask for, each with what checks its parameters and what does the
work. A kind's `run(params, progress)` returns the file it made; `progress(done, total, label)`
records how far it has gone (the job page shows it)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketnoi.accounts.access import Principal
from ketnoi.reports import yearend

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Output:
    content: bytes
    filename: str
    content_type: str


@dataclass(frozen=True)
class Kind:
    name: str
    label: object  # a lazy translatable string
    run: Callable[[dict, Progress], Output]
    clean: Callable[[dict], dict]  # the parameters checked and normalised, or ValidationError
    may_request: Callable[[Principal], bool]


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.name] = kind
    return kind


def kind_for(name: str) -> Kind | None:
    return KINDS.get(name)


# --- the year-end review (issue 9, item 3) ----------------------------------------------------

YEAR_END = "reports.year_end"
# The years reports.yearend.check_year accepts (one rule for the page and `ketnoi report
# year-end`): from its first year to the running one, whose review is drafted in its last weeks.
YEAR_END_FIRST_YEAR = yearend.FIRST_YEAR
YEAR_END_FORMATS = {
    "docx": (_("Word document (DOCX)"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "pdf": (_("PDF document"), "application/pdf"),
}


def year_end_years(today: date | None = None) -> list[int]:
    last = (today or timezone.localdate()).year
    return list(range(last, YEAR_END_FIRST_YEAR - 1, -1))


def _year_end_clean(params: dict) -> dict:
    errors = {}
    try:
        year = int(params.get("year"))
    except (TypeError, ValueError):
        year = None
    if year is None or year not in year_end_years():
        errors["year"] = _("Choose a year from %(first)s to %(last)s.") % {
            "first": YEAR_END_FIRST_YEAR, "last": year_end_years()[0]}
    fmt = params.get("fmt")
    if fmt not in YEAR_END_FORMATS:
        errors["fmt"] = _("Choose DOCX or PDF.")
    if errors:
        raise ValidationError(errors)
    return {"year": year, "fmt": fmt}


def _year_end_run(params: dict, progress: Progress) -> Output:
    year, fmt = params["year"], params["fmt"]
    content = yearend.year_end_render(year=year, fmt=fmt, progress=progress)
    return Output(content=content, filename=yearend.year_end_filename(year=year, fmt=fmt),
                  content_type=YEAR_END_FORMATS[fmt][1])


def _may_render_year_end(p: Principal) -> bool:
    from ketnoi.reports.access import may_render_year_end

    return may_render_year_end(p)


register(Kind(name=YEAR_END, label=_("Year-end review"), run=_year_end_run, clean=_year_end_clean,
              may_request=_may_render_year_end))


# --- the party members' import (issue 11, item 3) ---------------------------------------------
# The workbook waits in the private files (MEDIA_ROOT, never served) until the worker imports
# it, all rows or none, as `ketnoi.party.services.members_import` does. Party data is for the
# party office alone (ketnoi/party/access.py): the job keeps no member's data where the
# administrators look (its parameters, its error, its result); the rows to correct are kept
# beside the workbook and shown on the import page to the person who sent it.

MEMBERS_IMPORT = "party.members_import"
IMPORT_UPLOADS = "background/uploads"


def _import_may_request(p: Principal) -> bool:
    from ketnoi.party.access import may_edit_register

    return may_edit_register(p)


def _import_clean(params: dict) -> dict:
    upload = str(params.get("upload") or "")
    try:
        by = int(params.get("by"))
    except (TypeError, ValueError):
        by = None
    if not upload.startswith(IMPORT_UPLOADS + "/") or ".." in upload or by is None:
        raise ValidationError({"file": _("Choose the XLSX file of the members.")})
    return {"upload": upload, "filename": str(params.get("filename") or "")[:200], "by": by}


def _problems_path(upload: str) -> str:
    return upload.rsplit(".", 1)[0] + ".problems.json"


def members_import_request(*, file, by, language: str | None = None):
    """Keep the workbook and queue its import for `by` (the party office); the Job. No file, or
    one too large, raises ValidationError and queues nothing; the rows are checked by the worker."""
    import secrets

    from django.core.exceptions import PermissionDenied
    from django.core.files.storage import default_storage

    from ketnoi.accounts.access import principal_for
    from ketnoi.party import xlsx

    from .services import job_request

    if not _import_may_request(principal_for(by)):
        raise PermissionDenied
    if file is None:
        raise ValidationError({"file": _("Choose the XLSX file of the members.")})
    if file.size > xlsx.MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than 10 MB.")})
    # What it is, from its bytes, before it is kept: a refused file leaves nothing on the disk.
    from ketnoi.cases import filetypes
    if not filetypes.is_workbook(file):
        raise ValidationError({"file": _("This is not an XLSX workbook. Download the template, fill it in and "
                                         "send it back.")})
    name = default_storage.save(f"{IMPORT_UPLOADS}/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.xlsx", file)
    try:
        return job_request(kind=MEMBERS_IMPORT, params={"upload": name, "filename": file.name, "by": by.pk},
                           by=by, language=language)
    except Exception:
        default_storage.delete(name)
        raise


def members_import_problems(job) -> list[str]:
    """The rows to correct of a refused import (empty for any other job)."""
    import json

    from django.core.files.storage import default_storage

    if job.kind != MEMBERS_IMPORT or job.state != job.State.FAILED:
        return []
    path = _problems_path(job.params.get("upload", ""))
    if not default_storage.exists(path):
        return []
    with default_storage.open(path, "rb") as handle:
        return json.loads(handle.read().decode())


class _ProgressSeenAtOnce:
    """Progress reported from inside the import's transaction, seen at once on the job page: a
    thread of its own (its own connection, outside the transaction) writes the latest figures, at
    most twice a second. SQLite lets one connection write at a time, and the import holds it:
    there the figures are written in the transaction, and seen when it ends."""

    def __init__(self, progress: Progress):
        import threading

        from django.db import connection

        self.progress = progress
        self.latest: tuple[int, int, str] | None = None
        self.changed = threading.Event()
        self.finished = False
        self.thread = None if connection.vendor == "sqlite" else threading.Thread(target=self._write, daemon=True)

    def __enter__(self) -> Progress:
        if self.thread is None:
            return self.progress
        self.thread.start()
        return self.report

    def report(self, done: int, total: int, label="") -> None:
        self.latest = (done, total, str(label))  # the label in the job's language, made here
        self.changed.set()

    def _write(self) -> None:
        import time

        from django.db import connections

        try:
            while True:
                self.changed.wait()
                self.changed.clear()
                if self.latest is not None:
                    self.progress(*self.latest)
                if self.finished:
                    return
                time.sleep(0.5)
        finally:
            connections.close_all()  # this thread's own

    def __exit__(self, *exc) -> None:
        if self.thread is not None:
            self.finished = True
            self.changed.set()
            self.thread.join(timeout=30)


def _import_run(params: dict, progress: Progress) -> Output:
    import json

    from django.core.files import File
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils.translation import gettext, ngettext

    from ketnoi.accounts.models import User
    from ketnoi.party import services as party

    by = User.objects.get(pk=params["by"])
    progress(0, 0, gettext("Reading the workbook"))

    def row_done(done: int, total: int) -> None:
        report(done, total, gettext("Checking row %(done)d of %(total)d") % {"done": done, "total": total})

    with default_storage.open(params["upload"], "rb") as handle:
        try:
            with _ProgressSeenAtOnce(progress) as report:
                created = party.members_import(file=File(handle, name=params["filename"] or "members.xlsx"),
                                               by=by, progress=row_done)
        except ValidationError as refused:
            problems = [str(p) for p in (refused.message_dict.get("file") if hasattr(refused, "error_dict")
                                         else None) or refused.messages]
            default_storage.save(_problems_path(params["upload"]),
                                 ContentFile(json.dumps(problems, ensure_ascii=False).encode()))
            refused_with = problems
        else:
            refused_with = None
    default_storage.delete(params["upload"])
    if refused_with is not None:
        raise ValidationError(ngettext(
            "The file was not imported: nothing was saved. %(n)d problem to correct is listed on the import page.",
            "The file was not imported: nothing was saved. %(n)d problems to correct are listed on the import page.",
            len(refused_with)) % {"n": len(refused_with)})
    when = timezone.localtime()
    text = ngettext("%(n)d member was imported into the party register from %(file)s on %(day)s at %(time)s.",
                    "%(n)d members were imported into the party register from %(file)s on %(day)s at %(time)s.",
                    len(created)) % {"n": len(created), "file": params["filename"], "day": f"{when:%d/%m/%Y}",
                                     "time": f"{when:%H:%M}"}
    return Output(content=(text + "\n").encode(), filename=f"nhap-dang-vien-{when:%Y%m%d-%H%M}.txt",
                  content_type="text/plain; charset=utf-8")


register(Kind(name=MEMBERS_IMPORT, label=_("Import of party members"), run=_import_run, clean=_import_clean,
              may_request=_import_may_request))


# --- a business's download of all its own data (issue 10, privacy) ----------------------------
from ketnoi.privacy.export import register_kind as _register_enterprise_export  # noqa: E402

_register_enterprise_export()
