"""Writes to cases. Each service runs in one transaction, locks the case row, appends events to
the timeline, folds them into the cached state, and records an audit event. E-mails leave only
after the transaction commits."""

import secrets
from datetime import datetime, timedelta

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ketnoi.accounts.access import principal_for
from ketnoi.accounts.models import Role, User
from ketnoi.audit.services import audit_record, snapshot
from ketnoi.lib import customs, deadlines
from ketnoi.notifications.services import notify_all

from . import access, state
from .filetypes import checked_uploads
from .models import Answer, Attachment, Case, CaseEvent, Channel, Level, RoutingRule, Sequence, SlaPolicy, Status, Topic
from .policy import case_policy

Kind = CaseEvent.Kind
RATING_SALT = "ketnoi.cases.rating"
MAX_IDENTIFIERS = 20  # declaration numbers or HS codes typed on one case


# --- small helpers -------------------------------------------------------------------------

def _lock(case: Case) -> Case:
    # Only the case row: PostgreSQL refuses FOR UPDATE on the nullable side of the outer join
    # that the (optional) handling unit needs.
    return Case.objects.select_for_update(of=("self",)).select_related("topic", "enterprise", "unit").get(pk=case.pk)


def _new_event(case: Case, kind: str, *, by=None, body: str = "", data: dict | None = None, public: bool = True,
               at: datetime | None = None, once_key: str | None = None) -> CaseEvent:
    """An entry of the case's timeline, not saved yet."""
    return CaseEvent(case=case, kind=kind, actor=by if getattr(by, "is_authenticated", False) else None,
                     body=body, data=data or {}, public=public, at=at or timezone.now(), once_key=once_key)


def _event(case: Case, kind: str, **fields) -> CaseEvent:
    event = _new_event(case, kind, **fields)
    event.save()
    state.apply(case, event)
    return event


def _save(case: Case, action: str, by, before: dict, *, bump: bool = True) -> None:
    if bump:
        case.version += 1
    case.save()
    audit_record(actor=by, action=f"case.{action}", obj=case, before=before, after=snapshot(case))


def _touch(case: Case) -> None:
    """A change to a case that leaves its row as it was (a share, a draft answer) still makes
    the pages read before it out of date."""
    case.version += 1
    case.save(update_fields=["version", "updated_at"])


class CaseChanged(ValidationError):
    """The case changed after the page or API call that acts on it read it (optimistic locking).
    A ValidationError, so that whoever ignores the version still gets a clear refusal; the
    pages answer it with 409 and the API with 409 or 412."""


def _check_version(case: Case, expected_version: int | None) -> None:
    """Under the row lock (the case was just read with select_for_update): refuse a change made
    from an out-of-date copy of the case. None: no check (commands, the tick, the demo)."""
    if expected_version is not None and expected_version != case.version:
        raise CaseChanged(
            _("Someone else updated this case after you read it. Read it again to see what changed, then "
              "send your change again if it still applies."),
            code="stale", params={"version": case.version})


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _clean_text(value: str, field: str, message: str, max_length: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    if max_length and len(value) > max_length:
        raise ValidationError({field: _("At most %(n)d characters.") % {"n": max_length}})
    return value


def _case_url(case: Case) -> str:
    return reverse("cases:detail", args=[case.reference])


def _tell(users, headline, case: Case, *, body: str = "", action_url: str = "", action_label=None,
          in_app: bool = True) -> None:
    """E-mail and in-app notice about `case` to each of `users`, written in the transaction of
    the change (the e-mail leaves from the outbox once it commits)."""
    users = [u for u in users if u is not None and u.is_active]
    notify_all(users=users, template="cases/update", url=action_url or _case_url(case), in_app=in_app, context={
        "case": case, "headline": headline, "body": body, "action_label": action_label or gettext_lazy("Open the case"),
    })


def business_users(case: Case) -> list[User]:
    return list(User.objects.filter(role_assignments__enterprise=case.enterprise_id,
                                    role_assignments__role=Role.BUSINESS, is_active=True).distinct())


def unit_staff(unit_id: int | None, role: str) -> list[User]:
    if unit_id is None:
        return coordinators()
    return list(User.objects.filter(role_assignments__unit_id=unit_id, role_assignments__role=role,
                                    is_active=True).distinct())


def coordinators() -> list[User]:
    return list(User.objects.filter(role_assignments__role=Role.COORDINATOR, is_active=True).distinct())


# --- routing and deadlines -----------------------------------------------------------------

def route(*, topic: Topic, named_unit, enterprise):
    """The handling unit, or None for the department coordinators' queue.

    The unit that decides is the one the business named or, when it is not sure, its usual
    unit (its jurisdiction). A rule for (topic, that unit) wins; then a rule for the topic
    alone; then a rule for the unit alone; then the unit the business named.
    """
    # A usual unit closed since the enterprise registered is looked up as its successor: the
    # rules name the units that exist today.
    key_unit = named_unit or (enterprise.home_unit.current() if enterprise.home_unit_id else None)
    rules = {
        (rule.topic_id, rule.named_unit_id): rule.handling_unit
        for rule in RoutingRule.objects.select_related("handling_unit").filter(
            Q(topic=topic) | Q(topic__isnull=True),
            Q(named_unit=key_unit) | Q(named_unit__isnull=True) if key_unit else Q(named_unit__isnull=True),
        )
    }
    key = key_unit.pk if key_unit else None
    for candidate in [(topic.pk, key), (topic.pk, None), (None, key)]:
        if candidate != (None, None) and candidate in rules:
            return rules[candidate].current()
    return named_unit.current() if named_unit else None


def policy_for(*, topic: Topic, level: str, priority: bool) -> SlaPolicy:
    """The most specific deadline policy: the topic's, then the default; a priority enterprise
    falls back to the ordinary policy when no priority policy exists for that level."""
    candidates = list(SlaPolicy.objects.filter(Q(topic=topic.pk) | Q(topic__isnull=True), level=level))
    for want_topic, want_priority in [(topic.pk, priority), (None, priority), (topic.pk, False), (None, False)]:
        for policy in candidates:
            if policy.topic_id == want_topic and policy.priority == want_priority:
                return policy
    raise ValidationError(_("No deadline policy is set for this level. Ask a coordinator to add one."))


def _deadlines(*, topic, level, priority, start: datetime) -> tuple[datetime, datetime]:
    policy = policy_for(topic=topic, level=level, priority=priority)
    acknowledge = deadlines.due(start, days=policy.acknowledge_workdays)
    answer = deadlines.due(start, days=policy.answer_workdays, hours=policy.answer_work_hours)
    return acknowledge, answer


def _next_reference(year: int) -> str:
    """The year's next number, counted and read in one statement where the database can
    (UPDATE … RETURNING: PostgreSQL, SQLite ≥ 3.35); the row is made by the year's first case."""
    if not connection.features.can_return_columns_from_insert:  # an older SQLite: the same in three
        Sequence.objects.get_or_create(year=year)
        Sequence.objects.filter(year=year).update(last=F("last") + 1)
        return customs.format_reference(year, Sequence.objects.get(year=year).last)
    table, year_column, last = (connection.ops.quote_name(name) for name in (Sequence._meta.db_table, "year", "last"))
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {last} = {last} + 1 WHERE {year_column} = %s RETURNING {last}", [year])
        row = cursor.fetchone()
    if row is None:
        Sequence.objects.get_or_create(year=year)
        return _next_reference(year)
    return customs.format_reference(year, row[0])


# --- attachments ---------------------------------------------------------------------------

def _attach(case: Case, event: CaseEvent | None, files, by, public: bool = True) -> list[Attachment]:
    policy = case_policy()
    saved = []
    for upload in checked_uploads(files, max_files=policy.attachments_per_upload, max_bytes=policy.attachment_max_bytes):
        attachment = Attachment(case=case, event=event, original_name=upload.name[:255], content_type=upload.content_type,
                                size=upload.size, sha256=upload.sha256, token=secrets.token_hex(8),
                                uploaded_by=by, public=public)
        attachment.file.save("upload", upload.file, save=False)
        attachment.save()
        saved.append(attachment)
    return saved


# --- filing --------------------------------------------------------------------------------

@transaction.atomic
def case_file(*, enterprise, by, topic: Topic | str, subject: str, description: str,
              declaration_numbers=(), hs_codes=(), named_unit=None, channel: str = Channel.WEB,
              attachments=(), received_at: datetime | None = None, handling_unit=None) -> Case:
    """A business's difficulty enters the system (from the web, the API, or staff on its
    behalf): validated, numbered, routed, given its deadlines, and confirmed by e-mail.

    `handling_unit` skips the routing rules: the dialogue sessions file the questions sent to a
    session with the unit that holds it (its leaders answer them there)."""
    p = principal_for(by)
    if channel in (Channel.WEB, Channel.API):
        if not access.may_file_for_enterprise(p, enterprise.pk):
            raise PermissionDenied
    elif channel == Channel.DIALOGUE:
        # A question raised at a session and entered by staff, or sent ahead of a session by the
        # business itself: the session's unit is then given (a business cannot say "I asked at
        # a session" of a case filed anywhere else, as it cannot say it phoned).
        sent_ahead = handling_unit is not None and access.may_file_for_enterprise(p, enterprise.pk)
        if not (sent_ahead or access.may_file_on_behalf(p)):
            raise PermissionDenied
    elif not access.may_file_on_behalf(p):
        raise PermissionDenied
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Choose how the difficulty was received.")})
    errors = {}
    if isinstance(topic, str):
        topic = Topic.objects.filter(code=topic, active=True).first()
    if topic is None or not topic.active:
        errors["topic"] = _("Choose the topic the difficulty is about.")
    try:
        subject = _clean_text(subject, "subject", _("Write a short subject, for example “Hoàn thuế nhập khẩu nguyên liệu sản xuất xuất khẩu”."), 200)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        description = _clean_text(description, "description", _("Describe the difficulty: what happened, and what you need from customs."), 20000)
    except ValidationError as error:
        errors.update(error.message_dict)
    language = get_language()
    cleaned_declarations, cleaned_hs = [], []
    for raw in declaration_numbers or ():
        try:
            cleaned_declarations.append(customs.clean_declaration_number(raw))
        except customs.InvalidIdentifier as error:
            errors.setdefault("declaration_numbers", []).append(error.message_in(language))
    for raw in hs_codes or ():
        try:
            cleaned_hs.append(customs.clean_hs_code(raw))
        except customs.InvalidIdentifier as error:
            errors.setdefault("hs_codes", []).append(error.message_in(language))
    if len(cleaned_declarations) > MAX_IDENTIFIERS:
        errors.setdefault("declaration_numbers", []).append(_("At most 20 numbers; attach a list for more."))
    if len(cleaned_hs) > MAX_IDENTIFIERS:
        errors.setdefault("hs_codes", []).append(_("At most 20 numbers; attach a list for more."))
    # A closed unit passes its work to its successor; one that leaves no open successor is refused.
    if named_unit is not None and not named_unit.current().is_active_on(timezone.localdate()):
        errors["unit"] = _("This unit no longer exists. Choose another, or “not sure”.")
    if handling_unit is not None and not handling_unit.current().is_active_on(timezone.localdate()):
        errors["unit"] = _("This unit no longer exists. Choose another, or “not sure”.")
    if errors:
        raise ValidationError(errors)

    now = received_at or timezone.now()
    if handling_unit is not None:
        unit = handling_unit.current()
    else:
        unit = route(topic=topic, named_unit=named_unit.current() if named_unit else None, enterprise=enterprise)
    acknowledge_due, answer_due = _deadlines(topic=topic, level=Level.UNIT, priority=enterprise.is_priority, start=now)
    case = Case(reference=_next_reference(timezone.localtime(now).year), enterprise=enterprise, filed_by=by,
                channel=channel, topic=topic, subject=subject, description=description,
                declaration_numbers=list(dict.fromkeys(cleaned_declarations)), hs_codes=list(dict.fromkeys(cleaned_hs)),
                named_unit=named_unit, received_at=now)
    # The first two events are folded into the case before it is written: one INSERT of the case
    # with its state, then one of its events (not an INSERT and an UPDATE of every column).
    events = [
        _new_event(case, Kind.FILED, by=by, at=now, data={
            "channel": channel, "priority": enterprise.is_priority,
            "acknowledge_due": _iso(acknowledge_due), "due": _iso(answer_due),
        }),
        _new_event(case, Kind.ROUTED, at=now, public=False,
                   data={"unit": unit.pk if unit else None, "named_unit": named_unit.pk if named_unit else None}),
    ]
    for event in events:
        state.apply(case, event)
    case.unit = unit  # the unit ROUTED names, already read: the answer and the e-mails need no query for it
    case.save()
    CaseEvent.objects.bulk_create(events)
    _attach(case, None, attachments, by)
    audit_record(actor=by, action="case.file", obj=case, before=None, after=snapshot(case))
    _tell(business_users(case), gettext_lazy("We received your difficulty"), case,
          body=case.subject, in_app=False)
    _tell(unit_staff(case.unit_id, Role.LEADER), gettext_lazy("New difficulty for your unit"), case, body=case.subject)
    return case


# --- handling ------------------------------------------------------------------------------

def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _require_open(case: Case) -> None:
    if not case.is_open:
        raise ValidationError(_("This case is %(status)s: it cannot be changed that way.") % {"status": case.get_status_display().lower()})


@transaction.atomic
def case_assign(*, case: Case, assignee: User, by, expected_version: int | None = None) -> Case:
    case = _lock(case)
    p = principal_for(by)
    _require(access.may_handle(p, case))
    _check_version(case, expected_version)
    _require_open(case)
    if assignee != by and not access.may_lead(p, case):
        raise PermissionDenied
    if case.unit_id is None or case.unit_id not in principal_for(assignee).units():
        if not principal_for(assignee).has(Role.COORDINATOR):
            raise ValidationError({"assignee": _("Choose an officer of the unit that handles the case.")})
    if case.assignee_id == assignee.pk:
        return case
    before = snapshot(case)
    _event(case, Kind.ASSIGNED, by=by, public=False, data={"assignee": assignee.pk},
           body=assignee.get_full_name())
    _save(case, "assign", by, before)
    if assignee != by:
        _tell([assignee], gettext_lazy("A case was assigned to you"), case, body=case.subject)
    return case


@transaction.atomic
def case_reassign(*, case: Case, unit, reason: str, by, expected_version: int | None = None) -> Case:
    """Move a case to another unit (or back to the coordinators' queue): a reason is required."""
    case = _lock(case)
    p = principal_for(by)
    _require(access.may_lead(p, case) or (case.unit_id is None and p.has(Role.COORDINATOR)))
    _check_version(case, expected_version)
    _require_open(case)
    reason = _clean_text(reason, "reason", _("Say why the case moves to another unit."), 2000)
    if unit is not None:
        unit = unit.current()  # a unit closed since keeps no queue: its successor does
        if not unit.is_active_on(timezone.localdate()):
            raise ValidationError({"unit": _("This unit no longer exists. Choose another.")})
    if (unit.pk if unit is not None else None) == case.unit_id:
        raise ValidationError({"unit": _("The case is already with this unit.")})
    before = snapshot(case)
    _event(case, Kind.REASSIGNED, by=by, public=False, body=reason,
           data={"unit": unit.pk if unit else None, "from": case.unit_id})
    _save(case, "reassign", by, before)
    _tell(unit_staff(case.unit_id, Role.LEADER), gettext_lazy("A case was moved to your unit"), case, body=reason)
    return case


@transaction.atomic
def case_share(*, case: Case, unit, by, expected_version: int | None = None) -> Case:
    case = _lock(case)
    _require(access.may_handle(principal_for(by), case))
    _check_version(case, expected_version)
    if unit.pk == case.unit_id or case.shared_with.filter(pk=unit.pk).exists():
        return case
    case.shared_with.add(unit)
    _event(case, Kind.SHARED, by=by, public=False, data={"unit": unit.pk}, body=unit.name_vi)
    _touch(case)
    audit_record(actor=by, action="case.share", obj=case, after={"shared_with": unit.pk})
    return case


@transaction.atomic
def case_forward(*, case: Case, to: str, reason: str, by, expected_version: int | None = None) -> Case:
    """The difficulty is outside the department's competence: forwarded to another body, which
    must happen within 5 working days of receipt (Decree 20/2008/NĐ-CP Art. 9.1.d)."""
    case = _lock(case)
    _require(access.may_lead(principal_for(by), case))
    _check_version(case, expected_version)
    _require_open(case)
    to = _clean_text(to, "to", _("Name the body the case is forwarded to."), 255)
    reason = _clean_text(reason, "reason", _("Say why the case is outside the department's competence."), 5000)
    before = snapshot(case)
    limit = deadlines.due(case.received_at, days=case_policy().forward_workdays)
    _event(case, Kind.FORWARDED, by=by, body=reason, data={
        "to": to, "forward_due": _iso(limit), "on_time": timezone.now() <= limit})
    _save(case, "forward", by, before)
    _tell(business_users(case), gettext_lazy("Your difficulty was forwarded to the competent body"), case,
          body=f"{to}\n\n{reason}")
    return case


@transaction.atomic
def case_message(*, case: Case, body: str, by, internal: bool = False, attachments=(),
                 expected_version: int | None = None) -> CaseEvent:
    """A message on the case: from the business (a reply, which resumes the clock or reopens
    an answered case), from staff to the business, or an internal note staff alone see."""
    case = _lock(case)
    p = principal_for(by)
    _require(access.is_business_party(p, case) or access.may_add_note(p, case) or access.may_handle(p, case))
    _check_version(case, expected_version)
    body = _clean_text(body, "body", _("Write the message."), 20000)
    before = snapshot(case)
    if access.is_business_party(p, case) and not internal:
        if case.status in (Status.RESOLVED, Status.FORWARDED):
            raise ValidationError(_("This case is closed. File a new difficulty if you need more help."))
        data = {}
        if case.status == Status.WAITING and case.paused_at:
            data["due"] = _iso(deadlines.extend_for_pause(case.due_at, case.paused_at, timezone.now()))
        event = _event(case, Kind.BUSINESS_REPLIED, by=by, body=body, data=data)
        if case.status == Status.ANSWERED:
            _reopen(case, by, reason="", review=False)
        _attach(case, event, attachments, by)
        _save(case, "reply", by, before)
        _tell([case.assignee] if case.assignee else unit_staff(case.unit_id, Role.LEADER),
              gettext_lazy("The business replied"), case, body=body)
        return event
    if internal:
        _require(access.may_add_note(p, case))
        event = _event(case, Kind.NOTE, by=by, body=body, public=False)
        _attach(case, event, attachments, by, public=False)
        _save(case, "note", by, before)
        return event
    _require(access.may_handle(p, case))
    _require_open(case)
    event = _event(case, Kind.MESSAGE, by=by, body=body)
    _attach(case, event, attachments, by)
    _save(case, "message", by, before)
    _tell(business_users(case), gettext_lazy("A message from customs about your difficulty"), case, body=body)
    return event


@transaction.atomic
def case_request_info(*, case: Case, body: str, by, expected_version: int | None = None) -> Case:
    """Ask the business for more information: the clock stops until it replies."""
    case = _lock(case)
    _require(access.may_handle(principal_for(by), case))
    _check_version(case, expected_version)
    _require_open(case)
    if case.status == Status.WAITING:
        raise ValidationError(_("The case already waits for the business."))
    if case.status == Status.PENDING_APPROVAL:
        # The submitted answer would be stranded: the leader approves or sends it back first.
        raise ValidationError(_("An answer awaits a leader's approval: ask for information after it is sent back."))
    body = _clean_text(body, "body", _("Say what information the business must send."), 20000)
    before = snapshot(case)
    _event(case, Kind.INFO_REQUESTED, by=by, body=body)
    _save(case, "request_info", by, before)
    _tell(business_users(case), gettext_lazy("Customs needs more information about your difficulty"), case,
          body=body, action_label=gettext_lazy("Reply"))
    return case


@transaction.atomic
def answer_save_draft(*, case: Case, body: str, by, expected_version: int | None = None) -> Answer:
    case = _lock(case)
    _require(access.may_handle(principal_for(by), case))
    _check_version(case, expected_version)
    _require_open(case)
    body = _clean_text(body, "body", _("Write the answer."), 50000)
    draft = case.answers.filter(state__in=[Answer.State.DRAFT, Answer.State.REJECTED]).first()
    if draft is None:
        draft = Answer.objects.create(case=case, body=body, author=by)
        _event(case, Kind.ANSWER_DRAFTED, by=by, public=False)
    else:
        draft.body, draft.state = body, Answer.State.DRAFT
        draft.save(update_fields=["body", "state", "updated_at"])
    # A colleague's answer form read before this draft would overwrite it unseen.
    _touch(case)
    audit_record(actor=by, action="case.answer_draft", obj=case, after={"answer": draft.pk})
    return draft


@transaction.atomic
def case_answer(*, case: Case, body: str, by, approved_by: User | None = None,
                expected_version: int | None = None) -> Case:
    """Answer the business. Sent at once when the topic needs no approval or the author leads
    the unit; otherwise it waits for a unit leader's approval.

    `approved_by`: a leader who already approved this answer, e.g. the leader who chaired the
    dialogue session where it was given publicly; ignored unless that person may lead the case."""
    case = _lock(case)
    p = principal_for(by)
    _require(access.may_handle(p, case))
    _check_version(case, expected_version)
    if case.status not in (Status.NEW, Status.IN_PROGRESS, Status.WAITING):
        raise ValidationError(_("This case cannot be answered now: it is %(status)s.") % {"status": case.get_status_display().lower()})
    body = _clean_text(body, "body", _("Write the answer."), 50000)
    before = snapshot(case)
    # Answering a case that waits for the business ends the wait: the clock runs again, with
    # the office time that was left when it stopped.
    resume = {}
    if case.status == Status.WAITING and case.paused_at and case.due_at:
        resume["due"] = _iso(deadlines.extend_for_pause(case.due_at, case.paused_at, timezone.now()))
    answer = case.answers.filter(state__in=[Answer.State.DRAFT, Answer.State.REJECTED]).first() or \
        Answer(case=case, author=by)
    answer.body = body
    approved = approved_by is not None and access.may_lead(principal_for(approved_by), case)
    if access.answer_needs_approval(p, case) and not approved:
        answer.state = Answer.State.SUBMITTED
        answer.save()
        _event(case, Kind.ANSWER_SUBMITTED, by=by, public=False, data={"answer": answer.pk, **resume})
        _save(case, "answer_submit", by, before)
        # Whoever may approve: the unit leaders, or the coordinators once the case is with the department.
        approvers = coordinators() if case.level == Level.DEPARTMENT else unit_staff(case.unit_id, Role.LEADER)
        _tell(approvers, gettext_lazy("An answer awaits your approval"), case, body=body)
        return case
    answer.state, answer.decided_by = Answer.State.SENT, approved_by if approved else by
    answer.save()
    _send_answer(case, answer, by, data={**resume, **({"approved_by": approved_by.pk} if approved else {})})
    _save(case, "answer", by, before)
    return case


@transaction.atomic
def case_set_due(*, case: Case, due_at: datetime, reason: str, by, expected_version: int | None = None) -> Case:
    """Set the answer's due moment of an open case by hand, with the reason on the timeline
    (the business sees both): e.g. the follow-up date a unit promised at a dialogue session.
    The reminders, breaches and escalations of `ketnoi tick` then run against it."""
    case = _lock(case)
    _require(access.may_handle(principal_for(by), case))
    _check_version(case, expected_version)
    _require_open(case)
    reason = _clean_text(reason, "reason", _("Say why the answer is due then."), 5000)
    if due_at is None or due_at <= timezone.now():
        raise ValidationError({"due_at": _("The due date must be in the future.")})
    before = snapshot(case)
    _event(case, Kind.DUE_SET, by=by, body=reason, data={"due": _iso(due_at), "previous": _iso(case.due_at)})
    _save(case, "set_due", by, before)
    return case


def _send_answer(case: Case, answer: Answer, by, data: dict | None = None) -> None:
    _event(case, Kind.ANSWERED, by=by, body=answer.body, data={"answer": answer.pk, **(data or {})})
    _tell(business_users(case), gettext_lazy("Customs answered your difficulty"), case, body=answer.body,
          action_label=gettext_lazy("Read the answer, accept it or reply"))


@transaction.atomic
def answer_decide(*, case: Case, approve: bool, by, reason: str = "", expected_version: int | None = None) -> Case:
    case = _lock(case)
    _require(access.may_lead(principal_for(by), case))
    _check_version(case, expected_version)
    answer = case.answers.filter(state=Answer.State.SUBMITTED).first()
    if answer is None or case.status != Status.PENDING_APPROVAL:
        raise ValidationError(_("No answer is waiting for approval on this case."))
    before = snapshot(case)
    answer.decided_by = by
    if approve:
        answer.state = Answer.State.SENT
        answer.save()
        _send_answer(case, answer, by)
        _save(case, "answer_approve", by, before)
    else:
        reason = _clean_text(reason, "reason", _("Say what must change in the answer."), 5000)
        answer.state = Answer.State.REJECTED
        answer.save()
        _event(case, Kind.ANSWER_REJECTED, by=by, public=False, body=reason, data={"answer": answer.pk})
        _save(case, "answer_reject", by, before)
        _tell([answer.author], gettext_lazy("Your answer was sent back"), case, body=reason)
    return case


@transaction.atomic
def case_accept(*, case: Case, by, expected_version: int | None = None) -> Case:
    """The business accepts the answer: the case is resolved and a rating link is sent."""
    case = _lock(case)
    _require(access.is_business_party(principal_for(by), case))
    _check_version(case, expected_version)
    if case.status != Status.ANSWERED:
        raise ValidationError(_("Only an answered case can be accepted."))
    before = snapshot(case)
    _event(case, Kind.ACCEPTED, by=by)
    _resolve(case, by)
    _save(case, "accept", by, before)
    return case


def _resolve(case: Case, by, automatic: bool = False, at: datetime | None = None) -> None:
    _event(case, Kind.RESOLVED, by=by, data={"automatic": automatic}, at=at)
    token = rating_token(case)
    link = reverse("cases:rate", args=[token])
    _tell(business_users(case), gettext_lazy("How well did we answer? Rate it in one click"), case,
          body=case.subject, action_url=link, action_label=gettext_lazy("Rate the answer"))


def _reopen(case: Case, by, *, reason: str, review: bool) -> None:
    due = None
    if case.due_at and case.due_at < timezone.now():
        policy = policy_for(topic=case.topic, level=case.level, priority=case.priority)
        due = deadlines.due(timezone.now(), days=policy.answer_workdays, hours=policy.answer_work_hours)
    _event(case, Kind.REOPENED, by=by, body=reason, data={"review": review, "due": _iso(due)})


@transaction.atomic
def case_escalate(*, case: Case, by, reason: str, step: int | None = None, once_key: str | None = None,
                  now: datetime | None = None, expected_version: int | None = None) -> Case | None:
    """Escalate: step 1 to the unit leader, step 2 to the department (which gets more time).
    By hand (a leader, with a reason) or by `ketnoi tick` (`by` None, with a once-key and the
    tick's `now`)."""
    case = _lock(case)
    now = now or timezone.now()
    if by is not None:
        _require(access.may_lead(principal_for(by), case))
        _check_version(case, expected_version)
        reason = _clean_text(reason, "reason", _("Say why the case is escalated."), 5000)
    elif not case.is_open or case.paused_at is not None:
        return None  # answered or put on hold since the tick read it
    _require_open(case)
    # By hand, the leader asks the department for help; the tick goes one step at a time.
    step = step or (2 if by is not None else min(case.escalation_step + 1, 2))
    if step <= case.escalation_step and once_key is None:
        raise ValidationError(_("The case is already escalated to the department."))
    before = snapshot(case)
    data = {"step": step}
    if step >= 2 and case.level != Level.DEPARTMENT:
        data["level"] = Level.DEPARTMENT
        data["due"] = _iso(deadlines.due(max(now, case.due_at or now), days=_department_days(case)))
    if not _event_once(case, Kind.ESCALATED, by=by, body=reason, public=False, data=data, once_key=once_key,
                       at=now):
        return None
    _save(case, "escalate", by, before)
    to = coordinators() if step >= 2 else unit_staff(case.unit_id, Role.LEADER)
    _tell(to, gettext_lazy("A case was escalated to you"), case, body=reason or case.subject)
    return case


def _department_days(case: Case) -> int:
    try:
        policy = policy_for(topic=case.topic, level=Level.DEPARTMENT, priority=case.priority)
        return policy.answer_workdays or case_policy().department_answer_workdays
    except ValidationError:
        return case_policy().department_answer_workdays


def _event_once(case: Case, kind: str, *, once_key: str | None, **fields) -> CaseEvent | None:
    """Append an event that must exist once (the periodic jobs): a second tick, even one
    running at the same moment, finds the key taken and does nothing."""
    if once_key is None:
        return _event(case, kind, **fields)
    if CaseEvent.objects.filter(case=case, once_key=once_key).exists():
        return None
    try:
        with transaction.atomic():
            return _event(case, kind, once_key=once_key, **fields)
    except IntegrityError:
        return None


# --- rating --------------------------------------------------------------------------------

def rating_token(case: Case) -> str:
    return signing.dumps({"c": case.pk, "r": case.reference}, salt=RATING_SALT, compress=True)


def case_from_rating_token(token: str) -> Case:
    try:
        data = signing.loads(token, salt=RATING_SALT, max_age=case_policy().rating_link_days * 86400)
    except signing.SignatureExpired as error:
        raise ValidationError(_("This rating link has expired. You can still rate the answer on the case page.")) from error
    except signing.BadSignature as error:
        raise ValidationError(_("This rating link is not valid. Copy the whole link from the e-mail.")) from error
    case = Case.objects.filter(pk=data.get("c"), reference=data.get("r")).first()
    if case is None:
        raise ValidationError(_("This rating link is not valid. Copy the whole link from the e-mail."))
    return case


def _whole_number(value) -> int | None:
    """A score as typed or sent: 4, "4", 4.0; not 2.5 (int() would make it a 2), True or "٤"."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    return None


@transaction.atomic
def case_rate(*, case: Case, score, comment: str = "", by=None, token: str | None = None,
              expected_version: int | None = None) -> Case:
    """Rate a resolved case 1–5, once: by a business user of the case, or through the signed
    link (no login). A score of 2 or less reopens it for the unit leader's review."""
    case = _lock(case)
    if token is not None:
        if case_from_rating_token(token).pk != case.pk:
            raise PermissionDenied
    else:
        _require(access.is_business_party(principal_for(by), case))
    _check_version(case, expected_version)
    score = _whole_number(score)
    if score is None or not 1 <= score <= 5:
        raise ValidationError({"score": _("Choose a score from 1 (very poor) to 5 (very good).")})
    comment = (comment or "").strip()[:5000]
    if case.rated_at is not None and case.resolved_at is not None and case.rated_at >= case.resolved_at:
        # Once per answer: a case reopened after a low rating can be rated again when resolved.
        raise ValidationError(_("This case was already rated. Thank you."), code="already_rated")
    if case.status != Status.RESOLVED:
        raise ValidationError(_("A case can be rated once it is resolved."))
    before = snapshot(case)
    actor = by or (business_users(case) or [None])[0]
    _event(case, Kind.RATED, by=actor, body=comment, data={"score": score, "via_link": token is not None})
    if score <= 2:
        _reopen(case, actor, reason=comment, review=True)
        _tell(unit_staff(case.unit_id, Role.LEADER), gettext_lazy("A business rated an answer poorly: please review"),
              case, body=comment)
    _save(case, "rate", actor, before)
    return case


# --- the periodic jobs (ketnoi tick) -------------------------------------------------------

def cases_tick(*, now: datetime | None = None) -> dict:
    """Reminders before deadlines, breaches, escalations and automatic resolution. Idempotent:
    every step is keyed on the deadline it concerns, so running it again (or twice at the same
    time) does nothing more."""
    now = now or timezone.now()
    policy = case_policy()
    counts = {"reminded": 0, "breaches": 0, "escalated": 0, "auto_resolved": 0}
    running = [Status.NEW, Status.IN_PROGRESS, Status.PENDING_APPROVAL]
    open_cases = Case.objects.filter(status__in=running, paused_at__isnull=True)

    def still_running(case: Case) -> bool:
        return case.status in running and case.paused_at is None

    policies: dict[tuple, SlaPolicy] = {}

    def sla(case: Case) -> SlaPolicy:
        key = (case.topic_id, case.level, case.priority)
        if key not in policies:
            policies[key] = policy_for(topic=case.topic, level=case.level, priority=case.priority)
        return policies[key]

    # Reminders before the answer deadline: only cases due within the longest reminder period
    # of any policy can need one, which bounds what is read.
    longest = SlaPolicy.objects.aggregate(hours=Max("reminder_work_hours"))["hours"] or 0
    soon = open_cases.filter(due_at__gt=now, due_at__lte=deadlines.due_in_work_hours(now, longest)).select_related("topic")
    for case in soon:
        if deadlines.work_hours_left(case.due_at, now) <= sla(case).reminder_work_hours:
            counts["reminded"] += _tick_step(case, Kind.REMINDED, f"remind:{case.due_at:%Y%m%d%H%M}",
                                             gettext_lazy("Deadline soon: answer this case"), now,
                                             still=still_running)
    # Acknowledgement and answer breaches.
    for case in Case.objects.filter(acknowledged_at__isnull=True, acknowledge_due_at__lt=now,
                                    status=Status.NEW):
        counts["breaches"] += _tick_step(case, Kind.BREACH, f"breach:ack:{case.acknowledge_due_at:%Y%m%d%H%M}",
                                         None, now, data={"deadline": "acknowledge"},
                                         still=lambda c: c.status == Status.NEW and c.acknowledged_at is None)
    for case in open_cases.filter(due_at__lt=now):
        counts["breaches"] += _tick_step(case, Kind.BREACH, f"breach:answer:{case.due_at:%Y%m%d%H%M}",
                                         None, now, data={"deadline": "answer"}, still=still_running)
        overdue_hours = -deadlines.work_hours_left(case.due_at, now)
        step = 2 if overdue_hours >= policy.escalate_to_department_after_hours else (
            1 if overdue_hours >= policy.escalate_to_leader_after_hours else 0)
        if step > case.escalation_step and case.level == Level.UNIT:
            for s in range(case.escalation_step + 1, step + 1):
                if case_escalate(case=case, by=None, reason="", step=s, now=now,
                                 once_key=f"escalate:{s}:{case.due_at:%Y%m%d%H%M}"):
                    counts["escalated"] += 1
    # Answered cases the business left without reply are resolved (N working days are at least
    # N calendar days: only those can be due).
    for case in Case.objects.filter(status=Status.ANSWERED, answered_at__isnull=False,
                                    answered_at__lte=now - timedelta(days=policy.auto_resolve_workdays)):
        if deadlines.due(case.answered_at, days=policy.auto_resolve_workdays) <= now:
            counts["auto_resolved"] += _auto_resolve(case, now)
    return counts


@transaction.atomic
def _tick_step(case: Case, kind: str, once_key: str, headline, now, data=None, still=None) -> int:
    case = _lock(case)
    if still is not None and not still(case):
        return 0  # answered, or put on hold, since the tick read it
    before = snapshot(case)
    if not _event_once(case, kind, once_key=once_key, public=False, data=data or {}, at=now):
        return 0
    # A reminder or a breach changes nothing an officer decides on (state.apply folds nothing
    # for them): the pages open on the case stay current.
    _save(case, kind, None, before, bump=False)
    if headline is not None:
        # The officer on the case; nobody yet: the unit leaders, who hand out the work.
        _tell([case.assignee] if case.assignee else unit_staff(case.unit_id, Role.LEADER),
              headline, case, body=case.subject)
    return 1


@transaction.atomic
def _auto_resolve(case: Case, now) -> int:
    case = _lock(case)
    if case.status != Status.ANSWERED:
        return 0
    before = snapshot(case)
    if not _event_once(case, Kind.ACCEPTED, once_key=f"auto-accept:{case.answered_at:%Y%m%d%H%M}",
                       data={"automatic": True}, at=now):
        return 0
    _resolve(case, None, automatic=True, at=now)
    _save(case, "auto_resolve", None, before)
    return 1


# --- configuration (coordinators) ----------------------------------------------------------

@transaction.atomic
def routing_rule_save(*, topic, named_unit, handling_unit, by) -> RoutingRule:
    _require(access.may_manage_routing(principal_for(by)))
    if topic is None and named_unit is None:
        raise ValidationError(_("A rule needs a topic, a unit, or both."))
    if handling_unit is None:
        raise ValidationError({"handling_unit": _("Choose the unit that handles these cases.")})
    rule = RoutingRule.objects.filter(topic=topic, named_unit=named_unit).first()
    before = snapshot(rule)
    if rule is None:
        rule = RoutingRule(topic=topic, named_unit=named_unit)
    rule.handling_unit = handling_unit
    rule.save()
    audit_record(actor=by, action="routing_rule.save", obj=rule, before=before, after=snapshot(rule))
    return rule


@transaction.atomic
def routing_rule_delete(*, rule: RoutingRule, by) -> None:
    _require(access.may_manage_routing(principal_for(by)))
    audit_record(actor=by, action="routing_rule.delete", obj=rule, before=snapshot(rule))
    rule.delete()


@transaction.atomic
def sla_policy_save(*, policy: SlaPolicy, by, expected_version: int | None = None) -> SlaPolicy:
    """Add or change a deadline policy. `expected_version`: the version the coordinator's form
    was read at; a policy changed since is refused (code "stale") and left as it is."""
    _require(access.may_manage_routing(principal_for(by)))
    stored = SlaPolicy.objects.select_for_update().filter(pk=policy.pk).first() if policy.pk else None
    if stored is not None and expected_version is not None and expected_version != stored.version:
        raise ValidationError(
            _("Someone else changed this deadline policy after you opened this page, so nothing was saved. "
              "Its values are shown now; change them again if you still need to."), code="stale")
    before = snapshot(stored) if stored is not None else None
    policy.full_clean()
    policy.version = stored.version + 1 if stored is not None else 1
    policy.save()
    audit_record(actor=by, action="sla_policy.save", obj=policy, before=before, after=snapshot(policy))
    return policy
