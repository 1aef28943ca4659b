from django.urls import path
from wagtail.contrib.sitemaps.views import sitemap

from . import views

app_name = "cms"
urlpatterns = [
    path("recherche/", views.search, name="search"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", sitemap, name="sitemap"),
]
