from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Démarches et demandes")

    def ready(self):
        from locker import vault

        from . import counts  # noqa: F401 - connects the status counters
        from .models import CaseFile
        from .services.common import PREFIX

        vault.register_owner(PREFIX, CaseFile)
        post_migrate.connect(_encrypt_clear_files, sender=self, dispatch_uid="cases_encrypt")


def _encrypt_clear_files(sender, **kwargs):
    """Files stored in clear by an older version are encrypted by `migrate` (ADR 0104)."""
    from .services import case_files_encrypt

    case_files_encrypt()
