"""Party work (công tác đảng): the department's party organisations, the member register, party
age, badges, yearly ratings, commendations, ceremonies and creative models.

Party membership is sensitive personal data (Decree 13/2023/NĐ-CP): only the party office and,
for its own organisation, a grassroots organisation's secretaries read the register
(``access.py``), and every read of a member's record is logged (``MemberRead``). The rules
(party age, badge thresholds, rating levels, commendation candidates) are pure functions with
their sources in ``ketnoi/lib/party_*.py``, ``badges.py`` and ``commendation.py``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ketnoi.audit.models import AppendOnlyModel
from ketnoi.lib import badges as badge_rules
from ketnoi.lib import commendation as commendation_rules
from ketnoi.lib import party_age, party_org, vntext
from ketnoi.lib import party_rating as rating_rules


class OrganisationKind(models.TextChoices):
    UPPER_GRASSROOTS_COMMITTEE = party_org.Kind.UPPER_GRASSROOTS_COMMITTEE, _("Upper-grassroots party committee")
    GRASSROOTS_COMMITTEE = party_org.Kind.GRASSROOTS_COMMITTEE, _("Grassroots party committee")
    GRASSROOTS_CELL = party_org.Kind.GRASSROOTS_CELL, _("Grassroots party cell")
    SUB_COMMITTEE = party_org.Kind.SUB_COMMITTEE, _("Party sub-committee")
    CELL = party_org.Kind.CELL, _("Party cell")
    PARTY_GROUP = party_org.Kind.PARTY_GROUP, _("Party group")


class Organisation(models.Model):
    """Đảng bộ, chi bộ, tổ đảng. Merged or dissolved organisations are closed (``dissolved_on``,
    ``successor``), never deleted: their members' and ratings' history stays readable."""

    class Change(models.TextChoices):
        MERGED = "merged", _("Merged")
        DISSOLVED = "dissolved", _("Dissolved")

    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
                               verbose_name=_("parent organisation"))
    # The administrative unit whose staff it organises, where there is one.
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("customs unit"))
    secretaries = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="party_organisations",
                                         verbose_name=_("secretaries"))
    founded_on = models.DateField(_("founded"), null=True, blank=True)
    dissolved_on = models.DateField(_("closed"), null=True, blank=True)
    change = models.CharField(_("how it closed"), max_length=10, choices=Change.choices, blank=True)
    successor = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="predecessors",
                                  verbose_name=_("merged into"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("party organisation")
        verbose_name_plural = _("party organisations")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("party:organisation", args=[self.pk])


class Member(models.Model):
    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        TRANSFERRED_OUT = "transferred_out", _("Transferred out")
        DECEASED = "deceased", _("Deceased")
        REMOVED = "removed", _("No longer a member")

    full_name = models.CharField(_("full name"), max_length=150)
    # lib.vntext.fold of the name: the register's order and its search without accents, in the
    # database (a national register folds millions of names: not in Python on every request).
    name_folded = models.CharField(max_length=150, editable=False, default="")
    gender = models.CharField(_("gender"), max_length=6, choices=Gender.choices)
    born_on = models.DateField(_("date of birth"))
    # Party age runs from the admission decision; the card's date when the decision is lost
    # (Quy định 24-QĐ/TW 2021, point 4.5.1). ``admitted_on`` is the one used, written by save().
    admission_decision_on = models.DateField(_("admission decision signed"), null=True, blank=True)
    card_admitted_on = models.DateField(_("admission date on the card"), null=True, blank=True)
    admitted_on = models.DateField(_("admitted"), editable=False, db_index=True)
    full_member_on = models.DateField(_("full member since"), null=True, blank=True)
    card_number = models.CharField(_("party card number"), max_length=20, null=True, blank=True, unique=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="members",
                                     verbose_name=_("organisation"))
    position = models.CharField(_("party position"), max_length=150, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    status_on = models.DateField(_("status since"), null=True, blank=True)
    died_on = models.DateField(_("died"), null=True, blank=True)
    # A seriously ill member may receive a badge early (HD 01-HD/TW 2021, section 18).
    seriously_ill = models.BooleanField(_("seriously ill"), default=False)
    # Whether the member has periods outside party activity: badge queries are set-based on
    # ``admitted_on`` for everyone else and exact (lib.party_age) for these few.
    has_gaps = models.BooleanField(default=False, editable=False)
    # The months those periods push back every badge (lib.badges.badge_delay_months), so the
    # badge query decides these members in SQL too; empty when a period is still open or began
    # late, and the member is reckoned exactly.
    badge_delay_months = models.PositiveSmallIntegerField(default=0, null=True, editable=False)
    # lib.badges.badge_key of the admission and that delay: one number decides every badge.
    badge_key = models.IntegerField(null=True, editable=False)
    # The highest badge held (0: none), kept by BadgeAward.save(), and lib.badges.next_badge_key:
    # the members due a badge on a day are one range of an index, with no look at their badges.
    badge_held = models.PositiveSmallIntegerField(default=0, editable=False)
    next_badge_key = models.IntegerField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name_folded", "id"]
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        indexes = [
            models.Index(fields=["status", "admitted_on"], name="member_status_admitted"),
            # Badge eligibility's two queries (awards.py; bench/party.py): the members one number
            # decides, and the few reckoned one by one.
            models.Index(fields=["next_badge_key"], name="member_next_badge_key",
                         condition=Q(status="active", seriously_ill=False, next_badge_key__isnull=False)),
            models.Index(fields=["admitted_on"], name="member_badge_one_by_one",
                         condition=Q(badge_key__isnull=True) | Q(seriously_ill=True) | Q(status="deceased")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(admission_decision_on__isnull=False) | Q(card_admitted_on__isnull=False),
                                   name="member_has_an_admission_date"),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.admitted_on = party_age.admission_date(self.admission_decision_on, self.card_admitted_on)
        self.badge_key = badge_rules.badge_key(self.admitted_on, self.badge_delay_months)
        self.name_folded = vntext.fold(self.full_name)
        if self._state.adding:
            self.next_badge_key = badge_rules.next_badge_key(self.badge_key, self.badge_held)
            return super().save(*args, **kwargs)
        # The badges held are the awards' to keep (BadgeAward.member_reckon_held): an instance
        # read before an award must not write back its stale copy.
        fields = kwargs.pop("update_fields", None)
        if fields is None:
            fields = [field.name for field in self._meta.concrete_fields if not field.primary_key]
        fields = set(fields) - {"badge_held", "next_badge_key"}
        super().save(*args, update_fields=fields, **kwargs)
        if "badge_key" in fields:
            Member.objects.filter(pk=self.pk).update(next_badge_key=next_badge_key_of(models.F("badge_key")))

    def get_absolute_url(self):
        return reverse("party:member", args=[self.pk])


# lib.badges.day_key of ``admitted_on``, computed by the database (bulk writes).
ADMISSION_DAY_KEY = (ExtractYear("admitted_on") * 12 + ExtractMonth("admitted_on")) * 32 + ExtractDay("admitted_on")


def next_badge_key_of(badge_key, *, held=None):
    """lib.badges.next_badge_key computed by the database from ``badge_key`` and ``held`` (by
    default the member's ``badge_held``), for bulk writes."""
    if held is not None:
        following = badge_rules.next_threshold(held)
        return Value(None, models.IntegerField()) if following is None else badge_key + 32 * 12 * following
    return Case(*(When(badge_held__lt=threshold, then=badge_key + 32 * 12 * threshold)
                  for threshold in badge_rules.THRESHOLDS), default=None, output_field=models.IntegerField())


class Gap(models.Model):
    """A period outside party activity, subtracted from party age (Party Statute 2011 Art. 5.4)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="gaps", verbose_name=_("member"))
    start = models.DateField(_("from"))
    end = models.DateField(_("back on"), null=True, blank=True)  # the first day back; empty while still outside
    reason = models.CharField(_("reason"), max_length=16, choices=[(r.value, r.value) for r in party_age.GapReason])
    rehabilitated = models.BooleanField(_("rehabilitated"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["member_id", "start"]
        verbose_name = _("period outside party activity")
        verbose_name_plural = _("periods outside party activity")
        constraints = [models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gt=models.F("start")),
                                              name="gap_ends_after_start")]

    def as_rule(self) -> party_age.Gap:
        return party_age.Gap(self.start, self.end, party_age.GapReason(self.reason), rehabilitated=self.rehabilitated)


class Transfer(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="transfers", verbose_name=_("member"))
    from_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="+", verbose_name=_("from"))
    to_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name=_("to"))
    on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["member_id", "on", "id"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")


class Event(models.Model):
    """A ceremony or conference (e.g. the year-end review and 91st anniversary, 19/1/2021)."""

    class Kind(models.TextChoices):
        CEREMONY = "ceremony", _("Award ceremony")
        CONFERENCE = "conference", _("Conference")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=300)
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="events",
                                     verbose_name=_("organised by"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self):
        return self.name


class Contribution(models.Model):
    """Tham luận: an organisation's contribution to a conference."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="contributions", verbose_name=_("event"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("organisation"))
    title = models.CharField(_("title"), max_length=300)
    presenter = models.CharField(_("presented by"), max_length=150, blank=True)

    class Meta:
        ordering = ["event_id", "id"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")


class BadgeAward(models.Model):
    """A Huy hiệu Đảng awarded by decision and presented at the member's grassroots organisation."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="badges", verbose_name=_("member"))
    threshold = models.PositiveSmallIntegerField(_("years"), choices=[(t, t) for t in badge_rules.THRESHOLDS])
    decision_number = models.CharField(_("decision number"), max_length=60)
    decided_on = models.DateField(_("decision date"))
    occasion = models.DateField(_("occasion"))
    early_ground = models.CharField(_("awarded early because"), max_length=12, blank=True,
                                    choices=[(g.value, g.value) for g in badge_rules.EarlyGround])
    gift_amount = models.PositiveBigIntegerField(_("cash gift (₫)"), null=True, blank=True)
    event = models.ForeignKey(Event, on_delete=models.PROTECT, null=True, blank=True, related_name="badges",
                              verbose_name=_("presented at"))

    class Meta:
        ordering = ["-decided_on", "id"]
        verbose_name = _("party badge")
        verbose_name_plural = _("party badges")
        constraints = [models.UniqueConstraint(fields=["member", "threshold"], name="badge_once_per_threshold")]

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.member_reckon_held()

    def delete(self, *args, **kwargs):
        deleted = super().delete(*args, **kwargs)
        self.member_reckon_held()
        return deleted

    def member_reckon_held(self) -> None:
        """Keep the member's ``badge_held`` and ``next_badge_key`` true to the badges held,
        whoever writes the award (the services, the demo, a repair in the shell)."""
        held = BadgeAward.objects.filter(member_id=self.member_id).aggregate(highest=models.Max("threshold"))
        highest = held["highest"] or 0
        Member.objects.filter(pk=self.member_id).exclude(badge_held=highest).update(
            badge_held=highest, next_badge_key=next_badge_key_of(models.F("badge_key"), held=highest))


# The members' ratings that count as Xuất sắc, legacy labels included (lib.party_rating).
EXCELLENT_MEMBER_CODES: tuple[str, ...] = tuple(sorted(
    str(code) for code in rating_rules.MEMBER_CODES if rating_rules.current_level(code) is rating_rules.Level.XUAT_SAC))


class Rating(models.Model):
    """Xếp loại chất lượng of a member or an organisation for a year. ``level`` holds the codes of
    ``lib.party_rating``: the four current levels, or a pre-2018 label kept as it was given."""

    year = models.PositiveSmallIntegerField(_("year"))
    member = models.ForeignKey(Member, on_delete=models.PROTECT, null=True, blank=True, related_name="ratings",
                               verbose_name=_("member"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="ratings", verbose_name=_("organisation"))
    level = models.CharField(_("quality rating"), max_length=40)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)  # QĐ 366 from 2025
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        indexes = [
            models.Index(fields=["year", "level"], name="rating_year_level"),
            # The five-year commendation candidates (awards._five_year_runs): read in member order
            # from the index alone, ~15 % of a national register's ratings (bench/party.py).
            models.Index(fields=["member", "year"], name="rating_excellent_member_year",
                         condition=Q(level__in=EXCELLENT_MEMBER_CODES, member__isnull=False)),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(member__isnull=False, organisation__isnull=True)
                                   | Q(member__isnull=True, organisation__isnull=False), name="rating_of_one_subject"),
            models.UniqueConstraint(fields=["member", "year"], condition=Q(member__isnull=False),
                                    name="rating_once_per_member_year"),
            models.UniqueConstraint(fields=["organisation", "year"], condition=Q(organisation__isnull=False),
                                    name="rating_once_per_organisation_year"),
        ]


class Commendation(models.Model):
    year = models.PositiveSmallIntegerField(_("year"))
    member = models.ForeignKey(Member, on_delete=models.PROTECT, null=True, blank=True, related_name="commendations",
                               verbose_name=_("member"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="commendations", verbose_name=_("organisation"))
    form = models.CharField(_("form of commendation"), max_length=12, choices=[(f.value, f.value) for f in commendation_rules.Form])
    issuer = models.CharField(_("awarding level"), max_length=30, choices=[(i.value, i.value) for i in commendation_rules.Issuer])
    issuer_name = models.CharField(_("issued by"), max_length=200)
    decision_number = models.CharField(_("decision number"), max_length=60)
    decided_on = models.DateField(_("decision date"))
    reason = models.TextField(_("reason"), blank=True)
    five_years = models.BooleanField(_("for five consecutive years"), default=False)
    event = models.ForeignKey(Event, on_delete=models.PROTECT, null=True, blank=True, related_name="commendations",
                              verbose_name=_("presented at"))

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = _("commendation")
        verbose_name_plural = _("commendations")
        constraints = [
            models.CheckConstraint(condition=Q(member__isnull=False, organisation__isnull=True)
                                   | Q(member__isnull=True, organisation__isnull=False),
                                   name="commendation_of_one_subject"),
        ]


class Initiative(models.Model):
    """Mô hình sáng tạo: a creative model an organisation runs, linked to what it runs in ketnoi."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        PAUSED = "paused", _("Paused")
        ENDED = "ended", _("Ended")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="initiatives",
                                     verbose_name=_("organisation"))
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    started_on = models.DateField(_("started"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.RUNNING)
    programme = models.ForeignKey("dialogue.Programme", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="initiatives", verbose_name=_("dialogue programme"))
    commitments = models.ManyToManyField("prices.Commitment", blank=True, related_name="initiatives",
                                         verbose_name=_("price commitments"))
    recognition = models.TextField(_("recognition received"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("creative model")
        verbose_name_plural = _("creative models")

    def __str__(self):
        return self.name


class MemberRead(AppendOnlyModel):
    """Who read a member's record, when and how: every page, API call and export that shows one."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("read by"))
    member = models.ForeignKey(Member, on_delete=models.PROTECT, null=True, blank=True, related_name="reads",
                               verbose_name=_("member"))
    # page, api, export (a list: member empty and the count in detail), search
    channel = models.CharField(_("how"), max_length=10)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("read of the party register")
        verbose_name_plural = _("reads of the party register")
