"""Terms and charters as versioned texts kept in the database (ADR 0310), and
pre-registered people with their pending activations (ADR 0311).

Existing terms versions keep their rows and acceptances: each becomes a CGU version whose
body is a first plain-language text (the installation had none), or, when its address
pointed elsewhere, a paragraph giving that address. The address field goes.
"""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

FIRST_TEXT = """## Objet
Ces conditions générales d'utilisation (CGU) disent comment utiliser ce portail : déposer et suivre des démarches, échanger avec les services qui les instruisent, garder des documents dans le porte-documents.

## Votre compte
- Les informations que vous donnez doivent être exactes.
- Gardez votre mot de passe et vos codes de connexion pour vous : ne les donnez à personne, pas même à un agent du service.
- Si vous pensez que quelqu'un d'autre utilise votre compte, changez votre mot de passe et prévenez le service.

## Vos démarches
Une demande déposée est transmise au service qui l'instruit. Ce service la conserve pendant la durée prévue pour ses archives, même si vous supprimez votre compte.

## Vos données personnelles
Vos données servent à traiter vos démarches et à vous tenir informé de leur suivi. Vous pouvez les consulter et les corriger dans « Mes informations », et supprimer votre compte à tout moment.

## Évolution de ces conditions
Ces conditions peuvent changer. Chaque nouvelle version est publiée sur cette page avec sa date ; vous l'acceptez à votre connexion suivante."""


def fill_bodies(apps, schema_editor):
    TermsVersion = apps.get_model("identity", "TermsVersion")
    for terms in TermsVersion.objects.filter(body=""):
        if terms.url and terms.url != "/cgu/":
            terms.body = f"Le texte de cette version est publié à l'adresse suivante : {terms.url}"
        else:
            terms.body = FIRST_TEXT
        terms.save(update_fields=["body"])


class Migration(migrations.Migration):

    dependencies = [
        ('identity', '0003_default_terms_version'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='termsversion',
            options={'ordering': ['-published_at'], 'verbose_name': "version des CGU ou d'une charte", 'verbose_name_plural': 'CGU et chartes'},
        ),
        migrations.AddField(
            model_name='termsversion',
            name='body',
            field=models.TextField(default='', help_text='Texte brut : une ligne vide sépare les paragraphes ; une ligne qui commence par « ## » est un intertitre ; une ligne qui commence par « - » est un élément de liste ; les adresses web deviennent des liens. Le HTML est affiché tel quel, jamais interprété.', verbose_name='texte'),
        ),
        migrations.AddField(
            model_name='termsversion',
            name='kind',
            field=models.CharField(choices=[('cgu', "Conditions générales d'utilisation"), ('charter', 'Charte')], default='cgu', max_length=10, verbose_name='document'),
        ),
        migrations.AddField(
            model_name='termsversion',
            name='space_kind',
            field=models.CharField(blank=True, choices=[('personal', 'Espace personnel'), ('organisation', "Espace d'organisation")], max_length=20, verbose_name="type d'espace"),
        ),
        migrations.AddField(
            model_name='termsversion',
            name='summary',
            field=models.TextField(blank=True, help_text='Quelques lignes montrées à la connexion, avant le texte.', verbose_name='ce qui change'),
        ),
        migrations.RunPython(fill_bodies, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='termsversion',
            name='url',
        ),
        migrations.AlterField(
            model_name='termsversion',
            name='body',
            field=models.TextField(help_text='Texte brut : une ligne vide sépare les paragraphes ; une ligne qui commence par « ## » est un intertitre ; une ligne qui commence par « - » est un élément de liste ; les adresses web deviennent des liens. Le HTML est affiché tel quel, jamais interprété.', verbose_name='texte'),
        ),
        migrations.AlterField(
            model_name='termsversion',
            name='published_at',
            field=models.DateTimeField(default=django.utils.timezone.now, help_text="Dès cette date, la version est en vigueur : chacun l'accepte à sa prochaine connexion. Une version publiée ne peut plus être modifiée.", verbose_name='publiée le'),
        ),
        migrations.AlterField(
            model_name='termsversion',
            name='version',
            field=models.CharField(max_length=20, validators=[django.core.validators.RegexValidator('^[0-9A-Za-z][0-9A-Za-z._-]{0,19}$', 'Lettres, chiffres, points, tirets : par exemple 2.1 ou 2026-03.')], verbose_name='version'),
        ),
        migrations.AddConstraint(
            model_name='termsversion',
            constraint=models.UniqueConstraint(fields=('kind', 'space_kind', 'version'), name='identity_terms_version_unique'),
        ),
        migrations.AddConstraint(
            model_name='termsversion',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'cgu'), ('space_kind', '')), models.Q(('kind', 'charter'), models.Q(('space_kind', ''), _negated=True)), _connector='OR'), name='identity_terms_charter_has_space_kind'),
        ),
        migrations.CreateModel(
            name='PreregisteredPerson',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reference', models.CharField(max_length=8, unique=True, validators=[django.core.validators.RegexValidator('^\\d{8}$', 'Le numéro de référence a 8 chiffres.')], verbose_name='numéro de référence')),
                ('birth_date', models.DateField(verbose_name='date de naissance')),
                ('sex', models.CharField(choices=[('F', 'Féminin'), ('M', 'Masculin')], max_length=1, verbose_name='sexe')),
                ('extra_fact', models.CharField(max_length=200, verbose_name='fait complémentaire')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='adresse électronique connue du service')),
                ('activated_at', models.DateTimeField(blank=True, null=True, verbose_name='activé le')),
                ('imported_at', models.DateTimeField(verbose_name='importé ou mis à jour le')),
            ],
            options={
                'verbose_name': 'personne pré-inscrite',
                'verbose_name_plural': 'personnes pré-inscrites',
                'ordering': ['reference'],
            },
        ),
        migrations.AddField(
            model_name='preregisteredperson',
            name='user',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='preregistration', to=settings.AUTH_USER_MODEL, verbose_name='compte'),
        ),
        migrations.CreateModel(
            name='PreregisteredActivation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('email', models.EmailField(max_length=254, verbose_name='adresse électronique')),
                ('password_hash', models.CharField(max_length=256)),
                ('token_hash', models.CharField(max_length=64, unique=True)),
                ('created_at', models.DateTimeField()),
                ('expires_at', models.DateTimeField()),
            ],
            options={
                'verbose_name': 'activation en attente',
                'verbose_name_plural': 'activations en attente',
            },
        ),
        migrations.AddField(
            model_name='preregisteredactivation',
            name='person',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='activations', to='identity.preregisteredperson'),
        ),
    ]
