"""The index of badge eligibility's main query on ``next_badge_key`` (0007), in place of
``badge_key``'s."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("party", "0007_badge_next_key"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="member",
            name="member_badge_key",
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(condition=models.Q(("next_badge_key__isnull", False), ("seriously_ill", False),
                                                  ("status", "active")),
                               fields=["next_badge_key"], name="member_next_badge_key"),
        ),
    ]
