"""Commendation candidates (khen thưởng) from yearly ratings.

Hướng dẫn 01-HD/TW 2016 point 19.2, carried into HD 01-HD/TW 2021; HD 21-HD/BTCTW 2019 (the
committees choose among those rated Hoàn thành xuất sắc nhiệm vụ):

- a member rated Xuất sắc in the year: Giấy khen of the grassroots committee (đảng uỷ cơ sở, or
  the grassroots cell's committee);
- a member rated Xuất sắc five years running: Giấy khen of the standing committee one level up
  (the upper-grassroots committee, e.g. the department's party committee) or Bằng khen of the
  provincial (city) standing committee;
- an organisation rated "tiêu biểu" (before 2019: "Trong sạch vững mạnh tiêu biểu") in the
  year, and five years running: the same forms from the committee above it.

These are candidates: the committee decides who is commended, and at which level.
"""

import enum
from dataclasses import dataclass
from typing import Callable, Mapping

from ketnoi.lib.party_rating import (
    MEMBER_CODES,
    ORGANISATION_CODES,
    Level,
    current_level,
    is_exemplary,
)

FIVE_YEARS = 5


class Form(enum.StrEnum):
    GIAY_KHEN = "giay_khen"  # certificate of merit
    BANG_KHEN = "bang_khen"  # certificate of merit of the higher level


class Issuer(enum.StrEnum):
    GRASSROOTS_COMMITTEE = "grassroots_committee"  # đảng uỷ cơ sở / chi uỷ chi bộ cơ sở
    UPPER_GRASSROOTS_STANDING = "upper_grassroots_standing"  # ban thường vụ đảng uỷ cấp trên cơ sở
    PROVINCIAL_STANDING = "provincial_standing"  # ban thường vụ tỉnh uỷ, thành uỷ


class Basis(enum.StrEnum):
    YEAR = "year"
    FIVE_YEARS = "five_years"


class Subject(enum.StrEnum):
    MEMBER = "member"
    ORGANISATION = "organisation"


FORM_LABELS: dict[Form, dict[str, str]] = {
    Form.GIAY_KHEN: {"vi": "Giấy khen", "en": "Certificate of merit"},
    Form.BANG_KHEN: {"vi": "Bằng khen", "en": "Certificate of merit (provincial level)"},
}
ISSUER_LABELS: dict[Issuer, dict[str, str]] = {
    Issuer.GRASSROOTS_COMMITTEE: {
        "vi": "Cấp uỷ cơ sở",
        "en": "Grassroots party committee",
    },
    Issuer.UPPER_GRASSROOTS_STANDING: {
        "vi": "Ban Thường vụ Đảng uỷ cấp trên cơ sở",
        "en": "Standing committee of the upper-grassroots party committee",
    },
    Issuer.PROVINCIAL_STANDING: {
        "vi": "Ban Thường vụ Thành uỷ",
        "en": "Standing committee of the city party committee",
    },
}
BASIS_LABELS: dict[Basis, dict[str, str]] = {
    Basis.YEAR: {"vi": "Trong năm", "en": "In the year"},
    Basis.FIVE_YEARS: {"vi": "5 năm liền", "en": "Five years running"},
}


@dataclass(frozen=True)
class Award:
    form: Form
    issuer: Issuer


# HD 01-HD/TW 2016 point 19.2: the forms, by subject and basis. Several entries are
# alternatives: the committee picks one. For organisations the issuers are those of the
# members' rule one level up (RULES.md: "same levels as above"): a cell's committee does not
# commend itself. UNCONFIRMED for organisations beyond that reading.
AWARDS: dict[tuple[Subject, Basis], tuple[Award, ...]] = {
    (Subject.MEMBER, Basis.YEAR): (Award(Form.GIAY_KHEN, Issuer.GRASSROOTS_COMMITTEE),),
    (Subject.MEMBER, Basis.FIVE_YEARS): (
        Award(Form.GIAY_KHEN, Issuer.UPPER_GRASSROOTS_STANDING),
        Award(Form.BANG_KHEN, Issuer.PROVINCIAL_STANDING),
    ),
    (Subject.ORGANISATION, Basis.YEAR): (
        Award(Form.GIAY_KHEN, Issuer.UPPER_GRASSROOTS_STANDING),
    ),
    (Subject.ORGANISATION, Basis.FIVE_YEARS): (
        Award(Form.GIAY_KHEN, Issuer.UPPER_GRASSROOTS_STANDING),
        Award(Form.BANG_KHEN, Issuer.PROVINCIAL_STANDING),
    ),
}


@dataclass(frozen=True)
class Candidate:
    """One possible commendation: the subject qualifies for it; people decide."""

    subject: Subject
    basis: Basis
    form: Form
    issuer: Issuer
    first_year: int  # the years the proposal rests on, inclusive
    last_year: int

    def label(self, language: str | None = "vi") -> str:
        lang = "en" if (language or "").startswith("en") else "vi"
        years = (
            str(self.last_year)
            if self.first_year == self.last_year
            else f"{self.first_year}–{self.last_year}"
        )
        return (
            f"{FORM_LABELS[self.form][lang]} — {ISSUER_LABELS[self.issuer][lang]} "
            f"({BASIS_LABELS[self.basis][lang].lower()}, {years})"
        )


def consecutive_years(
    ratings_by_year: Mapping[int, str], year: int, predicate: Callable[[str], bool]
) -> int:
    """How many years running, ending with ``year``, satisfy ``predicate``; a year with no
    rating breaks the run."""
    count = 0
    while year - count in ratings_by_year and predicate(ratings_by_year[year - count]):
        count += 1
    return count


def _is_excellent(code: str) -> bool:
    return current_level(code) is Level.XUAT_SAC


def _check_codes(ratings_by_year: Mapping[int, str], allowed: frozenset[str], what: str) -> None:
    for rated_year, code in ratings_by_year.items():
        if code not in allowed:
            raise ValueError(f"{code!r} ({rated_year}) is not a rating of {what}")


def _candidates(
    subject: Subject,
    ratings_by_year: Mapping[int, str],
    year: int,
    predicate: Callable[[str], bool],
    five_year_awarded_in: int | None,
) -> list[Candidate]:
    run = consecutive_years(ratings_by_year, year, predicate)
    if run == 0:
        return []
    found = [
        Candidate(subject, Basis.YEAR, award.form, award.issuer, year, year)
        for award in AWARDS[(subject, Basis.YEAR)]
    ]
    # Years already rewarded by a five-year commendation do not count again.
    if five_year_awarded_in is not None and five_year_awarded_in <= year:
        run = min(run, year - five_year_awarded_in)
    if run >= FIVE_YEARS:
        first = year - FIVE_YEARS + 1
        found += [
            Candidate(subject, Basis.FIVE_YEARS, award.form, award.issuer, first, year)
            for award in AWARDS[(subject, Basis.FIVE_YEARS)]
        ]
    return found


def member_candidates(
    ratings_by_year: Mapping[int, str], year: int, *, five_year_awarded_in: int | None = None
) -> list[Candidate]:
    """The commendations a member may be proposed for in ``year``.

    Only a member rated Xuất sắc in ``year`` is a candidate (legacy labels count by
    ``current_level``). ``five_year_awarded_in``: the last year of a five-year commendation
    already received; the years up to it are not counted again.
    """
    _check_codes(ratings_by_year, MEMBER_CODES, "a member")
    return _candidates(Subject.MEMBER, ratings_by_year, year, _is_excellent, five_year_awarded_in)


def organisation_candidates(
    ratings_by_year: Mapping[int, str], year: int, *, five_year_awarded_in: int | None = None
) -> list[Candidate]:
    """The commendations an organisation may be proposed for in ``year``: rated "tiêu biểu"
    that year (before 2019: Trong sạch vững mạnh tiêu biểu), and five years running."""
    _check_codes(ratings_by_year, ORGANISATION_CODES, "an organisation")
    return _candidates(
        Subject.ORGANISATION, ratings_by_year, year, is_exemplary, five_year_awarded_in
    )
