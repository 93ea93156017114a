"""directive_report: the unit's implementation report, filed once by its leader or delegate; a
report also acknowledges the directive when that was not done."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from ketnoi.directives import services, selectors
from ketnoi.directives.models import Delegate

from .service_helpers import at, audit, clock, counts, fresh, issue, recipient, w  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

TEXT = ("Chi cục đã phổ biến chỉ đạo đến toàn thể cán bộ; bố trí trực từ 08 giờ 00; "
        "khử khuẩn trụ sở hai lần mỗi ngày; không phát sinh trường hợp nghi nhiễm.")


@pytest.fixture
def directive(w):
    """Sent to the two branches on Monday 09/03/2026 09:00: acknowledge in 4 hours, report by Friday 13/03."""
    return issue(w, number="125/HQHCM-VP", target="kinds", target_kinds=["branch"], ack_within_hours=4,
                 report_due=date(2026, 3, 13))


def report(directive, unit, by, text=TEXT, **kwargs):
    return services.directive_report(directive=directive, unit=unit, text=text, by=by, **kwargs)


def errors_of(call) -> dict:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_the_leader_files_the_unit_s_report(w, clock, directive):
    clock.set(2026, 3, 12, 16, 30)
    result = report(directive, w.branch, w.leader)
    stored = recipient(directive, w.branch)
    assert result.pk == stored.pk
    assert stored.report_text == TEXT and stored.reported_at == at(2026, 3, 12, 16, 30) and stored.reported_by == w.leader
    assert recipient(directive, w.branch2).reported_at is None


def test_the_text_is_kept_as_written_without_its_outer_blanks(w, directive):
    text = "  1. Đã phổ biến đến cán bộ.\n  2. Đã bố trí trực.\n\n"
    assert report(directive, w.branch, w.leader, text=text).report_text == "1. Đã phổ biến đến cán bộ.\n  2. Đã bố trí trực."


def test_a_report_acknowledges_a_directive_not_yet_acknowledged(w, clock, directive):
    clock.set(2026, 3, 9, 15)
    report(directive, w.branch, w.deputy)
    stored = recipient(directive, w.branch)
    assert stored.acknowledged_at == stored.reported_at == at(2026, 3, 9, 15) and stored.acknowledged_by == w.deputy


def test_a_report_keeps_the_earlier_acknowledgement(w, clock, directive):
    services.directive_acknowledge(directive=directive, unit=w.branch, by=w.leader)
    clock.set(2026, 3, 11, 10)
    report(directive, w.branch, w.deputy)
    stored = recipient(directive, w.branch)
    assert stored.acknowledged_at == at(2026, 3, 9, 9) and stored.acknowledged_by == w.leader
    assert stored.reported_by == w.deputy


def test_the_moment_may_be_given(w, clock, directive):
    clock.set(2026, 3, 14, 9)
    report(directive, w.branch, w.leader, at=at(2026, 3, 13, 23, 59))
    assert recipient(directive, w.branch).reported_at == at(2026, 3, 13, 23, 59)


def test_a_report_on_the_day_it_is_due_is_on_time_and_the_day_after_late(w, clock, directive):
    clock.set(2026, 3, 14, 9)
    report(directive, w.branch, w.leader, at=at(2026, 3, 13, 23, 59))
    report(directive, w.branch2, w.leader2, at=at(2026, 3, 14, 0, 1))
    cells = selectors.matrix(directives=[directive], now=at(2026, 3, 20, 9)).cells
    assert cells[(directive.pk, w.branch.pk)].report == "on_time"
    assert cells[(directive.pk, w.branch2.pk)].report == "late"


@pytest.mark.parametrize("text", ["", "   \n\t", None])
def test_it_asks_for_the_text(w, directive, text):
    before = counts()
    assert errors_of(lambda: report(directive, w.branch, w.leader, text=text)) == {
        "report_text": ["Write what the unit has done to carry out the directive."]}
    assert counts() == before


def test_a_report_once_filed_is_not_rewritten(w, clock, directive):
    clock.set(2026, 3, 12, 16)
    report(directive, w.branch, w.leader)
    clock.set(2026, 3, 13, 8)
    before = counts()
    assert errors_of(lambda: report(directive, w.branch, w.deputy, text="Báo cáo bổ sung.")) == {
        "report_text": ["02CI Saigon Port Zone I Customs Branch already filed its report on 12/03/2026."]}
    stored = recipient(directive, w.branch)
    assert stored.report_text == TEXT and stored.reported_by == w.leader and stored.reported_at == at(2026, 3, 12, 16)
    assert counts() == before and len(audit("directive.reported")) == 1


def test_the_day_it_was_filed_is_the_local_day(w, clock, directive):
    clock.set(2026, 3, 12, 9)
    report(directive, w.branch, w.leader, at=at(2026, 3, 12, 6))  # 23:00 on the 11th in UTC
    assert "12/03/2026" in errors_of(lambda: report(directive, w.branch, w.leader))["report_text"][0]


def test_a_unit_the_directive_was_not_sent_to_cannot_report(w, directive):
    before = counts()
    assert errors_of(lambda: report(directive, w.division, w.division_leader)) == {
        "unit": ["This directive was not sent to Supervision Division."]}
    assert counts() == before


def test_it_is_audited(w, directive):
    rec = report(directive, w.branch, w.leader)
    (event,) = audit("directive.reported", rec)
    assert event.actor == w.leader and event.before["report_text"] == "" and event.after["report_text"] == TEXT


def test_a_delegate_files_the_report(w, directive):
    Delegate.objects.create(unit=w.branch, user=w.officer2, granted_by=w.leader)
    assert report(directive, w.branch, w.officer2).reported_by == w.officer2


@pytest.mark.parametrize("who", ["officer", "leader2", "team_leader", "division_leader", "coordinator",
                                 "business", "operator", "party", "admin", "nobody"])
def test_others_may_not_report_for_the_branch(w, directive, who):
    before = counts()
    with pytest.raises(PermissionDenied):
        report(directive, w.branch, getattr(w, who))
    assert counts() == before


@pytest.mark.parametrize("by", [None, AnonymousUser()])
def test_anonymous_may_not_report(w, directive, by):
    with pytest.raises(PermissionDenied):
        report(directive, w.branch, by)


def test_permission_is_checked_before_the_text(w, directive):
    with pytest.raises(PermissionDenied):
        report(directive, w.branch, w.officer, text="")


def test_a_report_may_be_filed_without_a_due_day(w):
    directive = issue(w, target="units", target_units=[w.branch])
    report(directive, w.branch, w.leader)
    (cell,) = selectors.matrix(directives=[fresh(directive)]).cells.values()
    assert cell.report == "on_time" and cell.acknowledgement == "on_time"


@pytest.mark.parametrize("moment", [at(2026, 3, 9, 8, 59), at(2026, 3, 20, 9, 5, 1)])
def test_a_report_is_not_filed_before_the_issue_nor_in_the_future(w, clock, directive, moment):
    clock.set(2026, 3, 20, 9)
    before = counts()
    assert errors_of(lambda: report(directive, w.branch, w.leader, at=moment)) == {"at": [
        "The moment must be between the issue of the directive (09:00 09/03/2026) and now."]}
    assert counts() == before
