"""Uploads checked before anything is stored: how many, how large, and what kind of file each
really is (ketnoi/lib/filetypes.py reads it from the content, never from the name). Every form
and service that takes a file calls this, with its own kinds and size limit, so that a refused
upload leaves no row and no file behind and says what to do."""

import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ketnoi.lib.filetypes import ALLOWED, DOCX, EXTENSIONS, HEAD_BYTES, JPEG, NAMES, PDF, PNG, XLSX, download_name
from ketnoi.lib.filetypes import detect as detect_type

__all__ = ["ALLOWED", "DOCX", "DOCUMENTS", "EXTENSIONS", "JPEG", "PDF", "PNG", "WORKBOOK", "XLSX", "CheckedUpload",
           "checked_uploads", "detect_type", "download_name", "is_workbook", "kind_of"]

DOCUMENTS = frozenset({PDF, JPEG, PNG})  # a signed paper, scanned or photographed
WORKBOOK = frozenset({XLSX})


def _wrong_kind_message(name: str, kinds: frozenset) -> str:
    # The msgids are spelt out so that makemessages finds them.
    if kinds == ALLOWED:
        return _("“%(name)s” is not a PDF, JPEG, PNG, XLSX or DOCX file. Only these kinds of files can be attached."
                 ) % {"name": name}
    if kinds == DOCUMENTS:
        return _("“%(name)s” is not a PDF, JPEG or PNG file. Send the signed document as one of these.") % {"name": name}
    if kinds == WORKBOOK:
        return _("“%(name)s” is not an XLSX workbook. Download the template, fill it in and send it back."
                 ) % {"name": name}
    return _("“%(name)s” is not a file of the kinds accepted here (%(kinds)s).") % {
        "name": name, "kinds": ", ".join(sorted(NAMES[kind] for kind in kinds))}


@dataclass(frozen=True)
class CheckedUpload:
    file: object  # the upload, rewound
    name: str
    size: int
    content_type: str
    sha256: str


def kind_of(upload, *, kinds: frozenset = ALLOWED, max_bytes: int) -> str:
    """The kind of one upload (one of ``kinds``), or a ValidationError (without a field) that
    says what to do; the upload is left rewound."""
    if upload.size > max_bytes:
        raise ValidationError(_("“%(name)s” is larger than %(size)s. Send a smaller file.") % {
            "name": upload.name, "size": filesizeformat(max_bytes)})
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    content_type = detect_type(head, upload)
    if content_type not in kinds:
        raise ValidationError(_wrong_kind_message(upload.name, frozenset(kinds)))
    return content_type


def is_workbook(upload) -> bool:
    """Whether the upload is an XLSX workbook by its content (the imports' own messages say
    what to do when it is not); the upload is left rewound."""
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return detect_type(head, upload) == XLSX


def checked_uploads(files, *, max_files: int, max_bytes: int, kinds: frozenset = ALLOWED,
                    field: str = "attachments") -> list[CheckedUpload]:
    """Every upload checked (how many, size, kind from the content) before any is stored, so
    that a refused upload leaves no file behind; a ValidationError on ``field`` says what
    to do."""
    files = list(files or [])
    if len(files) > max_files:
        raise ValidationError({field: _("Attach at most %(n)d files at a time.") % {"n": max_files}})
    checked = []
    for upload in files:
        try:
            content_type = kind_of(upload, kinds=kinds, max_bytes=max_bytes)
        except ValidationError as error:
            raise ValidationError({field: error.messages}) from None
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        checked.append(CheckedUpload(file=upload, name=upload.name, size=upload.size, content_type=content_type,
                                     sha256=digest.hexdigest()))
    return checked
