"""What kind of file an upload really is, read from its first bytes and, for Office files,
from the parts inside the ZIP container — never from its name or the browser's claim. Every
upload of ketnoi goes through this (case and directive attachments, signed price commitments,
XLSX imports), through ketnoi/cases/filetypes.py, which adds the size limits and the messages.

An Office file is a ZIP: one that would unpack to more than MAX_UNPACKED_BYTES (a "zip bomb",
a few kilobytes that grow to gigabytes in the XLSX reader) is not accepted as one.

Pure: no Django.
"""

import zipfile

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ALLOWED = frozenset({PDF, JPEG, PNG, XLSX, DOCX})
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", XLSX: ".xlsx", DOCX: ".docx"}
NAMES = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG", XLSX: "XLSX", DOCX: "DOCX"}
HEAD_BYTES = 8192  # what detect() needs of the start of a file
MAX_UNPACKED_BYTES = 256 * 1024 * 1024  # a department's largest real workbook unpacks to a few MB
MAX_PARTS = 10_000


def _office_type(upload) -> str | None:
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        upload.seek(0)
    if len(parts) > MAX_PARTS or sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        return None
    names = {part.filename for part in parts}
    if "[Content_Types].xml" in names:
        if "xl/workbook.xml" in names:
            return XLSX
        if "word/document.xml" in names:
            return DOCX
    return None


def detect(head: bytes, upload) -> str | None:
    """One of ALLOWED, or None. ``head`` is the file's first bytes (HEAD_BYTES); ``upload`` a
    seekable file-like object for the look inside a ZIP, rewound afterwards."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        return _office_type(upload)
    return None


def download_name(original_name: str, content_type: str) -> str:
    """The uploaded name, with the extension of what the file really is when the name says otherwise."""
    name, extension = original_name, EXTENSIONS.get(content_type, "")
    if extension and not name.lower().endswith((extension, ".jpeg" if extension == ".jpg" else extension)):
        name = name.rsplit(".", 1)[0] + extension
    return name
