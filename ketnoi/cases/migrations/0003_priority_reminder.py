"""A priority (AEO) case has 8 working hours in all: remind 2 working hours before, not 8
(which would remind as soon as it is filed)."""

from django.db import migrations


def shorten(apps, schema_editor):
    apps.get_model("cases", "SlaPolicy").objects.filter(
        topic__isnull=True, level="unit", priority=True, reminder_work_hours=8).update(reminder_work_hours=2)


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_topics_and_deadlines")]
    operations = [migrations.RunPython(shorten, migrations.RunPython.noop)]
