from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Instruction")

    def ready(self):
        from identity.staff import staff_area_register

        from . import queue, receivers  # noqa: F401 -- connect the task and cases signals
        from .selectors import is_instructor

        # Every URL under /instruction/ follows the staff-area rule (app or card login).
        staff_area_register(url_name="workflows:queue", may_enter=is_instructor)

        from locker import vault

        from .avis.services import PREFIX as AVIS_PREFIX
        from .exports import PREFIX
        from .models import AvisFile, Export

        vault.register_owner(PREFIX, Export)
        vault.register_owner(AVIS_PREFIX, AvisFile)
        post_migrate.connect(_encrypt_clear_exports, sender=self, dispatch_uid="exports_encrypt")


def _encrypt_clear_exports(sender, **kwargs):
    """Exports stored in clear by an older version are encrypted by `migrate` (ADR 0104)."""
    from .exports import exports_encrypt

    exports_encrypt()
