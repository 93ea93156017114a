"""Checking the audit hash chain (``ketnoi audit verify``, ``ketnoi doctor``).

Events are read in batches by id, never all at once: a production trail holds millions. Each is
hashed again and its link to the one before it checked; the first that fails is the answer,
with what differs. The checkpoint (``ChainHead``, written by `ketnoi tick`) tells whether events
were removed from the end, which no later link could betray.
"""

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.lib import hashchain

from .models import AuditEvent, ChainHead
from .services import HEAD_ID, chain_fields

BATCH = 5000
# How many recent hashes are remembered to tell an inserted event from a removed one.
WINDOW = 64


@dataclass(frozen=True)
class Break:
    event_id: int | None
    at: datetime | None
    message: str


@dataclass(frozen=True)
class Verification:
    count: int  # events checked
    first_id: int | None
    last_id: int | None
    head_hash: str  # the hash of the last event checked (write it down elsewhere: see the README)
    broken: Break | None

    @property
    def intact(self) -> bool:
        return self.broken is None


def _local(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M:%S") if moment else "?"


def _short(digest: str) -> str:
    return (digest or "∅")[:12]


def _start(from_id: int | None, since: datetime | None) -> tuple[int, str, int | None]:
    """(id to read after, hash expected as the next event's prev_hash, id of the event the walk
    starts from). From a checkpoint, the event just before it is trusted as it stands: its
    stored hash is where the walk starts."""
    if from_id is None and since is None:
        return 0, hashchain.GENESIS, None
    first = AuditEvent.objects.order_by("id")
    if from_id is not None:
        first = first.filter(id__gte=from_id)
    if since is not None:
        first = first.filter(at__gte=since)
    first_id = first.values_list("id", flat=True).first()
    if first_id is None:
        return 0, "", None
    before = AuditEvent.objects.filter(id__lt=first_id).order_by("-id").values_list("id", "hash").first()
    if before is None:
        return 0, hashchain.GENESIS, first_id
    return before[0], before[1], first_id


def verify(*, from_id: int | None = None, since: datetime | None = None,
           progress: Callable[[int, int], None] | None = None) -> Verification:
    """Check the chain from its start, or from the first event with an id ≥ ``from_id`` / a time
    ≥ ``since``, to its end (events appended meanwhile included). ``progress(done, total)`` is
    called after each batch."""
    head = ChainHead.objects.filter(pk=HEAD_ID).first()
    after_id, expected, first_id = _start(from_id, since)
    if first_id is None and (from_id is not None or since is not None):
        return Verification(0, None, None, "", None)
    events = AuditEvent.objects.filter(id__gt=after_id)
    total = events.count() if progress else 0
    recent: OrderedDict[str, int] = OrderedDict()  # hash → id, of the last WINDOW events
    previous_id, count, last = after_id or None, 0, None
    while True:
        batch = list(events.filter(id__gt=after_id).order_by("id").only(
            "id", "at", "actor_id", "actor_label", "action", "object_type", "object_id", "object_repr", "before",
            "after", "ip", "prev_hash", "hash")[:BATCH])
        if not batch:
            break
        for event in batch:
            broken = _check(event, expected, previous_id, recent)
            if broken is None and head is not None and event.pk == head.last_id and event.hash != head.hash:
                broken = Break(event.pk, event.at, _(
                    "the checkpoint records %(head)s… as the hash of event #%(id)d, the event is hashed %(found)s…: "
                    "the chain was rewritten from #%(id)d or before") % {
                    "head": _short(head.hash), "id": event.pk, "found": _short(event.hash)})
            if broken is not None:
                return Verification(count, first_id, previous_id, expected, broken)
            recent[event.hash] = event.pk
            if len(recent) > WINDOW:
                recent.popitem(last=False)
            expected, previous_id, last = event.hash, event.pk, event
            count += 1
        after_id = batch[-1].pk
        if progress:
            progress(count, max(total, count))
    if head is not None and head.last_id is not None and head.last_id > (previous_id or 0):
        broken = Break(head.last_id, None, _(
            "the chain ends at event #%(last)s but its checkpoint records #%(head)s: the events after #%(last)s "
            "were removed") % {"last": previous_id or "—", "head": head.last_id})
        return Verification(count, first_id, previous_id, expected, broken)
    return Verification(count, first_id, last.pk if last else None, expected, None)


def _check(event: AuditEvent, expected: str, previous_id: int | None, recent: OrderedDict) -> Break | None:
    recomputed = hashchain.link_hash(chain_fields(event), event.prev_hash)
    if recomputed != event.hash:
        return Break(event.pk, event.at, _(
            "event #%(id)d (%(time)s, %(action)s) was changed after it was written: its fields hash to %(found)s…, "
            "it was written with %(stored)s…") % {
            "id": event.pk, "time": _local(event.at), "action": event.action, "found": _short(recomputed),
            "stored": _short(event.hash)})
    if event.prev_hash == expected:
        return None
    if event.prev_hash in recent:
        return Break(event.pk, event.at, _(
            "event #%(id)d (%(time)s) follows #%(linked)d, not #%(previous)d: the events after #%(linked)d up to "
            "#%(previous)d were inserted") % {
            "id": event.pk, "time": _local(event.at), "linked": recent[event.prev_hash], "previous": previous_id})
    if previous_id is None:
        return Break(event.pk, event.at, _(
            "event #%(id)d (%(time)s) is the first but does not start the chain (its previous hash is %(found)s…): "
            "the events before it were removed") % {
            "id": event.pk, "time": _local(event.at), "found": _short(event.prev_hash)})
    return Break(event.pk, event.at, _(
        "the link from #%(previous)d to #%(id)d (%(time)s) is broken: #%(id)d follows an event hashed "
        "%(found)s…, #%(previous)d is hashed %(expected)s…; an event between them was removed, or #%(previous)d "
        "was changed and its hash rewritten") % {
        "id": event.pk, "time": _local(event.at), "previous": previous_id, "found": _short(event.prev_hash),
        "expected": _short(expected)})
