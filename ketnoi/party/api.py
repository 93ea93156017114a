"""The party API: badge eligibility on a day, commendation candidates of a year, one member's
record. Party membership is sensitive personal data: every endpoint is the party office's only
(403 for everyone else, administrators and secretaries included; checked before anything else
is read), and every answer that names members is written to the read log (``MemberRead``).

Query parameters are read as text and checked here, so that a bad date or year is a 400 whose
``details`` names the field (not ninja's 422).
"""

import dataclasses
import re
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from ketnoi.accounts.access import may_see_party_register, principal_for
from ketnoi.api import MAX_ID
from ketnoi.lib import badges as badge_rules
from ketnoi.lib import party_rating

from . import awards, selectors
from .models import Member, Organisation

router = Router(tags=["party"])



def _party_office(request):
    p = principal_for(request.user)
    if not may_see_party_register(p):
        raise PermissionDenied
    return p


def _date(value: str | None, field_name: str) -> date | None:
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError({field_name: _("Write the date as YYYY-MM-DD, for example 2021-02-03.")}) from None


def _id(value: str | None, field_name: str) -> int | None:
    if value is None or not value.strip():
        return None
    if not value.strip().isdecimal() or not 1 <= int(value) <= MAX_ID:
        raise ValidationError({field_name: _("Give the organisation's id, a number.")})
    return int(value)


def _year(value: str | None) -> int:
    if value is None or not value.strip().isdecimal():
        raise ValidationError({"year": _("Give the year, for example 2020.")})
    return int(value)


# --- schemas -------------------------------------------------------------------------------

class BadgeRowOut(Schema):
    member_id: int
    full_name: str
    organisation_id: int
    organisation: str
    admitted_on: date
    status: str = Field(description="active or deceased.")
    died_on: date | None
    threshold: int = Field(description="Years of party age of the badge proposed.")
    reaches_on: date | None = Field(description="The day the threshold is (or would have been) reached.")
    early_ground: str = Field(description="Empty when the badge is due; ill or posthumous for an early award, "
                                          "for the committee to decide.")
    months_early: int
    gift_amount: int | None = Field(description="Cash gift in đồng (multiple of the base salary); null where the "
                                                "multiple is not known.")


class BadgeEligibilityOut(Schema):
    on: date
    organisation_id: int | None
    count: int
    items: list[BadgeRowOut]


class CandidateOut(Schema):
    subject: str = Field(description="member or organisation.")
    id: int
    name: str
    organisation_id: int | None = Field(description="The member's organisation; the organisation's parent.")
    organisation: str
    basis: str = Field(description="year or five_years.")
    form: str = Field(description="giay_khen or bang_khen.")
    issuer: str
    first_year: int
    last_year: int
    label: str = Field(description="In the caller's language.")


class CandidatesOut(Schema):
    year: int
    count: int
    items: list[CandidateOut]


class NamedOut(Schema):
    id: int
    name: str


class BadgeOut(Schema):
    threshold: int
    decision_number: str
    decided_on: date
    occasion: date
    early_ground: str


class RatingOut(Schema):
    year: int
    level: str
    label: str


class CommendationOut(Schema):
    year: int
    form: str
    issuer: str
    issuer_name: str
    decision_number: str
    decided_on: date
    five_years: bool


class MemberOut(Schema):
    id: int
    full_name: str
    gender: str
    born_on: date
    admitted_on: date
    full_member_on: date | None
    card_number: str | None
    organisation: NamedOut
    position: str
    status: str
    died_on: date | None
    party_age_on: date
    party_age_years: int | None
    party_age_months: int | None = Field(description="Months beyond the whole years.")
    outside: bool = Field(description="In a period outside party activity on party_age_on.")
    badges: list[BadgeOut]
    ratings: list[RatingOut]
    commendations: list[CommendationOut]


# --- endpoints -----------------------------------------------------------------------------

@router.get("/party/badge-eligibility", response=BadgeEligibilityOut, summary="Members proposed for a badge on a day")
def badge_eligibility(request, on: str | None = None, organisation: str | None = None):
    """`on`: YYYY-MM-DD, an occasion (3/2, 19/5, 2/9, 7/11) or any day; default the next
    occasion. `organisation`: an organisation's id, with those below it."""
    p = _party_office(request)
    day = _date(on, "on") or badge_rules.next_occasion(timezone.localdate())
    organisation_id = _id(organisation, "organisation")
    scope = get_object_or_404(Organisation, pk=organisation_id) if organisation_id else None
    rows = awards.badge_eligibility(p, on=day, organisation=scope)
    selectors.log_read(p, channel=selectors.Channel.API, count=len(rows), detail=f"badge eligibility {day:%d/%m/%Y}")
    return {"on": day, "organisation_id": organisation_id, "count": len(rows),
            "items": [dataclasses.asdict(row) for row in rows]}


@router.get("/party/commendation-candidates", response=CandidatesOut, summary="Commendation candidates of a year")
def commendation_candidates(request, year: str | None = None):
    p = _party_office(request)
    found = awards.commendation_candidates(p, year=_year(year))
    members = {c.subject_id for c in found if c.subject == "member"}
    selectors.log_read(p, channel=selectors.Channel.API, count=len(members), detail=f"commendation candidates {year}")
    return {"year": int(year), "count": len(found), "items": [
        {"subject": c.subject, "id": c.subject_id, "name": c.name, "organisation_id": c.organisation_id,
         "organisation": c.organisation, "basis": c.basis, "form": str(c.candidate.form),
         "issuer": str(c.candidate.issuer), "first_year": c.candidate.first_year,
         "last_year": c.candidate.last_year, "label": c.label} for c in found]}


@router.get("/party/members/{member_id}", response=MemberOut, summary="A member's record (the read is logged)")
def member(request, member_id: int):
    p = _party_office(request)
    if not 1 <= member_id <= MAX_ID:
        raise ValidationError({"member_id": _("Give the member's id, a number.")})
    found = get_object_or_404(Member, pk=member_id)
    detail = selectors.member_detail(p, found, channel=selectors.Channel.API)
    m = detail.member
    years, months = detail.party_age if detail.party_age is not None else (None, None)
    language = awards._lang()
    return {
        "id": m.pk, "full_name": m.full_name, "gender": m.gender, "born_on": m.born_on, "admitted_on": m.admitted_on,
        "full_member_on": m.full_member_on, "card_number": m.card_number,
        "organisation": {"id": m.organisation_id, "name": m.organisation.name}, "position": m.position,
        "status": m.status, "died_on": m.died_on, "party_age_on": detail.on, "party_age_years": years,
        "party_age_months": months, "outside": detail.outside,
        "badges": [{"threshold": b.threshold, "decision_number": b.decision_number, "decided_on": b.decided_on,
                    "occasion": b.occasion, "early_ground": b.early_ground} for b in detail.badges],
        "ratings": [{"year": r.year, "level": r.level, "label": party_rating.label(r.level, language)}
                    for r in detail.ratings],
        "commendations": [{"year": c.year, "form": c.form, "issuer": c.issuer, "issuer_name": c.issuer_name,
                           "decision_number": c.decision_number, "decided_on": c.decided_on,
                           "five_years": c.five_years} for c in detail.commendations],
    }
