"""The jobs `ketnoi tick` runs, in order. Each capability adds its own (reminders,
escalations, digests); each must be idempotent."""

from ketnoi.accounts.services import registrations_purge_unconfirmed
from ketnoi.audit.services import audit_checkpoint
from ketnoi.accounts.throttle import login_failures_prune
from ketnoi.cases.services import cases_tick
from ketnoi.dialogue.services import dialogue_tick
from ketnoi.directives.services import directives_tick
from ketnoi.front.maintenance import refresh_query_statistics
from ketnoi.notifications.services import emails_catch_up
from ketnoi.ops.services import tick_heartbeat
from ketnoi.privacy.retention import retention_prune
from ketnoi.reports.services import reports_refresh
from ketnoi.reports.weekly import weekly_tick

JOBS = [
    ("accounts.purge_unconfirmed_registrations", lambda: registrations_purge_unconfirmed()),
    ("cases.reminders_breaches_escalations", lambda: cases_tick()),
    ("directives.escalations_digest", lambda: directives_tick()),
    ("dialogue.sessions_ahead_reminders", lambda: dialogue_tick()),
    ("reports.case_figures", lambda: reports_refresh()),
    ("reports.weekly_summary", lambda: weekly_tick()),
    ("notifications.outbox_catch_up", lambda: emails_catch_up()),
    ("database.refresh_query_statistics", refresh_query_statistics),
    # The audit chain's last link written down: events removed from its end are then found.
    ("audit.checkpoint", audit_checkpoint),
    ("privacy.retention", lambda: retention_prune()),
    ("accounts.prune_login_failures", lambda: login_failures_prune()),
    # Last: the tick ran to its end (ketnoi doctor and /metrics read when).
    ("ops.tick_heartbeat", tick_heartbeat),
]
