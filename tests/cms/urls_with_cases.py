"""Test-only URLconf: the project's, plus the filing form name the cases app will provide."""

from django.http import HttpResponse
from django.urls import include, path

from config import urls as project_urls


def procedure_start(request, slug):
    return HttpResponse(f"Formulaire de la démarche {slug}")


cases_patterns = ([path("deposer/<slug:slug>/", procedure_start, name="procedure_start")], "cases")

# First, so that this "cases" namespace is the one reverse() uses.
urlpatterns = [path("", include(cases_patterns)), *project_urls.urlpatterns]
handler404 = project_urls.handler404
