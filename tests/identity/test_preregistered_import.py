"""Importing pre-registered people (ADR 0311): by the management command and in the Django
admin; every error with its line number; the same file twice updates, never duplicates."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from identity.models import PreregisteredPerson, User
from tests.identity.helpers import text
from tests.support.client import force_app_login

pytestmark = pytest.mark.django_db

GOOD = (
    "reference,date_naissance,sexe,fait,courriel\n"
    "12345678,1980-05-14,F,Centre de Lyon,louise@example.fr\n"
    "23456789,02/11/1975,m,Marseille,\n"
)
BAD = (
    "reference,date_naissance,sexe,fait\n"
    "12345678,1980-05-14,F,Lyon\n"
    "1234567,1980-05-14,F,Lyon\n"  # line 3: 7 digits
    "34567890,1980-13-40,X,\n"  # line 4: date, sex and fact
    "12345678,1981-01-01,M,Nantes\n"  # line 5: reference already on line 2
)


def _command(path) -> str:
    out = StringIO()
    call_command("import_preregistered", str(path), stdout=out)
    return out.getvalue()


def test_the_command_imports_then_the_same_file_again_changes_nothing(tmp_path):
    source = tmp_path / "cohorte.csv"
    source.write_text(GOOD, encoding="utf-8")
    # (Counts of 0 are not compared: their French plural comes with the catalogue.)
    assert "Import terminé : 2 personnes ajoutées, " in _command(source)
    louise = PreregisteredPerson.objects.get(reference="12345678")
    assert louise.birth_date == date(1980, 5, 14)
    assert louise.sex == "F"
    assert louise.extra_fact == "Centre de Lyon"
    assert louise.email == "louise@example.fr"
    assert PreregisteredPerson.objects.get(reference="23456789").birth_date == date(1975, 11, 2)

    assert ", 2 inchangées." in _command(source)
    assert PreregisteredPerson.objects.count() == 2

    source.write_text(GOOD.replace("Centre de Lyon", "Centre de Lyon-Sud"), encoding="utf-8")
    assert ", 1 mise à jour, 1 inchangée." in _command(source)
    assert PreregisteredPerson.objects.get(reference="12345678").extra_fact == "Centre de Lyon-Sud"
    assert PreregisteredPerson.objects.count() == 2


def test_the_command_lists_every_error_by_line_and_imports_nothing(tmp_path):
    source = tmp_path / "erreurs.csv"
    source.write_text(BAD, encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="5 error"):
        call_command("import_preregistered", str(source), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines == [
        "Ligne 3 : le numéro de référence doit avoir 8 chiffres",
        "Ligne 4 : la date de naissance « 1980-13-40 » n'est pas au format AAAA-MM-JJ ou "
        "JJ/MM/AAAA",
        "Ligne 4 : le sexe doit être F ou M",
        "Ligne 4 : le fait complémentaire est vide",
        "Ligne 5 : le numéro 12345678 figure déjà ligne 2",
    ]
    assert not PreregisteredPerson.objects.exists()


def test_a_file_without_a_required_column_or_not_in_utf8_is_refused(tmp_path):
    source = tmp_path / "colonnes.csv"
    source.write_text("reference;sexe\n12345678;F\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_preregistered", str(source), stderr=err)
    assert "Ligne 1 : colonnes manquantes : date_naissance, fait" in err.getvalue()

    source.write_bytes(
        "reference;date_naissance;sexe;fait\n12345678;1980-05-14;F;Orléans\n".encode("latin-1")
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_preregistered", str(source), stderr=err)
    assert "n'est pas en UTF-8" in err.getvalue()
    assert not PreregisteredPerson.objects.exists()


def test_a_dry_run_checks_without_importing(tmp_path):
    source = tmp_path / "cohorte.csv"
    source.write_text(GOOD, encoding="utf-8")
    out = StringIO()
    call_command("import_preregistered", str(source), "--dry-run", stdout=out)
    assert "2 row(s) checked" in out.getvalue()
    assert not PreregisteredPerson.objects.exists()


@pytest.fixture
def admin_client():
    client = Client()
    force_app_login(client, User.objects.create_superuser("admin@example.fr", "x"))
    return client


def _upload(client, content: bytes):
    """The file's text pasted in the admin's form (no file upload outside the intake)."""
    return client.post(
        reverse("admin:identity_preregisteredperson_import"),
        {"content": content.decode("utf-8")},
    )


def test_the_admin_imports_a_csv_and_importing_it_again_updates(admin_client):
    changelist = reverse("admin:identity_preregisteredperson_changelist")
    page = text(admin_client.get(changelist))
    assert "Importer un fichier CSV" in page
    assert reverse("admin:identity_preregisteredperson_import") in page

    # Semicolons, a BOM and French dates, as a spreadsheet saves them.
    content = ("\ufeff" + GOOD.replace(",", ";")).encode("utf-8")
    response = _upload(admin_client, content)
    assert response.status_code == 302
    assert response["Location"] == changelist
    assert "2 personnes ajoutées" in text(admin_client.get(changelist))
    assert PreregisteredPerson.objects.count() == 2

    response = _upload(admin_client, content.replace(b"Marseille", b"Toulon"))
    assert "1 mise à jour, 1 inchangée" in text(admin_client.get(response["Location"]))
    assert PreregisteredPerson.objects.count() == 2
    assert PreregisteredPerson.objects.get(reference="23456789").extra_fact == "Toulon"


def test_the_admin_shows_every_error_with_its_line_and_imports_nothing(admin_client):
    response = _upload(admin_client, BAD.encode("utf-8"))
    assert response.status_code == 200
    page = text(response)
    assert "Le fichier n'est pas importé : 5 erreurs." in page
    assert "Ligne 3 : le numéro de référence doit avoir 8 chiffres" in page
    assert "Ligne 4 : le sexe doit être F ou M" in page
    assert "Ligne 5 : le numéro 12345678 figure déjà ligne 2" in page
    assert not PreregisteredPerson.objects.exists()


def test_only_administrators_allowed_to_add_people_can_import(client):
    staff = User.objects.create_user("agent@example.fr", "x", is_staff=True)
    force_app_login(client, staff)
    response = _upload(client, GOOD.encode("utf-8"))
    assert response.status_code == 403
    assert not PreregisteredPerson.objects.exists()
