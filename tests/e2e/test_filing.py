"""A person files a demande in a real browser — two files uploaded with the progress bar, one
taken from the porte-documents — then follows it from another browser without an account."""

import time
from io import BytesIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import expect

from cases.models import Case
from identity.models import User
from identity.selectors import space_personal_for
from locker.services import document_upload
from tests.support.files import pdf_bytes, png_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _logged_in_context(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context


def _slow_uploads(route):
    """Hold multipart posts a moment so the progress bar can be seen and checked."""
    if "multipart/form-data" in (route.request.headers.get("content-type") or ""):
        time.sleep(0.8)
    route.continue_()


def test_file_with_two_files_then_track_without_account(browser, live_server, screenshot, tmp_path):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    user = User.objects.create_user(
        "lea.petit@example.fr", "x", first_name="Léa", last_name="Petit"
    )
    tax_notice = document_upload(
        space=space_personal_for(user=user),
        fileobj=BytesIO(pdf_bytes()),
        name="avis-impot-2025.pdf",
        title="Mon avis d'impôt 2025",
        kind="tax_notice",
    ).document
    recto, verso = tmp_path / "recto.png", tmp_path / "verso.png"
    recto.write_bytes(png_bytes((800, 500)))
    verso.write_bytes(png_bytes((800, 500), color=(200, 20, 20)))

    context = _logged_in_context(browser, live_server, user)
    page = context.new_page()
    page.goto("/demarches/aide-chauffage/commencer/")
    page.get_by_role("button", name="Commencer la démarche").click()
    page.get_by_label("Civilité").select_option("Madame")
    page.get_by_label("Date de naissance").fill("1990-05-17")
    page.get_by_label("Adresse du logement — Numéro et voie").fill("3 allée des Tilleuls")
    page.get_by_label("Adresse du logement — Code postal").fill("35000")
    page.get_by_label("Adresse du logement — Commune").fill("Rennes")
    page.get_by_label("Situation familiale").select_option("En couple")
    page.get_by_label("Nombre de personnes au foyer").fill("2")
    page.get_by_label("Revenu fiscal de référence (en euros)").fill("21000")
    page.get_by_label("Mode de chauffage").select_option("Bois")
    page.get_by_label("IBAN du compte qui recevra l'aide").fill("FR76 3000 6000 0112 3456 7890 189")
    page.locator("#file__piece_identite").set_input_files([str(recto), str(verso)])
    # The tax notice comes from the porte-documents, in one click (DSFR: click the label).
    page.locator(f"label[for=casier-avis_imposition-{tax_notice.pk}]").click()
    screenshot(page, "30-draft-filled")

    page.route("**/demandes/brouillon/**", _slow_uploads)
    page.get_by_role("button", name="Vérifier avant de déposer").click()
    progress = page.locator("progress.guichet-progress")
    progress.wait_for(state="visible")
    screenshot(page, "31-upload-progress")
    page.wait_for_url("**/verifier/")
    expect(page.get_by_text("recto.png")).to_be_visible()
    screenshot(page, "32-review")
    # The form page's autosave, due a few seconds after the last answer, must not file the
    # demande from the review page that replaced it: only the review's own button does.
    page.wait_for_timeout(4000)
    assert Case.objects.get(space=space_personal_for(user=user)).status == Case.Status.DRAFT
    page.get_by_role("button", name="Déposer ma demande").click()
    page.wait_for_url("**/deposee/")
    number = page.locator(".guichet-number").inner_text()
    screenshot(page, "33-submitted")
    case = Case.objects.get(number=number.replace("-", ""))
    assert sorted(case.files.values_list("name", flat=True)) == [
        "avis-impot-2025.pdf",
        "recto.png",
        "verso.png",
    ]
    context.close()

    stranger = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = stranger.new_page()
    page.goto("/suivre/")
    page.get_by_label("Adresse électronique").fill("lea.petit@example.fr")
    page.get_by_label("Numéro de la demande").fill(number.lower())
    screenshot(page, "34-track-form")
    page.get_by_role("button", name="Voir ma demande").click()
    page.wait_for_url(f"**/demandes/{case.number}/")
    expect(page.get_by_role("heading", name="Aide départementale au chauffage")).to_be_visible()
    page.get_by_role("tab", name="Historique").click()
    expect(page.get_by_role("tabpanel").get_by_text("Demande déposée")).to_be_visible()
    screenshot(page, "35-tracked")
    stranger.close()
