from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LockerConfig(AppConfig):
    name = "locker"
    verbose_name = _("Porte-documents")

    def ready(self):
        from . import (
            receivers,  # noqa: F401
            vault,
        )
        from .models import Document

        vault.register_owner("locker", Document)
