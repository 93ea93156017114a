"""directive_issue: a new directive (version 1) — its number, dates, targets, attachments, who may
issue it, what it writes and whom it tells. New versions: test_service_new_version.py."""

import hashlib
import uuid
from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from ketnoi.accounts.models import Role
from ketnoi.directives.models import Attachment, Delegate
from ketnoi.notifications.models import Notification
from ketnoi.org import services as org
from ketnoi.org.models import Unit
from ketnoi.testing import make_unit, make_user

from .service_helpers import (  # noqa: F401  (fixtures)
    BODY, EXE, PDF, PNG, at, audit, clock, counts, fresh, issue, mail_to, unit_ids, upload, w,
)

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 9)


def errors_of(call) -> dict:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def refused(call, field: str) -> list[str]:
    """Call, expect a ValidationError on `field` (in English), and check nothing was written."""
    before = counts()
    errors = errors_of(call)
    assert field in errors, errors
    assert counts() == before
    return errors[field]


# --- the happy path ----------------------------------------------------------------------

def test_it_issues_a_directive_with_what_was_given(w, clock):
    directive = issue(w, number="125/HQHCM-VP", title="Về việc bố trí trực phòng, chống dịch",
                      signer_title="Phó Cục trưởng", urgency="very_urgent", ack_within_hours=4,
                      report_due=date(2026, 3, 13), effective_to=date(2026, 3, 31))
    stored = fresh(directive)
    assert stored.number == "125/HQHCM-VP" and stored.title == "Về việc bố trí trực phòng, chống dịch"
    assert stored.body == BODY and stored.issuing_unit == w.office and stored.issued_by == w.coordinator
    assert stored.signer_name == "Nguyễn Văn Tâm" and stored.signer_title == "Phó Cục trưởng"
    assert stored.issued_at == at(2026, 3, 9, 9) and stored.effective_from == MONDAY
    assert stored.effective_to == date(2026, 3, 31) and stored.superseded_from is None
    assert stored.urgency == "very_urgent" and stored.ack_within_hours == 4 and stored.report_due == date(2026, 3, 13)
    assert stored.version == 1 and stored.change == "new" and stored.previous is None and stored.is_latest
    assert stored.target == "all" and stored.target_kinds == [] and list(stored.target_units.all()) == []


def test_each_directive_starts_its_own_chain(w):
    first, second = issue(w), issue(w)
    assert first.chain != second.chain


def test_each_recipient_must_acknowledge_within_the_hours_asked(w, clock):
    directive = issue(w, ack_within_hours=6)
    recipients = list(directive.recipients.all())
    assert len(recipients) == 3
    for recipient in recipients:
        assert recipient.ack_due_at == at(2026, 3, 9, 15)
        assert recipient.acknowledged_at is None and recipient.escalated_at is None and recipient.reported_at is None


def test_a_directive_issued_earlier_counts_its_hours_from_its_issue(w, clock):
    directive = issue(w, issued_at=at(2026, 3, 8, 22, 30), effective_from=date(2026, 3, 8), ack_within_hours=2)
    assert {r.ack_due_at for r in directive.recipients.all()} == {at(2026, 3, 9, 0, 30)}


def test_without_hours_there_is_no_acknowledgement_deadline(w):
    directive = issue(w, ack_within_hours=None)
    assert {r.ack_due_at for r in directive.recipients.all()} == {None}


def test_it_tidies_the_title_and_signer_and_keeps_the_text_as_written(w):
    body = "  Điều 1. Cán bộ trực từ 07 giờ 30.\n\n    Điều 2. Báo cáo trước 16 giờ.  "
    directive = issue(w, title="  Về việc\n bố trí   trực  ", signer_name=" Nguyễn  Văn Tâm ",
                      signer_title="  Phó   Cục trưởng ", body=body)
    assert directive.title == "Về việc bố trí trực" and directive.signer_name == "Nguyễn Văn Tâm"
    assert directive.signer_title == "Phó Cục trưởng"
    assert directive.body == body.strip()  # paragraphs and their indentation are the document's


def test_the_signer_title_is_optional(w):
    assert issue(w, signer_title="").signer_title == ""


# --- the number ----------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["125/HQHCM-VP", "125/hqhcm-vp", " 125 / HQHCM – VP ", "125/HQHCM—VP", "125/Hqhcm-Vp"])
def test_the_number_is_written_in_its_official_spelling(w, typed):
    assert issue(w, number=typed).number == "125/HQHCM-VP"


def test_a_number_with_a_year_and_a_kind_is_kept(w):
    assert issue(w, number="01/2020/qđ-hqhcm").number == "01/2020/QĐ-HQHCM"


@pytest.mark.parametrize("typed", ["HQHCM-VP", "125", "công văn khẩn", "125/", "/VP", "12a/HQ", "Số 125/HQHCM-VP",
                                   "125/HQHCM-VP, 126/HQHCM-VP", "125/HQHCM-VP.", "125/HQHCM-VP khẩn",
                                   "125/HQ HCM-VP", "12 5/HQHCM-VP"])
def test_it_refuses_what_is_not_a_document_number(w, typed):
    (message,) = refused(lambda: issue(w, number=typed), "number")
    assert "is not a document number" in message and "125/HQHCM-VP" in message


@pytest.mark.parametrize("typed", ["", "   ", None])
def test_it_asks_for_the_number(w, typed):
    assert refused(lambda: issue(w, number=typed), "number") == ["Write the directive's number, e.g. 125/HQHCM-VP."]


def test_it_refuses_a_number_longer_than_60_characters(w):
    assert refused(lambda: issue(w, number="1" * 55 + "/HQHCM-VP"), "number") == ["Write at most 60 characters."]


def test_it_refuses_a_number_already_issued_this_year_however_it_is_typed(w):
    issue(w, number="125/HQHCM-VP")
    (message,) = refused(lambda: issue(w, number="125/hqhcm - vp"), "number")
    assert message == "A directive numbered 125/HQHCM-VP was already issued in 2026."


def test_the_same_number_may_come_back_in_another_year(w):
    issue(w, number="125/HQHCM-VP", issued_at=at(2025, 6, 2, 10), effective_from=date(2025, 6, 2))
    assert issue(w, number="125/HQHCM-VP").number == "125/HQHCM-VP"


def test_the_year_of_the_number_is_the_local_year(w):
    # 00:30 on 1 January in Ho Chi Minh City is still 31 December in UTC: a new year all the same.
    issue(w, number="1/HQHCM-VP", issued_at=at(2025, 12, 31, 23, 30), effective_from=date(2025, 12, 31))
    assert issue(w, number="1/HQHCM-VP", issued_at=at(2026, 1, 1, 0, 30), effective_from=date(2026, 1, 1))
    (message,) = refused(lambda: issue(w, number="1/HQHCM-VP", issued_at=at(2026, 1, 1, 7),
                                       effective_from=date(2026, 1, 1)), "number")
    assert message.endswith("in 2026.")


def test_the_database_itself_refuses_a_number_twice_in_a_year(w):
    # Two coordinators issuing the same number at the same moment both pass the service's check.
    copy = issue(w, number="125/HQHCM-VP")
    copy.pk, copy.chain = None, uuid.uuid4()
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_another_number_of_the_same_office_is_not_a_duplicate(w):
    issue(w, number="125/HQHCM-VP")
    assert issue(w, number="1250/HQHCM-VP") and issue(w, number="125/HQHCM-GSQL")


# --- the texts -------------------------------------------------------------------------------

@pytest.mark.parametrize("field, message", [
    ("title", "Write the directive's title."),
    ("body", "Write the text of the directive."),
    ("signer_name", "Write who signed the directive."),
])
@pytest.mark.parametrize("value", ["", "  \n\t ", None])
def test_it_asks_for_each_text(w, field, message, value):
    assert refused(lambda: issue(w, **{field: value}), field) == [message]


@pytest.mark.parametrize("field, limit", [("title", 300), ("signer_name", 150)])
def test_it_refuses_texts_too_long(w, field, limit):
    assert issue(w, **{field: "a" * limit})
    assert refused(lambda: issue(w, **{field: "a" * (limit + 1)}), field) == [f"Write at most {limit} characters."]


def test_a_long_signer_title_is_cut_to_its_column(w):
    assert len(issue(w, signer_title="Phó Cục trưởng " * 20).signer_title) == 150


def test_it_says_every_mistake_at_once(w):
    errors = errors_of(lambda: issue(w, number="khẩn", title="", signer_name=" ", urgency="max",
                                     effective_from=date(2026, 3, 1), ack_within_hours=0))
    assert set(errors) == {"number", "title", "signer_name", "urgency", "effective_from", "ack_within_hours"}


# --- dates -----------------------------------------------------------------------------------

def test_it_asks_for_the_day_it_takes_effect(w):
    assert refused(lambda: issue(w, effective_from=None), "effective_from") == ["Write the day the directive takes effect."]


def test_it_refuses_taking_effect_before_the_day_of_issue(w):
    assert refused(lambda: issue(w, effective_from=date(2026, 3, 8)), "effective_from") == [
        "A directive cannot take effect before the day it is issued (09/03/2026)."]


def test_it_may_take_effect_the_day_of_issue_or_later(w):
    assert issue(w, effective_from=MONDAY).effective_from == MONDAY
    assert issue(w, effective_from=date(2026, 4, 1)).effective_from == date(2026, 4, 1)


def test_the_day_of_issue_is_the_local_day(w, clock):
    # 06:00 on Tuesday in Ho Chi Minh City is still Monday in UTC: the directive is Tuesday's.
    clock.set(2026, 3, 10, 6)
    assert refused(lambda: issue(w, effective_from=MONDAY), "effective_from")
    assert issue(w, effective_from=date(2026, 3, 10)).issued_at == at(2026, 3, 10, 6)


def test_it_refuses_an_end_before_the_start(w):
    assert refused(lambda: issue(w, effective_from=date(2026, 3, 20), effective_to=date(2026, 3, 19)),
                   "effective_to") == ["The end of the period cannot be before its start."]


def test_it_may_be_in_force_for_one_day(w):
    assert issue(w, effective_to=MONDAY).effective_to == MONDAY


def test_it_refuses_an_issue_in_the_future(w, clock):
    assert refused(lambda: issue(w, issued_at=at(2026, 3, 9, 10)), "issued_at") == [
        "A directive cannot be issued in the future. Check the date and time of issue."]


def test_a_few_minutes_of_clock_difference_are_tolerated(w, clock):
    assert issue(w, issued_at=at(2026, 3, 9, 9, 5)).issued_at == at(2026, 3, 9, 9, 5)
    assert refused(lambda: issue(w, issued_at=at(2026, 3, 9, 9, 5, 1)), "issued_at")


def test_a_directive_on_paper_may_be_entered_later_with_its_own_dates(w):
    directive = issue(w, issued_at=at(2020, 3, 27, 16, 45), effective_from=date(2020, 3, 28),
                      effective_to=date(2020, 4, 15), report_due=date(2020, 4, 1), ack_within_hours=24)
    assert directive.issued_at == at(2020, 3, 27, 16, 45)
    assert {r.ack_due_at for r in directive.recipients.all()} == {at(2020, 3, 28, 16, 45)}


def test_the_report_cannot_be_due_before_the_issue(w):
    assert refused(lambda: issue(w, report_due=date(2026, 3, 8)), "report_due") == [
        "The report cannot be due before the directive is issued."]
    assert issue(w, report_due=MONDAY).report_due == MONDAY


# --- urgency and acknowledgement hours -------------------------------------------------------

@pytest.mark.parametrize("urgency", ["normal", "urgent", "very_urgent", "immediate"])
def test_every_urgency_of_the_decree_is_accepted(w, urgency):
    assert issue(w, urgency=urgency).urgency == urgency


@pytest.mark.parametrize("urgency", ["", "khan", "URGENT", None])
def test_an_unknown_urgency_is_refused(w, urgency):
    assert refused(lambda: issue(w, urgency=urgency), "urgency") == ["Choose the urgency."]


@pytest.mark.parametrize("hours", [1, 2, 24, 720])
def test_acknowledgement_may_be_asked_within_1_to_720_hours(w, hours):
    assert issue(w, ack_within_hours=hours).ack_within_hours == hours


@pytest.mark.parametrize("hours", [0, -1, 721, 10_000])
def test_acknowledgement_hours_out_of_range_are_refused(w, hours):
    assert refused(lambda: issue(w, ack_within_hours=hours), "ack_within_hours") == [
        "Ask for acknowledgement within 1 to 720 hours (30 days), or not at all."]


# --- the issuing unit ----------------------------------------------------------------------

def test_it_asks_for_the_issuing_unit(w):
    assert refused(lambda: issue(w, issuing_unit=None), "issuing_unit") == ["Choose the unit that issues the directive."]


def test_a_closed_unit_cannot_issue(w):
    org.unit_close(unit=w.division, on=date(2026, 3, 1), change="dissolved", successor=None, by=None)
    assert refused(lambda: issue(w, issuing_unit=fresh(w.division)), "issuing_unit")


def test_a_unit_closed_since_may_have_issued_a_directive_entered_later(w):
    org.unit_close(unit=w.division, on=date(2026, 3, 1), change="dissolved", successor=None, by=None)
    directive = issue(w, issuing_unit=fresh(w.division), issued_at=at(2026, 2, 20, 10), effective_from=date(2026, 2, 20))
    assert directive.issuing_unit == w.division


# --- targets ---------------------------------------------------------------------------------

def test_all_means_every_active_branch_and_division_but_the_issuer(w):
    directive = issue(w, target="all")
    assert unit_ids(directive) == {w.branch.pk, w.branch2.pk, w.division.pk}  # not the office, department, team


def test_all_leaves_out_closed_units_and_units_not_yet_open(w):
    org.unit_close(unit=w.branch2, on=date(2026, 3, 8), change="dissolved", successor=None, by=None)
    make_unit(parent=w.department, valid_from=date(2026, 4, 1), name_vi="Chi cục Hải quan khu vực mới")
    last_day = make_unit(parent=w.department, name_vi="Chi cục Hải quan đóng cửa hôm nay")
    org.unit_close(unit=last_day, on=MONDAY, change="dissolved", successor=None, by=None)
    assert unit_ids(issue(w, target="all")) == {w.branch.pk, w.division.pk, last_day.pk}


def test_all_from_the_department_itself_reaches_the_office_too(w):
    assert unit_ids(issue(w, issuing_unit=w.department)) == {w.branch.pk, w.branch2.pk, w.division.pk, w.office.pk}


@pytest.mark.parametrize("kinds, expected, kept", [
    (["branch"], {"branch", "branch2"}, ["branch"]),
    (["division"], {"division"}, ["division"]),  # the office issues it
    (["team"], {"team"}, ["team"]),
    (["branch", "team"], {"branch", "branch2", "team"}, ["branch", "team"]),
    (["branch", "nonsense", "branch"], {"branch", "branch2"}, ["branch"]),  # only known kinds are kept, once
])
def test_kinds_mean_every_active_unit_of_those_kinds(w, kinds, expected, kept):
    directive = issue(w, target="kinds", target_kinds=kinds)
    assert unit_ids(directive) == {getattr(w, name).pk for name in expected}
    assert directive.target == "kinds"
    assert fresh(directive).target_kinds == kept


@pytest.mark.parametrize("kinds", [[], ["nonsense"], ("",)])
def test_kinds_need_at_least_one_known_kind(w, kinds):
    assert refused(lambda: issue(w, target="kinds", target_kinds=kinds), "target_kinds") == [
        "Choose at least one kind of unit."]


def test_a_list_means_exactly_those_units(w):
    directive = issue(w, target="units", target_units=[w.branch2, w.team])
    assert unit_ids(directive) == {w.branch2.pk, w.team.pk}
    assert set(directive.target_units.all()) == {w.branch2, w.team}


def test_a_unit_listed_twice_is_sent_to_once(w):
    directive = issue(w, target="units", target_units=[w.branch, w.branch2, w.branch])
    assert sorted(directive.recipients.values_list("unit_id", flat=True)) == sorted([w.branch.pk, w.branch2.pk])


def test_a_list_may_be_a_queryset(w):
    directive = issue(w, target="units", target_units=Unit.objects.filter(pk__in=[w.branch.pk, w.division.pk]))
    assert unit_ids(directive) == {w.branch.pk, w.division.pk}


def test_a_closed_unit_in_the_list_is_refused_by_name(w):
    org.unit_close(unit=w.branch2, on=date(2026, 3, 8), change="dissolved", successor=None, by=None)
    (message,) = refused(lambda: issue(w, target="units", target_units=[w.branch, fresh(w.branch2)]), "target_units")
    assert message == ("02B1 Tan Son Nhat Airport Customs Branch no longer exists: "
                       "send the directive to the unit that carries its work.")


def test_the_issuing_unit_is_left_out_of_its_own_list(w):
    directive = issue(w, target="units", target_units=[w.office, w.branch])
    assert unit_ids(directive) == {w.branch.pk}


@pytest.mark.parametrize("target, fields", [
    ("units", {"target_units": []}),
    ("units", {"target_units": "office"}),
    ("kinds", {"target_kinds": ["team"], "issuing_unit": "team"}),
])
def test_none_left_to_send_to_is_refused(w, target, fields):
    fields = {key: ([getattr(w, value)] if key == "target_units" else getattr(w, value))
              if isinstance(value, str) else value for key, value in fields.items()}
    assert refused(lambda: issue(w, target=target, **fields), "target_units") == [
        "Choose at least one unit to send the directive to."]


def test_all_with_no_branch_or_division_open_is_refused(w):
    for unit in (w.branch, w.branch2, w.division):
        org.unit_close(unit=unit, on=date(2026, 3, 1), change="dissolved", successor=None, by=None)
    assert refused(lambda: issue(w, target="all"), "target_units")


@pytest.mark.parametrize("target", ["", "everyone", None])
def test_an_unknown_target_is_refused(w, target):
    assert refused(lambda: issue(w, target=target), "target") == ["Choose who the directive is sent to."]


def test_units_and_kinds_given_with_another_target_are_not_kept(w):
    directive = issue(w, target="all", target_kinds=["team"], target_units=[w.team])
    assert fresh(directive).target_kinds == [] and list(directive.target_units.all()) == []
    assert w.team.pk not in unit_ids(directive)


# --- attachments -------------------------------------------------------------------------------

def test_attachments_are_stored_with_what_their_content_is(w):
    directive = issue(w, attachments=[upload("Công văn 125.pdf", PDF), upload("anh-chup.pdf", PNG, "application/pdf")])
    first, second = directive.attachments.order_by("id")
    assert (first.original_name, first.content_type, first.size) == ("Công văn 125.pdf", "application/pdf", len(PDF))
    assert first.sha256 == hashlib.sha256(PDF).hexdigest() and first.uploaded_by == w.coordinator
    assert second.content_type == "image/png"  # the browser said PDF; the bytes say PNG
    with first.file.open("rb") as stored:
        assert stored.read() == PDF
    assert "Công văn" not in first.file.name and first.sha256 in first.file.name  # never the uploaded name


def test_a_file_that_is_not_an_allowed_kind_is_refused_and_nothing_is_stored(w, settings):
    (message,) = refused(lambda: issue(w, attachments=[upload("cong-van.pdf", PDF), upload("chi-thi.pdf", EXE)]),
                         "attachments")
    assert message == "“chi-thi.pdf” is not a PDF, JPEG, PNG, XLSX or DOCX file. Only these kinds of files can be attached."
    assert not (settings.MEDIA_ROOT / "directives").exists()


def test_at_most_ten_files(w):
    assert issue(w, attachments=[upload(f"phu-luc-{n}.pdf") for n in range(10)]).attachments.count() == 10
    assert refused(lambda: issue(w, attachments=[upload(f"phu-luc-{n}.pdf") for n in range(11)]), "attachments") == [
        "Attach at most 10 files at a time."]


def test_a_file_over_20_mb_is_refused(w):
    big = PDF + b"0" * (20 * 1024 * 1024 - len(PDF) + 1)
    (message,) = refused(lambda: issue(w, attachments=[upload("so-lieu.pdf", big)]), "attachments")
    assert message.startswith("“so-lieu.pdf” is larger than 20")


def test_an_empty_file_is_refused(w):
    assert refused(lambda: issue(w, attachments=[upload("trong.pdf", b"")]), "attachments")


# --- who may issue -----------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["leader", "officer", "division_leader", "office_leader", "team_leader",
                                 "business", "operator", "party", "admin", "nobody"])
def test_only_coordinators_issue(w, who):
    before = counts()
    with pytest.raises(PermissionDenied):
        issue(w, by=getattr(w, who))
    assert counts() == before


@pytest.mark.parametrize("by", [None, AnonymousUser()])
def test_anonymous_cannot_issue(w, by):
    with pytest.raises(PermissionDenied):
        issue(w, by=by)


def test_a_deactivated_coordinator_cannot_issue(w):
    w.coordinator2.is_active = False
    w.coordinator2.save()
    with pytest.raises(PermissionDenied):
        issue(w, by=fresh(w.coordinator2))


def test_permission_is_checked_before_the_input(w):
    # A refused caller learns nothing about which numbers exist.
    issue(w, number="125/HQHCM-VP")
    with pytest.raises(PermissionDenied):
        issue(w, by=w.leader, number="125/HQHCM-VP")


# --- what it writes ----------------------------------------------------------------------------

def test_it_writes_one_audit_event_with_the_units(w):
    directive = issue(w, target="units", target_units=[w.branch, w.branch2])
    (event,) = audit("directive.issued")
    assert event.actor == w.coordinator and event.object_id == str(directive.pk)
    assert event.after["number"] == directive.number and sorted(event.after["units"]) == sorted([w.branch.pk, w.branch2.pk])


@pytest.mark.parametrize("mistake", [
    {"number": "khẩn"}, {"title": ""}, {"effective_from": date(2026, 3, 1)}, {"ack_within_hours": 0},
    {"target": "units", "target_units": []}, {"attachments": [upload("x.pdf", EXE)]}, {"urgency": "?"},
])
def test_an_invalid_call_writes_nothing_and_sends_nothing(w, commit, settings, mistake):
    before, files = counts(), Attachment.objects.count()
    with commit(), pytest.raises(ValidationError):
        issue(w, attachments=[upload()], **mistake) if "attachments" not in mistake else issue(w, **mistake)
    assert counts() == before and Attachment.objects.count() == files
    assert mail.outbox == [] and Notification.objects.count() == 0
    assert not (settings.MEDIA_ROOT / "directives").exists()  # no file stored either


# --- whom it tells -------------------------------------------------------------------------------

def test_the_leaders_and_delegates_of_the_units_are_told_after_the_commit(w, commit, django_capture_on_commit_callbacks):
    Delegate.objects.create(unit=w.branch, user=w.officer, granted_by=w.leader)
    with django_capture_on_commit_callbacks() as callbacks:
        directive = issue(w, target="units", target_units=[w.branch, w.division], number="125/HQHCM-VP")
    assert mail.outbox == [] and len(callbacks) == 1  # nothing leaves before the commit
    callbacks[0]()
    told = {user.pk for user in (w.leader, w.deputy, w.officer, w.division_leader)}
    assert {message.to[0] for message in mail.outbox} == {u.email for u in (w.leader, w.deputy, w.officer, w.division_leader)}
    assert len(mail.outbox) == 4
    assert set(Notification.objects.filter(kind="directives/issued").values_list("user_id", flat=True)) == told
    for user in (w.officer2, w.leader2, w.team_leader, w.coordinator, w.office_leader):
        assert mail_to(user) == []
    message = mail_to(w.leader)[0]
    assert "125/HQHCM-VP" in message.subject and directive.get_absolute_url() in message.body


def test_each_is_told_in_their_language(w, commit):
    with commit():
        issue(w, target="units", target_units=[w.branch], number="126/HQHCM-VP", ack_within_hours=4)
    (english,) = mail_to(w.deputy)
    assert english.subject.startswith("New directive 126/HQHCM-VP")
    assert "Acknowledge within 4 hours." in english.body
    assert english.extra_headers["Content-Language"] == "en"
    assert mail_to(w.leader)[0].extra_headers["Content-Language"] == "vi"


def test_a_deactivated_leader_or_a_leader_without_e_mail_gets_no_e_mail(w, commit):
    away = make_user(Role.LEADER, unit=w.branch2, is_active=False)
    no_mail = make_user(Role.LEADER, unit=w.branch2, email="")
    with commit():
        issue(w, target="units", target_units=[w.branch2])
    assert mail_to(away) == [] and len(mail_to(w.leader2)) == 1
    assert Notification.objects.filter(user=no_mail, kind="directives/issued").count() == 1
    assert not Notification.objects.filter(user=away).exists()


def test_someone_leading_two_units_is_told_once(w, commit):
    w.leader2.role_assignments.create(role=Role.LEADER, unit=w.branch)
    with commit():
        issue(w, target="units", target_units=[w.branch, w.branch2])
    assert len(mail_to(w.leader2)) == 1


def test_a_unit_without_leaders_or_delegates_sends_nothing(w, commit):
    lonely = make_unit(parent=w.department)
    with commit():
        directive = issue(w, target="units", target_units=[lonely])
    assert mail.outbox == [] and unit_ids(directive) == {lonely.pk}
