"""lib.filetypes: the kind of a file from its bytes; an Office file that would unpack to too much
(a "zip bomb") is not taken for one. (The kinds themselves: ketnoi/cases/tests/test_filetypes.py.)"""

import io
import zipfile

import pytest

from ketnoi.lib import filetypes


def office_zip(*parts: tuple[str, bytes]) -> io.BytesIO:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for name, data in parts:
            archive.writestr(name, data)
    out.seek(0)
    return out


def detect(upload: io.BytesIO):
    return filetypes.detect(upload.read(filetypes.HEAD_BYTES), upload)


def test_it_recognises_a_workbook_and_leaves_it_rewound():
    upload = office_zip(("xl/workbook.xml", b"<workbook/>"))
    assert detect(upload) == filetypes.XLSX
    assert upload.tell() == 0


def test_a_workbook_that_would_unpack_to_too_much_is_refused(monkeypatch):
    monkeypatch.setattr(filetypes, "MAX_UNPACKED_BYTES", 1_000_000)
    bomb = office_zip(("xl/workbook.xml", b"<workbook/>"), ("xl/worksheets/sheet1.xml", b"\0" * 2_000_000))
    assert len(bomb.getvalue()) < 10_000  # small on the wire
    assert detect(bomb) is None


def test_a_workbook_with_too_many_parts_is_refused(monkeypatch):
    monkeypatch.setattr(filetypes, "MAX_PARTS", 10)
    assert detect(office_zip(("xl/workbook.xml", b"<workbook/>"),
                             *[(f"xl/media/{n}.bin", b"x") for n in range(10)])) is None


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04", b"PK\x03\x04" + b"\xff" * 100, b"<html>", b"MZ\x90\x00"])
def test_anything_else_is_none(content):
    assert detect(io.BytesIO(content)) is None


def test_the_download_name_takes_the_real_kind():
    assert filetypes.download_name("to-khai.docx", filetypes.PDF) == "to-khai.pdf"
    assert filetypes.download_name("anh.JPEG", filetypes.JPEG) == "anh.JPEG"
