"""Periodic work (reminders, escalations, clean-ups), run by cron or a systemd timer every few
minutes. Every job is safe to run twice: it acts on the state it finds, not on a schedule."""

import time

from django.core.management.base import BaseCommand

from ketnoi.jobs import JOBS


class Command(BaseCommand):
    help = "Run the periodic jobs once (safe to run twice)."

    def handle(self, *args, **options):
        for name, job in JOBS:
            started = time.monotonic()
            result = job()
            self.stdout.write(f"{name}: {result} ({time.monotonic() - started:.2f} s)")
