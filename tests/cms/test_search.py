"""Full-text search over guides, FAQ and démarche pages."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _titles(response) -> list[str]:
    return re.findall(
        r'<h2 class="fr-h5 fr-mb-1v"><a href="[^"]*">([^<]+)</a>', response.content.decode()
    )


def test_search_finds_the_page_by_the_exact_word_and_highlights_it(client, help_centre):
    response = client.get("/recherche/", {"q": "porte-documents"})
    assert response.status_code == 200
    titles = _titles(response)
    assert "Utiliser votre porte-documents" in titles
    assert "<mark>" in response.content.decode()


def test_an_faq_hit_links_to_the_answer_itself(client, help_centre):
    response = client.get("/recherche/", {"q": "formats"})
    body = response.content.decode()
    assert 'href="/faq/documents/#formats"' in body
    assert "<mark>formats</mark>" in body


def test_search_never_shows_drafts_and_skips_legal_pages(client, help_centre):
    from cms.models import GuideIndexPage, GuidePage

    index = GuideIndexPage.objects.get(locale__language_code="fr")
    index.add_child(
        instance=GuidePage(
            title="Guide zébulon", slug="zebulon", intro="zébulon", body=[], live=False
        )
    )
    assert _titles(client.get("/recherche/", {"q": "zébulon"})) == []
    assert "Mentions légales" not in _titles(client.get("/recherche/", {"q": "hébergement"}))


def test_an_empty_or_unknown_query_says_what_to_do(client, help_centre):
    assert client.get("/recherche/").status_code == 200
    body = client.get("/recherche/", {"q": "xylophone"}).content.decode()
    assert re.search(r"0 résultats? pour « xylophone »", body)
    assert "Essayez avec d'autres mots" in body


def test_highlighting_escapes_the_text():
    from cms.search import _roots, highlight

    excerpt, found = highlight(
        "<script>alert(1)</script> vos justificatifs", _roots("justificatif")
    )
    assert found
    assert "<script>" not in excerpt
    assert "<mark>justificatifs</mark>" in excerpt


@pytest.mark.services("postgres")
def test_on_postgresql_an_inflected_word_finds_the_guide(client, help_centre):
    # The guide says "justificatif" (singular) in its steps; French stemming matches plural.
    response = client.get("/recherche/", {"q": "activations"})
    assert "Créer et activer votre compte" in _titles(response)
    response = client.get("/recherche/", {"q": "justificatifs domicile"})
    assert "Aide départementale au chauffage" in _titles(response)
    assert "<mark>" in response.content.decode()


def test_on_sqlite_the_exact_word_finds_the_guide(client, help_centre, settings):
    response = client.get("/recherche/", {"q": "activation"})
    assert "Créer et activer votre compte" in _titles(response)
