import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """``Message`` becomes ``CaseMessage``, reached as ``case.thread``: apart from Django's
    flash ``messages`` in templates. The table is renamed, no row changes."""

    dependencies = [
        ("cases", "0006_case_data_key_casefile_encrypted"),
    ]

    operations = [
        migrations.RenameModel(old_name="Message", new_name="CaseMessage"),
        migrations.AlterField(
            model_name="casemessage",
            name="case",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="thread",
                to="cases.case",
            ),
        ),
    ]
