"""Routing by answer (ADR 0023): each demande carries its instructing service.

Existing filed demandes are all instructed by their démarche's service: one set-based
UPDATE copies it (drafts stay NULL until their submission routes them); the counters are
keyed by service the same way. The indexes are built after the backfill. On a large
database the UPDATE rewrites every filed row and the index builds lock writes on
``cases_case``: run it in a maintenance window (ADR 0023).
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Procedure = apps.get_model("cases", "Procedure")
    StatusCount = apps.get_model("cases", "StatusCount")
    service_of_procedure = Subquery(
        Procedure.objects.filter(pk=OuterRef("procedure_id")).values("service_id")[:1]
    )
    # One UPDATE ... SET service_id = (SELECT ...) each: no row goes through Python.
    Case.objects.exclude(status="draft").filter(service__isnull=True).update(
        service_id=service_of_procedure
    )
    StatusCount.objects.filter(service__isnull=True).update(service_id=service_of_procedure)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0016_procedure_filed_by"),
    ]

    operations = [
        migrations.CreateModel(
            name="RoutingRule",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("position", models.PositiveIntegerField(default=0)),
                ("field_name", models.CharField(max_length=50, verbose_name="question")),
                ("value", models.CharField(max_length=200, verbose_name="réponse")),
                (
                    "procedure",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="routing_rules",
                        to="cases.procedure",
                    ),
                ),
                (
                    "service",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="routing_rules",
                        to="cases.service",
                        verbose_name="service",
                    ),
                ),
            ],
            options={
                "verbose_name": "règle d'orientation",
                "verbose_name_plural": "règles d'orientation",
                "ordering": ["position", "id"],
            },
        ),
        migrations.AddField(
            model_name="case",
            name="service",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cases",
                to="cases.service",
            ),
        ),
        migrations.AddField(
            model_name="statuscount",
            name="service",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="cases.service",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="statuscount",
            name="service",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="cases.service",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="statuscount",
            name="cases_status_count_unique",
        ),
        migrations.AddConstraint(
            model_name="statuscount",
            constraint=models.UniqueConstraint(
                fields=("procedure", "service", "status"), name="cases_status_count_unique"
            ),
        ),
        migrations.RemoveIndex(
            model_name="case",
            name="cases_queue_new_idx",
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["service", "-submitted_at", "-id"], name="cases_service_recent_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("next_task_status", "NEW")),
                fields=["service", "-submitted_at", "-id"],
                name="cases_queue_new_service_idx",
            ),
        ),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.CheckConstraint(
                condition=models.Q(("status", "draft"), ("service__isnull", False), _connector="OR"),
                name="cases_filed_has_service",
            ),
        ),
    ]
