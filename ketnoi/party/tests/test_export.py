import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from ketnoi.accounts.access import principal_for
from ketnoi.accounts.models import Role
from ketnoi.party import selectors, services
from ketnoi.party.models import Member, MemberRead
from ketnoi.testing import make_user

from .helpers import build_register, make_organisation


@pytest.fixture
def r(db):
    return build_register()


def _rows(data: bytes):
    return list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


def test_it_exports_the_register_and_logs_it(r):
    rows = _rows(selectors.members_export(principal_for(r.office)))
    assert rows[0][:3] == ("Họ và tên", "Giới tính", "Ngày sinh")
    assert len(rows) == 7
    hung = next(row for row in rows if row[0] == "Nguyễn Văn Hùng")
    assert hung[3] == "03/02/1991" and hung[7] == r.cat_lai.name
    read = MemberRead.objects.get()
    assert (read.channel, read.member, read.detail) == ("export", None, "members: 6")


def test_it_exports_only_a_secretarys_members(r):
    rows = _rows(selectors.members_export(principal_for(r.high_tech_secretary)))
    assert sorted(row[0] for row in rows[1:]) == sorted(m.full_name for m in r.high_tech_members)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.COORDINATOR, Role.LEADER])
def test_it_refuses_anyone_else(r, role):
    with pytest.raises(PermissionDenied):
        selectors.members_export(principal_for(make_user(role)))
    assert not MemberRead.objects.exists()


def test_it_reimports_into_another_register(r):
    data = selectors.members_export(principal_for(r.office), organisation=r.high_tech)
    Member.objects.filter(organisation=r.high_tech).update(card_number=None)  # as if in another department's register
    new = make_organisation(parent=r.committee, name=r.high_tech.name + " (mới)")
    book = load_workbook(io.BytesIO(data))
    for row in book.active.iter_rows(min_row=2):
        row[7].value = new.name
    out = io.BytesIO()
    book.save(out)
    services.members_import(file=SimpleUploadedFile("x.xlsx", out.getvalue()), by=r.office)
    moved = Member.objects.filter(organisation=new)
    assert sorted(m.full_name for m in moved) == sorted(m.full_name for m in r.high_tech_members)
    assert {m.admitted_on for m in moved} == {date(1990, 1, 19), date(2005, 3, 26)}
