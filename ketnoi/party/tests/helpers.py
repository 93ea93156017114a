"""Organisations, members and the people around the party register, for the party tests.

    committee = make_organisation(kind=Kind.UPPER_GRASSROOTS_COMMITTEE)
    cell = make_organisation(parent=committee)              # a grassroots cell by default
    member = make_member(organisation=cell, admitted=date(1991, 2, 3))
    office = make_party_office()
    secretary = make_secretary(cell)

Members and organisations are made with valid, fictional defaults; a test gives only the fields
it cares about. ``build_register()`` is a small department: the committee, two grassroots
organisations (one with a cell under it), a few members, and the people who may or may not read
them.
"""

import itertools
from datetime import date
from types import SimpleNamespace

from ketnoi.accounts.models import Role
from ketnoi.lib.party_org import Kind
from ketnoi.party import services
from ketnoi.party.models import Gap, Member, Organisation
from ketnoi.testing import make_user

_numbers = itertools.count(1)

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Hữu", "Ngọc", "Quốc", "Thu"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Hà", "Hải", "Hạnh", "Khoa", "Lan", "Long", "Mai", "Nam", "Phúc",
         "Quân", "Sơn", "Tâm", "Thảo", "Trung", "Tuấn", "Yến"]


def _next() -> int:
    return next(_numbers)


def make_organisation(*, kind: str = Kind.GRASSROOTS_CELL, name: str = "", parent: Organisation | None = None,
                      secretaries=(), **fields) -> Organisation:
    n = _next()
    organisation = Organisation.objects.create(
        kind=kind, name=name or f"Chi bộ Chi cục Hải quan thử nghiệm số {n}", parent=parent,
        founded_on=fields.pop("founded_on", date(2005, 1, 1)), **fields)
    if secretaries:
        organisation.secretaries.add(*secretaries)
    return organisation


def make_member(*, organisation: Organisation | None = None, full_name: str = "", admitted: date | None = None,
                full_member_on: date | None | bool = True, card_number: str | None = "", gaps=(), **fields) -> Member:
    """A member of ``organisation`` (a new grassroots cell when not given). ``admitted`` is the
    date of the admission decision (default 03/02/2000); ``full_member_on`` defaults to a year
    later (None: still on probation); ``card_number`` defaults to a new one (None: no card).
    ``gaps`` are (start, end, reason) or (start, end, reason, rehabilitated) tuples."""
    n = _next()
    admitted = admitted or date(2000, 2, 3)
    if full_member_on is True:
        full_member_on = date(admitted.year + 1, admitted.month, min(admitted.day, 28))
    fields.setdefault("admission_decision_on", admitted)
    member = Member.objects.create(
        organisation=organisation or make_organisation(),
        full_name=full_name or f"{FAMILY[n % len(FAMILY)]} {MIDDLE[n % len(MIDDLE)]} {GIVEN[n % len(GIVEN)]}",
        gender=fields.pop("gender", Member.Gender.FEMALE if n % 2 else Member.Gender.MALE),
        born_on=fields.pop("born_on", date(admitted.year - 22 - n % 15, 1 + n % 12, 1 + n % 28)),  # admitted at 22–36
        full_member_on=full_member_on or None,
        card_number=f"79{n:06d}" if card_number == "" else card_number,
        **fields,
    )
    for gap in gaps:
        start, end, reason, *rest = gap
        Gap.objects.create(member=member, start=start, end=end, reason=reason, rehabilitated=bool(rest and rest[0]))
    if gaps:
        services.members_reckon_absence(members=Member.objects.filter(pk=member.pk))
        member.refresh_from_db()
    return member


def make_party_office(**fields):
    return make_user(Role.PARTY_OFFICE, full_name=fields.pop("full_name", "Lâm Thị Bích Ngọc"), **fields)


def make_secretary(*organisations, role: str | None = Role.OFFICER, **fields):
    """A user (an officer by default: secretaries are customs staff) made secretary of
    ``organisations``."""
    user = make_user(role, full_name=fields.pop("full_name", "Trương Công Định"), **fields)
    for organisation in organisations:
        organisation.secretaries.add(user)
    return user


def build_register() -> SimpleNamespace:
    """The department's committee with two grassroots organisations: the Cát Lái committee with a
    cell under it, and the High-Tech Park cell; two members in each place; the party office and
    the secretaries of Cát Lái and of the High-Tech Park."""
    r = SimpleNamespace()
    r.committee = make_organisation(kind=Kind.UPPER_GRASSROOTS_COMMITTEE, name="Đảng bộ Cục Hải quan TP. Hồ Chí Minh",
                                    short_name="Đảng bộ Cục")
    r.cat_lai = make_organisation(kind=Kind.GRASSROOTS_COMMITTEE, parent=r.committee,
                                  name="Đảng bộ Chi cục Hải quan cửa khẩu cảng Cát Lái")
    r.cat_lai_cell = make_organisation(kind=Kind.CELL, parent=r.cat_lai, name="Chi bộ Đội Thủ tục hàng hoá xuất khẩu")
    r.high_tech = make_organisation(kind=Kind.GRASSROOTS_CELL, parent=r.committee,
                                    name="Chi bộ Chi cục Hải quan Khu công nghệ cao")
    r.office = make_party_office()
    r.cat_lai_secretary = make_secretary(r.cat_lai, full_name="Phan Thanh Liêm")
    r.high_tech_secretary = make_secretary(r.high_tech, full_name="Đoàn Thị Kim Oanh")
    r.cat_lai_members = [make_member(organisation=r.cat_lai, full_name="Nguyễn Văn Hùng", admitted=date(1991, 2, 3)),
                         make_member(organisation=r.cat_lai, full_name="Trần Thị Ánh Tuyết", admitted=date(2010, 5, 19))]
    r.cell_members = [make_member(organisation=r.cat_lai_cell, full_name="Lê Quốc Bảo", admitted=date(2015, 9, 2)),
                      make_member(organisation=r.cat_lai_cell, full_name="Hồ Ngọc Diệp", admitted=date(2019, 11, 7),
                                  full_member_on=None)]
    r.high_tech_members = [make_member(organisation=r.high_tech, full_name="Đặng Minh Khôi", admitted=date(1990, 1, 19)),
                           make_member(organisation=r.high_tech, full_name="Vũ Thị Hồng Nhung", admitted=date(2005, 3, 26))]
    return r
