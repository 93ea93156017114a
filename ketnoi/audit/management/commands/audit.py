"""The audit trail from the command line.

    ketnoi audit verify [--from-id N | --since YYYY-MM-DD[THH:MM]] [--no-progress]

`verify` hashes every event again and checks each link of the chain (ketnoi/audit/chain.py),
with a progress bar on stderr; it prints "N events, chain intact" and the last hash (write it
down somewhere else: a chain rewritten from its start by someone who can write the database
would otherwise verify), or the first broken link — the event, its time and what differs — and
exits with status 1. `--from-id` / `--since` start from a checkpoint, trusting the event just
before it as it stands.
"""

from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from tqdm import tqdm

from ketnoi.audit import chain

USAGE_ERROR = 2


def _since(value: str | None) -> datetime | None:
    if value is None:
        return None
    value = value.strip()
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            moment = datetime.combine(day, time.min) if day else None
    except ValueError:
        moment = None
    if moment is None:
        raise CommandError(_("Write the time as YYYY-MM-DD or YYYY-MM-DDTHH:MM, for example 2026-11-01."),
                           returncode=USAGE_ERROR)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class Command(BaseCommand):
    help = "Check the audit trail's hash chain (verify)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", metavar="{verify}", required=True)
        check = actions.add_parser("verify", help="hash every event again and check each link of the chain")
        start = check.add_mutually_exclusive_group()
        start.add_argument("--from-id", type=int, help="start at the first event with this id or a later one")
        start.add_argument("--since", help="start at the first event at this time or later (local time)")
        check.add_argument("--no-progress", action="store_true")

    def handle(self, *args, action, **options):
        return self.verify(**options)

    def verify(self, *, from_id, since, no_progress, **options):
        since = _since(since)
        if from_id is not None and from_id < 1:
            raise CommandError(_("--from-id is an event's id, a positive number."), returncode=USAGE_ERROR)
        bar = None

        def progress(done, total):
            nonlocal bar
            if bar is None:
                bar = tqdm(total=total, unit=" events", desc=_("audit chain"), file=self.stderr._out)
            bar.update(done - bar.n)

        quiet = no_progress or options["verbosity"] == 0
        try:
            result = chain.verify(from_id=from_id, since=since, progress=None if quiet else progress)
        finally:
            if bar is not None:
                bar.close()
        if not result.intact:
            raise CommandError(_("Audit chain broken after %(count)d intact events: %(message)s") % {
                "count": result.count, "message": result.broken.message}, returncode=1)
        if result.count and result.first_id is not None and (from_id or since):
            self.stdout.write(_("%(count)d events from #%(first)d, chain intact; last hash %(hash)s") % {
                "count": result.count, "first": result.first_id, "hash": result.head_hash})
        else:
            self.stdout.write(_("%(count)d events, chain intact; last hash %(hash)s") % {
                "count": result.count, "hash": result.head_hash})
