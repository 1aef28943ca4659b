from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Centre d'aide")

    def ready(self):
        from . import page_cache  # noqa: F401 - connects the invalidation of cached pages
