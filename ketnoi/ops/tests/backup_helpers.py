"""A small department's worth of data for the backup and restore tests, written through the
services (so with its timelines and audit events), and what to compare after a restore."""

import tarfile
from datetime import date
from pathlib import Path
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile

from ketnoi.accounts.models import Role
from ketnoi.audit.models import AuditEvent
from ketnoi.cases.models import Attachment, Case, CaseEvent
from ketnoi.party import services as party
from ketnoi.party.models import Member
from ketnoi.party.tests.helpers import make_organisation, make_party_office
from ketnoi.testing import make_case, make_enterprise, make_unit, make_user, seed_reference_data


def pdf(text: str) -> bytes:
    """A small PDF whose bytes differ with `text` (attachments are checked by their content)."""
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% " + text.encode() +
            b"\ntrailer << /Root 1 0 R >>\n%%EOF\n")


def build_data() -> SimpleNamespace:
    seed_reference_data()
    d = SimpleNamespace()
    d.unit = make_unit(name_vi="Chi cục Hải quan cửa khẩu cảng Sài Gòn khu vực 9")
    d.enterprise = make_enterprise(name="Công ty TNHH Thương mại Dịch vụ Phú Lâm An", home_unit=d.unit)
    d.business = make_user(Role.BUSINESS, enterprise=d.enterprise, full_name="Võ Thị Ngọc Hân")
    d.cases = [
        make_case(by=d.business, unit=d.unit, topic="thue",
                  subject="Hoàn thuế nhập khẩu nguyên liệu sản xuất hàng xuất khẩu",
                  attachments=[SimpleUploadedFile("to-khai-10356.pdf", pdf("to khai 103561234560"))]),
        make_case(by=d.business, unit=d.unit, topic="phan-loai-hs",
                  subject="Phân loại mã HS linh kiện điện tử",
                  attachments=[SimpleUploadedFile("hop-dong.pdf", pdf("hop dong 12/2025/PLA")),
                               SimpleUploadedFile("hoa-don.pdf", pdf("hoa don 0001245"))]),
        make_case(by=d.business, unit=d.unit, subject="Thủ tục tạm nhập tái xuất khuôn mẫu"),
    ]
    d.office = make_party_office()
    d.cell = make_organisation(name="Chi bộ Chi cục Hải quan cửa khẩu cảng Sài Gòn khu vực 9")
    d.member = party.member_create(organisation=d.cell, full_name="Trịnh Minh Quang", gender="male",
                                   born_on=date(1979, 5, 14), admission_decision_on=date(2006, 3, 2),
                                   full_member_on=date(2007, 3, 2), card_number="79061234", by=d.office)
    return d


def state() -> dict:
    """What a restore must bring back exactly."""
    return {
        "cases": sorted(Case.objects.values_list("reference", "subject", "description", "status")),
        "events": sorted(CaseEvent.objects.values_list("id", "case__reference", "kind")),
        "attachments": sorted((a.case.reference, a.original_name, a.sha256, a.file.name, _bytes(a))
                              for a in Attachment.objects.select_related("case")),
        "members": sorted(Member.objects.values_list("id", "full_name", "card_number", "born_on")),
        "audit": sorted(AuditEvent.objects.values_list("id", "action", "object_type", "object_id", "after")),
    }


def _bytes(attachment: Attachment) -> bytes:
    with attachment.file.open("rb") as handle:
        return handle.read()


def change_one_byte(path: Path, member_name: str) -> None:
    """Flip one byte in the middle of a member's data, as a bad disk or copy would."""
    with tarfile.open(path) as tar:
        member = tar.getmember(member_name)
        offset = member.offset_data + member.size // 2
    with open(path, "r+b") as handle:
        handle.seek(offset)
        byte = handle.read(1)
        handle.seek(offset)
        handle.write(bytes([byte[0] ^ 0x01]))


def reseal(path: Path, target: Path, change) -> Path:
    """A copy of a backup whose manifest `change(manifest, rename)` edits (`rename(old, new)`
    renames a member), sealed again with the manifest's new checksum: a backup that passes every
    checksum and differs in what the test changes only."""
    import hashlib
    import io
    import json

    renamed = {}
    with tarfile.open(path) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())

    def rename(old, new):
        renamed[old] = new
        manifest["parts"][new] = manifest["parts"].pop(old)

    change(manifest, rename)
    sealed = json.dumps(manifest).encode()
    with tarfile.open(path) as source, tarfile.open(target, "w") as out:
        for member in source.getmembers():
            if member.name.startswith("manifest.json"):
                continue
            content = source.extractfile(member)
            member.name = renamed.get(member.name, member.name)
            out.addfile(member, content)
        for name, content in (("manifest.json", sealed),
                              ("manifest.json.sha256", hashlib.sha256(sealed).hexdigest().encode())):
            info = tarfile.TarInfo(name)
            info.size = len(content)
            out.addfile(info, io.BytesIO(content))
    return target
