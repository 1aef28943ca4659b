from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API et webhooks")

    def ready(self):
        from identity.staff import staff_area_register

        from . import auth  # noqa: F401 -- registers the token scheme with drf-spectacular
        from .selectors import may_administer

        # Every URL under /administration/ follows the staff-area rule (app or card login).
        staff_area_register(url_name="api:administration", may_enter=may_administer)
