"""The badge delay and key of every member (lib.badges.badge_delay_months, badge_key), and the
indexes of badge eligibility's two queries on them (bench/party.py)."""

from django.db import migrations, models
from django.db.models import Exists, F, OuterRef
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear

from ketnoi.lib import badges, party_age

DAY_KEY = (ExtractYear("admitted_on") * 12 + ExtractMonth("admitted_on")) * 32 + ExtractDay("admitted_on")


def reckon(apps, schema_editor):
    Member = apps.get_model("party", "Member")
    Gap = apps.get_model("party", "Gap")
    gaps: dict[int, list] = {}
    for gap in Gap.objects.order_by("member_id", "start").iterator(chunk_size=2000):
        gaps.setdefault(gap.member_id, []).append(
            party_age.Gap(gap.start, gap.end, party_age.GapReason(gap.reason), rehabilitated=gap.rehabilitated))
    changed = []
    for member in Member.objects.filter(pk__in=list(gaps)).only("pk", "admitted_on").iterator(chunk_size=2000):
        try:
            member.badge_delay_months = badges.badge_delay_months(member.admitted_on, gaps[member.pk])
        except ValueError:  # a period before the admission: reckoned one by one
            member.badge_delay_months = None
        changed.append(member)
    Member.objects.bulk_update(changed, ["badge_delay_months"], batch_size=2000)
    has_gap = Exists(Gap.objects.filter(member_id=OuterRef("pk")))
    Member.objects.filter(~has_gap).update(badge_delay_months=0)
    Member.objects.filter(badge_delay_months__isnull=False).update(badge_key=DAY_KEY + 32 * F("badge_delay_months"))


class Migration(migrations.Migration):

    dependencies = [
        ("party", "0003_labels"),
    ]

    operations = [
        migrations.AddField(
            model_name="member",
            name="badge_delay_months",
            field=models.PositiveSmallIntegerField(default=0, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="member",
            name="badge_key",
            field=models.IntegerField(editable=False, null=True),
        ),
        migrations.RunPython(reckon, migrations.RunPython.noop),
        # 0002's indexes for the members without gaps and the others (gone already on SQLite,
        # where adding a column with a default rebuilds the table): replaced by the model's.
        *(migrations.RunSQL(f"DROP INDEX IF EXISTS {name}", migrations.RunSQL.noop)
          for name in ("party_member_badge_regular", "party_member_badge_exact")),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(condition=models.Q(("badge_key__isnull", False), ("seriously_ill", False),
                                                  ("status", "active")),
                               fields=["badge_key"], name="member_badge_key"),
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(condition=models.Q(("badge_key__isnull", True), ("seriously_ill", True),
                                                  ("status", "deceased"), _connector="OR"),
                               fields=["admitted_on"], name="member_badge_one_by_one"),
        ),
    ]
