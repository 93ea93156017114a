"""What kind of file an upload really is, read from its first bytes and, for Office files,
from the parts inside the ZIP container — never from its name or the browser's claim."""

import hashlib
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ALLOWED = {PDF, JPEG, PNG, XLSX, DOCX}
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", XLSX: ".xlsx", DOCX: ".docx"}


def detect_type(head: bytes, upload) -> str | None:
    """One of ALLOWED, or None. `upload` is a file-like object for the ZIP look-inside."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        try:
            upload.seek(0)
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names:
            if "xl/workbook.xml" in names:
                return XLSX
            if "word/document.xml" in names:
                return DOCX
    return None


@dataclass(frozen=True)
class CheckedUpload:
    file: object  # the upload, rewound
    name: str
    size: int
    content_type: str
    sha256: str


def checked_uploads(files, *, max_files: int, max_bytes: int) -> list[CheckedUpload]:
    """Every upload checked (how many, size, kind from the content) before any is stored, so
    that a refused upload leaves no file behind; a ValidationError on "attachments" says what
    to do."""
    files = list(files or [])
    if len(files) > max_files:
        raise ValidationError({"attachments": _("Attach at most %(n)d files at a time.") % {"n": max_files}})
    checked = []
    for upload in files:
        if upload.size > max_bytes:
            raise ValidationError({"attachments": _("“%(name)s” is larger than %(size)s. Send a smaller file.") % {
                "name": upload.name, "size": filesizeformat(max_bytes)}})
        upload.seek(0)
        head = upload.read(8192)
        upload.seek(0)
        content_type = detect_type(head, upload)
        if content_type is None:
            raise ValidationError({"attachments": _(
                "“%(name)s” is not a PDF, JPEG, PNG, XLSX or DOCX file. Only these kinds of files can be attached."
            ) % {"name": upload.name}})
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        checked.append(CheckedUpload(file=upload, name=upload.name, size=upload.size, content_type=content_type,
                                     sha256=digest.hexdigest()))
    return checked


def download_name(original_name: str, content_type: str) -> str:
    """The uploaded name, with the extension of what the file really is when the name says otherwise."""
    name, extension = original_name, EXTENSIONS.get(content_type, "")
    if extension and not name.lower().endswith((extension, ".jpeg" if extension == ".jpg" else extension)):
        name = name.rsplit(".", 1)[0] + extension
    return name
