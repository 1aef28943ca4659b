"""Demo content for the help centre, editor roles and moderation (idempotent).

Pages are created live without revisions to keep seeding fast; Wagtail creates the first
revision when an editor saves a page.
"""

from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Collection, Locale, Page, Site

from cms.models import (
    DemarcheIndexPage,
    DemarchePage,
    FaqIndexPage,
    FaqPage,
    GuideIndexPage,
    GuidePage,
    HelpLink,
    HomePage,
    StandardPage,
)

from . import english as english_pages
from . import faq, guides, pages
from .roles import seed_roles

# Mirrors identity.demo.DEMO_PASSWORD (cms may not import identity; a test checks they match).
DEMO_PASSWORD = "Demo-Guichet-2026!"  # noqa: S105 - printed demo credential, local only
MODERATOR_EMAIL = "moderateur@guichet.test"

HOME_INTRO = (
    "<p>Déposez une demande, suivez-la et échangez avec le service qui l'instruit. "
    "Gardez vos justificatifs dans votre porte-documents.</p>"
)

# Portal screens (URL names, as in identity/cases/locker urls.py) and the guide that helps
# there; editable in the admin. tests/cms/test_help_links.py checks that each name exists.
HELP_LINKS = {
    "account_signup": "creer-un-compte",
    "account_login": "se-connecter",
    "identity:second_factor": "se-connecter",
    "account_reset_password": "mot-de-passe-oublie",
    "identity:security": "application-ou-carte-otp",
    "identity:totp_enrol": "application-ou-carte-otp",
    "cases:procedure_start": "deposer-une-demande",
    "cases:draft_edit": "deposer-une-demande",
    "cases:track": "suivre-une-demande-sans-compte",
    "cases:case_detail": "repondre-et-envoyer-des-documents",
    "locker:list": "porte-documents",
    "locker:upload": "porte-documents",
}

ENGLISH_HOME = {
    "title": "Your online procedures",
    "intro": "<p>File a request, follow it and talk with the service handling it. Keep "
    "your supporting documents in your document locker.</p>",
}


def _add(parent, model, slug: str, **fields):
    """The child page ``slug`` of ``parent``, created live when missing."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific, False
    now = timezone.now()
    page = model(slug=slug, live=True, first_published_at=now, last_published_at=now, **fields)
    parent.add_child(instance=page)
    return page, True


def _tree_roots() -> Locale:
    """Wagtail's own rows (default locale, root page, root collection), which its
    migrations create; a flushed database (transactional tests) has lost them."""
    locale = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)[0]
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    return locale


def _home() -> HomePage:
    locale = _tree_roots()
    home = HomePage.objects.filter(locale=locale).first()
    if home is None:
        home, _created = _add(
            Page.get_first_root_node(),
            HomePage,
            "accueil",
            title="Vos démarches en ligne",
            intro=HOME_INTRO,
            locale=locale,
        )
    return home


def _site(home: HomePage) -> None:
    url = urlsplit(settings.GUICHET_SITE_URL)
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    # Canonical URLs and the sitemap use the site's address: the portal's public one.
    site.hostname = url.hostname or "localhost"
    site.port = url.port or (443 if url.scheme == "https" else 80)
    site.root_page = home
    site.site_name = settings.GUICHET_OPERATOR_NAME
    site.save()
    # Wagtail's first migration creates a placeholder "Welcome" page; it is not ours.
    Page.objects.filter(depth=2, content_type__model="page").exclude(pk=home.pk).delete()


def _guides(home) -> None:
    index, _ = _add(home, GuideIndexPage, guides.GUIDE_INDEX["slug"], **_fields(guides.GUIDE_INDEX))
    created = []
    for slug, title, intro, body, related in guides.GUIDES:
        page, new = _add(index, GuidePage, slug, title=title, intro=intro, body=body)
        if new:
            created.append((page, related))
    by_slug = {page.slug: page for page in GuidePage.objects.child_of(index)}
    for page, related in created:
        page.body.append(
            ("related", {"title": "Guides liés", "guides": [by_slug[s] for s in related]})
        )
        page.save(update_fields=["body"])


def _faq(home) -> None:
    index, _ = _add(home, FaqIndexPage, faq.FAQ_INDEX["slug"], **_fields(faq.FAQ_INDEX))
    for slug, title, intro, questions in faq.THEMES:
        _add(index, FaqPage, slug, title=title, intro=intro, questions=questions)


def _demarches(home) -> None:
    index, _ = _add(
        home, DemarcheIndexPage, pages.DEMARCHE_INDEX["slug"], **_fields(pages.DEMARCHE_INDEX)
    )
    for slug, title, fields in pages.DEMARCHES:
        _add(
            index,
            DemarchePage,
            slug,
            title=title,
            procedure_slug=slug,
            contact=[pages.CONTACT],
            **fields,
        )


def _legal(home) -> None:
    for slug, title, intro, body in pages.LEGAL_PAGES:
        _add(home, StandardPage, slug, title=title, intro=intro, body=body)


def _fields(spec: dict) -> dict:
    return {key: value for key, value in spec.items() if key != "slug"}


def _english(home) -> None:
    """English home page, then the English translation of each page (``english.PAGES``);
    a page without one gets an alias, shown in French."""
    english, _ = Locale.objects.get_or_create(language_code="en")
    if not home.has_translation(english):
        translation = home.copy_for_translation(english)
        translation.title = ENGLISH_HOME["title"]
        translation.intro = ENGLISH_HOME["intro"]
        translation.live = True
        translation.save()
    for page in home.get_descendants().filter(locale=home.locale).order_by("path"):
        if page.has_translation(english):
            continue
        fields = english_pages.PAGES.get(page.url_path.removeprefix(home.url_path).strip("/"))
        if fields is None:
            page.copy_for_translation(english, alias=True)
            continue
        translation = page.specific.copy_for_translation(english)
        for name, value in fields.items():
            setattr(translation, name, value)
        translation.live = True
        translation.save()


def _help_links(home) -> None:
    for url_name, slug in HELP_LINKS.items():
        guide = GuidePage.objects.descendant_of(home).filter(slug=slug).first()
        if guide is not None:
            HelpLink.objects.get_or_create(url_name=url_name, defaults={"page": guide})


def _moderator() -> None:
    user_model = get_user_model()
    user = user_model.objects.filter(email__iexact=MODERATOR_EMAIL).first()
    if user is None:
        user = user_model.objects.create_user(
            MODERATOR_EMAIL,
            DEMO_PASSWORD,
            first_name="Maud",
            last_name="Modératrice",
            is_staff=True,
        )
    user.groups.add(Group.objects.get(name="Modérateurs"))
    # Activated like every demo account (identity.demo.demo_email_verified, which the
    # CMS may not import): allauth refuses a login while the address is unverified.
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def seed(stdout) -> None:
    home = _home()
    _site(home)
    _guides(home)
    _faq(home)
    _demarches(home)
    _legal(home)
    _english(home)
    _help_links(home)
    seed_roles()
    _moderator()
    stdout.write(f"  {MODERATOR_EMAIL:<28} {DEMO_PASSWORD}")
    stdout.write(f"Help centre: {home.get_descendants().live().count()} pages under /")
