"""detect_type: what a file really is, from its bytes, never from its name."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ketnoi.cases.filetypes import DOCX, JPEG, PDF, PNG, XLSX, detect_type

CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?>'
                 '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')


def pdf() -> bytes:
    return (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
            + chunk(b"IEND", b""))


def jpeg() -> bytes:
    # SOI, a JFIF APP0 segment, EOI: the shortest file a JPEG reader recognises.
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8\xff\xe0" + struct.pack(">H", len(app0) + 2) + app0 + b"\xff\xd9"


def office(*parts: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in parts:
            archive.writestr(name, CONTENT_TYPES if name == "[Content_Types].xml" else "<x/>")
    return buffer.getvalue()


def xlsx() -> bytes:
    return office("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/worksheets/sheet1.xml")


def docx() -> bytes:
    return office("[Content_Types].xml", "_rels/.rels", "word/document.xml")


def detect(content: bytes, name: str = "upload.bin"):
    upload = SimpleUploadedFile(name, content)
    return detect_type(upload.read(8192), upload)


@pytest.mark.parametrize("content, expected", [
    (pdf(), PDF), (jpeg(), JPEG), (png(), PNG), (xlsx(), XLSX), (docx(), DOCX),
])
def test_it_recognises_the_allowed_kinds(content, expected):
    assert detect(content) == expected


@pytest.mark.parametrize("content, name", [
    (pdf(), "bao-cao.docx"), (png(), "anh.jpg"), (xlsx(), "bang-ke.pdf"), (docx(), "no-extension"),
])
def test_the_name_does_not_matter(content, name):
    assert detect(content, name) == detect(content)


@pytest.mark.parametrize("content, name", [
    (office("readme.txt", "data/values.csv"), "bang-ke.xlsx"),         # a ZIP, neither
    (office("[Content_Types].xml", "ppt/presentation.xml"), "x.docx"),  # PowerPoint: not allowed
    (office("xl/workbook.xml"), "x.xlsx"),                             # no content types part
    (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64, "to-khai.pdf"),  # Windows .exe
    (b"\x7fELF\x02\x01\x01" + b"\x00" * 64, "to-khai.pdf"),
    (b"", "empty.pdf"),
    ("Tờ khai số 104512345670\n".encode(), "to-khai.pdf"),            # text named .pdf
    (b"PK\x03\x04 not really a zip archive", "broken.xlsx"),           # a ZIP header and nothing
    (b"GIF89a\x01\x00\x01\x00", "anh.png"),
    (b" %PDF-1.4", "leading-space.pdf"),
])
def test_anything_else_is_refused(content, name):
    assert detect(content, name) is None


def test_it_leaves_the_file_ready_to_be_read_again():
    upload = SimpleUploadedFile("bang-ke.xlsx", xlsx())
    detect_type(upload.read(8192), upload)
    assert upload.tell() == 0
    assert upload.read() == xlsx()


def test_a_large_office_file_is_read_past_its_first_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/media/image1.png", b"\x00" * 200_000)  # the central directory is at the end
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert detect(buffer.getvalue()) == XLSX
