"""Every page type renders its demo content for the public."""

import pytest

pytestmark = pytest.mark.django_db


# Path and texts each page type must show (one seed for all: seeding costs seconds).
PAGES = [
    (
        "/",
        [
            "Vos démarches en ligne",
            "Suivre une demande",
            "Se connecter",
            "Aide départementale au chauffage",
            "Derniers guides",
            "Besoin d'aide ?",
        ],
    ),
    ("/guides/", ["Guides pas à pas", "Créer et activer votre compte"]),
    (
        "/guides/creer-un-compte/",
        [
            "Étape 1",
            "Étape 5",
            "Activez votre compte",
            "Conseil",
            "Attention",
            "Guides liés",
            "Vous connecter avec le code à 6 chiffres",
        ],
    ),
    (
        "/faq/",
        [
            "Questions fréquentes",
            "Votre compte",
            "Documents et justificatifs",
            'class="fr-accordion__btn"',
        ],
    ),
    (
        "/faq/documents/",
        [
            "Quels formats de fichier sont acceptés ?",
            'id="formats"',
            'aria-controls="formats-reponse"',
        ],
    ),
    ("/demarches/", ["Signaler un changement d&#x27;adresse"]),
    (
        "/demarches/aide-chauffage/",
        [
            "Qui peut faire la demande ?",
            "Les documents à préparer",
            "Les délais",
            "aides@guichet.test",
        ],
    ),
    ("/mentions-legales/", ["Mentions légales", "Hébergement"]),
    ("/donnees-personnelles/", ["Vos droits", "dpo@guichet.test"]),
    ("/accessibilite/", ["Déclaration d&#x27;accessibilité", "Défenseur des droits"]),
    ("/aide/", ["Vous rencontrez une difficulté ?", "support@guichet.test"]),
]


def test_every_page_type_renders_with_demo_content(client, help_centre, settings):
    missing = []
    for path, expected in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        missing += [(path, text) for text in expected if text not in body]
        canonical = settings.GUICHET_SITE_URL.rstrip("/") + path
        if f'<link rel="canonical" href="{canonical}">' not in body:
            missing.append((path, "canonical link"))
    assert missing == []


def test_the_footer_links_reach_the_legal_pages(client, help_centre):
    body = client.get("/").content.decode()
    for path in ("/mentions-legales/", "/donnees-personnelles/", "/accessibilite/", "/aide/"):
        assert f'href="{path}"' in body
        assert client.get(path).status_code == 200


def test_the_header_has_a_search_box_on_every_page(client, help_centre):
    body = client.get("/guides/").content.decode()
    assert 'action="/recherche/"' in body
    assert '<label class="fr-label" for="recherche-entete">' in body


def test_the_faq_has_about_twenty_questions_each_with_its_own_anchor(help_centre):
    from cms.models import FaqPage

    anchors = [
        a for theme in FaqPage.objects.filter(locale__language_code="fr") for a, _ in theme.items()
    ]
    assert len(anchors) >= 20
    assert len(set(anchors)) == len(anchors)


def test_demo_seed_is_idempotent(help_centre):
    from io import StringIO

    from wagtail.models import Page

    from cms import demo

    before = Page.objects.count()
    demo.seed(StringIO())
    assert Page.objects.count() == before


def test_a_guide_image_needs_a_text_alternative_and_renders_responsive_and_lazy(
    client, help_centre
):
    from django.core.exceptions import ValidationError

    from cms.blocks import IllustrationBlock
    from cms.models import GuidePage
    from tests.cms.images import make_image

    image = make_image()
    with pytest.raises(ValidationError):
        IllustrationBlock().clean({"image": image, "alt": " ", "caption": ""})

    guide = GuidePage.objects.get(slug="porte-documents", locale__language_code="fr")
    guide.body.insert(
        0,
        (
            "step",
            {
                "title": "Ouvrez votre porte-documents",
                "text": "<p>Le menu est en haut à droite.</p>",
                "illustration": {
                    "image": image,
                    "alt": "Le menu ouvert sur Porte-documents",
                    "caption": "",
                },
            },
        ),
    )
    guide.save_revision().publish()
    body = client.get("/guides/porte-documents/").content.decode()
    assert 'alt="Le menu ouvert sur Porte-documents"' in body
    assert 'loading="lazy"' in body
    assert "srcset=" in body
    assert "800w" in body


def test_a_guide_renders_in_a_bounded_number_of_queries(
    client, help_centre, django_assert_max_num_queries
):
    client.get("/guides/creer-un-compte/")  # warm the site root cache
    with django_assert_max_num_queries(20):
        assert client.get("/guides/creer-un-compte/").status_code == 200
