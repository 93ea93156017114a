"""The jobs `ketnoi tick` runs, in order. Each capability adds its own (reminders,
escalations, digests); each must be idempotent."""

from ketnoi.accounts.services import registrations_purge_unconfirmed

JOBS = [
    ("accounts.purge_unconfirmed_registrations", lambda: registrations_purge_unconfirmed()),
]
