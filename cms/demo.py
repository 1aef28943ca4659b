"""Demo content for the help centre (idempotent)."""

from django.conf import settings
from django.utils.translation import gettext as _
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from .models import HomePage


def seed(stdout) -> None:
    home = HomePage.objects.first()
    if home is None:
        # Wagtail's migrations create the tree root; a flushed database (`flush`, transactional
        # tests) has none, so create it again.
        Locale.objects.get_or_create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
        root = Page.get_first_root_node() or Page.add_root(
            instance=Page(title="Root", slug="root", live=True)
        )
        home = root.add_child(
            instance=HomePage(
                title=_("Vos démarches en ligne"),
                slug="accueil",
                intro=_(
                    "<p>Déposez une demande, suivez-la et échangez avec le service qui "
                    "l'instruit. Gardez vos justificatifs dans votre porte-documents.</p>"
                ),
            )
        )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save(update_fields=["root_page"])
    # Wagtail's first migration creates a placeholder "Welcome" page; it is not ours.
    Page.objects.filter(depth=2, content_type__model="page").exclude(pk=home.pk).delete()
    stdout.write(f"Home page: /{home.slug}/ served at /")
