"""Filing helpers shared by the test packages: the applicant's usual answers, uploads and
the steps of filing through the real views. Fixtures are in tests/support/fixtures.py."""

from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Case
from tests.support.files import pdf_bytes, png_bytes

PASSWORD = "Un-Mot-De-Passe-Solide-2026!"


def pdf_upload(name="avis.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def png_upload(name="carte.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


AID_ANSWERS = {
    "civilite": "Madame",
    "prenom": "Camille",
    "nom": "Martin",
    "date_naissance": "1985-04-12",
    "adresse__street": "12 rue des Lilas",
    "adresse__postcode": "75011",
    "adresse__city": "Paris",
    "telephone": "06 12 34 56 78",
    "situation": "En couple",
    "personnes_foyer": "3",
    "revenus": "18500",
    "chauffage": "Gaz",
    "iban": "FR76 3000 6000 0112 3456 7890 189",
}

ACTIVITY_ANSWERS = {
    "raison_sociale": "Boulangerie du Coin",
    "siret": "732 829 320 00074",
    "email": "contact@boulangerie.example",
    "activite": "Boulangerie, pâtisserie",
    "debut_activite": "2026-09-01",
    "salaries": "non",
}

MOVE_ANSWERS = {
    "ancienne_adresse__street": "1 rue Haute",
    "ancienne_adresse__postcode": "33000",
    "ancienne_adresse__city": "Bordeaux",
    "nouvelle_adresse__street": "2 rue Basse",
    "nouvelle_adresse__postcode": "33100",
    "nouvelle_adresse__city": "Bordeaux",
    "date_demenagement": "2026-10-01",
}


def start_draft(client, slug) -> Case:
    response = client.post(f"/demarches/{slug}/commencer/")
    assert response.status_code == 302, response
    return Case.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


def file_demande(client, slug, answers) -> Case:
    """Start, fill and submit a demande through the applicant's views."""
    case = start_draft(client, slug)
    client.post(f"/demandes/brouillon/{case.pk}/", answers)
    client.post(f"/demandes/brouillon/{case.pk}/verifier/", {"deposer": "1"})
    case.refresh_from_db()
    return case
