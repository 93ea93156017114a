"""commitment_create and the check of every list against the commitments of its facility (when
the list is filed, and when a commitment is recorded after lists of its period were filed), the
breaches, whom they are told to, and breach_follow_up."""

from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from ketnoi.accounts.models import Role
from ketnoi.notifications.models import EmailDelivery, Notification
from ketnoi.prices import services
from ketnoi.prices.models import Breach, BreachItem, Commitment, CommitmentStatus, FollowUpNote
from ketnoi.testing import make_user

from .service_helpers import (  # noqa: F401  (fixtures)
    EXE, PDF, TARIFF, at, audit, clock, commit_to, counts, errors_of, file, fresh, mail_to, refused,
    service, upload, w,
)

pytestmark = pytest.mark.django_db

MARCH_1 = date(2026, 3, 1)
APRIL_15 = date(2026, 4, 15)


@pytest.fixture
def base(w):
    """The port's and the CFS's lists in force since 01/03/2026 (filed on Monday 09/03/2026)."""
    return file(w, effective_from=MARCH_1)[0], file(w, facility=w.cfs, effective_from=MARCH_1,
                                                    prices={"DR20": 1_200_000, "LKM3": 45_000, "DO": 250_000})[0]


def raised(**changes) -> dict:
    return {**TARIFF, **changes}


# --- commitment_create ---------------------------------------------------------------------

def test_it_records_a_commitment_with_the_list_in_force_on_the_signing_day_as_baseline(w, base):
    file(w, effective_from=date(2026, 3, 7), prices=raised(NH20=1_000_000))  # after the signing
    commitment = commit_to(w, facilities=[w.port, w.cfs], signed_on=date(2026, 3, 6))
    stored = fresh(commitment)
    assert stored.operator == w.operator and stored.created_by == w.coordinator
    assert stored.period_from == date(2026, 4, 1) and stored.period_to == date(2026, 12, 31)
    assert stored.signed_on == date(2026, 3, 6) and stored.covers_all and list(stored.services.all()) == []
    assert stored.status == CommitmentStatus.KEPT and stored.first_breach_on is None
    assert set(stored.baselines.all()) == set(base)


def test_the_baseline_is_the_last_version_in_force_on_the_signing_day(w, base):
    same_day, _ = file(w, effective_from=MARCH_1, prices=raised(NH20=1_000_000))
    later, _ = file(w, effective_from=date(2026, 3, 9), prices=raised(NH20=990_000))
    assert list(commit_to(w, signed_on=date(2026, 3, 8)).baselines.all()) == [same_day]
    assert list(commit_to(w, signed_on=date(2026, 3, 9)).baselines.all()) == [later]


def test_a_facility_without_a_list_on_the_signing_day_is_refused(w, base):
    file(w, facility=w.icd, effective_from=date(2026, 3, 9))
    (message,) = refused(lambda: commit_to(w, facilities=[w.port, w.icd], signed_on=date(2026, 3, 6)), "facilities")
    assert message == "ICD Tân Thuận Đông – Cát Lái has no price list in force on 06/03/2026: file its baseline list first."


def test_every_facility_without_a_list_is_named(w):
    messages = refused(lambda: commit_to(w, facilities=[w.port, w.cfs]), "facilities")
    assert len(messages) == 2 and "Cảng Tân Thuận Đông – bãi container" in messages[0] and "Kho CFS" in messages[1]


def test_facilities_of_another_operator_are_refused(w, base):
    file(w, facility=w.other, by=w.other_operator_user, effective_from=MARCH_1)
    assert refused(lambda: commit_to(w, facilities=[w.port, w.other]), "facilities") == [
        "Choose facilities of Công ty Cổ phần Cảng Tân Thuận Đông only."]


@pytest.mark.parametrize("facilities", [[], None])
def test_at_least_one_facility_is_needed(w, base, facilities):
    assert refused(lambda: services.commitment_create(
        operator=w.operator, facilities=facilities, period_from=date(2026, 4, 1), period_to=date(2026, 12, 31),
        signed_on=date(2026, 3, 6), by=w.coordinator), "facilities") == ["Choose at least one facility of the operator."]


def test_it_covers_only_the_services_named(w, base):
    commitment = commit_to(w, covers_all=False, services=[service("NH20"), service("LB20")])
    assert not commitment.covers_all
    assert sorted(commitment.services.values_list("code", flat=True)) == ["LB20", "NH20"]


def test_a_commitment_for_every_service_names_none(w, base):
    assert list(commit_to(w, covers_all=True, services=[service("NH20")]).services.all()) == []


def test_a_commitment_for_some_services_must_name_them(w, base):
    assert refused(lambda: commit_to(w, covers_all=False, services=[]), "services") == [
        "Choose the services it covers, or say it covers every service."]


def test_the_end_of_the_period_cannot_be_before_its_start(w, base):
    assert refused(lambda: commit_to(w, period_from=date(2026, 4, 1), period_to=date(2026, 3, 31)), "period_to") == [
        "The end of the period cannot be before its start."]
    assert commit_to(w, period_from=date(2026, 4, 1), period_to=date(2026, 4, 1)).period_to == date(2026, 4, 1)


def test_every_missing_date_is_asked_for_at_once(w, base):
    before = counts()
    errors = errors_of(lambda: commit_to(w, period_from=None, period_to=None, signed_on=None))
    assert errors == {"period_from": ["Write the first day of the period."],
                      "period_to": ["Write the last day of the period."],
                      "signed_on": ["Write the day it was signed."]}
    assert counts() == before


def test_the_signed_document_is_kept_with_its_name(w, base, settings):
    commitment = commit_to(w, document=upload("Cam kết không tăng giá 2026.pdf"))
    stored = fresh(commitment)
    assert stored.document_name == "Cam kết không tăng giá 2026.pdf"
    assert stored.document.name.startswith("prices/commitments/")
    assert Path(stored.document.path).read_bytes() == PDF


def test_the_signed_document_is_checked_by_its_content_not_its_name(w, base, settings):
    (message,) = refused(lambda: commit_to(w, document=upload("cam-ket.pdf", EXE)), "document")
    assert "is not a PDF" in message
    assert not any(Path(settings.MEDIA_ROOT).rglob("*"))


def test_a_signed_document_too_large_is_refused(w, base, monkeypatch, settings):
    monkeypatch.setattr(services, "DOCUMENT_MAX_BYTES", len(PDF) - 1)
    (message,) = refused(lambda: commit_to(w, document=upload()), "document")
    assert "is larger than" in message
    assert not any(Path(settings.MEDIA_ROOT).rglob("*"))


def test_a_commitment_without_a_document_has_none(w, base):
    assert not commit_to(w).document and commit_to(w).document_name == ""


def test_it_writes_an_audit_event(w, base):
    commitment = commit_to(w, covers_all=False, services=[service("NH20")])
    (event,) = audit("prices.commitment_created", commitment)
    assert event.actor == w.coordinator and event.after["baselines"] == [base[0].pk]
    assert event.after["services"] == ["NH20"] and event.after["period_from"] == "2026-04-01"


@pytest.mark.parametrize("who", ["officer", "leader", "operator_user", "business", "admin", "party", "nobody"])
def test_only_coordinators_record_commitments(w, base, who):
    before = counts()
    with pytest.raises(PermissionDenied):
        commit_to(w, by=getattr(w, who))
    with pytest.raises(PermissionDenied):
        commit_to(w, by=AnonymousUser())
    assert counts() == before


# --- a list filed during a commitment ------------------------------------------------------

def test_a_covered_price_5_percent_above_the_baseline_breaks_the_commitment(w, base, clock):
    commitment = commit_to(w)
    clock.set(2026, 4, 10, 14, 30)
    price_list, breaches = file(w, effective_from=APRIL_15, prices=raised(NH20=1_102_500))
    (breach,) = breaches
    assert breach.commitment == commitment and breach.price_list == price_list
    assert breach.found_at == at(2026, 4, 10, 14, 30) and breach.follow_up == Breach.FollowUp.OPEN
    assert [(i.service.code, i.baseline, i.price, i.difference) for i in breach.items.all()] == [
        ("NH20", 1_050_000, 1_102_500, 52_500)]
    stored = fresh(commitment)
    assert stored.status == CommitmentStatus.BROKEN and stored.first_breach_on == APRIL_15


def test_every_covered_service_raised_is_an_item(w, base):
    commit_to(w)
    _, (breach,) = file(w, effective_from=APRIL_15, prices=raised(NH20=1_050_001, LB20=60_000, NH40=1_500_000))
    assert [(i.service.code, i.baseline, i.price) for i in breach.items.all()] == [
        ("LB20", 55_000, 60_000), ("NH20", 1_050_000, 1_050_001)]


def test_an_uncovered_service_raised_is_no_breach(w, base):
    commitment = commit_to(w, covers_all=False, services=[service("LB20"), service("DO")])
    assert file(w, effective_from=APRIL_15, prices=raised(NH20=2_000_000, NH40=3_000_000))[1] == []
    assert fresh(commitment).status == CommitmentStatus.KEPT
    _, (breach,) = file(w, effective_from=date(2026, 5, 1), prices=raised(NH20=2_000_000, DO=300_001))
    assert [i.service.code for i in breach.items.all()] == ["DO"]


@pytest.mark.parametrize("prices", [TARIFF, raised(NH20=1_000_000, LB20=50_000), {"NH20": 1_050_000},
                                    raised(NR20=400_000)])  # NR20 has no baseline price
def test_equal_lower_or_new_prices_are_no_breach(w, base, prices):
    commitment = commit_to(w)
    assert file(w, effective_from=APRIL_15, prices=prices)[1] == []
    assert fresh(commitment).status == CommitmentStatus.KEPT and Breach.objects.count() == 0


def test_a_list_in_force_after_the_period_is_no_breach(w, base):
    commitment = commit_to(w, period_from=date(2026, 3, 1), period_to=date(2026, 3, 31))
    assert file(w, effective_from=date(2026, 4, 1), prices=raised(NH20=2_000_000))[1] == []
    assert fresh(commitment).status == CommitmentStatus.KEPT


def test_the_first_and_last_days_of_the_period_are_in_it(w, base):
    commitment = commit_to(w, period_from=date(2026, 4, 1), period_to=date(2026, 4, 30))
    assert len(file(w, effective_from=date(2026, 4, 1), prices=raised(NH20=1_060_000))[1]) == 1
    assert len(file(w, effective_from=date(2026, 4, 30), prices=raised(NH20=1_070_000))[1]) == 1
    assert fresh(commitment).first_breach_on == date(2026, 4, 1)


def test_a_second_breaching_list_adds_a_breach_and_keeps_the_first_day(w, base):
    commitment = commit_to(w)
    _, (first,) = file(w, effective_from=APRIL_15, prices=raised(NH20=1_100_000))
    _, (second,) = file(w, effective_from=date(2026, 6, 1), prices=raised(NH40=1_600_000))
    assert first != second
    assert [i.service.code for i in second.items.all()] == ["NH40"]  # against the baseline, not the last list
    stored = fresh(commitment)
    assert stored.status == CommitmentStatus.BROKEN and stored.first_breach_on == APRIL_15
    assert set(stored.breaches.all()) == {first, second}


def test_a_list_going_back_down_does_not_mend_a_broken_commitment(w, base):
    commitment = commit_to(w)
    file(w, effective_from=APRIL_15, prices=raised(NH20=1_100_000))
    assert file(w, effective_from=date(2026, 5, 1), prices=TARIFF)[1] == []
    assert fresh(commitment).status == CommitmentStatus.BROKEN and Breach.objects.count() == 1


def test_two_commitments_on_one_facility_are_each_checked(w, base):
    year = commit_to(w, period_from=date(2026, 1, 1), period_to=date(2026, 12, 31))
    quarter = commit_to(w, period_from=date(2026, 4, 1), period_to=date(2026, 6, 30), covers_all=False,
                        services=[service("LB20")])
    summer = commit_to(w, period_from=date(2026, 7, 1), period_to=date(2026, 9, 30))
    spring = commit_to(w, period_from=date(2026, 1, 1), period_to=date(2026, 4, 10))
    _, breaches = file(w, effective_from=APRIL_15, prices=raised(NH20=1_100_000, LB20=56_000))
    # The list stays in force until another: it raises prices during the summer's period too.
    assert {b.commitment for b in breaches} == {year, quarter, summer}
    assert [i.service.code for i in Breach.objects.get(commitment=quarter).items.all()] == ["LB20"]
    assert [i.service.code for i in Breach.objects.get(commitment=year).items.all()] == ["LB20", "NH20"]
    assert fresh(summer).first_breach_on == date(2026, 7, 1)
    assert fresh(spring).status == CommitmentStatus.KEPT  # its period ended before the list took effect


def test_a_raise_just_before_the_period_is_a_breach_from_its_first_day(w, base):
    commitment = commit_to(w, period_from=date(2026, 5, 1), period_to=date(2026, 12, 31))
    _, (breach,) = file(w, effective_from=APRIL_15, prices=raised(NH20=1_100_000))
    assert breach.commitment == commitment and fresh(commitment).first_breach_on == date(2026, 5, 1)


def test_a_list_replaced_before_the_period_starts_is_not_checked_when_the_commitment_is_recorded(w, base):
    file(w, effective_from=APRIL_15, prices=raised(NH20=1_100_000))
    file(w, effective_from=date(2026, 4, 20), prices=raised())
    commitment = commit_to(w, period_from=date(2026, 5, 1), period_to=date(2026, 12, 31), signed_on=date(2026, 3, 6))
    assert fresh(commitment).status == CommitmentStatus.KEPT


def test_a_list_still_in_force_when_the_period_starts_is_checked_when_the_commitment_is_recorded(w, base):
    file(w, effective_from=APRIL_15, prices=raised(NH20=1_100_000))
    commitment = commit_to(w, period_from=date(2026, 5, 1), period_to=date(2026, 12, 31), signed_on=date(2026, 3, 6))
    assert fresh(commitment).status == CommitmentStatus.BROKEN and fresh(commitment).first_breach_on == date(2026, 5, 1)


def test_a_commitment_is_signed_before_its_period_ends(w, base):
    with pytest.raises(ValidationError) as error:
        commit_to(w, period_from=date(2026, 1, 1), period_to=date(2026, 2, 28), signed_on=date(2026, 3, 6))
    assert "signed_on" in error.value.message_dict


def test_each_facility_is_checked_against_its_own_baseline(w, base):
    commitment = commit_to(w, facilities=[w.port, w.cfs])
    # DO costs 300.000 at the port's baseline but 250.000 at the CFS's.
    _, (breach,) = file(w, facility=w.cfs, effective_from=APRIL_15, prices={"DO": 280_000, "DR20": 1_200_000})
    assert breach.commitment == commitment
    assert [(i.service.code, i.baseline, i.price) for i in breach.items.all()] == [("DO", 250_000, 280_000)]
    assert file(w, effective_from=APRIL_15, prices=raised(DO=300_000))[1] == []


def test_a_facility_outside_the_commitment_is_not_checked(w, base):
    commitment = commit_to(w, facilities=[w.port])
    assert file(w, facility=w.cfs, effective_from=APRIL_15, prices={"DO": 900_000})[1] == []
    assert fresh(commitment).status == CommitmentStatus.KEPT


def test_the_breach_is_audited_without_an_actor(w, base):
    commitment = commit_to(w)
    price_list, _ = file(w, effective_from=APRIL_15, prices=raised(NH20=1_100_000))
    (event,) = audit("prices.commitment_broken", commitment)
    assert event.actor is None and event.before["status"] == "kept" and event.after["status"] == "broken"
    assert event.after["price_list"] == price_list.pk and event.after["services"] == ["NH20"]


def test_a_refused_list_breaks_nothing(w, base):
    commit_to(w)
    refused(lambda: file(w, effective_from=APRIL_15, prices=raised(NH20=1_100_000, XX99=1)), "prices")
    assert Commitment.objects.get().status == CommitmentStatus.KEPT


# --- lists already filed when the commitment is recorded -----------------------------------

def test_lists_already_filed_in_the_period_are_checked_at_once(w, base, clock):
    # Signed on 02/03 (baseline: the list of 01/03) but recorded on 09/03, after two rises.
    file(w, effective_from=date(2026, 3, 5), prices=raised(NH20=1_100_000))
    file(w, effective_from=date(2026, 3, 7), prices=raised(NH20=1_150_000, LB20=60_000))
    file(w, effective_from=date(2026, 3, 8), prices=TARIFF)
    commitment = commit_to(w, period_from=MARCH_1, period_to=date(2026, 12, 31), signed_on=date(2026, 3, 2))
    stored = fresh(commitment)
    assert stored.status == CommitmentStatus.BROKEN
    assert stored.first_breach_on == date(2026, 3, 5)  # the earliest, whatever the order they are checked in
    assert sorted(b.price_list.effective_from for b in stored.breaches.all()) == [date(2026, 3, 5), date(2026, 3, 7)]
    assert all(b.found_at == at(2026, 3, 9, 9) for b in stored.breaches.all())


def test_the_baseline_itself_is_not_a_breach_of_its_commitment(w, base):
    commitment = commit_to(w, period_from=date(2026, 2, 1), period_to=date(2026, 12, 31))
    assert fresh(commitment).status == CommitmentStatus.KEPT and Breach.objects.count() == 0


def test_lists_outside_the_period_are_not_checked_when_it_is_recorded(w, base):
    file(w, effective_from=date(2026, 5, 1), prices=raised(NH20=1_100_000))
    commitment = commit_to(w, period_from=date(2026, 3, 1), period_to=date(2026, 4, 30))
    assert fresh(commitment).status == CommitmentStatus.KEPT


# --- who is told ---------------------------------------------------------------------------

def test_nothing_is_sent_before_the_list_is_committed(w, base, django_capture_on_commit_callbacks):
    commit_to(w)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        file(w, effective_from=APRIL_15, prices=raised(NH20=1_100_000))
    # The e-mails wait in the outbox, written in the list's transaction (as the in-app notices).
    assert mail.outbox == [] and EmailDelivery.objects.filter(state=EmailDelivery.State.QUEUED).count() == 6


def test_coordinators_the_unit_s_leaders_and_the_operator_are_told_after_the_commit(w, base, commit):
    commitment = commit_to(w)
    with commit():
        file(w, effective_from=APRIL_15, prices=raised(NH20=1_102_500))
    told = {user for user in (w.coordinator, w.coordinator2, w.leader, w.deputy, w.operator_user, w.operator_user2)}
    for user in told:
        assert len(mail_to(user)) == 1, user
        assert Notification.objects.filter(user=user).count() == 1
    for user in (w.officer, w.leader2, w.officer2, w.other_operator_user, w.business, w.admin, w.party):
        assert mail_to(user) == [] and not Notification.objects.filter(user=user).exists(), user
    staff = Notification.objects.get(user=w.coordinator)
    assert staff.kind == "prices/breach" and staff.url == commitment.get_absolute_url()
    operator = Notification.objects.get(user=w.operator_user)
    assert operator.kind == "prices/breach_operator" and operator.url == w.port.get_absolute_url()


def test_the_e_mails_say_what_rose_in_the_reader_s_language(w, base, commit, settings):
    commitment = commit_to(w)
    with commit():
        file(w, effective_from=APRIL_15, prices=raised(NH20=1_102_500))
    (to_deputy,) = mail_to(w.deputy)  # English
    assert to_deputy.subject == ("Price increase: Cảng Tân Thuận Đông broke its commitment at "
                                 "Cảng Tân Thuận Đông – bãi container")
    assert "in force from 15/04/2026" in to_deputy.body
    assert "NH20 Lift-on/lift-off, laden 20' container: 1.050.000 ₫ → 1.102.500 ₫ (+52.500 ₫)" in to_deputy.body
    assert settings.KETNOI_BASE_URL + commitment.get_absolute_url() in to_deputy.body
    (to_operator,) = mail_to(w.operator_user2)  # English
    assert "raises prices you committed not to raise" in to_operator.subject
    assert "01/04/2026 – 31/12/2026" in to_operator.body and "1.102.500 ₫" in to_operator.body
    assert settings.KETNOI_BASE_URL + w.port.get_absolute_url() in to_operator.body
    (to_leader,) = mail_to(w.leader)  # Vietnamese
    assert to_leader.extra_headers["Content-Language"] == "vi"
    assert "Nâng hạ container hàng 20'" in to_leader.body


def test_a_breach_found_when_a_commitment_is_recorded_is_told_too(w, base, commit):
    file(w, effective_from=date(2026, 3, 5), prices=raised(NH20=1_100_000))
    with commit():
        commit_to(w, period_from=MARCH_1, signed_on=date(2026, 3, 2))
    assert len(mail_to(w.leader)) == 1 and len(mail_to(w.operator_user)) == 1


def test_a_list_breaking_two_commitments_tells_of_each(w, base, commit):
    commit_to(w, period_from=date(2026, 1, 1))
    commit_to(w, period_from=date(2026, 4, 1))
    with commit():
        file(w, effective_from=APRIL_15, prices=raised(NH20=1_100_000))
    assert len(mail_to(w.coordinator)) == 2


def test_a_deactivated_leader_is_not_told(w, base, commit):
    gone = make_user(Role.LEADER, unit=w.branch, is_active=False)
    commit_to(w)
    with commit():
        file(w, effective_from=APRIL_15, prices=raised(NH20=1_100_000))
    assert mail_to(gone) == [] and len(mail_to(w.leader)) == 1


# --- breach_follow_up ----------------------------------------------------------------------

@pytest.fixture
def breach(w, base):
    commit_to(w)
    return file(w, effective_from=APRIL_15, prices=raised(NH20=1_100_000))[1][0]


def follow(w, breach, follow_up="contacted", note="Đã gọi điện cho Phó Giám đốc cảng, hẹn làm việc ngày 20/04.",
           by=None):
    return services.breach_follow_up(breach=breach, follow_up=follow_up, note=note, by=by or w.coordinator)


def test_it_records_what_was_done(w, breach, clock):
    updated = follow(w, breach)
    assert updated.follow_up == Breach.FollowUp.CONTACTED and fresh(breach).follow_up == "contacted"
    (note,) = FollowUpNote.objects.filter(breach=breach)
    assert note.follow_up == "contacted" and note.by == w.coordinator
    assert note.note == "Đã gọi điện cho Phó Giám đốc cảng, hẹn làm việc ngày 20/04."
    (event,) = audit("prices.breach_follow_up", breach)
    assert event.actor == w.coordinator and event.before["follow_up"] == "open"
    assert event.after["follow_up"] == "contacted" and event.after["note"] == note.note


def test_notes_are_kept_in_order(w, breach):
    follow(w, breach, "contacted", "Đã liên hệ.")
    follow(w, breach, "justified", "Cảng giải trình do giá nhiên liệu tăng.", by=w.coordinator2)
    follow(w, breach, "closed", "Đã báo cáo Lãnh đạo Cục.")
    assert list(breach.notes.values_list("follow_up", "by")) == [
        ("contacted", w.coordinator.pk), ("justified", w.coordinator2.pk), ("closed", w.coordinator.pk)]
    assert fresh(breach).is_closed


@pytest.mark.parametrize("note", ["", "   \n ", None])
def test_a_note_is_required(w, breach, note):
    assert refused(lambda: follow(w, breach, note=note), "note") == ["Write what was done or found."]


def test_a_note_has_at_most_5000_characters(w, breach):
    assert refused(lambda: follow(w, breach, note="x" * 5001), "note") == ["Write at most 5000 characters."]
    assert len(follow(w, breach, note="x" * 5000).notes.get().note) == 5000


@pytest.mark.parametrize("follow_up", ["open", "", "done", None])
def test_open_or_an_unknown_follow_up_is_not_a_choice(w, breach, follow_up):
    assert refused(lambda: follow(w, breach, follow_up=follow_up), "follow_up") == ["Choose what was done."]


def test_a_closed_breach_takes_no_more_notes(w, breach):
    follow(w, breach, "closed", "Cảng đã rút lại mức giá tăng.")
    assert refused(lambda: follow(w, breach, "contacted"), "follow_up") == ["This breach is closed."]


def test_a_stale_breach_object_is_read_again(w, breach):
    follow(w, breach, "closed", "Đóng.")
    assert breach.follow_up == "open"  # the caller's copy
    assert refused(lambda: follow(w, breach, "withdrawn"), "follow_up") == ["This breach is closed."]


@pytest.mark.parametrize("who", ["officer", "leader", "operator_user", "business", "admin", "party", "nobody"])
def test_only_coordinators_follow_breaches_up(w, breach, who):
    before = counts()
    with pytest.raises(PermissionDenied):
        follow(w, breach, by=getattr(w, who))
    with pytest.raises(PermissionDenied):
        follow(w, breach, by=AnonymousUser())
    assert counts() == before and fresh(breach).follow_up == "open"


def test_following_up_does_not_change_the_commitment(w, breach):
    follow(w, breach, "withdrawn", "Cảng đã nộp bảng giá điều chỉnh.")
    assert breach.commitment.status == CommitmentStatus.BROKEN
    assert BreachItem.objects.filter(breach=breach).count() == 1

