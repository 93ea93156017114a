"""rating_set, ratings_import, quota_by_organisation and rating_history."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from openpyxl import Workbook

from ketnoi.accounts.models import Role
from ketnoi.audit.models import AuditEvent
from ketnoi.lib.party_org import Kind
from ketnoi.party.awards import quota_by_organisation, rating_history, rating_set, ratings_import
from ketnoi.party.models import Rating
from ketnoi.testing import make_user

from .helpers import make_member, make_organisation, make_party_office


@pytest.fixture
def grassroots(db):
    committee = make_organisation(kind=Kind.UPPER_GRASSROOTS_COMMITTEE)
    top = make_organisation(kind=Kind.GRASSROOTS_COMMITTEE, parent=committee, name="Đảng bộ Chi cục Cát Lái")
    cell = make_organisation(kind=Kind.CELL, parent=top)
    return top, cell


def test_it_sets_and_corrects_a_members_rating_with_audit(grassroots):
    office = make_party_office()
    member = make_member(organisation=grassroots[1])
    first = rating_set(year=2020, level="tot", member=member, by=office)
    again = rating_set(year=2020, level="xuat_sac", member=member, by=office)
    assert first.created and not again.created
    assert Rating.objects.get(member=member, year=2020).level == "xuat_sac"
    assert AuditEvent.objects.filter(action="party.rating_set").count() == 2


def test_it_warns_with_the_numbers_when_the_quota_is_broken_but_saves(grassroots):
    office = make_party_office()
    members = [make_member(organisation=grassroots[1]) for _ in range(4)]
    for member in members[:3]:
        rating_set(year=2020, level="tot", member=member, by=office)
    with translation.override("en"):
        outcome = rating_set(year=2020, level="xuat_sac", member=members[3], by=office)
        assert outcome.quota.result.broken  # 1 > 20 % of 4, rounded down: 0
        assert outcome.warnings == ["1 members rated Completed tasks excellently, over the limit of 0 (20% of 4 members "
                                    "rated Completed tasks well or better). The competent committee may still decide; "
                                    "record the reason."]
    assert Rating.objects.filter(year=2020, level="xuat_sac").count() == 1


def test_the_quota_is_counted_per_grassroots_organisation_with_its_cells(grassroots):
    office = make_party_office()
    top, cell = grassroots
    for n, level in enumerate(["xuat_sac", "xuat_sac"] + ["tot"] * 6):
        rating_set(year=2020, level=level, member=make_member(organisation=top if n % 2 else cell), by=office)
    [row] = quota_by_organisation(2020).values()
    assert row.organisation_id == top.pk
    assert (row.result.base, row.result.allowed, row.result.actual, row.result.broken) == (8, 1, 2, True)


def test_it_keeps_legacy_labels_for_years_before_2018_only(grassroots):
    office = make_party_office()
    member = make_member(organisation=grassroots[1])
    rating_set(year=2016, level="legacy_du_tu_cach_xuat_sac", member=member, by=office)
    with pytest.raises(ValidationError) as error:
        rating_set(year=2019, level="legacy_du_tu_cach_xuat_sac", member=member, by=office)
    assert "level" in error.value.message_dict
    with pytest.raises(ValidationError):
        rating_set(year=2020, level="legacy_tsvm", member=member, by=office)  # an organisation's label


def test_it_rates_an_organisation(grassroots):
    outcome = rating_set(year=2020, level="xuat_sac_tieu_bieu", organisation=grassroots[0], by=make_party_office())
    assert outcome.rating.organisation == grassroots[0] and outcome.quota is None


def test_it_takes_a_score_from_2025_only(grassroots):
    office = make_party_office()
    member = make_member(organisation=grassroots[1])
    assert rating_set(year=2025, level="xuat_sac", member=member, score="92.5", by=office).rating.score == 92.5
    for year, score in [(2024, 92), (2025, 101)]:
        with pytest.raises(ValidationError) as error:
            rating_set(year=year, level="tot", member=member, score=score, by=office)
        assert "score" in error.value.message_dict


def test_it_lists_a_members_history_with_legacy_labels_mapped(grassroots):
    office = make_party_office()
    member = make_member(organisation=grassroots[1])
    rating_set(year=2017, level="legacy_du_tu_cach_tot", member=member, by=office)
    rating_set(year=2018, level="xuat_sac", member=member, by=office)
    history = rating_history(member)
    assert [(row.year, row.current_level) for row in history] == [(2017, "tot"), (2018, "xuat_sac")]


@pytest.mark.parametrize("role", [Role.OFFICER, Role.COORDINATOR, Role.ADMIN])
def test_it_refuses_anyone_but_the_party_office(grassroots, role):
    with pytest.raises(PermissionDenied):
        rating_set(year=2020, level="tot", member=make_member(organisation=grassroots[1]), by=make_user(role))


def _workbook(rows) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH XẾP LOẠI ĐẢNG VIÊN NĂM 2020"])
    sheet.append(["STT", "Họ và tên", "Số thẻ đảng", "Xếp loại"])
    for n, row in enumerate(rows, start=1):
        sheet.append([n, *row])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_it_imports_a_workbook(grassroots):
    a = make_member(organisation=grassroots[1], full_name="Nguyễn Văn Hùng", card_number="79000101")
    b = make_member(organisation=grassroots[1], full_name="Trần Thị Ánh Tuyết", card_number="79000102")
    result = ratings_import(year=2020, by=make_party_office(), file=_workbook([
        ("Nguyễn Văn Hùng", "79000101", "Hoàn thành xuất sắc nhiệm vụ"),
        ("Tran Thi Anh Tuyet", "79000102", "hoan thanh tot nhiem vu")]))
    assert result["count"] == 2 and result["warnings"]  # 1 Xuất sắc of 2: over the 20 %
    assert {r.member_id: r.level for r in Rating.objects.all()} == {a.pk: "xuat_sac", b.pk: "tot"}


def test_it_imports_nothing_when_a_row_is_wrong_and_names_every_bad_row(grassroots):
    make_member(organisation=grassroots[1], full_name="Nguyễn Văn Hùng", card_number="79000101")
    make_member(organisation=grassroots[1], full_name="Lê Quốc Bảo", card_number="79000103")
    with translation.override("en"), pytest.raises(ValidationError) as error:
        ratings_import(year=2020, by=make_party_office(), rows=[
            {"Họ và tên": "Nguyễn Văn Hùng", "Số thẻ đảng": "79000101", "Xếp loại": "Hoàn thành tốt nhiệm vụ"},
            {"Họ và tên": "Lê Quốc Bảo", "Số thẻ đảng": "79000103", "Xếp loại": "Rất tốt"},
            {"Họ và tên": "Phạm Thị Mai", "Số thẻ đảng": "79999999", "Xếp loại": "Hoàn thành nhiệm vụ"}])
    messages = error.value.message_dict["file"]
    assert [m.split(":")[0] for m in messages] == ["Row 2", "Row 3"]
    assert not Rating.objects.exists()
