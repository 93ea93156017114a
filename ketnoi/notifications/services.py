"""The one way to tell a user something: an e-mail (HTML and text, in the user's language) and
an entry in the in-app notification list.

`notify` and `notify_all` are called inside the transaction of the change they tell about. They
render the message there (the in-app notice is the same text, and the e-mail says what was true
when it happened), write the notice, and put the e-mail in the outbox (`Email`, one row per
language, and one `EmailDelivery` per address), all in that transaction, with one task for the
background worker per transaction (its batch): a rollback sends nothing, and a crash after the
commit loses nothing, since the rows and the task are there when the worker starts again.

The worker (`emails_send`) builds each message, sends it through Django's mail framework and
records the outcome. A temporary failure (the mail server is down or answers 4xx) is tried again
after a delay that doubles each time; a permanent one (an address the server refuses with 5xx) is
marked failed at once, and the administrators see it with its reason in the admin site.

With KETNOI_EMAIL_SEND_ON_COMMIT the process that wrote the e-mails sends them itself once its
transaction commits, through the same `emails_send` (the tests; one machine with no worker).
"""

import base64
import logging
import smtplib
import traceback
from datetime import datetime, timedelta
from email import encoders
from email.mime.base import MIMEBase
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.crypto import get_random_string

from .models import Email, EmailDelivery, Notification

logger = logging.getLogger("ketnoi.notifications")

# Django's dummy backend throws messages away (the demo writes its history of 2020 under it):
# there is nothing to queue.
DISCARDING_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
# A delivery taken by a worker that has not reported for this long is taken to be lost with
# that worker (killed mid-send) and is queued again: sent at least once, rarely twice.
SENDING_STALE_AFTER = timedelta(minutes=15)
# A due delivery waits this long for its task before `emails_catch_up` sends it (a task lost, or
# a retry in a deployment without a worker).
CATCH_UP_AFTER = timedelta(minutes=5)
# How many deliveries one run of the worker takes at a time.
SEND_BATCH = 200
BATCH_KEY_LENGTH = 20


# --- writing: rendering, in-app notices, the outbox ----------------------------------------------

def _render_plain(name: str, context: dict) -> str:
    """A plain-text template (subject, text part) without HTML escaping: an enterprise called
    "Thương mại & Dịch vụ" must not arrive as "Thương mại &amp; Dịch vụ"."""
    return get_template(name).template.render(Context(context, autoescape=False))


def _render(template: str, context: dict) -> tuple[str, str, str]:
    """Subject, text and HTML of `templates/email/<template>.*` in the active language."""
    subject = " ".join(_render_plain(f"email/{template}.subject.txt", context).split())
    return subject, _render_plain(f"email/{template}.txt", context), render_to_string(f"email/{template}.html", context)


def _language(user) -> str:
    return getattr(user, "language", None) or settings.LANGUAGE_CODE


def _full_url(url: str) -> str:
    return settings.KETNOI_BASE_URL + url if url.startswith("/") else url


def _attachment_record(attachment) -> dict:
    """What the outbox keeps of a file sent with an e-mail: (file name, bytes or text, MIME type),
    or a ready MIME part (an inline image with its Content-ID) taken apart to be rebuilt."""
    if isinstance(attachment, MIMEBase):
        return {"part": {
            "type": attachment.get_content_type(),
            "params": [[key, value] for key, value in attachment.get_params()[1:]],
            "headers": [[key, str(value)] for key, value in attachment.items()
                        if key.lower() not in {"content-type", "mime-version", "content-transfer-encoding"}],
            "content": base64.b64encode(attachment.get_payload(decode=True) or b"").decode("ascii"),
        }}
    filename, content, mimetype = attachment
    if isinstance(content, str):
        content = content.encode()
    return {"filename": filename, "mimetype": mimetype, "content": base64.b64encode(content).decode("ascii")}


def _attachment_from(record: dict):
    if "part" in record:
        part = record["part"]
        maintype, subtype = part["type"].split("/", 1)
        rebuilt = MIMEBase(maintype, subtype, **dict(part["params"]))
        rebuilt.set_payload(base64.b64decode(part["content"]))
        encoders.encode_base64(rebuilt)
        for key, value in part["headers"]:
            rebuilt[key] = value
        return rebuilt
    return record["filename"], base64.b64decode(record["content"]), record["mimetype"]


def _discards_mail() -> bool:
    return settings.EMAIL_BACKEND == DISCARDING_BACKEND


def _queue(template: str, rendered: dict[str, tuple[str, str, str]], recipients: list[tuple[object, str]],
           attachments=()) -> str | None:
    """Write e-mails to the outbox: one `Email` per language of `rendered`, one delivery per
    (user, language) of `recipients`, in the batch of the current transaction, whose task the
    first e-mails of the transaction queue. The batch, or None when nothing was written."""
    if not recipients or _discards_mail():
        return None
    if not transaction.get_connection().in_atomic_block:
        # Called outside a transaction (the password-reset e-mail): the e-mails, their
        # deliveries and their task are written together all the same.
        with transaction.atomic():
            return _queue(template, rendered, recipients, attachments)
    records = [_attachment_record(attachment) for attachment in attachments]
    languages = list(dict.fromkeys(language for _user, language in recipients))
    batch, queued = _transaction_batch()
    emails = Email.objects.bulk_create([
        Email(batch=batch, template=template, language=language, subject=rendered[language][0],
              text=rendered[language][1], html=rendered[language][2], attachments=records)
        for language in languages])
    by_language = {email.language: email for email in emails}
    EmailDelivery.objects.bulk_create([
        EmailDelivery(email=by_language[language], user=user, to=user.email) for user, language in recipients])
    if settings.KETNOI_EMAIL_SEND_ON_COMMIT:
        _after_commit(partial(emails_send, batch=batch))
    elif not queued:
        _schedule(batch)
    return batch


def _transaction_batch() -> tuple[str, bool]:
    """The outbox batch of the transaction in progress, and whether its task is queued already.
    All the e-mails a transaction writes (a case filed tells the business and the unit's
    leaders) go in one batch with one task: one run of the worker, not one per message.

    The batch is remembered on the connection with a callback of its own in Django's on-commit
    list: Django drops that callback when the savepoint that wrote the task rolls back, and then
    the next e-mails start a new batch with a new task. Outside a transaction, every call is a
    batch of its own."""
    connection = transaction.get_connection()
    fresh = get_random_string(BATCH_KEY_LENGTH)
    if settings.KETNOI_EMAIL_SEND_ON_COMMIT or not connection.in_atomic_block:
        return fresh, False
    current = getattr(connection, "ketnoi_outbox_batch", None)
    if current is not None and any(func is current[0] for _sids, func, _robust in connection.run_on_commit):
        return current[1], True

    def forget():
        if getattr(connection, "ketnoi_outbox_batch", None) is marker:
            connection.ketnoi_outbox_batch = None

    marker = (forget, fresh)
    connection.ketnoi_outbox_batch = marker
    transaction.on_commit(forget)
    return fresh, False


def _schedule(batch: str, *, run_after: datetime | None = None) -> None:
    from .tasks import send_emails

    (send_emails.using(run_after=run_after) if run_after else send_emails).enqueue(batch)


def _after_commit(func) -> None:
    """Run `func` once the transaction commits, or now when none is open. The atomic blocks in
    which Django's TestCase wraps each test are not the application's: they count as no
    transaction, as in production (Django's durable check ignores them the same way)."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and all(getattr(block, "_from_testcase", False)
                                          for block in connection.atomic_blocks):
        func()
    else:
        transaction.on_commit(func)


def notify(*, user, template: str, context: dict | None = None, url: str = "", in_app: bool = True,
           email: bool = True, attachments=()) -> Notification | None:
    """Render `templates/email/<template>.subject.txt`, `.txt` and `.html` in the user's
    language, add the in-app notification and put the e-mail in the outbox (see the module's
    docstring): call it inside the transaction of the change it tells about.

    `url` is a path inside ketnoi; the e-mail gets it as a full link. `attachments` go with the
    e-mail: (file name, bytes, MIME type) tuples, or MIME parts (e.g. an inline image).
    """
    language = _language(user)
    with translation.override(language):
        ctx = {"user": user, "url": _full_url(url), "base_url": settings.KETNOI_BASE_URL, **(context or {})}
        subject, text, html = _render(template, ctx)
    notification = None
    if in_app:
        notification = Notification.objects.create(
            user=user, kind=template, title=subject[:255], body=text.strip(), url=url,
        )
    if email and user.email:
        _queue(template, {language: (subject, text, html)}, [(user, language)], attachments)
    return notification


def notify_all(*, users, template: str, context: dict | None = None, url: str = "", in_app: bool = True,
               email: bool = True, attachments=()) -> list[Notification]:
    """`notify` for several users with the same message: the templates are rendered once per
    language rather than once per user, and the in-app notifications, the e-mails and their
    deliveries are each written in one INSERT, with one task for the worker.

    The templates get no `user`: a message that addresses its reader by name goes through `notify`.
    """
    rendered: dict[str, tuple[str, str, str]] = {}
    notifications, recipients = [], []
    for user in users:
        language = _language(user)
        if language not in rendered:
            with translation.override(language):
                rendered[language] = _render(template, {
                    "url": _full_url(url), "base_url": settings.KETNOI_BASE_URL, **(context or {})})
        subject, text, _html = rendered[language]
        if in_app:
            notifications.append(Notification(user=user, kind=template, title=subject[:255], body=text.strip(), url=url))
        if email and user.email:
            recipients.append((user, language))
    Notification.objects.bulk_create(notifications)
    _queue(template, rendered, recipients, attachments)
    return notifications


@transaction.atomic
def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    """Mark the user's notifications read (all of them when `ids` is None)."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


# --- sending: the worker's side ------------------------------------------------------------------

def retry_delay(*, attempt: int) -> timedelta:
    """The wait before the attempt after `attempt` (1, 2 …): KETNOI_EMAIL_RETRY_SECONDS, then
    twice as long each time, at most an hour (the background jobs' rule)."""
    from ketnoi.background.services import retry_delay as doubling

    return doubling(attempt=attempt, base_seconds=settings.KETNOI_EMAIL_RETRY_SECONDS)


def is_permanent(error: BaseException) -> bool:
    """Whether sending again would fail the same way. The mail server's reply code says it for
    what it refused (RFC 5321, 4.2.1: 5xx permanent, 4xx transient); a lost or refused connection,
    a timeout or a full disk (OSError) may pass; anything else is a bad address or a bug."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return not isinstance(error, OSError)


def _describe(error: BaseException) -> str:
    if isinstance(error, OSError):  # the mail server's or the system's message says it all
        return "".join(traceback.format_exception_only(error)).strip()
    return "".join(traceback.format_exception(error)).strip()


class _Messages:
    """The e-mails of one run built once each, then addressed per delivery."""

    def __init__(self):
        self.attachments: dict[int, list] = {}

    def build(self, delivery: EmailDelivery) -> EmailMultiAlternatives:
        email = delivery.email
        message = EmailMultiAlternatives(subject=email.subject, body=email.text, to=[delivery.to],
                                         headers={"Content-Language": email.language})
        if email.html:
            message.attach_alternative(email.html, "text/html")
        if email.pk not in self.attachments:
            self.attachments[email.pk] = [_attachment_from(record) for record in email.attachments]
        for attachment in self.attachments[email.pk]:
            if isinstance(attachment, tuple):
                message.attach(*attachment)
            else:
                message.attach(attachment)
        return message


def _claim(*, batch: str | None, now: datetime, cutoff: datetime | None = None) -> list[EmailDelivery]:
    """The deliveries due (of `batch`, or of every batch; with `cutoff`, only those due since
    before it), taken for this run: a conditional UPDATE marks them, so two workers never send
    the same one."""
    due_now = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    queued = EmailDelivery.objects.filter(due_now, state=EmailDelivery.State.QUEUED)
    if cutoff is not None:
        queued = queued.filter(Q(next_attempt_at__isnull=True, created_at__lte=cutoff) | Q(next_attempt_at__lte=cutoff))
    if batch is not None:
        # A batch is small (the e-mails of one change): read whole, then marked by id.
        found = list(queued.filter(email__batch=batch).select_related("email").order_by("pk"))
    else:
        found = list(queued.select_related("email").order_by("pk")[:SEND_BATCH])
    if not found:
        return []
    token = get_random_string(24)
    ids = [delivery.pk for delivery in found]
    taken = EmailDelivery.objects.filter(due_now, pk__in=ids, state=EmailDelivery.State.QUEUED).update(
        state=EmailDelivery.State.SENDING, claim=token, attempts=F("attempts") + 1, next_attempt_at=None,
        updated_at=now)
    if taken == len(found):
        for delivery in found:
            delivery.state, delivery.claim, delivery.attempts = EmailDelivery.State.SENDING, token, delivery.attempts + 1
            delivery.next_attempt_at = None
        return found
    # Another worker took some of them meanwhile: these are the ones this run has.
    return list(EmailDelivery.objects.filter(pk__in=ids, claim=token, state=EmailDelivery.State.SENDING)
                .select_related("email").order_by("pk"))


def _send(claimed: list[EmailDelivery]) -> list[tuple[EmailDelivery, BaseException | None]]:
    """Each delivery through one connection to the mail server, with its outcome (None: sent)."""
    connection = get_connection()
    try:
        connection.open()
    except Exception as error:  # the server cannot be reached: every message waits for it
        return [(delivery, error) for delivery in claimed]
    outcomes = []
    messages = _Messages()
    try:
        for delivery in claimed:
            try:
                connection.send_messages([messages.build(delivery)])
            except Exception as error:
                outcomes.append((delivery, error))
            else:
                outcomes.append((delivery, None))
    finally:
        try:
            connection.close()
        except Exception:  # noqa: BLE001 — a QUIT the server does not answer changes nothing sent
            logger.warning("closing the mail connection failed", exc_info=True)
    return outcomes


def _record(outcomes, *, now: datetime) -> dict:
    counts = {"sent": 0, "failed": 0, "retrying": 0}
    sent = [delivery.pk for delivery, error in outcomes if error is None]
    if sent:
        EmailDelivery.objects.filter(pk__in=sent).update(state=EmailDelivery.State.SENT, sent_at=now, error="",
                                                         updated_at=now)
        counts["sent"] = len(sent)
    retries: dict[str, datetime] = {}  # the earliest retry of each batch
    for delivery, error in outcomes:
        if error is None:
            continue
        if not is_permanent(error) and delivery.attempts < settings.KETNOI_EMAIL_ATTEMPTS:
            when = now + retry_delay(attempt=delivery.attempts)
            EmailDelivery.objects.filter(pk=delivery.pk).update(
                state=EmailDelivery.State.QUEUED, next_attempt_at=when, error=_describe(error), updated_at=now)
            retries[delivery.email.batch] = min(when, retries.get(delivery.email.batch, when))
            counts["retrying"] += 1
            logger.warning("e-mail delivery %s to %s, attempt %s, failed; next at %s: %r",
                           delivery.pk, delivery.to, delivery.attempts, when.isoformat(), error)
            continue
        EmailDelivery.objects.filter(pk=delivery.pk).update(
            state=EmailDelivery.State.FAILED, error=_describe(error), updated_at=now)
        counts["failed"] += 1
        logger.error("e-mail delivery %s to %s failed after %s attempt(s): %r",
                     delivery.pk, delivery.to, delivery.attempts, error)
    for batch, when in retries.items():
        # One task for the batch, at its earliest retry: it sends what is due then, and queues
        # itself again for what is not.
        _schedule(batch, run_after=when)
    return counts


def emails_send(*, batch: str | None = None) -> dict:
    """The worker's run: send the due deliveries of `batch` (of every batch when None), record
    each outcome, queue a retry for the temporary failures. The counts sent, failed and retrying."""
    totals = {"sent": 0, "failed": 0, "retrying": 0}
    while True:
        now = timezone.now()
        claimed = _claim(batch=batch, now=now)
        if not claimed:
            return totals
        for key, value in _record(_send(claimed), now=now).items():
            totals[key] += value
        if batch is not None or len(claimed) < SEND_BATCH:
            return totals


def emails_catch_up(*, now: datetime | None = None) -> dict:
    """The periodic job (`ketnoi tick`): deliveries left "being sent" by a worker that died go
    back to the queue, and deliveries due for a while that no worker took (a lost task, or
    a deployment without a worker) are sent here. Safe to run twice, or beside the worker."""
    now = now or timezone.now()
    requeued = EmailDelivery.objects.filter(state=EmailDelivery.State.SENDING,
                                            updated_at__lt=now - SENDING_STALE_AFTER).update(
        state=EmailDelivery.State.QUEUED, next_attempt_at=None, updated_at=now)
    totals = {"requeued": requeued, "sent": 0, "failed": 0, "retrying": 0}
    while True:
        claimed = _claim(batch=None, now=timezone.now(), cutoff=now - CATCH_UP_AFTER)
        if not claimed:
            return totals
        for key, value in _record(_send(claimed), now=timezone.now()).items():
            totals[key] += value
        if len(claimed) < SEND_BATCH:
            return totals


@transaction.atomic
def emails_retry(*, deliveries) -> int:
    """An administrator sends failed deliveries again (an address corrected, the mail server's
    configuration fixed), with a fresh allowance of attempts. How many were queued."""
    ids = list(EmailDelivery.objects.filter(pk__in=[d.pk for d in deliveries], state=EmailDelivery.State.FAILED)
               .values_list("pk", flat=True))
    if not ids:
        return 0
    now = timezone.now()
    EmailDelivery.objects.filter(pk__in=ids).update(state=EmailDelivery.State.QUEUED, attempts=0,
                                                     next_attempt_at=None, updated_at=now)
    for batch in sorted(set(EmailDelivery.objects.filter(pk__in=ids).values_list("email__batch", flat=True))):
        _schedule(batch)
    return len(ids)
