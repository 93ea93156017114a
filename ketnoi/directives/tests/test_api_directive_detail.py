"""GET /api/v1/directives/{id}: one version with its text, attachments, versions and recipients."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ketnoi.cases.tests.api_helpers import assert_error
from ketnoi.directives import services
from ketnoi.testing import make_user

from .api_helpers import dworld, issue, replace  # noqa: F401  (fixture)

PDF = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
       b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")


def url(directive) -> str:
    return f"/directives/{directive.pk}"


def test_a_coordinator_reads_a_directive_with_every_recipient(dworld):
    directive = issue(dworld, ack_within_hours=8, report_due=timezone.localdate() + timedelta(days=5))
    services.directive_acknowledge(directive=directive, unit=dworld.other_unit, by=dworld.other_leader)
    services.directive_report(directive=directive, unit=dworld.other_unit, by=dworld.other_leader,
                              text="Đã bố trí khu vực riêng tiếp nhận hồ sơ từ ngày 09/3.")
    r = dworld.get(url(directive), as_=dworld.coordinator)
    assert r.status_code == 200, r.content
    data = r.json()
    assert data["id"] == directive.pk and data["number"] == directive.number
    assert data["body"] == directive.body and data["target"] == "all" and data["in_force_today"] is True
    by_code = {item["unit"]["code"]: item for item in data["recipients"]}
    assert set(by_code) == {"02CI", "02DS"}
    assert by_code["02CI"]["acknowledgement"] == "pending" and by_code["02CI"]["report"] == "pending"
    theirs = by_code["02DS"]
    assert theirs["acknowledgement"] == "on_time" and theirs["acknowledged_by"] == "Hồ Thị Ngọc Trâm"
    assert theirs["report"] == "on_time" and theirs["reported_at"].endswith("+07:00")
    assert theirs["report_text"] == "Đã bố trí khu vực riêng tiếp nhận hồ sơ từ ngày 09/3."
    assert data["versions"] == [{"id": directive.pk, "version": 1, "number": directive.number, "change": "new",
                                 "issued_at": data["issued_at"], "effective_from": data["effective_from"],
                                 "superseded_from": None}]


def test_an_officer_sees_its_own_units_recipient_only(dworld):
    directive = issue(dworld, ack_within_hours=8)
    [mine] = dworld.get(url(directive), as_=dworld.officer).json()["recipients"]
    assert mine["unit"] == {"id": dworld.unit.pk, "code": "02CI", "name": "Customs Branch Area I"}
    [theirs] = dworld.get(url(directive), as_=dworld.other_leader).json()["recipients"]
    assert theirs["unit"]["code"] == "02DS"


def test_a_team_reads_what_was_sent_to_its_branch(dworld):
    directive = issue(dworld, target="units", target_units=[dworld.unit])
    r = dworld.get(url(directive), as_=dworld.team_officer)
    assert r.status_code == 200 and r.json()["recipients"] == []  # the team was not itself a recipient


def test_it_lists_every_version_of_the_directive(dworld):
    first = issue(dworld)
    second = replace(dworld, first, days=2, change="amends")
    tomorrow = first.effective_from + timedelta(days=2)
    for directive in (first, second):
        data = dworld.get(url(directive), as_=dworld.officer).json()
        assert [(v["id"], v["version"], v["change"]) for v in data["versions"]] == \
            [(first.pk, 1, "new"), (second.pk, 2, "amends")]
        assert data["versions"][0]["superseded_from"] == tomorrow.isoformat()
        assert data["versions"][1]["superseded_from"] is None
    data = dworld.get(url(second), as_=dworld.officer).json()
    assert data["previous_id"] == first.pk and data["version"] == 2 and data["in_force_today"] is False
    assert dworld.get(url(first), as_=dworld.officer).json()["in_force_today"] is True


def test_it_lists_the_attachments_with_the_pages_download_address(dworld):
    directive = issue(dworld, attachments=[SimpleUploadedFile("cong-van-125.pdf", PDF, content_type="application/pdf")])
    [attachment] = dworld.get(url(directive), as_=dworld.officer).json()["attachments"]
    stored = directive.attachments.get()
    assert attachment == {"id": stored.pk, "name": "cong-van-125.pdf", "size": len(PDF),
                          "content_type": "application/pdf",
                          "url": attachment["url"]}
    assert attachment["url"].endswith(f"/chi-dao/{directive.pk}/tep/{stored.pk}/")
    assert attachment["url"].startswith("http")


# --- who may read it -----------------------------------------------------------------------

def test_an_officer_of_a_unit_it_was_not_sent_to_gets_404(dworld):
    directive = issue(dworld, target="units", target_units=[dworld.unit])
    assert_error(dworld.get(url(directive), as_=dworld.other_officer), 404, "not_found")
    assert_error(dworld.get(url(directive), as_=dworld.other_leader), 404, "not_found")


def test_it_requires_a_token(dworld):
    assert_error(dworld.get(url(issue(dworld))), 401, "unauthenticated")


@pytest.mark.parametrize("role", ["business", "operator", "party", "admin"])
def test_people_outside_customs_are_refused(dworld, role):
    assert_error(dworld.get(url(issue(dworld)), as_=getattr(dworld, role)), 403, "forbidden")


def test_a_user_with_no_role_is_refused(dworld):
    assert_error(dworld.get(url(issue(dworld)), as_=make_user(None)), 403, "forbidden")


@pytest.mark.parametrize("garbage", ["999999", "0", "-1", "abc", "1.5", "99999999999999999999", "1%00", "%2E%2E"])
def test_an_id_that_is_no_directive_is_404(dworld, garbage):
    issue(dworld)
    assert_error(dworld.get(f"/directives/{garbage}", as_=dworld.coordinator), 404, "not_found")


@pytest.mark.parametrize("method", ["put", "patch", "delete", "post"])
def test_it_rejects_other_methods(dworld, method):
    r = dworld.call(method, url(issue(dworld)), as_=dworld.coordinator)
    assert_error(r, 405, "method_not_allowed")
    assert r["Allow"] == "GET"
