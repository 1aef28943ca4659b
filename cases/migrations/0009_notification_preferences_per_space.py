"""Notification preferences become per space (ADR 0308): existing choices are the
personal space's."""

import django.db.models.deletion
from django.db import migrations, models


def to_personal_space(apps, schema_editor):
    NotificationPreference = apps.get_model("cases", "NotificationPreference")
    Membership = apps.get_model("identity", "Membership")
    personal = dict(
        Membership.objects.filter(space__kind="personal").values_list("user_id", "space_id")
    )
    for preference in NotificationPreference.objects.filter(space__isnull=True):
        space_id = personal.get(preference.user_id)
        if space_id is None:
            preference.delete()
        else:
            preference.space_id = space_id
            preference.save(update_fields=["space"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_queue_columns_and_status_counts"),
        ("identity", "0005_organisations_and_cards"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="notificationpreference", name="cases_notification_pref_unique"
        ),
        migrations.AddField(
            model_name="notificationpreference",
            name="space",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="identity.space",
                verbose_name="espace",
            ),
        ),
        migrations.RunPython(to_personal_space, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="notificationpreference",
            name="space",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="identity.space",
                verbose_name="espace",
            ),
        ),
        migrations.AddConstraint(
            model_name="notificationpreference",
            constraint=models.UniqueConstraint(
                fields=("user", "space", "event"), name="cases_notification_pref_space_unique"
            ),
        ),
    ]
