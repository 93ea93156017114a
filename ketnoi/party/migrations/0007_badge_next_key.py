"""The highest badge each member holds and lib.badges.next_badge_key, so badge eligibility reads
one range of an index instead of comparing every member with the badges held (bench/party.py).
The index comes in 0008: PostgreSQL builds no index on a table this transaction updated (its
foreign-key checks are still pending)."""

from django.db import migrations, models
from django.db.models import Case, Exists, F, OuterRef, Subquery, When

from ketnoi.lib import badges


def reckon(apps, schema_editor):
    Member = apps.get_model("party", "Member")
    BadgeAward = apps.get_model("party", "BadgeAward")
    highest = BadgeAward.objects.filter(member_id=OuterRef("pk")).order_by("-threshold").values("threshold")[:1]
    Member.objects.filter(Exists(highest)).update(badge_held=Subquery(highest))
    Member.objects.update(next_badge_key=Case(
        *(When(badge_held__lt=threshold, then=F("badge_key") + 32 * 12 * threshold) for threshold in badges.THRESHOLDS),
        default=None, output_field=models.IntegerField()))


class Migration(migrations.Migration):

    dependencies = [
        ("party", "0006_rating_excellent_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="member",
            name="badge_held",
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="member",
            name="next_badge_key",
            field=models.IntegerField(editable=False, null=True),
        ),
        migrations.RunPython(reckon, migrations.RunPython.noop, elidable=True),
    ]
