"""The porte-documents in a real browser: upload with progress, rename, expiry, delete."""

import pytest
from django.urls import reverse

from identity.models import User
from locker.models import Document
from tests.locker import corpus

# A transactional test flushes the database when it ends, Wagtail's root page included:
# this file is named to run after test_smoke.py, which needs that page.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _login(page, live_server, client, user):
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def test_locker_in_a_browser(page, live_server, client, screenshot, tmp_path):
    user = User.objects.create_user("marie@example.fr", "Mot-de-passe-solide-2026")
    _login(page, live_server, client, user)
    scan = tmp_path / "avis-impot.pdf"
    scan.write_bytes(corpus.pdf_of_size(3 * 1024 * 1024))
    locked = tmp_path / "protege.pdf"
    locked.write_bytes(corpus.pdf_encrypted(user="1234"))

    page.goto(reverse("locker:list"))
    assert "0\u00a0o utilisés sur 235\u00a0Mo" in page.locator("#espace-utilise").inner_text()
    page.get_by_role("link", name="Ajouter des documents").click()
    page.get_by_label("Fichiers").set_input_files([str(scan), str(locked)])
    page.get_by_label("Type de document").select_option("tax_notice")
    page.evaluate(
        """() => {
          window.seenProgress = [];
          const bar = document.getElementById("progression-barre");
          new MutationObserver(() => window.seenProgress.push(bar.value))
            .observe(bar, {attributes: true});
        }"""
    )
    page.get_by_role("button", name="Ajouter").click()

    alert = page.locator("#refus")
    alert.wait_for()
    assert "protégé par un mot de passe" in alert.inner_text()
    seen = page.evaluate("window.seenProgress")  # same page: the upload went through XHR
    assert seen[-1] == 100
    assert seen == sorted(seen)
    assert page.get_by_label("Type de document").input_value() == "tax_notice"
    screenshot(page, "locker-01-upload-refusal")

    page.goto(reverse("locker:list"))
    assert "avis-impot" in page.content()
    assert "3\u00a0Mo utilisés sur 235\u00a0Mo" in page.locator("#espace-utilise").inner_text()
    screenshot(page, "locker-02-list")

    page.get_by_role("link", name="Modifier avis-impot").click()
    page.get_by_label("Nom du document").fill("Avis d'impôt 2025")
    page.get_by_label("Date d'expiration").fill("2030-06-30")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(f"**{reverse('locker:list')}")
    assert "Valable jusqu'au 30 juin 2030" in page.content()
    screenshot(page, "locker-03-renamed")

    page.get_by_role("link", name="Supprimer Avis d'impôt 2025").click()
    screenshot(page, "locker-04-confirm-delete")
    page.get_by_role("button", name="Oui, supprimer").click()
    page.wait_for_url(f"**{reverse('locker:list')}")
    assert "Votre porte-documents est vide" in page.content()
    assert not Document.objects.exists()
