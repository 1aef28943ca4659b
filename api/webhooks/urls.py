"""A démarche administrator's webhook endpoints: /administration/demarches/<slug>/webhooks/."""

from django.urls import path

from . import views

app_name = "webhooks"

urlpatterns = [
    path("", views.endpoint_list, name="list"),
    path("nouvelle/", views.endpoint_create, name="create"),
    path("<int:pk>/modifier/", views.endpoint_edit, name="edit"),
    path("<int:pk>/activation/", views.endpoint_toggle, name="toggle"),
    path("<int:pk>/supprimer/", views.endpoint_delete, name="delete"),
    path("<int:pk>/tester/", views.endpoint_test, name="test"),
    path("<int:pk>/journal/", views.endpoint_log, name="log"),
]
