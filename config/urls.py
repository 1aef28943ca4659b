from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.page_cache import cached_view
from config import accessibility
from config.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Without CSRF: another site could at most switch the interface language, and a token
    # in every page's header would keep help-centre pages out of the cache (ADR 0204).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("accessibilite/", accessibility.statement, name="accessibility_statement"),
    path("django-admin/", admin.site.urls),
    path("cms-admin/", include(wagtailadmin_urls)),
    path("", include("identity.urls")),
    path("compte/", include("allauth.urls")),
    path("", include("locker.urls")),
    path("", include("cases.urls")),
    path("", include("workflows.urls")),
    path("", include("api.urls")),
    path("", include("cms.urls")),
    # Help-centre documents: Wagtail's serve view (collection privacy), always attachments.
    path("telechargements/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page tree serves everything else; it must come last. Its pages are kept whole
# for visitors without a session (cms/page_cache.py, ADR 0204).
urlpatterns += [
    re_path(wagtail_urls.serve_pattern, cached_view(wagtail_views.serve), name="wagtail_serve"),
    path("", include(wagtail_urls)),
]

handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
