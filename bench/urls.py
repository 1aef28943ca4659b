"""Bench URLconf: the project's URLs plus a bare Django view, the yardstick of every ratio."""

from django.http import HttpResponse
from django.urls import path

from config import urls as project_urls


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("__bench__/bare/", bare), *project_urls.urlpatterns]
