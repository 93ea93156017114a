from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from ketnoi.audit.models import AuditEvent
from ketnoi.party.models import Member

from .helpers import build_register
from .test_import import _rows, workbook


@pytest.fixture
def r(db):
    return build_register()


def _file(tmp_path, rows):
    path = tmp_path / "dang-vien.xlsx"
    path.write_bytes(workbook(rows).read())
    return path


def test_it_imports_a_file(r, tmp_path):
    out = StringIO()
    with translation.override("en"):
        call_command("import_party_members", str(_file(tmp_path, _rows(r))), "--as", r.office.username,
                     "--no-progress", stdout=out)
    assert out.getvalue().startswith("Imported 3 members.")
    assert Member.objects.count() == 9
    assert AuditEvent.objects.get(action="party.members.imported").actor == r.office


def test_it_writes_nothing_on_a_dry_run(r, tmp_path):
    out = StringIO()
    with translation.override("en"):
        call_command("import_party_members", str(_file(tmp_path, _rows(r))), "--dry-run", "--no-progress", stdout=out)
    assert "nothing was written" in out.getvalue()
    assert Member.objects.count() == 6


def test_it_lists_the_problems_and_writes_nothing(r, tmp_path):
    rows = _rows(r)
    rows[0][3] = "ngày xưa"
    err = StringIO()
    with translation.override("en"), pytest.raises(CommandError, match="1 problems"):
        call_command("import_party_members", str(_file(tmp_path, rows)), "--no-progress", stderr=err)
    assert "Row 4: Ngày sinh: “ngày xưa” is not a date" in err.getvalue()
    assert Member.objects.count() == 6


def test_it_refuses_a_user_outside_the_party_office(r, tmp_path):
    with pytest.raises(CommandError):
        call_command("import_party_members", str(_file(tmp_path, _rows(r))), "--as", r.high_tech_secretary.username)
