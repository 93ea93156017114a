"""Yearly quality rating (xếp loại chất lượng) of party members and organisations.

Four levels since Quy định 132-QĐ/TW (8/3/2018), kept by Quy định 124-QĐ/TW (4/10/2023) and
Quy định 366-QĐ/TW (from 30/8/2025, with a 100-point scale). Ratings of earlier years were made
under other labels; historic imports keep them as their own codes (``LegacyOrgLabel``,
``LegacyMemberLabel``) and ``current_level`` maps them when a rule needs a level, e.g. "five
years running Xuất sắc" across 2018.
"""

import enum
from dataclasses import dataclass
from datetime import date
from typing import Mapping


class Level(enum.StrEnum):
    XUAT_SAC = "xuat_sac"
    TOT = "tot"
    HOAN_THANH = "hoan_thanh"
    KHONG_HOAN_THANH = "khong_hoan_thanh"


# From best to worst.
LEVELS: tuple[Level, ...] = (Level.XUAT_SAC, Level.TOT, Level.HOAN_THANH, Level.KHONG_HOAN_THANH)

LEVEL_LABELS: dict[Level, dict[str, str]] = {
    Level.XUAT_SAC: {"vi": "Hoàn thành xuất sắc nhiệm vụ", "en": "Completed tasks excellently"},
    Level.TOT: {"vi": "Hoàn thành tốt nhiệm vụ", "en": "Completed tasks well"},
    Level.HOAN_THANH: {"vi": "Hoàn thành nhiệm vụ", "en": "Completed tasks"},
    Level.KHONG_HOAN_THANH: {"vi": "Không hoàn thành nhiệm vụ", "en": "Did not complete tasks"},
}


@dataclass(frozen=True)
class Regulation:
    number: str
    signed_on: date
    applies_from: date


# The regulations the four levels come from, by the day each applies from. QĐ 132 and 124
# applied from signature; QĐ 366-QĐ/TW from 30/8/2025 (RULES.md), replacing QĐ 124.
REGULATIONS: tuple[Regulation, ...] = (
    Regulation("132-QĐ/TW", date(2018, 3, 8), date(2018, 3, 8)),
    Regulation("124-QĐ/TW", date(2023, 10, 4), date(2023, 10, 4)),
    Regulation("366-QĐ/TW", date(2025, 8, 30), date(2025, 8, 30)),
)


def regulation_on(day: date) -> Regulation | None:
    """The regulation in force on ``day``; None before QĐ 132-QĐ/TW (legacy labels)."""
    current = None
    for regulation in REGULATIONS:
        if regulation.applies_from <= day:
            current = regulation
    return current


class OrgDistinction(enum.StrEnum):
    """An organisation's yearly result when the committee singles it out among those rated
    Xuất sắc: the standard for commendation (HD 21-HD/BTCTW 2019: chosen among organisations
    rated Hoàn thành xuất sắc nhiệm vụ; RULES.md "Commendation")."""

    XUAT_SAC_TIEU_BIEU = "xuat_sac_tieu_bieu"


ORG_DISTINCTION_LABELS: dict[OrgDistinction, dict[str, str]] = {
    OrgDistinction.XUAT_SAC_TIEU_BIEU: {
        "vi": "Hoàn thành xuất sắc nhiệm vụ tiêu biểu",
        "en": "Completed tasks excellently, exemplary",
    },
}


class LegacyOrgLabel(enum.StrEnum):
    """Organisation ratings before QĐ 132-QĐ/TW (2018), kept as imported."""

    TSVM_TIEU_BIEU = "legacy_tsvm_tieu_bieu"
    TSVM = "legacy_tsvm"
    HOAN_THANH_TOT = "legacy_hoan_thanh_tot"
    HOAN_THANH = "legacy_hoan_thanh"
    YEU_KEM = "legacy_yeu_kem"


LEGACY_ORG_LABELS: dict[LegacyOrgLabel, dict[str, str]] = {
    LegacyOrgLabel.TSVM_TIEU_BIEU: {
        "vi": "Trong sạch vững mạnh tiêu biểu",
        "en": "Clean and strong, exemplary",
    },
    LegacyOrgLabel.TSVM: {"vi": "Trong sạch vững mạnh", "en": "Clean and strong"},
    LegacyOrgLabel.HOAN_THANH_TOT: {
        "vi": "Hoàn thành tốt nhiệm vụ",
        "en": "Completed tasks well (before 2018)",
    },
    LegacyOrgLabel.HOAN_THANH: {
        "vi": "Hoàn thành nhiệm vụ",
        "en": "Completed tasks (before 2018)",
    },
    LegacyOrgLabel.YEU_KEM: {"vi": "Yếu kém", "en": "Weak"},
}


class LegacyMemberLabel(enum.StrEnum):
    """Member ratings before QĐ 132-QĐ/TW (2018), kept as imported. Wording UNCONFIRMED (as
    commonly reproduced from the Organisation Department's pre-2018 guidance)."""

    XUAT_SAC = "legacy_du_tu_cach_xuat_sac"
    TOT = "legacy_du_tu_cach_tot"
    HAN_CHE = "legacy_du_tu_cach_han_che"
    VI_PHAM = "legacy_vi_pham_tu_cach"


LEGACY_MEMBER_LABELS: dict[LegacyMemberLabel, dict[str, str]] = {
    LegacyMemberLabel.XUAT_SAC: {
        "vi": "Đủ tư cách, hoàn thành xuất sắc nhiệm vụ",
        "en": "Qualified, completed tasks excellently (before 2018)",
    },
    LegacyMemberLabel.TOT: {
        "vi": "Đủ tư cách, hoàn thành tốt nhiệm vụ",
        "en": "Qualified, completed tasks well (before 2018)",
    },
    LegacyMemberLabel.HAN_CHE: {
        "vi": "Đủ tư cách, hoàn thành nhiệm vụ nhưng còn hạn chế",
        "en": "Qualified, completed tasks with shortcomings (before 2018)",
    },
    LegacyMemberLabel.VI_PHAM: {
        "vi": "Vi phạm tư cách hoặc không hoàn thành nhiệm vụ",
        "en": "Breached membership standards or did not complete tasks (before 2018)",
    },
}

# The level each older result counts as, for rules that span the change of 2018 ("five years
# running Xuất sắc"). QĐ 132-QĐ/TW replaced the four organisation categories one for one:
# "Trong sạch vững mạnh" was the top one, as "Hoàn thành xuất sắc nhiệm vụ" is now, and
# "tiêu biểu" was (and is) a distinction chosen among the top-rated organisations, not a level
# of its own; HD 21-HD/BTCTW 2019 still names the commendation standard "Trong sạch, vững mạnh
# tiêu biểu" and picks it among organisations rated Hoàn thành xuất sắc nhiệm vụ. So both TSVM
# labels count as Xuất sắc, and only "tiêu biểu" counts as exemplary.
CURRENT_LEVEL: dict[str, Level] = {
    **{level: level for level in Level},
    OrgDistinction.XUAT_SAC_TIEU_BIEU: Level.XUAT_SAC,
    LegacyOrgLabel.TSVM_TIEU_BIEU: Level.XUAT_SAC,
    LegacyOrgLabel.TSVM: Level.XUAT_SAC,
    LegacyOrgLabel.HOAN_THANH_TOT: Level.TOT,
    LegacyOrgLabel.HOAN_THANH: Level.HOAN_THANH,
    LegacyOrgLabel.YEU_KEM: Level.KHONG_HOAN_THANH,
    LegacyMemberLabel.XUAT_SAC: Level.XUAT_SAC,
    LegacyMemberLabel.TOT: Level.TOT,
    LegacyMemberLabel.HAN_CHE: Level.HOAN_THANH,
    LegacyMemberLabel.VI_PHAM: Level.KHONG_HOAN_THANH,
}

EXEMPLARY: frozenset[str] = frozenset(
    {OrgDistinction.XUAT_SAC_TIEU_BIEU, LegacyOrgLabel.TSVM_TIEU_BIEU}
)

MEMBER_CODES: frozenset[str] = frozenset({*Level, *LegacyMemberLabel})
ORGANISATION_CODES: frozenset[str] = frozenset({*Level, *OrgDistinction, *LegacyOrgLabel})

_ALL_LABELS: dict[str, dict[str, str]] = {
    **LEVEL_LABELS,
    **ORG_DISTINCTION_LABELS,
    **LEGACY_ORG_LABELS,
    **LEGACY_MEMBER_LABELS,
}


def current_level(code: str) -> Level:
    """The current level a rating code counts as (a level is itself)."""
    try:
        return CURRENT_LEVEL[code]
    except KeyError:
        raise ValueError(f"unknown rating code: {code!r}") from None


def is_exemplary(code: str) -> bool:
    """Whether an organisation's rating code is the "tiêu biểu" distinction (before 2019:
    Trong sạch vững mạnh tiêu biểu)."""
    current_level(code)
    return code in EXEMPLARY


def label(code: str, language: str | None = "vi") -> str:
    """The label of any rating code, in Vietnamese or English."""
    current_level(code)
    return _ALL_LABELS[code]["en" if (language or "").startswith("en") else "vi"]


# --- The quota of Xuất sắc -------------------------------------------------------------------

# HD 21-HD/BTCTW 2019 point 2.3: the competent level decides on "số lượng đảng viên được xếp
# loại 'Hoàn thành xuất sắc nhiệm vụ' không vượt quá 20% số đảng viên được xếp loại 'Hoàn thành
# tốt nhiệm vụ' trong từng tổ chức cơ sở đảng". Same cap in later texts: UNCONFIRMED.
QUOTA_PERCENT = 20

# Whether those rated Xuất sắc count in the base of the 20 %. The Xuất sắc are chosen among the
# members who meet the Hoàn thành tốt standard (the Xuất sắc frame of HD 21 requires every other
# criterion at "Tốt" or better): the pool the 20 % is taken from is everyone rated Hoàn thành
# tốt or better before the choice, so the base is Tốt + Xuất sắc. Reading the sentence literally
# (Tốt alone) gives a smaller cap; pass ``base_includes_excellent=False`` for it.
QUOTA_BASE_INCLUDES_EXCELLENT = True

QUOTA_MESSAGES: dict[str, dict[str, str]] = {
    "ok": {
        "vi": "{actual} đảng viên xếp loại Hoàn thành xuất sắc nhiệm vụ, trong giới hạn {allowed} "
              "({percent}% của {base} {base_label}).",
        "en": "{actual} members rated Completed tasks excellently, within the limit of {allowed} "
              "({percent}% of {base} {base_label}).",
    },
    "broken": {
        "vi": "{actual} đảng viên xếp loại Hoàn thành xuất sắc nhiệm vụ, vượt giới hạn {allowed} "
              "({percent}% của {base} {base_label}). Cấp có thẩm quyền vẫn có thể quyết định; "
              "hãy ghi rõ lý do.",
        "en": "{actual} members rated Completed tasks excellently, over the limit of {allowed} "
              "({percent}% of {base} {base_label}). The competent committee may still decide; "
              "record the reason.",
    },
}
QUOTA_BASE_LABELS: dict[bool, dict[str, str]] = {
    True: {
        "vi": "đảng viên xếp loại Hoàn thành tốt nhiệm vụ trở lên",
        "en": "members rated Completed tasks well or better",
    },
    False: {
        "vi": "đảng viên xếp loại Hoàn thành tốt nhiệm vụ",
        "en": "members rated Completed tasks well",
    },
}


@dataclass(frozen=True)
class QuotaResult:
    base: int  # members the percentage is taken of
    allowed: int  # the most that may be rated Xuất sắc
    actual: int  # those rated (or proposed) Xuất sắc
    broken: bool
    base_includes_excellent: bool = QUOTA_BASE_INCLUDES_EXCELLENT

    @property
    def messages(self) -> dict[str, str]:
        """What to tell the committee, by language ("vi", "en")."""
        texts = QUOTA_MESSAGES["broken" if self.broken else "ok"]
        return {
            language: text.format(
                actual=self.actual,
                allowed=self.allowed,
                base=self.base,
                percent=QUOTA_PERCENT,
                base_label=QUOTA_BASE_LABELS[self.base_includes_excellent][language],
            )
            for language, text in texts.items()
        }

    def message(self, language: str | None = "vi") -> str:
        return self.messages["en" if (language or "").startswith("en") else "vi"]


def quota_check(
    counts: Mapping[str, int], *, base_includes_excellent: bool = QUOTA_BASE_INCLUDES_EXCELLENT
) -> QuotaResult:
    """Check the Xuất sắc quota of one grassroots organisation from its counts by level (levels
    or codes that map to them, e.g. ``{"xuat_sac": 3, "tot": 12, "hoan_thanh": 4}``)."""
    by_level = {level: 0 for level in Level}
    for code, count in counts.items():
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValueError(f"a count must be a whole number >= 0, got {count!r} for {code!r}")
        by_level[current_level(code)] += count
    actual = by_level[Level.XUAT_SAC]
    base = by_level[Level.TOT] + (actual if base_includes_excellent else 0)
    allowed = base * QUOTA_PERCENT // 100  # "không vượt quá": whole members, rounded down
    return QuotaResult(
        base=base,
        allowed=allowed,
        actual=actual,
        broken=actual > allowed,
        base_includes_excellent=base_includes_excellent,
    )


# --- The 100-point scale of QĐ 366-QĐ/TW -----------------------------------------------------

SCORE_SCALE_FROM = date(2025, 8, 30)  # QĐ 366-QĐ/TW, Art. 11

# QĐ 366-QĐ/TW Art. 11: lowest total score of each level, and the conditions besides the score.
SCORE_XUAT_SAC = 90  # and every task done on time, >= 30 % of them beyond requirements
SCORE_TOT = 70  # and every task done on time
SCORE_HOAN_THANH = 50  # and every task done, at most 20 % of them late
EXCEEDING_SHARE_XUAT_SAC = 0.30
LATE_SHARE_HOAN_THANH = 0.20


def level_from_score(
    score: float,
    on: date,
    all_on_time: bool,
    exceeding_share: float,
    *,
    late_share: float | None = None,
) -> Level:
    """The level a score on the 100-point scale gives (QĐ 366-QĐ/TW, from 30/8/2025).

    >= 90 is Xuất sắc only with every task on time and at least 30 % of them beyond
    requirements; otherwise it is Tốt, which itself needs every task on time (as reported of
    Art. 11), so a score of 70 or more with a task late is Hoàn thành. ``late_share`` (share of
    tasks not on time), when known, applies the Hoàn thành condition (at most 20 %). The other
    conditions of Art. 11 (no discipline, shortcomings put right...) are for the committee.
    """
    if on < SCORE_SCALE_FROM:
        raise ValueError(
            f"the 100-point scale applies from {SCORE_SCALE_FROM:%d/%m/%Y} (QĐ 366-QĐ/TW); "
            "earlier ratings are entered as levels"
        )
    if not 0 <= score <= 100:
        raise ValueError(f"a score is between 0 and 100, got {score!r}")
    if not 0 <= exceeding_share <= 1:
        raise ValueError(f"a share is between 0 and 1, got {exceeding_share!r}")
    if late_share is not None:
        if not 0 <= late_share <= 1:
            raise ValueError(f"a share is between 0 and 1, got {late_share!r}")
        if all_on_time and late_share > 0:
            raise ValueError("all tasks on time, yet a share of them late")
    if score >= SCORE_XUAT_SAC and all_on_time and exceeding_share >= EXCEEDING_SHARE_XUAT_SAC:
        return Level.XUAT_SAC
    if score >= SCORE_TOT and all_on_time:
        return Level.TOT
    if score >= SCORE_HOAN_THANH and (late_share is None or late_share <= LATE_SHARE_HOAN_THANH):
        return Level.HOAN_THANH
    return Level.KHONG_HOAN_THANH
