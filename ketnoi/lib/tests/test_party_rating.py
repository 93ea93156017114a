from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketnoi.lib.party_rating import (
    CURRENT_LEVEL,
    LEGACY_MEMBER_LABELS,
    LEGACY_ORG_LABELS,
    LEVEL_LABELS,
    LEVELS,
    SCORE_SCALE_FROM,
    Level,
    LegacyMemberLabel,
    LegacyOrgLabel,
    OrgDistinction,
    QuotaResult,
    current_level,
    is_exemplary,
    label,
    level_from_score,
    quota_check,
    regulation_on,
)

AFTER_366 = date(2025, 12, 15)


# --- Levels and labels ------------------------------------------------------------------------


def test_it_has_the_four_levels_in_order():
    assert [level.value for level in LEVELS] == ["xuat_sac", "tot", "hoan_thanh",
                                                 "khong_hoan_thanh"]


def test_it_labels_the_levels_in_vietnamese_and_english():
    assert label("xuat_sac") == "Hoàn thành xuất sắc nhiệm vụ"
    assert label(Level.KHONG_HOAN_THANH) == "Không hoàn thành nhiệm vụ"
    assert label("tot", "en") == "Completed tasks well"
    assert label("tot", "en-gb") == "Completed tasks well"
    assert all(labels["vi"] and labels["en"] for labels in LEVEL_LABELS.values())


def test_it_keeps_the_pre_2018_organisation_labels_as_their_own_codes():
    assert label("legacy_tsvm_tieu_bieu") == "Trong sạch vững mạnh tiêu biểu"
    assert label("legacy_tsvm") == "Trong sạch vững mạnh"
    assert label("legacy_hoan_thanh_tot") == "Hoàn thành tốt nhiệm vụ"
    assert label("legacy_hoan_thanh") == "Hoàn thành nhiệm vụ"
    assert label("legacy_yeu_kem") == "Yếu kém"
    assert not set(LegacyOrgLabel) & set(Level)
    assert all(labels["vi"] and labels["en"] for labels in LEGACY_ORG_LABELS.values())
    assert all(labels["vi"] and labels["en"] for labels in LEGACY_MEMBER_LABELS.values())


def test_it_counts_both_clean_and_strong_labels_as_xuat_sac():
    assert current_level("legacy_tsvm_tieu_bieu") is Level.XUAT_SAC
    assert current_level("legacy_tsvm") is Level.XUAT_SAC
    assert current_level("legacy_hoan_thanh_tot") is Level.TOT
    assert current_level("legacy_hoan_thanh") is Level.HOAN_THANH
    assert current_level("legacy_yeu_kem") is Level.KHONG_HOAN_THANH


def test_it_maps_the_pre_2018_member_labels():
    assert current_level(LegacyMemberLabel.XUAT_SAC) is Level.XUAT_SAC
    assert current_level(LegacyMemberLabel.TOT) is Level.TOT
    assert current_level(LegacyMemberLabel.HAN_CHE) is Level.HOAN_THANH
    assert current_level(LegacyMemberLabel.VI_PHAM) is Level.KHONG_HOAN_THANH


def test_it_maps_every_code_and_labels_it():
    for code in CURRENT_LEVEL:
        assert label(code, "vi") and label(code, "en")


def test_it_marks_only_the_tieu_bieu_codes_as_exemplary():
    assert is_exemplary(OrgDistinction.XUAT_SAC_TIEU_BIEU)
    assert is_exemplary("legacy_tsvm_tieu_bieu")
    assert not is_exemplary("legacy_tsvm")
    assert not is_exemplary("xuat_sac")
    assert current_level("xuat_sac_tieu_bieu") is Level.XUAT_SAC


def test_it_refuses_an_unknown_code():
    with pytest.raises(ValueError):
        current_level("gioi")
    with pytest.raises(ValueError):
        label("gioi")
    with pytest.raises(ValueError):
        is_exemplary("gioi")


def test_it_knows_which_regulation_applies_on_a_day():
    assert regulation_on(date(2017, 12, 31)) is None
    assert regulation_on(date(2020, 12, 1)).number == "132-QĐ/TW"
    assert regulation_on(date(2023, 10, 4)).number == "124-QĐ/TW"
    assert regulation_on(date(2025, 8, 29)).number == "124-QĐ/TW"
    assert regulation_on(date(2025, 8, 30)).number == "366-QĐ/TW"


# --- Quota ------------------------------------------------------------------------------------


def test_it_allows_20_percent_of_those_rated_tot_or_better():
    result = quota_check({"xuat_sac": 4, "tot": 16, "hoan_thanh": 3})
    assert result == QuotaResult(base=20, allowed=4, actual=4, broken=False)


def test_it_warns_when_the_quota_is_broken():
    result = quota_check({"xuat_sac": 5, "tot": 15, "khong_hoan_thanh": 1})
    assert (result.base, result.allowed, result.actual, result.broken) == (20, 4, 5, True)
    assert result.message("vi") == (
        "5 đảng viên xếp loại Hoàn thành xuất sắc nhiệm vụ, vượt giới hạn 4 (20% của 20 đảng "
        "viên xếp loại Hoàn thành tốt nhiệm vụ trở lên). Cấp có thẩm quyền vẫn có thể quyết "
        "định; hãy ghi rõ lý do."
    )
    assert result.message("en").startswith(
        "5 members rated Completed tasks excellently, over the limit of 4"
    )
    assert set(result.messages) == {"vi", "en"}


def test_it_says_when_the_quota_is_kept():
    result = quota_check({"xuat_sac": 2, "tot": 18})
    assert not result.broken
    assert "trong giới hạn 4" in result.message()
    assert "within the limit of 4" in result.message("en")


def test_it_rounds_the_allowed_number_down():
    # 20 % of 14 is 2.8: "không vượt quá" allows 2.
    assert quota_check({"xuat_sac": 2, "tot": 12}).allowed == 2
    assert quota_check({"xuat_sac": 3, "tot": 11}).broken


def test_it_can_read_the_base_as_tot_alone():
    counts = {"xuat_sac": 5, "tot": 20}
    assert not quota_check(counts).broken  # 20 % of 25 = 5
    literal = quota_check(counts, base_includes_excellent=False)
    assert (literal.base, literal.allowed, literal.broken) == (20, 4, True)
    assert "đảng viên xếp loại Hoàn thành tốt nhiệm vụ)" in literal.message("vi")


def test_it_allows_no_xuat_sac_in_an_organisation_too_small_for_the_quota():
    assert quota_check({"xuat_sac": 1, "tot": 3}).broken  # 20 % of 4 < 1
    assert not quota_check({}).broken


def test_it_counts_legacy_codes_by_their_level():
    result = quota_check({LegacyMemberLabel.XUAT_SAC: 1, LegacyMemberLabel.TOT: 4})
    assert (result.base, result.actual) == (5, 1)


def test_it_refuses_bad_counts():
    with pytest.raises(ValueError):
        quota_check({"xuat_sac": -1})
    with pytest.raises(ValueError):
        quota_check({"xuat_sac": 1.5})
    with pytest.raises(ValueError):
        quota_check({"gioi": 1})
    with pytest.raises(ValueError):
        quota_check({"tot": True})


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 500), st.integers(0, 500), st.integers(0, 500))
def test_the_quota_is_broken_exactly_when_xuat_sac_exceeds_a_fifth_of_the_base(
    excellent, good, completed
):
    result = quota_check({"xuat_sac": excellent, "tot": good, "hoan_thanh": completed})
    assert result.broken == (5 * excellent > excellent + good)


# --- The 100-point scale (QĐ 366-QĐ/TW) ------------------------------------------------------


def test_it_rates_xuat_sac_from_90_points_with_all_tasks_on_time_and_30_percent_exceeding():
    assert level_from_score(90, AFTER_366, True, 0.30) is Level.XUAT_SAC
    assert level_from_score(100, AFTER_366, True, 1.0) is Level.XUAT_SAC


def test_it_rates_tot_from_90_points_without_30_percent_exceeding():
    assert level_from_score(95, AFTER_366, True, 0.29) is Level.TOT


def test_it_rates_tot_from_70_to_under_90_points():
    assert level_from_score(89.99, AFTER_366, True, 0.9) is Level.TOT
    assert level_from_score(70, AFTER_366, True, 0.0) is Level.TOT


def test_it_needs_every_task_on_time_for_tot():
    assert level_from_score(95, AFTER_366, False, 0.5) is Level.HOAN_THANH
    assert level_from_score(75, AFTER_366, False, 0.0) is Level.HOAN_THANH


def test_it_rates_hoan_thanh_from_50_to_under_70_points():
    assert level_from_score(69.5, AFTER_366, True, 0.0) is Level.HOAN_THANH
    assert level_from_score(50, AFTER_366, False, 0.0) is Level.HOAN_THANH


def test_it_rates_khong_hoan_thanh_under_50_points_or_too_many_late_tasks():
    assert level_from_score(49.9, AFTER_366, True, 1.0) is Level.KHONG_HOAN_THANH
    assert level_from_score(60, AFTER_366, False, 0.0, late_share=0.2) is Level.HOAN_THANH
    assert level_from_score(60, AFTER_366, False, 0.0, late_share=0.25) is (
        Level.KHONG_HOAN_THANH
    )


def test_it_applies_the_scale_from_30_august_2025_only():
    assert SCORE_SCALE_FROM == date(2025, 8, 30)
    assert level_from_score(92, date(2025, 8, 30), True, 0.4) is Level.XUAT_SAC
    with pytest.raises(ValueError, match="30/08/2025"):
        level_from_score(92, date(2025, 8, 29), True, 0.4)


def test_it_refuses_a_score_or_share_out_of_range():
    for args in [(101, True, 0.3), (-1, True, 0.3), (90, True, 1.5), (90, True, -0.1)]:
        score, on_time, share = args
        with pytest.raises(ValueError):
            level_from_score(score, AFTER_366, on_time, share)
    with pytest.raises(ValueError):
        level_from_score(90, AFTER_366, True, 0.3, late_share=0.1)
    with pytest.raises(ValueError):
        level_from_score(90, AFTER_366, False, 0.3, late_share=2)


@settings(max_examples=300, deadline=None)
@given(st.floats(0, 100), st.floats(0, 100), st.booleans(), st.floats(0, 1))
def test_a_higher_score_never_gives_a_lower_level(low, high, on_time, share):
    low, high = min(low, high), max(low, high)
    assert LEVELS.index(level_from_score(high, AFTER_366, on_time, share)) <= LEVELS.index(
        level_from_score(low, AFTER_366, on_time, share)
    )
