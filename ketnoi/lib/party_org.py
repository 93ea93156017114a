"""Kinds of party organisation, how they nest, and when a size no longer fits its kind.

Điều lệ Đảng 2011, Art. 21 (and Quy định 24-QĐ/TW 2021 on it): a grassroots party
organisation (tổ chức cơ sở đảng) with fewer than 30 members is a grassroots cell (chi bộ cơ
sở), with party groups under it; with 30 or more it is a grassroots committee (đảng bộ cơ sở),
with cells and, where needed, sub-committees (đảng bộ bộ phận) under it. A cell needs at least
three full (chính thức) members. Exceptions are approved by the committee above, so sizes give
warnings, never refusals.
"""

import enum


class Kind(enum.StrEnum):
    UPPER_GRASSROOTS_COMMITTEE = "upper_grassroots_committee"  # đảng bộ cấp trên cơ sở
    GRASSROOTS_COMMITTEE = "grassroots_committee"  # đảng bộ cơ sở
    GRASSROOTS_CELL = "grassroots_cell"  # chi bộ cơ sở
    SUB_COMMITTEE = "sub_committee"  # đảng bộ bộ phận
    CELL = "cell"  # chi bộ trực thuộc
    PARTY_GROUP = "party_group"  # tổ đảng


KIND_LABELS: dict[Kind, dict[str, str]] = {
    Kind.UPPER_GRASSROOTS_COMMITTEE: {
        "vi": "Đảng bộ cấp trên cơ sở",
        "en": "Upper-grassroots party committee",
    },
    Kind.GRASSROOTS_COMMITTEE: {"vi": "Đảng bộ cơ sở", "en": "Grassroots party committee"},
    Kind.GRASSROOTS_CELL: {"vi": "Chi bộ cơ sở", "en": "Grassroots party cell"},
    Kind.SUB_COMMITTEE: {"vi": "Đảng bộ bộ phận", "en": "Party sub-committee"},
    Kind.CELL: {"vi": "Chi bộ trực thuộc", "en": "Party cell"},
    Kind.PARTY_GROUP: {"vi": "Tổ đảng", "en": "Party group"},
}

# Which kinds may sit directly under which (Art. 21). An upper-grassroots committee may sit under
# another one (e.g. a department's committee under a bloc committee); in ketnoi the department's
# committee is the root.
CHILDREN: dict[Kind, frozenset[Kind]] = {
    Kind.UPPER_GRASSROOTS_COMMITTEE: frozenset(
        {Kind.UPPER_GRASSROOTS_COMMITTEE, Kind.GRASSROOTS_COMMITTEE, Kind.GRASSROOTS_CELL}
    ),
    Kind.GRASSROOTS_COMMITTEE: frozenset({Kind.SUB_COMMITTEE, Kind.CELL}),
    Kind.SUB_COMMITTEE: frozenset({Kind.CELL}),
    Kind.GRASSROOTS_CELL: frozenset({Kind.PARTY_GROUP}),
    Kind.CELL: frozenset({Kind.PARTY_GROUP}),
    Kind.PARTY_GROUP: frozenset(),
}

# Kinds that can stand without a parent in the register.
ROOT_KINDS: frozenset[Kind] = frozenset({Kind.UPPER_GRASSROOTS_COMMITTEE})

GRASSROOTS_KINDS: frozenset[Kind] = frozenset({Kind.GRASSROOTS_COMMITTEE, Kind.GRASSROOTS_CELL})

MIN_FULL_MEMBERS = 3  # Art. 21: at least three full members
GRASSROOTS_COMMITTEE_MIN_MEMBERS = 30  # Art. 21: 30 members or more for a grassroots committee

# Where the three-full-members rule does not apply: a party group is a part of a cell.
_NO_MINIMUM: frozenset[Kind] = frozenset({Kind.PARTY_GROUP})

SIZE_WARNINGS: dict[str, dict[str, str]] = {
    "too_few_full_members": {
        "vi": "Tổ chức đảng có dưới 3 đảng viên chính thức.",
        "en": "The organisation has fewer than 3 full members.",
    },
    "grassroots_cell_too_large": {
        "vi": "Chi bộ cơ sở có từ 30 đảng viên trở lên: nên thành lập đảng bộ cơ sở.",
        "en": "The grassroots cell has 30 members or more: it should become a grassroots "
              "committee.",
    },
    "grassroots_committee_too_small": {
        "vi": "Đảng bộ cơ sở có dưới 30 đảng viên: cần cấp trên cho phép, hoặc chuyển thành "
              "chi bộ cơ sở.",
        "en": "The grassroots committee has fewer than 30 members: it needs the approval of the "
              "committee above, or should become a grassroots cell.",
    },
}


def can_nest(parent: Kind | None, child: Kind) -> bool:
    """Whether an organisation of kind ``child`` may sit directly under ``parent`` (None: at the
    root of the register)."""
    child = Kind(child)
    if parent is None:
        return child in ROOT_KINDS
    return child in CHILDREN[Kind(parent)]


def size_warnings(kind: Kind, full_members: int, members: int) -> list[str]:
    """Codes (keys of ``SIZE_WARNINGS``) of the ways the organisation's size no longer fits its
    kind. ``members`` counts full and probationary members."""
    kind = Kind(kind)
    for count in (full_members, members):
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValueError(f"a member count must be a whole number >= 0, got {count!r}")
    if full_members > members:
        raise ValueError(f"{full_members} full members among only {members} members")
    warnings = []
    if kind not in _NO_MINIMUM and full_members < MIN_FULL_MEMBERS:
        warnings.append("too_few_full_members")
    if kind is Kind.GRASSROOTS_CELL and members >= GRASSROOTS_COMMITTEE_MIN_MEMBERS:
        warnings.append("grassroots_cell_too_large")
    if kind is Kind.GRASSROOTS_COMMITTEE and members < GRASSROOTS_COMMITTEE_MIN_MEMBERS:
        warnings.append("grassroots_committee_too_small")
    return warnings


def warning_message(code: str, language: str | None = "vi") -> str:
    return SIZE_WARNINGS[code]["en" if (language or "").startswith("en") else "vi"]
