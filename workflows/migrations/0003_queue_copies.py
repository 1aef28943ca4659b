"""Fill the queues' kept copies for demandes filed before they existed (ADR 0404)."""

from django.db import migrations


def fill(apps, schema_editor):
    # The live functions, guarded: a new database has no demande and runs nothing.
    from cases import counts
    from cases.models import Case
    from workflows import queue

    if Case.objects.exists():
        counts.rebuild()
        queue.rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_queue_columns_and_status_counts"),
        ("workflows", "0002_export_data_key_export_encrypted"),
        ("viewflow", "0015_task_scheduled"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
