import pytest

from ketnoi.cases import services

from .api_helpers import assert_error, file_case, garbage_references, world  # noqa: F401  (fixture)


def url(case) -> str:
    return f"/cases/{case.reference}/timeline"


@pytest.fixture
def case(world):
    """Filed, taken, noted internally, asked for information, replied to, answered."""
    case = file_case(world)
    services.case_assign(case=case, assignee=world.officer, by=world.officer)
    services.case_message(case=case, body="Ghi chú nội bộ: cần hỏi phòng nghiệp vụ.", by=world.officer, internal=True)
    services.case_request_info(case=case, body="Đề nghị gửi hợp đồng nhập khẩu.", by=world.officer)
    services.case_message(case=case, body="Chúng tôi gửi kèm hợp đồng.", by=world.business)
    services.case_answer(case=case, body="Doanh nghiệp được hoàn thuế.", by=world.officer)
    return case


def kinds(r) -> list[str]:
    assert r.status_code == 200, r.content
    return [e["kind"] for e in r.json()]


def test_the_business_sees_the_public_events_only(world, case):
    r = world.get(url(case), as_=world.business)
    assert kinds(r) == ["filed", "info_requested", "business_replied", "answered"]
    assert all(e["public"] for e in r.json())
    assert "nội bộ" not in r.content.decode()


@pytest.mark.parametrize("user", ["officer", "leader", "coordinator"])
def test_customs_sees_every_event(world, case, user):
    assert kinds(world.get(url(case), as_=getattr(world, user))) == [
        "filed", "routed", "assigned", "note", "info_requested", "business_replied", "answered"]


def test_it_describes_each_event(world, case):
    events = world.get(url(case), as_=world.officer).json()
    note = next(e for e in events if e["kind"] == "note")
    assert note == {"id": note["id"], "kind": "note", "kind_label": "Internal note", "at": note["at"],
                    "actor": "Lê Văn Hùng", "body": "Ghi chú nội bộ: cần hỏi phòng nghiệp vụ.", "public": False}
    assert note["at"].endswith("+07:00")
    routed = next(e for e in events if e["kind"] == "routed")
    assert routed["actor"] is None  # the system routed it
    assert [e["at"] for e in events] == sorted(e["at"] for e in events)


def test_a_shared_unit_sees_the_internal_events_too(world, case):
    services.case_share(case=case, unit=world.other_unit, by=world.officer)
    assert "note" in kinds(world.get(url(case), as_=world.other_officer))


@pytest.mark.parametrize("user", ["other_business", "other_officer", "operator", "party", "admin"])
def test_those_who_may_not_see_the_case_get_404(world, case, user):
    assert_error(world.get(url(case), as_=getattr(world, user)), 404, "not_found")


@pytest.mark.parametrize("reference", garbage_references())
def test_it_answers_404_to_garbage(world, case, reference):
    assert_error(world.get(f"/cases/{reference}/timeline", as_=world.officer), 404, "not_found")


def test_it_requires_a_token(world, case):
    assert_error(world.get(url(case)), 401, "unauthenticated")


def test_it_rejects_post(world, case):
    r = world.post(url(case), {"kind": "note"}, as_=world.officer)
    assert_error(r, 405, "method_not_allowed")
    assert r["Allow"] == "GET"

