"""What the cases page tests share: a small department (two units, two enterprises, the people of
each role) and sample files. Users read pages in English so that assertions do not depend on the
state of the Vietnamese translation; tests of Vietnamese messages make a user with language="vi"."""

import io
import zipfile
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from ketnoi.accounts.models import Enterprise, Role, User
from ketnoi.org.models import Unit
from ketnoi.testing import make_case, make_enterprise, make_unit, make_user

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def upload(name: str = "to-khai.pdf", content: bytes = PDF, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@dataclass
class World:
    unit: Unit
    other_unit: Unit
    enterprise: Enterprise
    other_enterprise: Enterprise
    business: User
    other_business: User
    officer: User
    leader: User
    other_officer: User
    coordinator: User
    operator: User

    def case(self, **fields):
        """A case of `enterprise` filed by `business`, naming `unit` (so handled by it)."""
        fields.setdefault("unit", self.unit)
        return make_case(enterprise=self.enterprise, by=self.business, **fields)


def world() -> World:
    unit = make_unit(code="02CI", name_vi="Chi cục Hải quan Khu vực I", name_en="Customs Branch Area I")
    other_unit = make_unit(code="02DS", name_vi="Chi cục Hải quan Khu vực II", name_en="Customs Branch Area II")
    enterprise = make_enterprise(name="Công ty TNHH Ánh Dương", email="lienhe@anhduong.vn")
    other_enterprise = make_enterprise(name="Công ty CP Sao Mai")
    return World(
        unit=unit, other_unit=other_unit, enterprise=enterprise, other_enterprise=other_enterprise,
        business=make_user(Role.BUSINESS, enterprise=enterprise, full_name="Nguyễn Thị Lan", language="en"),
        other_business=make_user(Role.BUSINESS, enterprise=other_enterprise, full_name="Trần Văn Minh", language="en"),
        officer=make_user(Role.OFFICER, unit=unit, full_name="Lê Văn Hùng", language="en"),
        leader=make_user(Role.LEADER, unit=unit, full_name="Phạm Thị Thu", language="en"),
        other_officer=make_user(Role.OFFICER, unit=other_unit, full_name="Đỗ Văn Nam", language="en"),
        coordinator=make_user(Role.COORDINATOR, full_name="Võ Thị Mai", language="en"),
        operator=make_user(Role.OPERATOR, enterprise=enterprise, language="en"),
    )


def page_text(response) -> str:
    """The page's main content as text, for assertions on what a person reads."""
    import re
    from html import unescape

    html = response.content.decode()
    if "<main" in html:
        html = html[html.index("<main"):html.index("</main>")]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
