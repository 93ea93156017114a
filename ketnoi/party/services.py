"""Writes of the party register: organisations (create, secretaries, close by merger or
dissolution), members (create, update, status), periods outside party activity, transfers, and
the XLSX import.

Every write is one transaction, checks that ``by`` may edit the register (the party office;
``by=None`` is the system: a management command or the demo) and leaves an audit event. The
general audit trail is read by administrators, who must not read the register (access.py): a
member's events name the member by id only and list the names of the fields that changed, never
their values. Organisations are not personal data: their events carry the usual snapshot.
"""

from collections import defaultdict
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.accounts.access import principal_for
from ketnoi.audit.services import audit_record, snapshot
from ketnoi.lib import badges as badge_rules
from ketnoi.lib import party_age, party_org, vntext

from . import access
from .models import ADMISSION_DAY_KEY, BadgeAward, Gap, Member, Organisation, Transfer, next_badge_key_of

# The fields member_update may change; status, organisation and gaps have their own services.
MEMBER_FIELDS = ("full_name", "gender", "born_on", "admission_decision_on", "card_admitted_on", "full_member_on",
                 "card_number", "position", "seriously_ill")


def _require_editor(by) -> None:
    if by is not None and not access.may_edit_register(principal_for(by)):
        raise PermissionDenied


def _organisation_snapshot(organisation: Organisation) -> dict:
    return {**snapshot(organisation), "secretaries": sorted(organisation.secretaries.values_list("id", flat=True))}


def audit_personal(by, action: str, obj, fields=(), **extra) -> None:
    """A write of a member's data in the general audit trail: the record's id, the ids it links
    and the names of the fields written, never a name or a value (see the module's docstring)."""
    audit_record(actor=by, action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk),
                 object_repr=f"#{obj.pk}", after={"fields": sorted(fields), **extra})


def _audit_member(by, action: str, member: Member, fields=(), **extra) -> None:
    audit_personal(by, action, member, fields, member=member.pk, **extra)


def _today() -> date:
    return timezone.localdate()


def _open(organisation: Organisation | None, field: str) -> None:
    if organisation is not None and organisation.dissolved_on is not None:
        raise ValidationError({field: _("This organisation was closed on %(day)s.")
                               % {"day": f"{organisation.dissolved_on:%d/%m/%Y}"}})


def _not_future(day: date | None, field: str) -> None:
    if day is not None and day > _today():
        raise ValidationError({field: _("This date is in the future.")})


# --- organisations ----------------------------------------------------------------------------

@transaction.atomic
def organisation_create(*, kind: str, name: str, by, parent: Organisation | None = None, unit=None,
                        short_name: str = "", founded_on: date | None = None, secretaries=()) -> Organisation:
    _require_editor(by)
    name = vntext.normalize(name or "")
    if not name:
        raise ValidationError({"name": _("Write the organisation's name.")})
    if kind not in party_org.Kind.__members__.values():
        raise ValidationError({"kind": _("Choose the kind of organisation.")})
    _open(parent, "parent")
    if not party_org.can_nest(parent.kind if parent else None, kind):
        raise ValidationError({"parent": _("An organisation of this kind cannot sit under the one chosen.")
                               if parent else _("Only an upper-grassroots committee can stand without a parent.")})
    _not_future(founded_on, "founded_on")
    organisation = Organisation.objects.create(kind=kind, name=name, short_name=vntext.normalize(short_name or ""),
                                               parent=parent, unit=unit, founded_on=founded_on)
    organisation.secretaries.set(secretaries)
    audit_record(actor=by, action="party.organisation.created", obj=organisation,
                 after=_organisation_snapshot(organisation))
    return organisation


@transaction.atomic
def organisation_set_secretaries(*, organisation: Organisation, secretaries, by) -> Organisation:
    """Secretaries (and deputies) read their organisation's members: who they are is the party
    office's decision."""
    _require_editor(by)
    before = _organisation_snapshot(organisation)
    organisation.secretaries.set(secretaries)
    audit_record(actor=by, action="party.organisation.secretaries", obj=organisation, before=before,
                 after=_organisation_snapshot(organisation))
    return organisation


@transaction.atomic
def organisation_close(*, organisation: Organisation, by, on: date, change: str,
                       successor: Organisation | None = None) -> Organisation:
    """Close an organisation, which stays in the register with its history.

    A merger moves its active members into ``successor``, each with a Transfer dated ``on``; a
    dissolution is refused while it has active members (transfer them first). Either is refused
    while organisations under it are still open: close or move them first.
    """
    _require_editor(by)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = _organisation_snapshot(organisation)
    if organisation.dissolved_on is not None:
        raise ValidationError({"change": _("This organisation is already closed.")})
    if not isinstance(on, date):
        raise ValidationError({"on": _("Enter the date of the decision.")})
    _not_future(on, "on")
    if organisation.founded_on and on < organisation.founded_on:
        raise ValidationError({"on": _("The organisation was founded after this date.")})
    if organisation.children.filter(dissolved_on__isnull=True).exists():
        raise ValidationError({"change": _("Organisations under this one are still open: close or move them first.")})
    active = list(Member.objects.select_for_update().filter(organisation=organisation, status=Member.Status.ACTIVE))
    if change == Organisation.Change.MERGED:
        if successor is None:
            raise ValidationError({"successor": _("Choose the organisation it merges into.")})
        if successor.pk == organisation.pk:
            raise ValidationError({"successor": _("An organisation cannot merge into itself.")})
        _open(successor, "successor")
        for member in active:
            Transfer.objects.create(member=member, from_organisation=organisation, to_organisation=successor, on=on,
                                    note=_("Merger"))
            member.organisation = successor
            member.save(update_fields=["organisation", "updated_at"])
            _audit_member(by, "party.member.transferred", member, ["organisation"], reason="merger")
    elif change == Organisation.Change.DISSOLVED:
        if successor is not None:
            raise ValidationError({"successor": _("A dissolved organisation has no successor: choose a merger.")})
        if active:
            raise ValidationError({"change": _("%(n)d members are still active in this organisation: transfer "
                                               "them first.") % {"n": len(active)}})
    else:
        raise ValidationError({"change": _("Choose merger or dissolution.")})
    organisation.dissolved_on = on
    organisation.change = change
    organisation.successor = successor
    organisation.save(update_fields=["dissolved_on", "change", "successor"])
    audit_record(actor=by, action=f"party.organisation.{change}", obj=organisation, before=before,
                 after={**_organisation_snapshot(organisation), "moved_members": [m.pk for m in active]})
    return organisation


# --- members ----------------------------------------------------------------------------------

def _clean_member(values: dict, *, instance: Member | None = None) -> dict:
    """Normalised values, or ValidationError with every field's message at once."""
    errors: dict[str, str] = {}
    values = dict(values)
    if "full_name" in values:
        values["full_name"] = vntext.normalize(values["full_name"] or "")
        if not values["full_name"]:
            errors["full_name"] = _("Write the member's full name.")
        elif len(values["full_name"]) > 150:
            errors["full_name"] = _("Write at most %(n)d characters.") % {"n": 150}
    if "gender" in values and values["gender"] not in Member.Gender.values:
        errors["gender"] = _("Choose male or female.")
    if "position" in values:
        values["position"] = vntext.normalize(values["position"] or "")
        if len(values["position"]) > 150:
            errors["position"] = _("Write at most %(n)d characters.") % {"n": 150}
    if "card_number" in values:
        number = "".join(str(values["card_number"] or "").split())
        values["card_number"] = number or None
        if number and len(number) > 20:
            errors["card_number"] = _("A party card number has at most 20 characters.")
        elif number and Member.objects.filter(card_number=number).exclude(pk=getattr(instance, "pk", None)).exists():
            errors["card_number"] = _("Another member has this party card number.")

    def current(name):
        return values[name] if name in values else getattr(instance, name, None)

    for name in ("born_on", "admission_decision_on", "card_admitted_on", "full_member_on"):
        value = current(name)
        if value is not None and not isinstance(value, date):
            errors[name] = _("Enter a date as dd/mm/yyyy.")
        elif value is not None and value > _today():
            errors[name] = _("This date is in the future.")
    if errors:
        raise ValidationError(errors)
    born, decision, card, full = (current(n) for n in ("born_on", "admission_decision_on", "card_admitted_on",
                                                       "full_member_on"))
    if born is None:
        errors["born_on"] = _("Enter the date of birth.")
    if decision is None and card is None:
        errors["admission_decision_on"] = _("Enter the date of the admission decision, or the admission date on "
                                            "the party card.")
    else:
        admitted = party_age.admission_date(decision, card)
        if born is not None and admitted <= born:
            errors["born_on"] = _("The date of birth must come before the admission.")
        if full is not None and full <= admitted:
            errors["full_member_on"] = _("Full membership comes after the admission (12 months of probation).")
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def member_create(*, organisation: Organisation, full_name: str, gender: str, born_on: date, by,
                  admission_decision_on: date | None = None, card_admitted_on: date | None = None,
                  full_member_on: date | None = None, card_number: str | None = None, position: str = "",
                  seriously_ill: bool = False) -> Member:
    _require_editor(by)
    if organisation is None:
        raise ValidationError({"organisation": _("Choose the member's party organisation.")})
    _open(organisation, "organisation")
    values = _clean_member({
        "full_name": full_name, "gender": gender, "born_on": born_on, "admission_decision_on": admission_decision_on,
        "card_admitted_on": card_admitted_on, "full_member_on": full_member_on, "card_number": card_number,
        "position": position,
    })
    member = Member.objects.create(organisation=organisation, seriously_ill=bool(seriously_ill), **values)
    _audit_member(by, "party.member.created", member, [*values, "organisation", "seriously_ill"])
    return member


@transaction.atomic
def member_update(*, member: Member, by, **changes) -> Member:
    """Correct a member's record. Status, organisation and gaps have their own services."""
    _require_editor(by)
    unknown = set(changes) - set(MEMBER_FIELDS)
    if unknown:
        raise TypeError(f"member_update() cannot change {sorted(unknown)}")
    member = Member.objects.select_for_update().get(pk=member.pk)
    values = _clean_member(changes, instance=member)
    changed = [name for name, value in values.items() if getattr(member, name) != value]
    if "seriously_ill" in values:
        values["seriously_ill"] = bool(values["seriously_ill"])
    for name, value in values.items():
        setattr(member, name, value)
    if changed:
        member.save()
        _refresh_absence(member)  # the admission date may have moved
        _audit_member(by, "party.member.updated", member, changed)
    return member


def _absence(admitted_on: date, gaps: list[party_age.Gap]) -> tuple[bool, int | None]:
    """``has_gaps`` and ``badge_delay_months`` of a member (awards.badge_eligibility decides
    most members in SQL with them)."""
    try:
        return bool(gaps), badge_rules.badge_delay_months(admitted_on, gaps)
    except ValueError:  # a period before the admission: reckoned (and refused) one by one
        return bool(gaps), None


def _refresh_absence(member: Member) -> None:
    """Keep ``has_gaps``, ``badge_delay_months`` and so ``badge_key`` true to the member's gaps
    and admission."""
    absence = _absence(member.admitted_on, [gap.as_rule() for gap in member.gaps.all()])
    if (member.has_gaps, member.badge_delay_months) != absence:
        member.has_gaps, member.badge_delay_months = absence
        member.save(update_fields=["has_gaps", "badge_delay_months", "badge_key"])


def members_reckon_absence(*, members) -> int:
    """``_refresh_absence`` for many members at once (bulk loads, repairs): the members with
    gaps one by one, the others in one UPDATE. Returns the number with gaps."""
    gaps = defaultdict(list)
    for gap in Gap.objects.filter(member__in=members).order_by("member_id", "start").iterator(chunk_size=5000):
        gaps[gap.member_id].append(gap.as_rule())
    changed = []
    has_gap = Exists(Gap.objects.filter(member_id=OuterRef("pk")))
    for member in members.filter(has_gap).only("pk", "admitted_on", "badge_held").iterator(chunk_size=5000):
        member.has_gaps, member.badge_delay_months = _absence(member.admitted_on, gaps[member.pk])
        member.badge_key = badge_rules.badge_key(member.admitted_on, member.badge_delay_months)
        member.next_badge_key = badge_rules.next_badge_key(member.badge_key, member.badge_held)
        changed.append(member)
    Member.objects.bulk_update(changed, ["has_gaps", "badge_delay_months", "badge_key", "next_badge_key"],
                               batch_size=2000)
    members.filter(~has_gap).update(has_gaps=False, badge_delay_months=0, badge_key=ADMISSION_DAY_KEY,
                                    next_badge_key=next_badge_key_of(ADMISSION_DAY_KEY))
    return len(changed)


def members_reckon_badges(*, members) -> None:
    """``badge_held`` and ``next_badge_key`` of many members from the badges they hold (bulk
    loads, repairs; ``BadgeAward.save`` keeps them one award at a time)."""
    highest = BadgeAward.objects.filter(member_id=OuterRef("pk")).order_by("-threshold").values("threshold")[:1]
    members.update(badge_held=Coalesce(Subquery(highest), 0))
    members.update(next_badge_key=next_badge_key_of(F("badge_key")))


def _check_gap(member: Member, start: date, end: date | None, reason: str, rehabilitated: bool,
               exclude: int | None = None) -> None:
    if reason not in party_age.GapReason.__members__.values():
        raise ValidationError({"reason": _("Choose why the member was outside party activity.")})
    if not isinstance(start, date):
        raise ValidationError({"start": _("Enter a date as dd/mm/yyyy.")})
    if start < member.admitted_on:
        # QĐ 24-QĐ/TW 4.5.2: a re-admitted member keeps the first admission date.
        raise ValidationError({"start": _("A period outside party activity starts after the admission.")})
    _not_future(start, "start")
    _not_future(end, "end")
    if end is not None and end <= start:
        raise ValidationError({"end": _("The member came back after this period started.")})
    try:
        party_age.Gap(start, end, party_age.GapReason(reason), rehabilitated=rehabilitated)
    except ValueError:
        raise ValidationError({"rehabilitated": _(
            "Only an expulsion or a removal from the rolls can be found wrong, and the member must be back.")})
    if end is None and member.gaps.filter(end__isnull=True).exclude(pk=exclude).exists():
        raise ValidationError({"end": _("The member is already outside party activity: end that period first.")})


@transaction.atomic
def gap_add(*, member: Member, start: date, reason: str, by, end: date | None = None, rehabilitated: bool = False,
            note: str = "") -> Gap:
    """Record a period outside party activity (subtracted from party age, lib.party_age)."""
    _require_editor(by)
    member = Member.objects.select_for_update().get(pk=member.pk)
    _check_gap(member, start, end, reason, rehabilitated)
    gap = Gap.objects.create(member=member, start=start, end=end, reason=reason, rehabilitated=rehabilitated,
                             note=vntext.normalize(note or "")[:300])
    _refresh_absence(member)
    _audit_member(by, "party.member.gap_added", member, ["gaps"], gap=gap.pk)
    return gap


@transaction.atomic
def gap_end(*, gap: Gap, end: date, by, rehabilitated: bool | None = None) -> Gap:
    """The member is back (re-admission decision, contact restored, registration received), or
    the expulsion or removal was found wrong (``rehabilitated=True``: party age continuous)."""
    _require_editor(by)
    gap = Gap.objects.select_for_update().select_related("member").get(pk=gap.pk)
    if end is None:
        raise ValidationError({"end": _("Enter the date the member came back.")})
    rehabilitated = gap.rehabilitated if rehabilitated is None else bool(rehabilitated)
    _check_gap(gap.member, gap.start, end, gap.reason, rehabilitated, exclude=gap.pk)
    gap.end, gap.rehabilitated = end, rehabilitated
    gap.save(update_fields=["end", "rehabilitated"])
    _refresh_absence(gap.member)
    _audit_member(by, "party.member.gap_ended", gap.member, ["gaps"], gap=gap.pk)
    return gap


@transaction.atomic
def gap_remove(*, gap: Gap, by) -> None:
    """Correct a period entered by mistake."""
    _require_editor(by)
    member = Member.objects.select_for_update().get(pk=gap.member_id)
    pk = gap.pk
    gap.delete()
    _refresh_absence(member)
    _audit_member(by, "party.member.gap_removed", member, ["gaps"], gap=pk)


@transaction.atomic
def member_transfer(*, member: Member, to: Organisation | None, on: date, by, note: str = "") -> Transfer:
    """Move a member's registration (chuyển sinh hoạt đảng) to ``to``; ``to=None`` moves it out of
    the department's party committee (status transferred out). A member transferred out who comes
    back is transferred to an organisation again. A gap while the registration travelled is
    recorded with gap_add (reason ``transfer``)."""
    _require_editor(by)
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.status not in (Member.Status.ACTIVE, Member.Status.TRANSFERRED_OUT):
        raise ValidationError({"to": _("Only an active member's registration can be transferred.")})
    coming_back = member.status == Member.Status.TRANSFERRED_OUT
    if coming_back and to is None:
        raise ValidationError({"to": _("Choose the organisation the member joins.")})
    if not coming_back and to is not None and to.pk == member.organisation_id:
        raise ValidationError({"to": _("The member is already in this organisation.")})
    _open(to, "to")
    if not isinstance(on, date):
        raise ValidationError({"on": _("Enter a date as dd/mm/yyyy.")})
    _not_future(on, "on")
    if on < member.admitted_on:
        raise ValidationError({"on": _("The date is before the member's admission.")})
    last = member.transfers.order_by("-on").values_list("on", flat=True).first()
    if last and on < last:
        raise ValidationError({"on": _("The member's last transfer was on %(day)s.") % {"day": f"{last:%d/%m/%Y}"}})
    transfer = Transfer.objects.create(member=member, from_organisation=None if coming_back else member.organisation,
                                       to_organisation=to, on=on, note=vntext.normalize(note or "")[:300])
    fields = ["organisation"]
    if to is None:
        member.status, member.status_on = Member.Status.TRANSFERRED_OUT, on
        fields = ["status", "status_on"]
    else:
        member.organisation = to
        if coming_back:
            member.status, member.status_on = Member.Status.ACTIVE, on
            fields += ["status", "status_on"]
    member.save()
    _audit_member(by, "party.member.transferred", member, fields, transfer=transfer.pk)
    return transfer


@transaction.atomic
def member_set_status(*, member: Member, status: str, on: date, by, reason: str = "", note: str = "") -> Member:
    """Record a death, a member leaving the Party, or a re-admission.

    - ``deceased``: ``died_on`` is ``on``.
    - ``removed`` (no longer a member): party age stops, which lib.party_age expresses as a period
      outside party activity that is still open. So this opens a Gap from ``on`` with ``reason``
      ``expelled`` (khai trừ) or ``removed`` (xoá tên, which the rule also uses for a member who
      asked to leave); a later re-admission or rehabilitation ends that gap and party age counts
      from the first admission minus the time outside (QĐ 24-QĐ/TW 2021, point 4.5.2).
    - ``active`` again after ``removed``: the re-admission decision of ``on`` ends the open gap.
    - ``transferred_out``: use member_transfer(to=None), which records the Transfer.
    """
    _require_editor(by)
    member = Member.objects.select_for_update().get(pk=member.pk)
    if not isinstance(on, date):
        raise ValidationError({"on": _("Enter a date as dd/mm/yyyy.")})
    _not_future(on, "on")
    if on < member.admitted_on:
        raise ValidationError({"on": _("The date is before the member's admission.")})
    fields = ["status", "status_on"]
    if status == Member.Status.DECEASED:
        if member.status == Member.Status.DECEASED:
            raise ValidationError({"status": _("The death is already recorded.")})
        member.died_on = on
        fields.append("died_on")
    elif status == Member.Status.REMOVED:
        if member.status != Member.Status.ACTIVE:
            raise ValidationError({"status": _("Only an active member can leave the Party.")})
        if reason not in (party_age.GapReason.EXPELLED, party_age.GapReason.REMOVED):
            raise ValidationError({"reason": _("Choose expulsion or removal from the rolls.")})
        _check_gap(member, on, None, reason, False)
        Gap.objects.create(member=member, start=on, end=None, reason=reason, note=vntext.normalize(note or "")[:300])
        _refresh_absence(member)
        fields.append("gaps")
    elif status == Member.Status.ACTIVE:
        if member.status != Member.Status.REMOVED:
            raise ValidationError({"status": _("Only a member who left the Party can be re-admitted here.")})
        gap = member.gaps.filter(end__isnull=True).first()
        if gap is not None:
            _check_gap(member, gap.start, on, gap.reason, False, exclude=gap.pk)
            gap.end = on
            gap.save(update_fields=["end"])
            _refresh_absence(member)
            fields.append("gaps")
    elif status == Member.Status.TRANSFERRED_OUT:
        raise ValidationError({"status": _("Record the transfer of the member's registration instead.")})
    else:
        raise ValidationError({"status": _("Choose a status.")})
    member.status, member.status_on = status, on
    member.save()
    _audit_member(by, "party.member.status", member, fields, status=status)
    return member


# --- import -----------------------------------------------------------------------------------

@transaction.atomic
def members_import(*, file, by, dry_run: bool = False, progress=None) -> list[Member]:
    """Create the members of an XLSX register (xlsx.py), all or none: every row is checked by
    member_create, every problem is collected ("Row 7: Ngày sinh: …"), and one problem leaves
    the register unchanged. ``dry_run`` checks everything and saves nothing. ``progress(done, total)``
    is called after each row (the command's progress bar)."""
    _require_editor(by)
    from . import xlsx

    rows = xlsx.read(file)
    created, problems = [], []
    for done, row in enumerate(rows, start=1):
        try:
            created.append(member_create(by=by, **row.values))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                column = row.headers.get(field) or str(xlsx.HEADERS.get(field, field))
                problems += [_("Row %(row)d: %(column)s: %(message)s") % {"row": row.number, "column": column,
                                                                          "message": message} for message in messages]
        if progress is not None:
            progress(done, len(rows))
    if problems:
        transaction.set_rollback(True)
        raise ValidationError({"file": problems})
    audit_record(actor=by, action="party.members.imported", object_type="party.member", object_repr=f"{len(created)}",
                 after={"members": [m.pk for m in created], "dry_run": dry_run})
    if dry_run:
        transaction.set_rollback(True)
    return created
