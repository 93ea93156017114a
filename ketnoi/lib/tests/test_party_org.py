import pytest

from ketnoi.lib.party_org import (
    CHILDREN,
    KIND_LABELS,
    SIZE_WARNINGS,
    Kind,
    can_nest,
    size_warnings,
    warning_message,
)


def test_it_labels_every_kind_in_both_languages():
    assert set(KIND_LABELS) == set(Kind)
    assert KIND_LABELS[Kind.GRASSROOTS_CELL]["vi"] == "Chi bộ cơ sở"
    assert KIND_LABELS[Kind.SUB_COMMITTEE]["en"] == "Party sub-committee"


@pytest.mark.parametrize(
    "parent, child",
    [
        (Kind.UPPER_GRASSROOTS_COMMITTEE, Kind.GRASSROOTS_COMMITTEE),
        (Kind.UPPER_GRASSROOTS_COMMITTEE, Kind.GRASSROOTS_CELL),
        (Kind.GRASSROOTS_COMMITTEE, Kind.SUB_COMMITTEE),
        (Kind.GRASSROOTS_COMMITTEE, Kind.CELL),
        (Kind.SUB_COMMITTEE, Kind.CELL),
        (Kind.CELL, Kind.PARTY_GROUP),
        (Kind.GRASSROOTS_CELL, Kind.PARTY_GROUP),
        (None, Kind.UPPER_GRASSROOTS_COMMITTEE),
    ],
)
def test_it_allows_the_nesting_of_article_21(parent, child):
    assert can_nest(parent, child)


@pytest.mark.parametrize(
    "parent, child",
    [
        (Kind.GRASSROOTS_CELL, Kind.CELL),  # a grassroots cell has party groups, not cells
        (Kind.UPPER_GRASSROOTS_COMMITTEE, Kind.CELL),
        (Kind.UPPER_GRASSROOTS_COMMITTEE, Kind.SUB_COMMITTEE),
        (Kind.SUB_COMMITTEE, Kind.SUB_COMMITTEE),
        (Kind.CELL, Kind.CELL),
        (Kind.PARTY_GROUP, Kind.PARTY_GROUP),
        (Kind.GRASSROOTS_COMMITTEE, Kind.GRASSROOTS_COMMITTEE),
        (None, Kind.CELL),
    ],
)
def test_it_refuses_any_other_nesting(parent, child):
    assert not can_nest(parent, child)


def test_it_accepts_kinds_given_as_codes():
    assert can_nest("grassroots_committee", "cell")
    with pytest.raises(ValueError):
        can_nest("grassroots_committee", "club")


def test_it_describes_every_kind_s_children():
    assert set(CHILDREN) == set(Kind)


def test_it_warns_of_fewer_than_three_full_members():
    assert size_warnings(Kind.CELL, 2, 5) == ["too_few_full_members"]
    assert size_warnings(Kind.CELL, 3, 3) == []


def test_it_does_not_ask_three_full_members_of_a_party_group():
    assert size_warnings(Kind.PARTY_GROUP, 1, 2) == []


def test_it_warns_a_grassroots_cell_of_30_members_to_become_a_committee():
    assert size_warnings(Kind.GRASSROOTS_CELL, 25, 29) == []
    assert size_warnings(Kind.GRASSROOTS_CELL, 25, 30) == ["grassroots_cell_too_large"]


def test_it_warns_a_grassroots_committee_under_30_members():
    assert size_warnings(Kind.GRASSROOTS_COMMITTEE, 28, 29) == ["grassroots_committee_too_small"]
    assert size_warnings(Kind.GRASSROOTS_COMMITTEE, 28, 30) == []


def test_it_gives_every_warning_that_applies():
    assert size_warnings(Kind.GRASSROOTS_COMMITTEE, 2, 4) == [
        "too_few_full_members", "grassroots_committee_too_small"
    ]


def test_it_counts_probationary_members_towards_the_30():
    assert size_warnings(Kind.GRASSROOTS_CELL, 20, 31) == ["grassroots_cell_too_large"]


def test_it_refuses_impossible_counts():
    with pytest.raises(ValueError):
        size_warnings(Kind.CELL, 5, 4)
    with pytest.raises(ValueError):
        size_warnings(Kind.CELL, -1, 4)
    with pytest.raises(ValueError):
        size_warnings(Kind.CELL, 3.0, 4)


def test_it_says_each_warning_in_both_languages():
    assert warning_message("grassroots_cell_too_large") == (
        "Chi bộ cơ sở có từ 30 đảng viên trở lên: nên thành lập đảng bộ cơ sở."
    )
    assert warning_message("too_few_full_members", "en") == (
        "The organisation has fewer than 3 full members."
    )
    assert all(text["vi"] and text["en"] for text in SIZE_WARNINGS.values())
