from django.db import migrations, models
from django.db.models import F


def mark_past_events_notified(apps, schema_editor):
    """Events written before this field existed were already handled by the old rule."""
    apps.get_model("cases", "CaseEvent").objects.update(notified_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_procedure_decision_letter"),
    ]

    operations = [
        migrations.AddField(
            model_name="caseevent",
            name="notified_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(mark_past_events_notified, migrations.RunPython.noop),
    ]
