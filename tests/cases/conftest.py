import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Case, Procedure
from identity.models import User
from tests.support.client import CommitClient
from tests.support.files import pdf_bytes, png_bytes

PASSWORD = "Un-Mot-De-Passe-Solide-2026!"


@pytest.fixture
def demo_procedures(db):
    """The demo accounts and démarches, without the demo demandes (tests file their own)."""
    from io import StringIO

    from cases import demo as cases_demo
    from identity import demo as identity_demo

    out = StringIO()
    identity_demo.seed(out)
    cases_demo.seed(out)
    return {p.slug: p for p in Procedure.objects.all()}


@pytest.fixture
def client():
    return CommitClient()


@pytest.fixture
def applicant(db):
    return User.objects.create_user(
        "camille.martin@example.fr", PASSWORD, first_name="Camille", last_name="Martin"
    )


@pytest.fixture
def applicant_client(client, applicant):
    client.force_login(applicant)
    return client


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


def start_draft(client, slug) -> Case:
    response = client.post(f"/demarches/{slug}/commencer/")
    assert response.status_code == 302, response
    return Case.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


MOVE_ANSWERS = {
    "ancienne_adresse__street": "1 rue Haute",
    "ancienne_adresse__postcode": "33000",
    "ancienne_adresse__city": "Bordeaux",
    "nouvelle_adresse__street": "2 rue Basse",
    "nouvelle_adresse__postcode": "33100",
    "nouvelle_adresse__city": "Bordeaux",
    "date_demenagement": "2026-10-01",
}


def file_demande(client, slug, answers) -> Case:
    """Start, fill and submit a demande through the applicant's views."""
    case = start_draft(client, slug)
    client.post(f"/demandes/brouillon/{case.pk}/", answers)
    client.post(f"/demandes/brouillon/{case.pk}/verifier/")
    case.refresh_from_db()
    return case


@pytest.fixture
def server_image():
    """An image file of the server, at a short path, that PDF markup could pull in."""
    import tempfile

    from tests.support.files import png_bytes

    with tempfile.NamedTemporaryFile(prefix="g", suffix=".png", dir="/tmp") as handle:
        handle.write(png_bytes())
        handle.flush()
        yield handle.name
