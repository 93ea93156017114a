"""The dashboards' charts and the tables behind them, built from the figures.

Each chart is drawn from the table it stands on (the same rows, the same values), so that the
chart, the table under it and the workbook's sheet cannot say different things. A table keeps
its raw values (numbers, dates) with a kind per column: the page writes them for people
(`85 %`, `4,2`, `03/2020`), the workbook as numbers and dates (xlsx.py). The drawing itself is
`lib/svgchart.py`'s, as on the dialogue and prices pages.
"""

import functools
from dataclasses import dataclass, field
from datetime import date

from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ketnoi.lib import svgchart

from .activity import DialogueFigures, DirectiveFigures, PriceFigures

# The kinds of a column: how the page and the workbook write its values.
TEXT, COUNT, SHARE, MEAN, DAYS, MONTH, DATE = "text", "count", "share", "mean", "days", "month", "date"


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = COUNT
    alert: bool = False   # a value above zero stands out (overdue)
    series: int | None = None  # the chart series this column is drawn as


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[list]

    @property
    def html(self) -> SafeString:
        return table_html(self)

    @property
    def empty(self) -> bool:
        return not self.rows


@dataclass
class Chart:
    key: str
    title: str
    kind: str               # "columns" (stacked), "lines" or "bars"
    drawing: object
    series: list[str]       # the legend, in the order of the series
    table: Table
    suffix: str = ""        # written after a bar's value (" %")

    @property
    def svg(self) -> SafeString:
        return svg(self)

    @property
    def table_html(self) -> SafeString:
        return table_html(self.table, self.key)


@dataclass
class Headline:
    """A key figure: its value (a number, written by kind) and what follows it on the page
    ("(50 %)", "/ 12")."""

    label: str
    value: object
    kind: str = COUNT
    extra: str = ""
    alert: bool = False

    @property
    def text(self) -> str:
        return f"{show(self.value, self.kind)} {self.extra}".strip()


@dataclass
class Section:
    key: str
    title: str
    headlines: list[Headline] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    note: str = ""


def _separators() -> tuple[str, str]:
    """The active language's decimal and thousands separators (Vietnamese: "4,2" and "1.234")."""
    return _separators_of(get_language())


@functools.lru_cache(maxsize=8)
def _separators_of(language: str | None) -> tuple[str, str]:
    return get_format("DECIMAL_SEPARATOR", language), get_format("THOUSAND_SEPARATOR", language)


def show(value, kind: str) -> str:
    """A value as the page writes it. (Counts and means are written here rather than by
    number_format, which a dashboard would call some thousand times.)"""
    if value is None:
        return "–"
    if kind == SHARE:
        return f"{round(value * 100)} %"
    if kind in (MEAN, DAYS):
        return f"{value:.1f}".replace(".", _separators()[0])
    if kind == COUNT:
        return f"{value:,}".replace(",", _separators()[1]) if value >= 1000 else str(value)
    if kind == MONTH:
        return f"{value:%m/%Y}"
    if kind == DATE:
        return f"{value:%d/%m/%Y}"
    return str(value)


def _percent(value: int) -> str:
    return f"{value} %"


def _month_label(month: date) -> str:
    return show(month, MONTH)


def _lines(key, title, table: Table, label_column: int = 0, **scale) -> Chart:
    drawn = [i for i, column in enumerate(table.columns) if column.series is not None]
    labels = [show(row[label_column], table.columns[label_column].kind) for row in table.rows]
    drawing = svgchart.lines(labels, [[row[i] for row in table.rows] for i in drawn], **scale)
    return Chart(key=key, title=title, kind="lines", drawing=drawing,
                 series=[table.columns[i].header for i in drawn], table=table)


def _columns(key, title, table: Table, label_column: int = 0) -> Chart:
    drawn = [i for i, column in enumerate(table.columns) if column.series is not None]
    labels = [show(row[label_column], table.columns[label_column].kind) for row in table.rows]
    drawing = svgchart.columns(labels, [[row[i] or 0 for row in table.rows] for i in drawn])
    return Chart(key=key, title=title, kind="columns", drawing=drawing,
                 series=[table.columns[i].header for i in drawn], table=table)


def _bars(key, title, table: Table, *, as_percent: bool = False) -> Chart:
    """One bar per row: the first column is the label, the column marked as series the length."""
    drawn = next(i for i, column in enumerate(table.columns) if column.series is not None)

    def length(value):
        return round(value * 100) if as_percent else value

    drawing = svgchart.bars([(str(row[0]), length(row[drawn] or 0)) for row in table.rows],
                            tick_label=_percent if as_percent else str, margin_left=260, margin_right=60)
    return Chart(key=key, title=title, kind="bars", drawing=drawing, series=[table.columns[drawn].header],
                 table=table, suffix=" %" if as_percent else "")


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# --- cases -----------------------------------------------------------------------------------------

def cases_section(figures) -> Section:
    """`figures` is a reports.selectors.CaseFigures."""
    f = figures
    section = Section(key="cases", title=_("Difficulties raised by businesses"), headlines=[
        Headline(_("Cases received"), f.received, COUNT),
        Headline(_("Cases answered"), f.answered, COUNT),
        Headline(_("Answered on time"), f.on_time_rate, SHARE),
        Headline(_("Median time to answer (working days)"), f.median_answer_workdays, DAYS),
        Headline(_("Cases resolved"), f.resolved, COUNT),
        Headline(_("Satisfaction (1–5)"), f.satisfaction, MEAN,
                 ngettext("(%(n)s rating)", "(%(n)s ratings)", f.rated) % {"n": show(f.rated, COUNT)}),
        Headline(_("Open now"), f.open, COUNT),
        Headline(_("Overdue now"), f.overdue, COUNT, alert=bool(f.overdue)),
    ], note=_("Open, overdue and the backlog are as they stand now, whatever the period."))

    by_month = Table("cases-by-month", _("Cases by month"), [
        Column(_("Month"), MONTH), Column(_("Cases received"), series=0), Column(_("Cases answered"), series=1),
        Column(_("Answered on time")), Column(_("On-time rate"), SHARE), Column(_("Cases resolved"), series=2)],
        [[m.month, m.received, m.answered, m.answered_on_time, _ratio(m.answered_on_time, m.answered), m.resolved]
         for m in f.months])
    section.charts.append(_lines("cases-by-month", _("Cases received, answered and resolved by month"), by_month))

    on_time = Table("answers-on-time", _("Answers on time and late"), [
        Column(_("Month"), MONTH), Column(_("Answered on time"), series=0), Column(_("Answered late"), series=1),
        Column(_("Cases answered")), Column(_("On-time rate"), SHARE)],
        [[m.month, m.answered_on_time, m.answered - m.answered_on_time, m.answered,
          _ratio(m.answered_on_time, m.answered)] for m in f.months])
    section.charts.append(_columns("answers-on-time", _("Answers by month: on time and late"), on_time))

    if f.top_topics:
        topics = Table("top-topics", _("Top topics"), [Column(_("Topic"), TEXT), Column(_("Cases received"), series=0)],
                       [[name, n] for name, n in f.top_topics])
        section.charts.append(_bars("top-topics", _("Top topics of the cases received"), topics))

    backlog = Table("backlog", _("Open cases by age"), [
        Column(_("Working days since received"), TEXT), Column(_("Open cases"), series=0)],
        [[label, n] for label, n in f.backlog_by_age])
    section.charts.append(_columns("backlog", _("Open cases now, by working days since received"), backlog))

    answered_units = [u for u in f.by_unit if u.answered]
    if answered_units:
        rates = Table("units-on-time", _("On-time rate by unit"), [
            Column(_("Unit"), TEXT), Column(_("Cases answered")), Column(_("Answered on time")),
            Column(_("On-time rate"), SHARE, series=0)],
            [[u.unit_name, u.answered, u.answered_on_time, u.on_time_rate]
             for u in sorted(answered_units, key=lambda u: (-(u.on_time_rate or 0), u.unit_name))])
        section.charts.append(_bars("units-on-time", _("On-time rate by unit"), rates, as_percent=True))

    section.tables.append(Table("cases-units", _("Cases by unit"), [
        Column(_("Unit"), TEXT), Column(_("Cases received")), Column(_("Cases answered")), Column(_("On-time rate"), SHARE),
        Column(_("Median time to answer (working days)"), DAYS), Column(_("Ratings given")),
        Column(_("Satisfaction (1–5)"), MEAN), Column(_("Open now")), Column(_("Overdue now"), alert=True)],
        [[u.unit_name, u.received, u.answered, u.on_time_rate, u.median_answer_workdays, u.rated, u.satisfaction,
          u.open, u.overdue] for u in f.by_unit]))
    return section


# --- dialogue --------------------------------------------------------------------------------------

def dialogue_section(f: DialogueFigures) -> Section:
    section = Section(key="dialogue", title=_("Dialogue with businesses"), headlines=[
        Headline(_("Sessions held"), f.held, COUNT),
        Headline(_("Sessions cancelled"), f.cancelled, COUNT),
        Headline(_("Businesses attending"), f.businesses, COUNT),
        Headline(_("People attending"), f.attendees, COUNT),
        Headline(_("Questions raised"), f.questions, COUNT),
        Headline(_("Answered on the spot"), f.answered_on_spot, COUNT, f"({show(f.answered_share, SHARE)})"),
        Headline(_("Follow-ups closed"), f.follow_ups_closed, COUNT, f"/ {show(f.followed_up, COUNT)}"),
        Headline(_("Follow-ups open past their date"), f.follow_ups_overdue, COUNT,
                 alert=bool(f.follow_ups_overdue)),
        Headline(_("Satisfaction (1–5)"), f.satisfaction, MEAN),
    ])
    sessions = Table("sessions-by-month", _("Sessions by month"), [
        Column(_("Month"), MONTH), Column(_("Held"), series=0), Column(_("Cancelled"), series=1),
        Column(_("Businesses attending")), Column(_("People attending"))],
        [[m.month, m.held, m.cancelled, m.businesses, m.attendees] for m in f.months])
    section.charts.append(_columns("sessions-by-month", _("Sessions held and cancelled by month"), sessions))
    questions = Table("questions-by-month", _("Questions by month"), [
        Column(_("Month"), MONTH), Column(_("Answered on the spot"), series=0), Column(_("Followed up"), series=1),
        Column(_("Not discussed"), series=2), Column(_("Questions raised")), Column(_("Answered on the spot (share)"), SHARE)],
        [[m.month, m.answered_on_spot, m.followed_up, m.questions - m.answered_on_spot - m.followed_up, m.questions,
          m.answered_share] for m in f.months])
    section.charts.append(_columns("questions-by-month", _("Questions raised at the sessions, by month"), questions))
    section.tables.append(Table("dialogue-units", _("Dialogue by unit"), [
        Column(_("Unit"), TEXT), Column(_("Held")), Column(_("Cancelled")), Column(_("Businesses attending")),
        Column(_("Questions raised")), Column(_("Answered on the spot")), Column(_("Followed up")),
        Column(_("Follow-ups closed")), Column(_("Follow-ups open past their date"), alert=True),
        Column(_("Satisfaction (1–5)"), MEAN)],
        [[u.unit_name, u.held, u.cancelled, u.businesses, u.questions, u.answered_on_spot, u.followed_up,
          u.follow_ups_closed, u.follow_ups_overdue, u.satisfaction] for u in f.by_unit]))
    return section


# --- prices ----------------------------------------------------------------------------------------

def prices_section(f: PriceFigures) -> Section:
    section = Section(key="prices", title=_("Commitments not to raise prices"), headlines=[
        Headline(_("Commitments in force"), f.in_force, COUNT),
        Headline(_("Kept"), f.kept, COUNT),
        Headline(_("Broken in the period"), f.broken, COUNT, alert=bool(f.broken)),
        Headline(_("Operators"), f.operators, COUNT),
        Headline(_("Facilities covered"), f.facilities, COUNT),
    ])
    states = Table("commitments", _("Commitments in force in the period"), [
        Column(_("State"), TEXT), Column(_("Commitments"), series=0)],
        [[_("Kept"), f.kept], [_("Broken in the period"), f.broken], [_("Broken before the period"), f.broken_before]])
    section.charts.append(_bars("commitments", _("Commitments kept and broken"), states))
    section.tables.append(Table("breaches", _("Price increases found in the period"), [
        Column(_("Found on"), DATE), Column(_("Operator"), TEXT), Column(_("Facility"), TEXT),
        Column(_("Services raised")), Column(_("Follow-up"), TEXT)],
        [[b.found_on, b.operator, b.facilities, b.services_raised, b.follow_up] for b in f.breaches]))
    section.tables.append(Table("prices-units", _("Commitments by unit"), [
        Column(_("Unit"), TEXT), Column(_("In force")), Column(_("Kept")), Column(_("Broken in the period"), alert=True)],
        [[u.unit_name, u.in_force, u.kept, u.broken] for u in f.by_unit]))
    return section


# --- directives ------------------------------------------------------------------------------------

def directives_section(f: DirectiveFigures) -> Section:
    section = Section(key="directives", title=_("Directives"), headlines=[
        Headline(_("Directives issued"), f.issued, COUNT),
        Headline(_("Units to acknowledge"), f.recipients, COUNT),
        Headline(_("Acknowledged"), f.acknowledged, COUNT, f"({show(f.acknowledged_share, SHARE)})"),
        Headline(_("Acknowledged in time"), f.acknowledged_on_time, COUNT),
        Headline(_("Acknowledgements overdue"), f.acknowledgement_overdue, COUNT,
                 alert=bool(f.acknowledgement_overdue)),
        Headline(_("Implementation reports received"), f.reports_received, COUNT,
                 f"/ {show(f.reports_due, COUNT)}"),
        Headline(_("Reports overdue"), f.reports_overdue, COUNT, alert=bool(f.reports_overdue)),
    ])
    ack_late = f.acknowledged - f.acknowledged_on_time
    report_late = f.reports_received - f.reports_on_time
    status = Table("directive-status", _("Acknowledgements and reports"), [
        Column(_("What is asked"), TEXT), Column(_("In time"), series=0), Column(_("Late"), series=1),
        Column(_("Overdue"), series=2, alert=True), Column(_("Not yet, within time"), series=3), Column(_("Total"))],
        [[_("Acknowledgement"), f.acknowledged_on_time, ack_late, f.acknowledgement_overdue,
          f.recipients - f.acknowledged - f.acknowledgement_overdue, f.recipients],
         [_("Implementation report"), f.reports_on_time, report_late, f.reports_overdue,
          f.reports_due - f.reports_received - f.reports_overdue, f.reports_due]])
    section.charts.append(_columns("directive-status", _("Where the units stand with the directives"), status))
    section.tables.append(Table("directive-units", _("Directives by unit"), [
        Column(_("Unit"), TEXT), Column(_("Directives received")), Column(_("Acknowledged")),
        Column(_("Acknowledged in time")), Column(_("Acknowledgements overdue"), alert=True),
        Column(_("Reports asked")), Column(_("Reports received")), Column(_("Reports overdue"), alert=True)],
        [[u.unit_name, u.recipients, u.acknowledged, u.acknowledged_on_time, u.acknowledgement_overdue,
          u.reports_due, u.reports_received, u.reports_overdue] for u in f.by_unit]))
    return section


# --- the markup ------------------------------------------------------------------------------------
# A dashboard holds a dozen charts and their tables, some thousand elements: written here in
# Python rather than by template loops, which took most of the page's time. The positions are
# svgchart's; every label is escaped.

def _num(value) -> str:
    return str(value)


def svg(chart: Chart) -> SafeString:
    d, key = chart.drawing, escape(chart.key)
    out = [f'<svg viewBox="0 0 {d.width} {d.height}" width="{d.width}" height="{d.height}" role="img" '
           f'aria-labelledby="chart-{key}-title" focusable="false">']
    if chart.kind == "bars":
        for tick in d.x_ticks:
            out.append(f'<line class="grid" x1="{tick.position}" x2="{tick.position}" y1="{d.top}" y2="{d.bottom}"/>'
                       f'<text class="axis" x="{tick.position}" y="{d.bottom}" dy="18" text-anchor="middle">'
                       f'{escape(tick.label)}</text>')
        suffix = escape(chart.suffix)
        for bar in d.bars:
            label = escape(bar.label)
            short = escape(bar.label if len(bar.label) <= 34 else bar.label[:33] + "…")
            out.append(f'<g class="bar" data-label="{label}" data-value="{bar.amount}">'
                       f'<text class="label" x="{d.left}" y="{bar.y}" dx="-8" dy="15" text-anchor="end">{short}</text>'
                       f'<rect x="{bar.x}" y="{bar.y}" width="{bar.width}" height="{bar.height}">'
                       f'<title>{label}: {bar.amount}{suffix}</title></rect>'
                       f'<text class="value" x="{bar.x}" y="{bar.y}" dx="{bar.width}" dy="15">&#8201;{bar.amount}{suffix}'
                       f'</text></g>')
    else:
        for tick in d.y_ticks:
            out.append(f'<line class="grid" x1="{d.left}" x2="{d.right}" y1="{tick.position}" y2="{tick.position}"/>'
                       f'<text class="axis" x="{d.left}" y="{tick.position}" dx="-6" dy="4" text-anchor="end">'
                       f'{escape(tick.label)}</text>')
        out.append(f'<line class="axis-line" x1="{d.left}" x2="{d.right}" y1="{d.bottom}" y2="{d.bottom}"/>')
        for tick in d.x_ticks:
            out.append(f'<text class="axis" x="{tick.position}" y="{d.bottom}" dy="18" text-anchor="middle">'
                       f'{escape(tick.label)}</text>')
        names = [escape(name) for name in chart.series]
        if chart.kind == "columns":
            for column in d.columns:
                label = escape(column.label)
                out.append(f'<g class="column" data-label="{label}" data-total="{column.total}">')
                for part in column.segments:
                    out.append(f'<rect class="s{part.series}" x="{part.x}" y="{part.y}" width="{part.width}" '
                               f'height="{part.height}" data-series="{part.series}" data-value="{part.value}">'
                               f'<title>{label} – {names[part.series]}: {part.value}</title></rect>')
                if column.total:
                    out.append(f'<text class="total" x="{column.x}" y="{column.top}" dy="-4" text-anchor="middle">'
                               f'{column.total}</text>')
                out.append("</g>")
        else:
            for index, line in enumerate(d.series):
                out.append(f'<g class="series" data-series="{index}"><path class="line s{index}" d="{line.path}"/>')
                for point in line.points:
                    label = escape(point.label)
                    out.append(f'<circle class="s{index}" cx="{point.x}" cy="{point.y}" r="3.5" data-label="{label}" '
                               f'data-value="{_num(point.value)}"><title>{label} – {names[index]}: '
                               f'{escape(show(point.value, MEAN if isinstance(point.value, float) else COUNT))}'
                               f'</title></circle>')
                out.append("</g>")
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 (every text above is escaped)


def table_html(table: Table, chart_key: str = "") -> SafeString:
    """The table: its first column names the row (a header cell), the others are figures; a
    column drawn as a series says which (data-series), an alert column's non-zero values stand out."""
    key = escape(table.key)
    chart = f' data-chart="{escape(chart_key)}"' if chart_key else ""
    out = [f'<div class="matrix-scroll"><table class="compact report-table" id="table-{key}"{chart}>',
           f"<caption>{escape(table.title)}</caption><thead><tr>"]
    for index, column in enumerate(table.columns):
        attrs = (' class="num"' if index else "") + (
            f' data-series="{column.series}"' if column.series is not None else "")
        out.append(f'<th scope="col"{attrs}>{escape(column.header)}</th>')
    out.append("</tr></thead><tbody>")
    for row in table.rows:
        out.append("<tr>")
        for index, (value, column) in enumerate(zip(row, table.columns)):
            text = escape(show(value, column.kind))
            if index == 0:
                out.append(f'<th scope="row">{text}</th>')
                continue
            alert = column.alert and bool(value)
            series = f' data-series="{column.series}"' if column.series is not None else ""
            out.append(f'<td class="num{" alert" if alert else ""}"{series}>'
                       f'{f"<strong>{text}</strong>" if alert else text}</td>')
        out.append("</tr>")
    if not table.rows:
        out.append(f'<tr><td colspan="{len(table.columns)}" class="muted">{escape(_("Nothing in the period."))}</td></tr>')
    out.append("</tbody></table></div>")
    return mark_safe("".join(out))  # noqa: S308 (every text above is escaped)
