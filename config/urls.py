from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config import accessibility
from config.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accessibilite/", accessibility.statement, name="accessibility_statement"),
    path("django-admin/", admin.site.urls),
    path("cms-admin/", include(wagtailadmin_urls)),
    path("", include("identity.urls")),
    path("compte/", include("allauth.urls")),
    path("", include("locker.urls")),
    path("", include("cases.urls")),
    path("", include("workflows.urls")),
    path("", include("cms.urls")),
    # Help-centre documents: Wagtail's serve view (collection privacy), always attachments.
    path("telechargements/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page tree serves everything else; it must come last.
urlpatterns += [path("", include(wagtail_urls))]

handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
