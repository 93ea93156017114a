"""Indexes for the set-based award queries (ketnoi.party.awards), measured by bench/party.py.

Database-only (RunSQL, no model state): partial indexes, written in SQL both engines accept.

- party_member_badge_regular: badge eligibility's one query reads the active members without
  gaps and not ill by admission date (``admitted_on <= cutoff``); replaced in 0004.
- party_member_badge_exact: the few reckoned one by one (with gaps, ill, deceased); replaced in 0004.
- party_rating_member_year_level: the five-year aggregate (``year`` in a range, ``level`` in the
  Xuất sắc codes, grouped by member) reads the index alone.
- party_commendation_five_years: the anti-join on five-year commendations already received.
"""

from django.db import migrations

INDEXES = {
    "party_member_badge_regular":
        "ON party_member (admitted_on) WHERE status = 'active' AND NOT has_gaps AND NOT seriously_ill",
    "party_member_badge_exact":
        "ON party_member (admitted_on) WHERE has_gaps OR seriously_ill OR status = 'deceased'",
    "party_rating_member_year_level":
        "ON party_rating (year, level, member_id) WHERE member_id IS NOT NULL",
    "party_commendation_five_years":
        "ON party_commendation (member_id, year) WHERE five_years",
}


class Migration(migrations.Migration):
    dependencies = [("party", "0001_initial")]

    operations = [
        migrations.RunSQL(f"CREATE INDEX {name} {definition}", f"DROP INDEX {name}")
        for name, definition in INDEXES.items()
    ]
