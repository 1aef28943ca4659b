"""A first terms version, so that signup works on a fresh installation."""

from django.db import migrations


def create_first_version(apps, schema_editor):
    TermsVersion = apps.get_model("identity", "TermsVersion")
    if not TermsVersion.objects.exists():
        TermsVersion.objects.create(version="1.0", url="/cgu/")


class Migration(migrations.Migration):
    dependencies = [("identity", "0002_accounts_and_second_factor")]

    operations = [migrations.RunPython(create_first_version, migrations.RunPython.noop)]
