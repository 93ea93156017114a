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
