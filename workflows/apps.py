from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Instruction")

    def ready(self):
        from identity.staff import staff_area_register

        from . import receivers  # noqa: F401 -- connects the cases signals
        from .selectors import is_instructor

        # Every URL under /instruction/ follows the staff-area rule (app or card login).
        staff_area_register(url_name="workflows:queue", may_enter=is_instructor)
