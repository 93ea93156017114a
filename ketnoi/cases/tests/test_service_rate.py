"""case_rate: 1–5 with a comment, once, through the signed link (no login) or as a business user;
2 or less reopens the case for the unit leader's review."""

import time

import pytest
from django.utils import translation
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError

from ketnoi.cases import services
from ketnoi.cases.models import CaseEvent, Status
from ketnoi.notifications.models import Notification

from .core_helpers import assert_state_is_replayable, file_case, fresh, kinds, mail_to

pytestmark = pytest.mark.django_db


def resolved_case(w):
    case = file_case(w)
    services.case_answer(case=case, body="Trả lời.", by=w.officer)
    services.case_accept(case=case, by=w.business)
    return fresh(case)


@pytest.fixture
def resolved(w):
    return resolved_case(w)


def old_token(case, days: int) -> str:
    class Old(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - days * 86400)
    return Old(salt=services.RATING_SALT).sign_object({"c": case.pk, "r": case.reference}, compress=True)


def test_the_link_rates_without_login(w, resolved):
    services.case_rate(case=resolved, score=5, comment="Rất nhanh, rõ ràng.", token=services.rating_token(resolved))
    case = fresh(resolved)
    assert (case.rating, case.rating_comment, case.status) == (5, "Rất nhanh, rõ ràng.", Status.RESOLVED)
    assert case.rated_at is not None
    rated = case.events.get(kind=CaseEvent.Kind.RATED)
    assert rated.public and rated.data == {"score": 5, "via_link": True}
    assert_state_is_replayable(case)


def test_a_business_user_rates_from_the_case_page(w, resolved):
    services.case_rate(case=resolved, score="4", comment="", by=w.business2)
    assert fresh(resolved).rating == 4


def test_the_link_works_once(w, resolved):
    token = services.rating_token(resolved)
    services.case_rate(case=resolved, score=4, token=token)
    with pytest.raises(ValidationError):
        services.case_rate(case=resolved, score=1, token=token)
    with pytest.raises(ValidationError):
        services.case_rate(case=resolved, score=1, by=w.business)
    case = fresh(resolved)
    assert case.rating == 4 and case.status == Status.RESOLVED
    assert kinds(case).count(CaseEvent.Kind.RATED) == 1


def test_an_expired_link_is_refused(w, resolved):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.case_rate(case=resolved, score=5, token=old_token(resolved, days=31))
    assert "expired" in " ".join(error.value.messages)
    assert fresh(resolved).rating is None
    services.case_rate(case=resolved, score=5, token=old_token(resolved, days=29))
    assert fresh(resolved).rating == 5


@pytest.mark.parametrize("tamper", [
    lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
    lambda token: "x" + token,
    lambda token: "",
    lambda token: signing.dumps({"c": 1, "r": "VM-2026-000001"}, salt="another.salt", compress=True),
])
def test_a_tampered_link_is_refused(w, resolved, tamper):
    with pytest.raises(ValidationError):
        services.case_rate(case=resolved, score=5, token=tamper(services.rating_token(resolved)))
    assert fresh(resolved).rating is None


def test_the_link_of_another_case_is_refused(w, resolved):
    other = resolved_case(w)
    with pytest.raises(PermissionDenied):
        services.case_rate(case=resolved, score=1, token=services.rating_token(other))
    assert fresh(resolved).rating is None and fresh(other).rating is None


@pytest.mark.parametrize("score", [0, 6, -1, "abc", None, "", "٣", True])
def test_a_score_out_of_range_is_refused(w, resolved, score):
    with pytest.raises(ValidationError) as error:
        services.case_rate(case=resolved, score=score, token=services.rating_token(resolved))
    assert "score" in error.value.message_dict
    assert fresh(resolved).rated_at is None


def test_a_fractional_score_is_not_rounded_into_range_silently(w, resolved):
    # int(2.5) == 2 would reopen the case; a score is a whole number from 1 to 5.
    with pytest.raises(ValidationError) as error:
        services.case_rate(case=resolved, score=2.5, token=services.rating_token(resolved))
    assert "score" in error.value.message_dict
    assert fresh(resolved).rating is None
    services.case_rate(case=resolved, score=" 3 ", token=services.rating_token(resolved))
    assert fresh(resolved).rating == 3


@pytest.mark.parametrize("who", ["other_business", "operator", "officer", "leader", "coordinator"])
def test_without_a_link_only_the_business_rates(w, resolved, who):
    with pytest.raises(PermissionDenied):
        services.case_rate(case=resolved, score=5, by=getattr(w, who))


def test_only_a_resolved_case_is_rated(w):
    case = file_case(w)
    services.case_answer(case=case, body="Trả lời.", by=w.officer)
    with pytest.raises(ValidationError):
        services.case_rate(case=case, score=5, by=w.business)
    assert fresh(case).rating is None


@pytest.mark.parametrize("score", [1, 2])
def test_a_poor_rating_reopens_the_case_for_the_leaders_review(w, resolved, score, commit):
    with commit():
        services.case_rate(case=resolved, score=score, comment="Trả lời chung chung.",
                           token=services.rating_token(resolved))
    case = fresh(resolved)
    assert case.status == Status.IN_PROGRESS and case.needs_review
    assert case.rating == score and case.resolved_at is None
    reopened = case.events.get(kind=CaseEvent.Kind.REOPENED)
    assert reopened.data["review"] is True
    assert len(mail_to(w.leader)) == 1 and "Trả lời chung chung." in mail_to(w.leader)[0].body
    assert Notification.objects.filter(user=w.leader).exists()
    assert mail_to(w.other_leader) == []
    assert_state_is_replayable(case)
    # The new answer clears the review flag.
    services.case_answer(case=case, body="Trả lời cụ thể hơn.", by=w.leader)
    assert not fresh(case).needs_review


def test_a_fair_rating_keeps_the_case_resolved(w, resolved, commit):
    with commit():
        services.case_rate(case=resolved, score=3, token=services.rating_token(resolved))
    case = fresh(resolved)
    assert case.status == Status.RESOLVED and not case.needs_review
    assert mail_to(w.leader) == []


def test_a_long_comment_is_cut(w, resolved):
    services.case_rate(case=resolved, score=4, comment="a" * 6000, by=w.business)
    assert len(fresh(resolved).rating_comment) == 5000
