"""The case figures of the dashboards, maintained incrementally (services.reports_refresh).

Counting a million cases for every dashboard would take seconds; these tables hold the counts
already summed by handling unit and day, month or year (and topic, for the top topics), and a
histogram of answer times for the exact median. Each case's last contribution is kept in its
`CaseFact`, so a changed case is taken out of the sums and put back as it is now. Nothing here is edited by hand: the tables can
be rebuilt from the cases at any time (services.reports_rebuild).

`unit_key` is the handling unit's id, or 0 for the department coordinators' queue (no unit):
an integer rather than a nullable foreign key, so that the sums have one row per key on every
engine (NULLs are distinct in a unique constraint).
"""

from django.conf import settings
from django.db import models

COORDINATORS = 0  # unit_key of the cases no unit handles (the coordinators' queue)


class Grain(models.TextChoices):
    DAY = "d", "day"
    MONTH = "m", "month"  # `day` is then the month's first day
    YEAR = "y", "year"  # `day` is then 1 January


class CaseFact(models.Model):
    """What one case contributes to the figures, as last folded in (local dates), and what the
    figures of NOW read of an open case: its open cases' index is the backlog, small and narrow."""

    case_id = models.BigIntegerField(primary_key=True)  # no foreign key: no join needed, none made
    unit_key = models.BigIntegerField()
    topic_id = models.BigIntegerField()
    received_on = models.DateField()
    answered_on = models.DateField(null=True)
    answered_on_time = models.BooleanField(default=False)
    answer_workdays = models.IntegerField(null=True)
    resolved_on = models.DateField(null=True)
    rated_on = models.DateField(null=True)
    rating = models.SmallIntegerField(null=True)
    is_open = models.BooleanField(default=False)
    due_at = models.DateTimeField(null=True)  # of an open case
    paused = models.BooleanField(default=False)  # an open case waiting for the business
    # The case's `updated_at` when folded in, and when that was: a case of the refresh's window
    # with the same `updated_at`, folded in after it, has not changed since (services._pending).
    updated_at = models.DateTimeField(null=True)
    folded_at = models.DateTimeField(null=True)

    class Meta:
        indexes = [
            # Covers the NOW figures (open, overdue, backlog by age) without reading the table.
            models.Index(fields=["unit_key", "received_on", "due_at", "paused"], name="reports_fact_open",
                         condition=models.Q(is_open=True)),
        ]


class CaseCount(models.Model):
    """Cases of a unit received, answered (on time), resolved and rated on a day or in a month
    (each by the date of that step)."""

    grain = models.CharField(max_length=1, choices=Grain.choices)
    day = models.DateField()
    unit_key = models.BigIntegerField()
    received = models.IntegerField(default=0)
    answered = models.IntegerField(default=0)
    answered_on_time = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    rating_sum = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["grain", "day", "unit_key"], name="reports_count_key")]


class TopicCount(models.Model):
    """Cases of a unit and topic received on a day, in a month or in a year."""

    grain = models.CharField(max_length=1, choices=Grain.choices)
    day = models.DateField()
    unit_key = models.BigIntegerField()
    topic_id = models.BigIntegerField()
    received = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["grain", "day", "unit_key", "topic_id"], name="reports_topic_key"),
        ]


class AnswerTime(models.Model):
    """How many cases of a unit answered on a day, in a month or in a year took `workdays`
    working days: the histogram the exact median is read from."""

    grain = models.CharField(max_length=1, choices=Grain.choices)
    day = models.DateField()
    unit_key = models.BigIntegerField()
    workdays = models.IntegerField()
    cases = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["grain", "day", "unit_key", "workdays"], name="reports_answer_time_key"),
        ]


class RefreshState(models.Model):
    """One row: how far the sums have read the cases. Its row lock serialises the refreshes."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    watermark = models.DateTimeField(null=True)  # the latest `updated_at` folded in
    last_case_id = models.BigIntegerField(default=0)  # the highest case id folded in
    refreshed_at = models.DateTimeField(null=True)


class WeeklySummary(models.Model):
    """A user was sent the weekly summary of the ISO week starting on ``week_start`` (reports.weekly):
    written before the e-mail leaves, under a unique key, so however often or at the same moment
    `ketnoi tick` runs, each recipient gets one summary a week."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField()  # the Monday of the week summarised
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "week_start"], name="reports_weekly_summary_once")]
