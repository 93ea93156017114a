"""Periodic work (reminders, escalations, clean-ups), run by cron or a systemd timer every few
minutes. Every job is safe to run twice: it acts on the state it finds, not on a schedule."""

import logging
import time

from django.core.management.base import BaseCommand, CommandError

from ketnoi.jobs import JOBS

logger = logging.getLogger("ketnoi.tick")


class Command(BaseCommand):
    help = "Run the periodic jobs once (safe to run twice)."

    def handle(self, *args, **options):
        failed = []
        for name, job in JOBS:
            started = time.monotonic()
            try:
                result = job()
            except Exception:
                # One broken job must not stop the others (a reminder must not wait on a clean-up).
                logger.exception("tick job %s failed", name)
                failed.append(name)
                self.stderr.write(f"{name}: FAILED")
                continue
            self.stdout.write(f"{name}: {result} ({time.monotonic() - started:.2f} s)")
        if failed:
            raise CommandError(f"{len(failed)} job(s) failed: {', '.join(failed)}")
