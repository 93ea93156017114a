"""case_file: a business's difficulty enters the system, numbered, routed, with its deadlines."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ketnoi.audit.models import AuditEvent
from ketnoi.cases.models import Attachment, Case, CaseEvent, Channel, Level, Sequence, SlaPolicy, Status, Topic
from ketnoi.notifications.models import Notification
from ketnoi.org.models import Unit
from ketnoi.org.services import unit_close
from ketnoi.testing import make_unit

from .core_helpers import DESCRIPTION, at, build_world, file_case, mail_to

pytestmark = pytest.mark.django_db


def counts():
    return (Case.objects.count(), CaseEvent.objects.count(), AuditEvent.objects.count(),
            list(Sequence.objects.values_list("year", "last")), Attachment.objects.count())


# --- reference -----------------------------------------------------------------------------

def test_it_gives_a_public_reference_that_increases(w):
    first, second = file_case(w), file_case(w)
    year = timezone.localdate().year
    assert re.fullmatch(rf"VM-{year}-\d{{6}}", first.reference)
    assert int(second.reference[-6:]) == int(first.reference[-6:]) + 1
    assert first.reference == f"VM-{year}-000001"


def test_the_reference_takes_the_year_of_receipt(w):
    case = file_case(w, received_at=at(2025, 12, 31, 23, 30))
    assert case.reference == "VM-2025-000001"
    assert file_case(w, received_at=at(2026, 1, 5, 8)).reference == "VM-2026-000001"


def test_it_records_what_the_business_wrote(w):
    case = Case.objects.get(pk=file_case(w, subject="  Thủ tục tạm nhập tái xuất  ").pk)
    assert case.subject == "Thủ tục tạm nhập tái xuất"
    assert case.description == DESCRIPTION
    assert case.enterprise == w.enterprise and case.filed_by == w.business
    assert case.channel == Channel.WEB and case.topic.code == "thu-tuc"
    assert case.status == Status.NEW and case.level == Level.UNIT


def test_it_stores_canonical_declaration_numbers_and_hs_codes(w):
    case = file_case(w, declaration_numbers=["1045 1234 5670", "104512345670", "104-512-345-671"],
                     hs_codes=["84713020", "8471.30.20", "0000.00.00", " 0901.11.10 "])
    case = Case.objects.get(pk=case.pk)
    assert case.declaration_numbers == ["104512345670", "104512345671"]
    assert case.hs_codes == ["8471.30.20", "0000.00.00", "0901.11.10"]


# --- deadlines -----------------------------------------------------------------------------

def test_it_sets_the_default_deadlines(w):
    case = Case.objects.get(pk=file_case(w, received_at=at(2026, 3, 6, 16)).pk)  # a Friday
    assert case.received_at == at(2026, 3, 6, 16)
    assert case.acknowledge_due_at == at(2026, 3, 9, 17)  # 1 working day
    assert case.due_at == at(2026, 3, 20, 17)  # 10 working days
    assert case.priority is False


def test_a_priority_enterprise_gets_eight_working_hours(db):
    w = build_world(priority=True)
    case = Case.objects.get(pk=file_case(w, received_at=at(2026, 3, 6, 16)).pk)
    assert case.priority is True
    assert case.due_at == at(2026, 3, 9, 16)
    assert case.acknowledge_due_at == at(2026, 3, 9, 17)


def test_the_topics_own_policy_wins_over_the_default(w):
    SlaPolicy.objects.create(topic=Topic.objects.get(code="thue"), level=Level.UNIT, priority=False,
                             acknowledge_workdays=2, answer_workdays=5)
    taxed = Case.objects.get(pk=file_case(w, topic="thue", received_at=at(2026, 3, 6, 16)).pk)
    other = Case.objects.get(pk=file_case(w, topic="thu-tuc", received_at=at(2026, 3, 6, 16)).pk)
    assert taxed.acknowledge_due_at == at(2026, 3, 10, 17)
    assert taxed.due_at == at(2026, 3, 13, 17)
    assert other.due_at == at(2026, 3, 20, 17)


def test_the_deadlines_travel_on_the_filed_event(w):
    case = file_case(w, received_at=at(2026, 3, 6, 16))
    filed = case.events.get(kind=CaseEvent.Kind.FILED)
    assert filed.public and filed.at == at(2026, 3, 6, 16)
    assert filed.data["due"] == at(2026, 3, 20, 17).isoformat()
    routed = case.events.get(kind=CaseEvent.Kind.ROUTED)
    assert not routed.public and routed.data["unit"] == w.unit.pk


# --- bad input changes nothing -------------------------------------------------------------

@pytest.mark.parametrize("fields, field", [
    ({"topic": "khong-co"}, "topic"),
    ({"topic": None}, "topic"),
    ({"subject": "   "}, "subject"),
    ({"subject": "x" * 201}, "subject"),
    ({"description": ""}, "description"),
    ({"declaration_numbers": ["10451234567"]}, "declaration_numbers"),
    ({"declaration_numbers": [f"1045123456{i:02d}" for i in range(21)]}, "declaration_numbers"),
    ({"hs_codes": ["8471.30.2"]}, "hs_codes"),
    ({"hs_codes": [f"8471.30.{i:02d}" for i in range(21)]}, "hs_codes"),
])
def test_a_bad_field_is_refused_and_creates_nothing(w, fields, field):
    file_case(w)
    before = counts()
    with pytest.raises(ValidationError) as error:
        file_case(w, **fields)
    assert field in error.value.message_dict
    assert counts() == before


def test_an_inactive_topic_is_refused(w):
    topic = Topic.objects.get(code="xuat-xu")
    topic.active = False
    topic.save()
    with pytest.raises(ValidationError) as error:
        file_case(w, topic=topic)
    assert "topic" in error.value.message_dict


def test_it_reports_every_bad_field_at_once(w):
    before = counts()
    with pytest.raises(ValidationError) as error:
        file_case(w, topic="khong-co", subject="", description=" ", declaration_numbers=["123"],
                  hs_codes=["8471.30.20", "84.71"])
    assert set(error.value.message_dict) == {"topic", "subject", "description", "declaration_numbers", "hs_codes"}
    assert len(error.value.message_dict["hs_codes"]) == 1
    assert counts() == before


def test_a_refused_attachment_rolls_back_the_case_and_its_number(w):
    first = file_case(w)
    before = counts()
    exe = SimpleUploadedFile("hoa-don.pdf", b"MZ\x90\x00" + b"\x00" * 100, content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        file_case(w, attachments=[exe])
    assert "attachments" in error.value.message_dict
    assert counts() == before
    assert int(file_case(w).reference[-6:]) == int(first.reference[-6:]) + 1


def test_it_keeps_a_real_pdf_attachment(w):
    pdf = SimpleUploadedFile("to-khai.exe", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
    case = file_case(w, attachments=[pdf])
    attachment = case.attachments.get()
    assert attachment.content_type == "application/pdf"
    assert attachment.original_name == "to-khai.exe"
    assert "to-khai" not in attachment.file.name
    assert attachment.public and attachment.uploaded_by == w.business


# --- who may file --------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["other_business", "operator", "officer", "coordinator", "party", "admin"])
def test_only_a_business_user_of_the_enterprise_files_on_the_web(w, who):
    before = counts()
    with pytest.raises(PermissionDenied):
        file_case(w, by=getattr(w, who))
    assert counts() == before


def test_an_anonymous_user_cannot_file(w):
    from django.contrib.auth.models import AnonymousUser
    with pytest.raises(PermissionDenied):
        file_case(w, by=AnonymousUser())


def test_staff_file_on_behalf_of_a_business_through_another_channel(w):
    case = file_case(w, by=w.officer, channel=Channel.PHONE)
    case = Case.objects.get(pk=case.pk)
    assert case.channel == Channel.PHONE and case.filed_by == w.officer
    assert case.events.get(kind=CaseEvent.Kind.FILED).data["channel"] == "phone"


@pytest.mark.parametrize("channel", [Channel.WEB, Channel.API])
def test_staff_on_behalf_need_a_channel_other_than_web_or_api(w, channel):
    with pytest.raises(PermissionDenied):
        file_case(w, by=w.officer, channel=channel)


def test_a_business_cannot_pretend_it_phoned(w):
    with pytest.raises(PermissionDenied):
        file_case(w, channel=Channel.LETTER)


def test_an_unknown_channel_is_refused(w):
    with pytest.raises(ValidationError):
        file_case(w, by=w.officer, channel="fax")
    assert not Case.objects.exists()


# --- units that closed ---------------------------------------------------------------------

def test_a_closed_unit_named_sends_the_case_to_its_successor(w):
    old = make_unit(valid_from=date(2020, 1, 1))
    unit_close(unit=old, on=timezone.localdate() - timedelta(days=1), change=Unit.Change.MERGED,
               successor=w.other_unit, by=None)
    case = Case.objects.get(pk=file_case(w, named_unit=Unit.objects.get(pk=old.pk)).pk)
    assert case.unit == w.other_unit
    assert case.named_unit_id == old.pk  # the history keeps what the business chose


def test_a_dissolved_unit_without_successor_is_refused(w):
    old = make_unit(valid_from=date(2020, 1, 1))
    unit_close(unit=old, on=timezone.localdate() - timedelta(days=1), change=Unit.Change.DISSOLVED,
               successor=None, by=None)
    with pytest.raises(ValidationError) as error:
        file_case(w, named_unit=Unit.objects.get(pk=old.pk))
    assert "unit" in error.value.message_dict


def test_a_successor_that_closed_too_is_refused(w):
    old, middle = make_unit(valid_from=date(2020, 1, 1)), make_unit(valid_from=date(2020, 1, 1))
    yesterday = timezone.localdate() - timedelta(days=1)
    unit_close(unit=old, on=yesterday, change=Unit.Change.MERGED, successor=middle, by=None)
    unit_close(unit=middle, on=yesterday, change=Unit.Change.DISSOLVED, successor=None, by=None)
    with pytest.raises(ValidationError) as error:
        file_case(w, named_unit=Unit.objects.get(pk=old.pk))
    assert "unit" in error.value.message_dict


# --- telling people ------------------------------------------------------------------------

def test_it_confirms_by_email_to_the_business_users_and_tells_the_unit_leaders(w, commit, mailoutbox):
    with commit():
        case = file_case(w)
    assert len(mail_to(w.business)) == 1 and len(mail_to(w.business2)) == 1
    assert case.reference in mail_to(w.business)[0].subject
    assert len(mail_to(w.leader)) == 1
    assert Notification.objects.filter(user=w.leader).count() == 1
    assert not Notification.objects.filter(user=w.business).exists()  # e-mail only
    for nobody in (w.other_business, w.operator, w.officer, w.other_leader, w.coordinator):
        assert mail_to(nobody) == []
    assert len(mailoutbox) == 3


def test_a_case_for_the_coordinators_queue_tells_the_coordinators(w, commit):
    with commit():
        case = file_case(w, named_unit=None, enterprise=w.other_enterprise, by=w.other_business)
    # the other enterprise's usual unit has no routing rule: no clear unit
    assert Case.objects.get(pk=case.pk).unit is None
    assert len(mail_to(w.coordinator)) == 1
    assert mail_to(w.leader) == []


def test_nothing_is_sent_when_filing_fails(w, commit, mailoutbox):
    with commit():
        with pytest.raises(ValidationError):
            file_case(w, subject="")
    assert mailoutbox == []


def test_it_records_an_audit_event(w):
    case = file_case(w)
    event = AuditEvent.objects.get(action="case.file")
    assert event.actor == w.business and event.object_id == str(case.pk)
    assert event.after["reference"] == case.reference


def test_it_rejects_an_attachment_bigger_than_10_mb(w, settings):
    settings.KETNOI_CASES = {"attachment_max_bytes": 1000}
    big = SimpleUploadedFile("scan.pdf", b"%PDF-1.7\n" + b"0" * 2000)
    with pytest.raises(ValidationError):
        file_case(w, attachments=[big])
    assert not Case.objects.exists()


# --- questions sent to a dialogue session --------------------------------------------------

def test_a_business_files_a_dialogue_question_for_its_own_enterprise_with_the_sessions_unit(w):
    case = Case.objects.get(pk=file_case(w, channel=Channel.DIALOGUE, handling_unit=w.unit).pk)
    assert case.channel == Channel.DIALOGUE and case.filed_by == w.business and case.unit == w.unit


def test_a_business_cannot_pretend_it_asked_at_a_session(w):
    before = counts()
    with pytest.raises(PermissionDenied):
        file_case(w, channel=Channel.DIALOGUE)  # no session's unit: not sent through a session
    assert counts() == before


def test_staff_file_a_dialogue_question_raised_at_a_session(w):
    case = file_case(w, by=w.officer, channel=Channel.DIALOGUE)
    assert Case.objects.get(pk=case.pk).filed_by == w.officer


@pytest.mark.parametrize("who", ["other_business", "operator", "party", "admin"])
def test_no_one_else_files_a_dialogue_question(w, who):
    before = counts()
    with pytest.raises(PermissionDenied):
        file_case(w, by=getattr(w, who), channel=Channel.DIALOGUE, handling_unit=w.unit)
    assert counts() == before


def test_the_handling_unit_given_wins_over_the_routing_rules(w):
    from ketnoi.cases.models import RoutingRule

    RoutingRule.objects.create(topic=Topic.objects.get(code="thu-tuc"), named_unit=None, handling_unit=w.other_unit)
    assert file_case(w).unit == w.other_unit  # the rule, without a handling unit
    case = Case.objects.get(pk=file_case(w, channel=Channel.DIALOGUE, handling_unit=w.shared_unit).pk)
    assert case.unit == w.shared_unit
    assert case.events.get(kind=CaseEvent.Kind.ROUTED).data["unit"] == w.shared_unit.pk


def test_a_closed_handling_unit_passes_the_case_to_its_successor(w):
    old = make_unit(valid_from=date(2020, 1, 1))
    unit_close(unit=old, on=timezone.localdate() - timedelta(days=1), change=Unit.Change.MERGED,
               successor=w.other_unit, by=None)
    case = file_case(w, channel=Channel.DIALOGUE, handling_unit=Unit.objects.get(pk=old.pk))
    assert Case.objects.get(pk=case.pk).unit == w.other_unit
