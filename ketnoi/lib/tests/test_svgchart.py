from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ketnoi.lib.svgchart import bars, columns, lines, nice_ticks, price_history

JAN, APR, JUL = date(2020, 1, 1), date(2020, 4, 1), date(2020, 7, 1)


def test_it_picks_round_steps_that_cover_the_range():
    assert nice_ticks(1_000_000, 1_050_000) == [1_000_000, 1_020_000, 1_040_000, 1_060_000]
    assert nice_ticks(0, 850_000) == [0, 250_000, 500_000, 750_000, 1_000_000]


def test_it_widens_a_flat_range_so_it_still_has_an_axis():
    ticks = nice_ticks(500_000, 500_000)
    assert ticks[0] < 500_000 < ticks[-1]
    assert nice_ticks(0, 0)[0] == 0


@given(st.integers(0, 10**12), st.integers(0, 10**12))
def test_the_ticks_always_cover_the_range_in_equal_steps(a, b):
    ticks = nice_ticks(a, b)
    assert ticks[0] <= min(a, b) and ticks[-1] >= max(a, b) and ticks[0] >= 0
    steps = {second - first for first, second in zip(ticks, ticks[1:])}
    assert len(steps) == 1 and 2 <= len(ticks) <= 12


def test_it_places_the_first_and_last_day_at_the_edges_and_prices_by_height():
    chart = price_history([(JAN, 1_000_000), (JUL, 1_050_000)], width=420, height=180)
    first, last = chart.points
    assert (first.x, last.x) == (chart.left, chart.right)
    assert last.y < first.y  # dearer is higher
    assert chart.top <= last.y and first.y <= chart.bottom


def test_it_draws_steps_because_a_price_holds_until_the_next_list():
    chart = price_history([(JAN, 1_000_000), (APR, 1_000_000), (JUL, 1_100_000)])
    a, b, c = chart.points
    assert chart.path == f"M{a.x} {a.y} H{b.x} V{b.y} H{c.x} V{c.y}"


def test_it_carries_the_last_price_on_to_today():
    chart = price_history([(JAN, 900_000)], until=JUL)
    assert chart.points[0].x == chart.left
    assert chart.path.endswith(f"H{chart.right}")
    assert [tick.label for tick in chart.x_ticks] == ["01/01/2020", "01/07/2020"]


def test_a_single_price_on_a_single_day_sits_in_the_middle():
    chart = price_history([(JAN, 900_000)])
    assert chart.points[0].x == round((chart.left + chart.right) / 2, 1)
    assert chart.path == f"M{chart.points[0].x} {chart.points[0].y}"


def test_its_labels_are_dd_mm_yyyy_and_dong():
    chart = price_history([(JAN, 1_000_000), (JUL, 1_250_000)])
    assert chart.x_ticks[0].label == "01/01/2020"
    assert any(tick.label == "1.250.000 ₫" for tick in chart.y_ticks) or chart.y_ticks[-1].label.endswith(" ₫")
    assert chart.points[1].label == "01/07/2020: 1.250.000 ₫"


def test_it_leaves_out_date_labels_that_would_overlap_but_keeps_the_latest():
    chart = price_history([(JAN, 1), (date(2020, 1, 3), 2), (JUL, 3)], width=420, label_gap=76)
    assert [tick.label for tick in chart.x_ticks] == ["01/01/2020", "01/07/2020"]


def test_the_baseline_is_inside_the_scale_even_when_every_price_is_above_it():
    chart = price_history([(JAN, 1_100_000)], baseline=1_000_000)
    assert chart.top <= chart.baseline_y <= chart.bottom
    assert chart.baseline_y > chart.points[0].y


def test_it_refuses_an_empty_history():
    with pytest.raises(ValueError):
        price_history([])


def test_bars_start_at_zero_and_are_as_long_as_their_price():
    chart = bars([("Kho A", 500_000), ("Kho B", 1_000_000)], width=640, margin_left=220, margin_right=110)
    a, b = chart.bars
    assert a.x == b.x == chart.left
    assert a.width == pytest.approx(b.width / 2, abs=0.1)
    assert b.y > a.y and chart.x_ticks[0].label == "0 ₫"
    assert chart.left + b.width <= chart.right


def test_bars_of_no_rows_are_an_empty_chart():
    assert bars([]).bars == []


def test_bars_of_counts_write_their_axis_without_the_currency():
    chart = bars([("Thủ tục hải quan", 7), ("Thuế", 3)], tick_label=str)
    assert [tick.label for tick in chart.x_ticks][:2] == ["0", "2"]
    assert all("₫" not in tick.label for tick in chart.x_ticks)


# --- columns and lines (the dialogue dashboard) --------------------------------------------------

def test_columns_stack_the_series_from_zero_and_their_heights_add_up():
    chart = columns(["03/01", "07/02"], [[2, 4], [3, 0]])
    first, second = chart.columns
    assert (first.total, second.total) == (5, 4)
    new, returning = first.segments
    assert new.y + new.height == pytest.approx(chart.bottom, abs=0.1)  # the first series sits on the axis
    assert returning.y + returning.height == pytest.approx(new.y, abs=0.1)  # the next one on top of it
    unit = (chart.bottom - chart.top) / int(chart.y_ticks[-1].label)
    assert new.height == pytest.approx(2 * unit, abs=0.1) and returning.height == pytest.approx(3 * unit, abs=0.1)
    assert first.top == returning.y and chart.y_ticks[0].label == "0"


def test_columns_leave_out_a_zero_part_but_keep_its_place_in_the_stack():
    chart = columns(["a"], [[0], [3]])
    (only,) = chart.columns[0].segments
    assert only.series == 1 and only.value == 3
    assert only.y + only.height == pytest.approx(chart.bottom, abs=0.1)


def test_columns_sit_in_equal_bands_in_the_order_given():
    chart = columns(["1", "2", "3"], [[1, 1, 1]], width=340, margin_left=40, margin_right=0)
    assert [c.x for c in chart.columns] == [90.0, 190.0, 290.0]
    assert [t.label for t in chart.x_ticks] == ["1", "2", "3"]


def test_columns_of_nothing_still_have_an_axis():
    chart = columns(["a", "b"], [[0, 0]])
    assert [c.total for c in chart.columns] == [0, 0] and all(c.segments == [] for c in chart.columns)
    assert chart.y_ticks[0].label == "0" and len(chart.y_ticks) >= 2
    assert columns([], [[]]).columns == []


def test_columns_refuse_series_that_do_not_match_the_labels_or_go_below_zero():
    with pytest.raises(ValueError):
        columns(["a", "b"], [[1]])
    with pytest.raises(ValueError):
        columns(["a"], [[-1]])


@given(st.lists(st.lists(st.integers(0, 500), min_size=6, max_size=6), min_size=1, max_size=4))
def test_every_stack_stays_inside_the_plot_and_is_as_tall_as_its_total(series):
    chart = columns([str(i) for i in range(6)], series)
    ceiling = int(chart.y_ticks[-1].label)
    for column in chart.columns:
        assert chart.top - 0.1 <= column.top <= chart.bottom
        assert column.total == sum(s.value for s in column.segments)
        drawn = sum(s.height for s in column.segments)
        assert drawn == pytest.approx(column.total / ceiling * (chart.bottom - chart.top), abs=0.1 * len(series) + 0.1)


def test_lines_place_points_on_the_columns_bands_and_on_a_fixed_scale():
    labels = ["03/01", "07/02", "06/03"]
    chart = lines(labels, [[4.5, 3.0, 5.0]], low=1, high=5)
    assert [t.label for t in chart.y_ticks] == ["1", "2", "3", "4", "5"]
    assert [p.x for p in chart.series[0].points] == [c.x for c in columns(labels, [[1, 1, 1]]).columns]
    top, middle = chart.series[0].points[2], chart.series[0].points[1]
    assert top.y == chart.top and middle.y == pytest.approx((chart.top + chart.bottom) / 2, abs=0.1)
    a, b, c = chart.series[0].points
    assert chart.series[0].path == f"M{a.x} {a.y} L{b.x} {b.y} L{c.x} {c.y}"


def test_lines_break_where_a_category_has_no_value():
    chart = lines(["1", "2", "3", "4"], [[4.0, None, 3.5, 4.2], [None, None, None, None]], low=1, high=5)
    a, c, d = chart.series[0].points
    assert [p.label for p in chart.series[0].points] == ["1", "3", "4"]
    assert chart.series[0].path == f"M{a.x} {a.y} M{c.x} {c.y} L{d.x} {d.y}"
    assert chart.series[1].points == [] and chart.series[1].path == ""


def test_lines_without_a_fixed_top_round_the_largest_value_up():
    chart = lines(["a", "b"], [[7, 12]])
    assert int(chart.y_ticks[-1].label) >= 12 and chart.y_ticks[0].label == "0"
    assert all(chart.top <= p.y <= chart.bottom for p in chart.series[0].points)
