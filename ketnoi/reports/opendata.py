"""Open data: anonymised aggregates of the cases and the published Q&A, as CSV and JSON.

Nothing here names a business or a person. The case figures are counts by month, handling unit
and topic; a mean rating is given only over at least `activity.MIN_CASES` ratings (below that it
would be one business's opinion). The Q&A is what is already public on the site: articles a
coordinator reviewed (anonymised, knowledge.services) and published.

CSV is UTF-8 with a byte-order mark, so that Excel opens Vietnamese correctly. Both formats are
written as a stream, row by row: the Q&A is read in chunks and never held whole in memory.
"""

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import date

from django.core.cache import cache
from django.db.models import Count, Min, Q, Sum
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ketnoi.cases.models import Topic
from ketnoi.knowledge import selectors as knowledge
from ketnoi.lib.workdays import TIMEZONE
from ketnoi.org.models import Unit

from .activity import MIN_CASES
from .models import COORDINATORS, CaseCount, CaseFact, Grain, RefreshState
from .services import reports_refresh

BOM = "\ufeff"

# The columns of each data set and what they hold (the schema note of the JSON and of the open
# data page, in the reader's language; the column names are stable identifiers).
CASE_FIELDS = {
    "month": gettext_lazy("First day of the month (YYYY-MM-DD), Vietnam's time."),
    "unit_code": gettext_lazy("VNACCS office code of the handling customs unit; empty for a division, or for the "
                              "department's coordinators."),
    "unit_name_vi": gettext_lazy("Name of the handling unit in Vietnamese."),
    "unit_name_en": gettext_lazy("Name of the handling unit in English."),
    "topic_code": gettext_lazy("Code of the topic (GET /api/v1/topics)."),
    "topic_name_vi": gettext_lazy("Topic in Vietnamese."),
    "topic_name_en": gettext_lazy("Topic in English."),
    "received": gettext_lazy("Cases received in the month."),
    "answered": gettext_lazy("Cases answered in the month."),
    "answered_on_time": gettext_lazy("Of those, answered by their answer due date."),
    "resolved": gettext_lazy("Cases resolved in the month."),
    "rated": gettext_lazy("Ratings given by businesses in the month."),
    "satisfaction": format_lazy(gettext_lazy("Mean rating (1–5), empty when fewer than {n} ratings."), n=MIN_CASES),
}
QA_FIELDS = {
    "id": gettext_lazy("Number of the article."),
    "question": gettext_lazy("The question, anonymised."),
    "answer": gettext_lazy("The customs answer."),
    "topic_code": gettext_lazy("Code of the topic (GET /api/v1/topics)."),
    "topic_name_vi": gettext_lazy("Topic in Vietnamese."),
    "topic_name_en": gettext_lazy("Topic in English."),
    "url": gettext_lazy("Address of the article on the site."),
    "published": gettext_lazy("Day it was published (YYYY-MM-DD)."),
}
CASES_DESCRIPTION = gettext_lazy("Difficulties raised by businesses with the customs department: counts by month, "
                                 "handling unit and topic. No business or person is named.")
QA_DESCRIPTION = gettext_lazy("The published questions and answers of the customs department's Q&A (anonymised).")


def _coordinators(language: str) -> str:
    with translation.override(language):
        return _("Department coordinators' queue")


def case_rows(*, year: int) -> list[dict]:
    """One row per month × handling unit × topic with any figure in `year`, counted from what
    each case contributes to the dashboards' figures (reports.models.CaseFact, refreshed first:
    local dates already, one narrow row per case): the same figures as the dashboards, four
    grouped queries, at most 12 × units × topics rows (a few thousand)."""
    reports_refresh()
    # The same file until a case changes: kept an hour under the sums' watermark (a public
    # download is asked again and again, and counting a year of a million cases takes seconds).
    watermark, last_case = RefreshState.objects.filter(pk=1).values_list("watermark", "last_case_id").first() or (None, 0)
    key = f"reports:open-data:cases:{year}:{watermark.timestamp() if watermark else 0}:{last_case}"
    cached = cache.get(key)
    if cached is None:
        cached = _count_case_rows(year)
        cache.set(key, cached, timeout=3600)
    return cached


def _count_case_rows(year: int) -> list[dict]:
    first, last = date(year, 1, 1), date(year, 12, 31)
    counts: dict[tuple, dict] = {}

    def merge(field: str, **aggregates):
        # Grouped by the day itself, folded into months here: a date function in the query would be
        # a Python call per case on SQLite.
        rows = (CaseFact.objects.filter(**{f"{field}__gte": first, f"{field}__lte": last})
                .values(field, "unit_key", "topic_id").order_by().annotate(**aggregates))
        for row in rows:
            key = (row.pop(field).replace(day=1), row.pop("unit_key"), row.pop("topic_id"))
            totals = counts.setdefault(key, {})
            for name, value in row.items():
                totals[name] = totals.get(name, 0) + (value or 0)

    merge("received_on", received=Count("pk"))
    merge("answered_on", answered=Count("pk"), answered_on_time=Count("pk", filter=Q(answered_on_time=True)))
    merge("resolved_on", resolved=Count("pk"))
    merge("rated_on", rated=Count("pk", filter=Q(rating__isnull=False)), rating_sum=Sum("rating"))

    units = {u.pk: u for u in Unit.objects.filter(pk__in={key[1] for key in counts if key[1] != COORDINATORS})}
    topics = {t.pk: t for t in Topic.objects.filter(pk__in={key[2] for key in counts})}
    coordinators = {"vi": _coordinators("vi"), "en": _coordinators("en")}

    def order(key):
        unit = units.get(key[1])
        return key[0], unit is None, unit.code if unit else "", unit.name_vi if unit else "", topics[key[2]].position, key[2]

    out = []
    for key in sorted(counts, key=order):
        month, unit_key, topic_id = key
        row, unit, topic = counts[key], units.get(unit_key), topics[topic_id]
        rated = row.get("rated", 0)
        out.append({
            "month": month.isoformat(),
            "unit_code": unit.code if unit else "",
            "unit_name_vi": unit.name_vi if unit else coordinators["vi"],
            "unit_name_en": (unit.name_en or unit.name_vi) if unit else coordinators["en"],
            "topic_code": topic.code, "topic_name_vi": topic.name_vi, "topic_name_en": topic.name_en or topic.name_vi,
            "received": row.get("received", 0), "answered": row.get("answered", 0),
            "answered_on_time": row.get("answered_on_time", 0), "resolved": row.get("resolved", 0),
            "rated": rated, "satisfaction": round(row["rating_sum"] / rated, 2) if rated >= MIN_CASES else None,
        })
    return out


def qa_rows(*, base_url: str) -> Iterator[dict]:
    """Every published article, oldest first, read in chunks."""
    articles = (knowledge.published().select_related("topic")
                .only("pk", "question", "answer", "published_at", "created_at", "topic__code", "topic__name_vi",
                      "topic__name_en")
                .order_by("published_at", "pk"))
    for article in articles.iterator(chunk_size=500):
        published = article.published_at or article.created_at
        yield {
            "id": article.pk, "question": article.question, "answer": article.answer,
            "topic_code": article.topic.code, "topic_name_vi": article.topic.name_vi,
            "topic_name_en": article.topic.name_en or article.topic.name_vi,
            "url": base_url.rstrip("/") + article.get_absolute_url(),
            "published": timezone.localtime(published, TIMEZONE).date().isoformat(),
        }


def available_years() -> list[int]:
    """The years with cases, newest first (the current year always): from the yearly sums, a
    few rows, rather than the cases (no index orders them by the day received)."""
    reports_refresh()
    first = CaseCount.objects.filter(grain=Grain.YEAR).aggregate(first=Min("day"))["first"]
    this_year = timezone.localdate().year
    oldest = first.year if first else this_year
    return list(range(this_year, min(oldest, this_year) - 1, -1))


# --- writing -------------------------------------------------------------------------------------

def csv_stream(fields: Iterable[str], rows: Iterable[dict]) -> Iterator[str]:
    """The rows as CSV text, a line at a time, the BOM first."""
    fields = list(fields)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writeheader()
    yield BOM + flush()
    for row in rows:
        writer.writerow({key: "" if row[key] is None else row[key] for key in fields})
        yield flush()


def json_stream(*, dataset: str, description: str, fields: dict[str, str], rows: Iterable[dict],
                extra: dict | None = None) -> Iterator[str]:
    """{"dataset", "description", "schema": {field: meaning}, …extra, "rows": [...]}, written as it
    goes. The head is written now, in the active language (a streamed body is read after the view
    returned)."""
    head = {"dataset": dataset, "description": str(description),
            "schema": {name: str(meaning) for name, meaning in fields.items()}, **(extra or {})}
    opening = json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ',\n "rows": ['

    def body():
        yield opening
        first = True
        for row in rows:
            yield ("\n  " if first else ",\n  ") + json.dumps(row, ensure_ascii=False)
            first = False
        yield "\n ]\n}\n"

    return body()
