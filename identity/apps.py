from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _may_enter_django_admin(user) -> bool:
    return user.is_active and user.is_staff


def _may_enter_wagtail_admin(user) -> bool:
    return user.has_perm("wagtailadmin.access_admin")


class IdentityConfig(AppConfig):
    name = "identity"
    verbose_name = _("Comptes et espaces")

    def ready(self):
        from . import receivers  # noqa: F401
        from .selectors import manages_an_organisation
        from .staff import staff_area_register

        # The same tests the two admin sites apply themselves, checked before them.
        staff_area_register(url_name="admin:index", may_enter=_may_enter_django_admin)
        staff_area_register(url_name="wagtailadmin_home", may_enter=_may_enter_wagtail_admin)
        # Managers of an organisation space are staff (PRODUCT §2.3, ADR 0308).
        staff_area_register(url_name="identity:space_manage", may_enter=manages_an_organisation)
