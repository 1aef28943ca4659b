"""Test-only URLconf: the project's without the filing and tracking screens (cases), to check
how the help centre behaves when a screen it links to does not exist."""

from django.urls.resolvers import URLResolver

from config import urls as project_urls


def _is_portal(pattern) -> bool:
    return isinstance(pattern, URLResolver) and pattern.namespace == "cases"


urlpatterns = [p for p in project_urls.urlpatterns if not _is_portal(p)]
handler404 = project_urls.handler404
