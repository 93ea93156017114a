import pytest

from ketnoi.lib.commendation import (
    AWARDS,
    BASIS_LABELS,
    FORM_LABELS,
    ISSUER_LABELS,
    Basis,
    Candidate,
    Form,
    Issuer,
    Subject,
    consecutive_years,
    member_candidates,
    organisation_candidates,
)
from ketnoi.lib.party_rating import is_exemplary

XS, TOT, HT = "xuat_sac", "tot", "hoan_thanh"


def bases(candidates):
    return sorted({(c.basis, c.form, c.issuer) for c in candidates})


# --- Consecutive years ------------------------------------------------------------------------


def test_it_counts_the_years_running_up_to_the_year():
    ratings = {2016: XS, 2017: XS, 2018: TOT, 2019: XS, 2020: XS}
    assert consecutive_years(ratings, 2020, lambda code: code == XS) == 2
    assert consecutive_years(ratings, 2018, lambda code: code == XS) == 0
    assert consecutive_years(ratings, 2017, lambda code: code == XS) == 2


def test_a_year_without_a_rating_breaks_the_run():
    ratings = {2015: XS, 2016: XS, 2018: XS, 2019: XS, 2020: XS}
    assert consecutive_years(ratings, 2020, lambda code: code == XS) == 3
    assert consecutive_years(ratings, 2021, lambda code: code == XS) == 0


# --- Members ----------------------------------------------------------------------------------


def test_it_proposes_a_giay_khen_of_the_grassroots_committee_for_xuat_sac_in_the_year():
    assert member_candidates({2020: XS}, 2020) == [
        Candidate(Subject.MEMBER, Basis.YEAR, Form.GIAY_KHEN, Issuer.GRASSROOTS_COMMITTEE,
                  2020, 2020)
    ]


def test_it_proposes_nothing_for_a_member_not_rated_xuat_sac():
    assert member_candidates({2020: TOT}, 2020) == []
    assert member_candidates({2019: XS}, 2020) == []
    assert member_candidates({}, 2020) == []


def test_it_proposes_both_five_year_levels_after_five_years_running():
    ratings = {year: XS for year in range(2016, 2021)}
    candidates = member_candidates(ratings, 2020)
    assert bases(candidates) == sorted([
        (Basis.YEAR, Form.GIAY_KHEN, Issuer.GRASSROOTS_COMMITTEE),
        (Basis.FIVE_YEARS, Form.GIAY_KHEN, Issuer.UPPER_GRASSROOTS_STANDING),
        (Basis.FIVE_YEARS, Form.BANG_KHEN, Issuer.PROVINCIAL_STANDING),
    ])
    five = [c for c in candidates if c.basis is Basis.FIVE_YEARS]
    assert {(c.first_year, c.last_year) for c in five} == {(2016, 2020)}


def test_it_needs_five_full_years():
    ratings = {2016: TOT, 2017: XS, 2018: XS, 2019: XS, 2020: XS}
    assert {c.basis for c in member_candidates(ratings, 2020)} == {Basis.YEAR}


def test_it_counts_the_pre_2018_member_labels_in_the_five_years():
    ratings = {2016: "legacy_du_tu_cach_xuat_sac", 2017: "legacy_du_tu_cach_xuat_sac",
               2018: XS, 2019: XS, 2020: XS}
    assert Basis.FIVE_YEARS in {c.basis for c in member_candidates(ratings, 2020)}


def test_it_does_not_count_again_the_years_of_a_five_year_commendation():
    ratings = {year: XS for year in range(2016, 2023)}
    assert Basis.FIVE_YEARS in {c.basis for c in member_candidates(ratings, 2021)}
    again = member_candidates(ratings, 2022, five_year_awarded_in=2020)
    assert {c.basis for c in again} == {Basis.YEAR}
    later = {year: XS for year in range(2016, 2026)}
    assert Basis.FIVE_YEARS in {
        c.basis for c in member_candidates(later, 2025, five_year_awarded_in=2020)
    }


def test_it_refuses_an_organisation_code_for_a_member():
    with pytest.raises(ValueError):
        member_candidates({2017: "legacy_tsvm"}, 2017)
    with pytest.raises(ValueError):
        member_candidates({2020: "xuat_sac_tieu_bieu"}, 2020)


# --- Organisations ----------------------------------------------------------------------------


def test_it_proposes_an_organisation_rated_tieu_bieu_in_the_year():
    candidates = organisation_candidates({2020: "xuat_sac_tieu_bieu"}, 2020)
    assert bases(candidates) == [(Basis.YEAR, Form.GIAY_KHEN, Issuer.UPPER_GRASSROOTS_STANDING)]
    assert all(c.subject is Subject.ORGANISATION for c in candidates)


def test_it_does_not_propose_an_organisation_only_rated_xuat_sac():
    assert organisation_candidates({2020: XS}, 2020) == []
    assert organisation_candidates({2017: "legacy_tsvm"}, 2017) == []


def test_it_counts_trong_sach_vung_manh_tieu_bieu_before_2019_in_the_five_years():
    ratings = {2016: "legacy_tsvm_tieu_bieu", 2017: "legacy_tsvm_tieu_bieu",
               2018: "xuat_sac_tieu_bieu", 2019: "xuat_sac_tieu_bieu", 2020: "xuat_sac_tieu_bieu"}
    candidates = organisation_candidates(ratings, 2020)
    assert {(c.basis, c.form) for c in candidates} == {
        (Basis.YEAR, Form.GIAY_KHEN),
        (Basis.FIVE_YEARS, Form.GIAY_KHEN),
        (Basis.FIVE_YEARS, Form.BANG_KHEN),
    }


def test_a_year_of_plain_trong_sach_vung_manh_breaks_the_run_of_an_organisation():
    ratings = {2016: "legacy_tsvm_tieu_bieu", 2017: "legacy_tsvm",
               2018: "xuat_sac_tieu_bieu", 2019: "xuat_sac_tieu_bieu", 2020: "xuat_sac_tieu_bieu"}
    assert {c.basis for c in organisation_candidates(ratings, 2020)} == {Basis.YEAR}


def test_it_refuses_a_member_code_for_an_organisation():
    with pytest.raises(ValueError):
        organisation_candidates({2016: "legacy_du_tu_cach_xuat_sac"}, 2016)


# --- Labels -----------------------------------------------------------------------------------


def test_it_describes_a_candidate_in_both_languages():
    candidate = Candidate(Subject.MEMBER, Basis.FIVE_YEARS, Form.BANG_KHEN,
                          Issuer.PROVINCIAL_STANDING, 2016, 2020)
    assert candidate.label() == "Bằng khen — Ban Thường vụ Thành uỷ (5 năm liền, 2016–2020)"
    assert candidate.label("en") == (
        "Certificate of merit (provincial level) — Standing committee of the city party "
        "committee (five years running, 2016–2020)"
    )


def test_every_form_issuer_and_basis_has_both_labels():
    for labels in (FORM_LABELS, ISSUER_LABELS, BASIS_LABELS):
        assert all(text["vi"] and text["en"] for text in labels.values())
    assert set(AWARDS) == {(s, b) for s in Subject for b in Basis}


def test_the_organisation_predicate_is_the_rating_modules():
    assert is_exemplary("legacy_tsvm_tieu_bieu")
