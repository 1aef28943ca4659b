"""The index behind the API's list of demandes (ADR 0500): one démarche's demandes by
(updated_at, id), the cursor pagination's ordering. The API owns the query, so it owns the
index; it is raw SQL with no model state (the Case model belongs to ``cases``)."""

from django.db import migrations

NAME = "api_case_procedure_updated_idx"


class Migration(migrations.Migration):
    dependencies = [("api", "0001_initial"), ("cases", "0013_procedure_administrators")]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {NAME} ON cases_case (procedure_id, updated_at, id)",
            reverse_sql=f"DROP INDEX IF EXISTS {NAME}",
        )
    ]
