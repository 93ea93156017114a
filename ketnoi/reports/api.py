"""The reports API: the public scorecard and the open data of the cases, the same figures as the
pages /bao-cao/cong-khai/ and /bao-cao/du-lieu-mo/. Public (no token; a token that is sent must
be valid, and the answer is then in its owner's language). A year outside the years with figures
is a 400 naming them; a year that is not a number, a 422."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from ketnoi.api import optional_caller
from ketnoi.cases.api import ERRORS
from ketnoi.ops.replica import reading_from_replica

from . import activity, opendata

router = Router(tags=["reports"])


class YearQuery(Schema):
    year: int | None = Field(None, ge=1900, le=9999, description="The calendar year (default: this year).")


class ScorecardRowOut(Schema):
    unit_id: int | None = Field(description="The unit's id; null for the department's coordinators.")
    unit_name: str
    answered: int = Field(description="Difficulties the unit answered in the year.")
    on_time_rate: float | None = Field(description="Share (0–1) answered by the due date; null when fewer than "
                                                   f"{activity.MIN_CASES} were answered (too few to measure).")
    median_answer_workdays: float | None = Field(description="Median working days from received to answered; "
                                                             "null when too few to measure.")
    rated: int
    satisfaction: float | None = Field(description="Mean rating (1–5); null when fewer than "
                                                   f"{activity.MIN_CASES} ratings.")
    sessions_held: int = Field(description="Dialogue sessions the unit's programmes held in the year.")


class ScorecardOut(Schema):
    year: int
    start: date
    end: date
    min_cases: int = Field(description="Below this many answered (or rated) cases a rate is not given.")
    units: list[ScorecardRowOut]


class CaseRowOut(Schema):
    month: date
    unit_code: str
    unit_name_vi: str
    unit_name_en: str
    topic_code: str
    topic_name_vi: str
    topic_name_en: str
    received: int
    answered: int
    answered_on_time: int
    resolved: int
    rated: int
    satisfaction: float | None


class OpenCasesOut(Schema):
    dataset: str
    description: str
    year: int
    schema_: dict[str, str] = Field(alias="schema", serialization_alias="schema")
    rows: list[CaseRowOut]


def _year(value: int | None) -> int:
    years = opendata.available_years()
    year = value or timezone.localdate().year
    if year not in years:
        raise ValidationError({"year": _("There are figures for the years %(first)s to %(last)s.")
                               % {"first": years[-1], "last": years[0]}})
    return year


@router.get("/reports/scorecard", auth=None, response={200: ScorecardOut, **ERRORS},
            summary="Each customs unit's on-time rate, answer time, satisfaction and sessions held in a year; public",
            description="Aggregates only: no business or person. A unit that answered (or was rated on) fewer than "
                        "`min_cases` difficulties has null rates: too few to measure.")
def scorecard(request, query: Query[YearQuery]):
    optional_caller(request)
    with reading_from_replica():
        year = _year(query.year)
        start, end = date(year, 1, 1), date(year, 12, 31)
        rows = activity.scorecard(start=start, end=end)
    return {"year": year, "start": start, "end": end, "min_cases": activity.MIN_CASES,
            "units": [row.__dict__ for row in rows]}


@router.get("/reports/open-data/cases", auth=None, response={200: OpenCasesOut, **ERRORS}, by_alias=True,
            summary="Cases by month, handling unit and topic in a year (open data); public",
            description="The counts of /bao-cao/du-lieu-mo/vuong-mac-<year>.json: received, answered, answered on "
                        "time, resolved, rated and the mean rating (null below the minimum of ratings). No "
                        "business or person is named.")
def open_data_cases(request, query: Query[YearQuery]):
    optional_caller(request)
    with reading_from_replica():
        year = _year(query.year)
        rows = opendata.case_rows(year=year)
    return {"dataset": f"cases-{year}", "description": str(opendata.CASES_DESCRIPTION), "year": year,
            "schema": {name: str(meaning) for name, meaning in opendata.CASE_FIELDS.items()}, "rows": rows}
