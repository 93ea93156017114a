"""The jobs `ketnoi tick` runs, in order. Each capability adds its own (reminders,
escalations, digests); each must be idempotent."""

from ketnoi.accounts.services import registrations_purge_unconfirmed
from ketnoi.cases.services import cases_tick

JOBS = [
    ("accounts.purge_unconfirmed_registrations", lambda: registrations_purge_unconfirmed()),
    ("cases.reminders_breaches_escalations", lambda: cases_tick()),
]
