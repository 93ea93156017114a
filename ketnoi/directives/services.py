"""Writes of the directives capability: issue (a new directive, or a new version replacing or
amending one), acknowledge, report, delegates, and the periodic escalation and digest."""

import re
import secrets
from datetime import datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.accounts.access import principal_for
from ketnoi.accounts.models import Role, RoleAssignment, User
from ketnoi.audit.services import audit_record, snapshot
from ketnoi.cases.filetypes import checked_uploads
from ketnoi.lib import citations, directive_status
from ketnoi.notifications.services import notify_all
from ketnoi.org.models import Unit

from . import access, selectors
from .models import Attachment, Change, Delegate, DigestDay, DigestSent, Directive, Recipient, Target, Urgency

MAX_ATTACHMENTS = 10
MAX_BODY = 100_000  # characters: the longest directive is a few pages
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
# Issued "now" may be a few minutes ahead of this server's clock.
CLOCK_SKEW = timedelta(minutes=5)
# The daily digest leaves with the first tick after this local time.
DIGEST_AFTER = time(7, 0)
ALL_KINDS = (Unit.Kind.BRANCH, Unit.Kind.DIVISION)  # Target.ALL: the units directly under the department


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _text(value, field: str, message: str, max_length: int | None = None) -> str:
    value = " ".join(str(value or "").split()) if max_length else str(value or "").strip()
    if not value:
        raise ValidationError({field: message})
    if max_length and len(value) > max_length:
        raise ValidationError({field: _("Write at most %(n)d characters.") % {"n": max_length}})
    return value


def _local_date(moment: datetime):
    return timezone.localtime(moment).date()


def _active_units(qs):
    today = timezone.localdate()
    return [unit for unit in qs if unit.is_active_on(today)]


def resolve_targets(*, target: str, target_kinds=(), target_units=(), issuing_unit: Unit | None = None) -> list[Unit]:
    """The units a directive goes to, as they stand today: closed units are never sent to."""
    if target == Target.ALL:
        units = _active_units(Unit.objects.filter(kind__in=ALL_KINDS))
    elif target == Target.KINDS:
        kinds = [k for k in target_kinds if k in Unit.Kind.values]
        if not kinds:
            raise ValidationError({"target_kinds": _("Choose at least one kind of unit.")})
        units = _active_units(Unit.objects.filter(kind__in=kinds))
    elif target == Target.UNITS:
        units = list(dict.fromkeys(target_units))  # a unit named twice is sent to once (one recipient row)
        closed = [unit for unit in units if not unit.is_active_on(timezone.localdate())]
        if closed:
            raise ValidationError({"target_units": _(
                "%(unit)s no longer exists: send the directive to the unit that carries its work.")
                % {"unit": closed[0]}})
    else:
        raise ValidationError({"target": _("Choose who the directive is sent to.")})
    units = [unit for unit in units if issuing_unit is None or unit.pk != issuing_unit.pk]
    if not units:
        raise ValidationError({"target_units": _("Choose at least one unit to send the directive to.")})
    return units


def clean_number(value: str) -> str:
    typed = _text(value, "number", _("Write the directive's number, e.g. 125/HQHCM-VP."), 60)
    number = citations.canonical(typed)
    # Spaces around "/" and "-" are tidied away; between two letters or digits they join words
    # that are not one number ("125/HQHCM-VP khẩn" is not "125/HQHCM-VPKHẨN").
    if citations.parse(number) is None or "/" not in number or re.search(r"[^\W_]\s+[^\W_]", typed):
        raise ValidationError({"number": _(
            "“%(number)s” is not a document number. Write it as on the document: number/symbol, e.g. 125/HQHCM-VP.")
            % {"number": value}})
    return number


@transaction.atomic
def directive_issue(*, by, number: str, title: str, body: str, issuing_unit: Unit, signer_name: str,
                    effective_from, signer_title: str = "", issued_at: datetime | None = None, effective_to=None,
                    urgency: str = Urgency.NORMAL, target: str = Target.ALL, target_kinds=(), target_units=(),
                    ack_within_hours: int | None = None, report_due=None, attachments=(),
                    previous: Directive | None = None, change: str = Change.NEW) -> Directive:
    """Issue a directive, or a new version of ``previous`` (``change``: replaces or amends it).

    Every unit it is sent to gets a recipient row with its acknowledgement deadline, and its
    leaders and delegates are told after the commit. Nothing is written unless all is valid.
    """
    _require(access.may_issue(principal_for(by)))
    now = timezone.now()
    errors = {}

    def check(field, fn):
        try:
            return fn()
        except ValidationError as error:
            errors.update(error.message_dict if hasattr(error, "error_dict") else {field: error.messages})

    number = check("number", lambda: clean_number(number))
    title = check("title", lambda: _text(title, "title", _("Write the directive's title."), 300))
    body = check("body", lambda: _text(body, "body", _("Write the text of the directive.")))
    if body and len(body) > MAX_BODY:
        errors["body"] = [_("Write at most %(n)d characters.") % {"n": MAX_BODY}]
    signer_name = check("signer_name", lambda: _text(signer_name, "signer_name", _("Write who signed the directive."), 150))
    signer_title = " ".join((signer_title or "").split())[:150]
    issued_at = issued_at or now
    if issued_at > now + CLOCK_SKEW:
        errors["issued_at"] = [_("A directive cannot be issued in the future. Check the date and time of issue.")]
    if issuing_unit is None or not issuing_unit.is_active_on(_local_date(issued_at)):
        errors["issuing_unit"] = [_("Choose the unit that issues the directive.")]
    if effective_from is None:
        errors["effective_from"] = [_("Write the day the directive takes effect.")]
    elif effective_from < _local_date(issued_at):
        errors["effective_from"] = [_("A directive cannot take effect before the day it is issued (%(day)s).")
                                    % {"day": f"{_local_date(issued_at):%d/%m/%Y}"}]
    elif effective_to is not None and effective_to < effective_from:
        errors["effective_to"] = [_("The end of the period cannot be before its start.")]
    if urgency not in Urgency.values:
        errors["urgency"] = [_("Choose the urgency.")]
    if ack_within_hours is not None and not 1 <= ack_within_hours <= 720:
        errors["ack_within_hours"] = [_("Ask for acknowledgement within 1 to 720 hours (30 days), or not at all.")]
    if report_due is not None and report_due < _local_date(issued_at):
        errors["report_due"] = [_("The report cannot be due before the directive is issued.")]
    units = check("target", lambda: resolve_targets(target=target, target_kinds=target_kinds,
                                                    target_units=target_units, issuing_unit=issuing_unit))
    if previous is not None:
        previous = Directive.objects.select_for_update().get(pk=previous.pk)
        if Directive.objects.filter(previous=previous).exists():
            errors["previous"] = [_("%(number)s has already been replaced: replace its latest version instead.")
                                  % {"number": previous.number}]
        elif change not in (Change.REPLACES, Change.AMENDS):
            errors["change"] = [_("Say whether the new directive replaces or amends the previous one.")]
        elif effective_from and effective_from < previous.effective_from:
            errors["effective_from"] = [_("The new version cannot take effect before the version it replaces (%(day)s).")
                                        % {"day": f"{previous.effective_from:%d/%m/%Y}"}]
        if "issued_at" not in errors and issued_at < previous.issued_at:  # a paper chain entered later
            errors["issued_at"] = [_("A new version cannot be issued before the version it replaces (%(moment)s).")
                                   % {"moment": f"{timezone.localtime(previous.issued_at):%H:%M %d/%m/%Y}"}]
    else:
        change = Change.NEW
    if number and not errors.get("number") and issued_at:
        if Directive.objects.filter(number=number, year=_local_date(issued_at).year).exists():
            errors["number"] = [_("A directive numbered %(number)s was already issued in %(year)d.")
                                % {"number": number, "year": _local_date(issued_at).year}]
    checked = check("attachments", lambda: checked_uploads(attachments, max_files=MAX_ATTACHMENTS,
                                                           max_bytes=ATTACHMENT_MAX_BYTES))
    if errors:
        raise ValidationError(errors)

    directive = Directive(
        number=number, title=title, body=body, issuing_unit=issuing_unit, signer_name=signer_name,
        signer_title=signer_title, issued_at=issued_at, effective_from=effective_from, effective_to=effective_to,
        urgency=urgency, target=target,
        target_kinds=[k for k in dict.fromkeys(target_kinds) if k in Unit.Kind.values] if target == Target.KINDS else [],
        ack_within_hours=ack_within_hours, report_due=report_due, issued_by=by, change=change,
    )
    if previous is not None:
        directive.chain, directive.version, directive.previous = previous.chain, previous.version + 1, previous
        before = snapshot(previous)
        previous.superseded_from = effective_from
        previous.save(update_fields=["superseded_from"])
        audit_record(actor=by, action="directive.superseded", obj=previous, before=before, after=snapshot(previous))
    try:
        with transaction.atomic():
            directive.save()
    except IntegrityError:
        if not Directive.objects.filter(number=number, year=directive.year).exists():
            raise
        # The same number issued at the same moment by someone else.
        raise ValidationError({"number": _("A directive numbered %(number)s was already issued in %(year)d.")
                               % {"number": number, "year": directive.year}}) from None
    if target == Target.UNITS:
        directive.target_units.set(units)
    due = directive_status.ack_due(issued_at, ack_within_hours)
    Recipient.objects.bulk_create([Recipient(directive=directive, unit=unit, ack_due_at=due) for unit in units])
    for upload in checked:
        attachment = Attachment(directive=directive, original_name=upload.name[:255], content_type=upload.content_type,
                                size=upload.size, sha256=upload.sha256, token=secrets.token_hex(8), uploaded_by=by)
        attachment.file.save("upload", upload.file, save=False)
        attachment.save()
    audit_record(actor=by, action="directive.issued" if previous is None else f"directive.{change}",
                 obj=directive, after={**snapshot(directive), "units": [u.pk for u in units]})
    _tell_units(directive, units)
    return directive


def _acted_at(at: datetime | None, directive: Directive) -> datetime:
    """When a unit acted: now, or the moment given (a paper acknowledgement entered later),
    which lies between the issue of the directive and now."""
    now = timezone.now()
    if at is None:
        return now
    if at < directive.issued_at or at > now + CLOCK_SKEW:
        raise ValidationError({"at": _("The moment must be between the issue of the directive (%(moment)s) and now.")
                               % {"moment": f"{timezone.localtime(directive.issued_at):%H:%M %d/%m/%Y}"}})
    return at


def _acting_users(unit_ids) -> dict[int, list[User]]:
    """The leaders and delegates of each unit: who acknowledges for it."""
    users: dict[int, dict[int, User]] = {}
    for assignment in RoleAssignment.objects.filter(unit_id__in=unit_ids, role=Role.LEADER,
                                                    user__is_active=True).select_related("user"):
        users.setdefault(assignment.unit_id, {})[assignment.user_id] = assignment.user
    for delegate in Delegate.objects.filter(unit_id__in=unit_ids, user__is_active=True).select_related("user"):
        users.setdefault(delegate.unit_id, {})[delegate.user_id] = delegate.user
    return {unit_id: list(found.values()) for unit_id, found in users.items()}


def _coordinators() -> list[User]:
    return list(User.objects.filter(role_assignments__role=Role.COORDINATOR, is_active=True).distinct())


def _tell_units(directive: Directive, units) -> None:
    everyone = {user.pk: user for found in _acting_users([u.pk for u in units]).values() for user in found}
    if everyone:
        notify_all(users=everyone.values(), template="directives/issued", url=directive.get_absolute_url(),
                   context={"directive": directive})


def _recipient(directive: Directive, unit: Unit) -> Recipient:
    """The unit's row of the directive, locked; the directive and unit it was given are reused."""
    try:
        recipient = Recipient.objects.select_for_update().get(directive=directive, unit=unit)
    except Recipient.DoesNotExist:
        raise ValidationError({"unit": _("This directive was not sent to %(unit)s.") % {"unit": unit}}) from None
    recipient.directive, recipient.unit = directive, unit
    return recipient


@transaction.atomic
def directive_acknowledge(*, directive: Directive, unit: Unit, by, at: datetime | None = None) -> Recipient:
    """Acknowledge receipt for ``unit``. A second acknowledgement changes nothing."""
    _require(access.may_acknowledge(principal_for(by), unit.pk))
    at = _acted_at(at, directive)
    recipient = _recipient(directive, unit)
    if recipient.acknowledged_at is not None:
        return recipient
    before = snapshot(recipient)
    recipient.acknowledged_at, recipient.acknowledged_by = at, by
    recipient.save(update_fields=["acknowledged_at", "acknowledged_by"])
    audit_record(actor=by, action="directive.acknowledged", obj=recipient, before=before, after=snapshot(recipient))
    return recipient


@transaction.atomic
def directive_report(*, directive: Directive, unit: Unit, text: str, by, at: datetime | None = None) -> Recipient:
    """File the unit's implementation report. A report once filed is not rewritten."""
    _require(access.may_acknowledge(principal_for(by), unit.pk))
    text = _text(text, "report_text", _("Write what the unit has done to carry out the directive."))
    at = _acted_at(at, directive)
    recipient = _recipient(directive, unit)
    if recipient.reported_at is not None:
        raise ValidationError({"report_text": _("%(unit)s already filed its report on %(day)s.") % {
            "unit": unit, "day": f"{timezone.localtime(recipient.reported_at):%d/%m/%Y}"}})
    before = snapshot(recipient)
    recipient.report_text, recipient.reported_at, recipient.reported_by = text, at, by
    if recipient.acknowledged_at is None:  # a report shows the directive was received
        recipient.acknowledged_at, recipient.acknowledged_by = recipient.reported_at, by
    recipient.save(update_fields=["report_text", "reported_at", "reported_by", "acknowledged_at", "acknowledged_by"])
    audit_record(actor=by, action="directive.reported", obj=recipient, before=before, after=snapshot(recipient))
    return recipient


@transaction.atomic
def delegate_add(*, unit: Unit, user: User, by) -> Delegate:
    _require(access.may_name_delegates(principal_for(by), unit.pk))
    if unit.pk not in principal_for(user).units(Role.OFFICER):
        raise ValidationError({"user": _("%(name)s is not an officer of %(unit)s.") % {"name": user, "unit": unit}})
    delegate, created = Delegate.objects.get_or_create(unit=unit, user=user, defaults={"granted_by": by})
    if created:
        audit_record(actor=by, action="directive.delegate_added", obj=delegate, after=snapshot(delegate))
    return delegate


@transaction.atomic
def delegate_remove(*, delegate: Delegate, by) -> None:
    _require(access.may_name_delegates(principal_for(by), delegate.unit_id))
    before = snapshot(delegate)
    audit_record(actor=by, action="directive.delegate_removed", obj=delegate, before=before)
    delegate.delete()


# --- the periodic jobs (ketnoi tick) --------------------------------------------------------

def directives_tick(*, now: datetime | None = None) -> dict:
    """Escalate acknowledgements past their deadline, then send the daily digest. Safe to run
    as often as wanted: each escalation and each digest happens once."""
    now = now or timezone.now()
    return {"escalated": escalate_overdue(now=now), "digests": send_digests(now=now)}


def escalate_overdue(*, now: datetime) -> int:
    """Every unit that has not acknowledged the latest version of a directive by its deadline:
    its leaders and the department coordinators are told, once."""
    overdue = (Recipient.objects.filter(acknowledged_at__isnull=True, escalated_at__isnull=True, ack_due_at__lt=now,
                                        directive__next_version__isnull=True)
               .select_related("directive", "unit"))
    escalated = 0
    for recipient in overdue:
        with transaction.atomic():
            # The row is claimed by the UPDATE: two ticks at once escalate it once.
            if not Recipient.objects.filter(pk=recipient.pk, escalated_at__isnull=True,
                                            acknowledged_at__isnull=True).update(escalated_at=now):
                continue
            audit_record(actor=None, action="directive.escalated", obj=recipient,
                         after={"escalated_at": now.isoformat(), "ack_due_at": recipient.ack_due_at.isoformat()})
            users = {u.pk: u for u in _acting_users([recipient.unit_id]).get(recipient.unit_id, []) + _coordinators()}
            notify_all(users=list(users.values()), template="directives/escalated",
                       url=recipient.directive.get_absolute_url(),
                       context={"directive": recipient.directive, "recipient": recipient})
            escalated += 1
    return escalated


def send_digests(*, now: datetime) -> int:
    """Each morning, to each leader and delegate: what changed in force for their units since
    yesterday and what they still have to acknowledge. Nothing is sent when there is nothing."""
    local = timezone.localtime(now)
    if local.time() < DIGEST_AFTER:
        return 0
    today = local.date()
    if DigestDay.objects.filter(day=today).exists():
        return 0
    # What yesterday's digest could not know: the versions issued after it left.
    since = timezone.make_aware(datetime.combine(today - timedelta(days=1), DIGEST_AFTER))
    # Every unit with leaders or delegates, not only the recipients: a team works under its branch's directives.
    acting = _acting_users(list(Unit.objects.values_list("pk", flat=True)))
    done = set(DigestSent.objects.filter(day=today).values_list("user_id", flat=True))
    per_user: dict[int, tuple[User, list]] = {}
    for unit in Unit.objects.filter(pk__in=acting).order_by("kind", "code", "name_vi"):
        changes = selectors.changes_for(unit=unit, day=today, since=since)
        awaiting = list(selectors.awaiting_acknowledgement(unit=unit))
        if not (changes.added or changes.replaced or changes.ended or awaiting):
            continue
        for user in acting[unit.pk]:
            if user.pk not in done:
                per_user.setdefault(user.pk, (user, []))[1].append({"unit": unit, "changes": changes, "awaiting": awaiting})
    sent = 0
    for user, sections in per_user.values():
        with transaction.atomic():
            _, created = DigestSent.objects.get_or_create(user=user, day=today)
            if not created:
                continue
            notify_all(users=[user], template="directives/digest", url=reverse("directives:in_force"),
                       context={"sections": sections, "day": today})
            sent += 1
    DigestDay.objects.get_or_create(day=today)  # last: a run cut short is finished by the next tick
    return sent

