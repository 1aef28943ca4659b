"""The API (/api/…) and the démarche administrators' pages for its tokens and webhooks
(/administration/…, a staff area registered in apps.py)."""

from django.urls import include, path

app_name = "api"

urlpatterns = [
    path("administration/demarches/<slug:slug>/webhooks/", include("api.webhooks.urls")),
]
