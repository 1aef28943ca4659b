"""Demo content for the help centre (idempotent)."""

from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from .models import HomePage


def seed(stdout) -> None:
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
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
