"""URLs of the démarche administration; all under /administration/, the staff area
registered by the api app (api/apps.py)."""

from django.urls import path

from . import views

PREFIX = "administration/demarches/<slug:slug>/"

urlpatterns = [
    path("administration/importer/", views.procedure_import, name="administration_import"),
    path(PREFIX, views.procedure_detail, name="administration_procedure"),
    path(f"{PREFIX}parametres/", views.procedure_settings, name="administration_settings"),
    path(f"{PREFIX}fermer/", views.procedure_close, name="administration_close"),
    path(f"{PREFIX}rouvrir/", views.procedure_reopen, name="administration_reopen"),
    path(f"{PREFIX}versions/", views.procedure_versions, name="administration_versions"),
    path(f"{PREFIX}export.json", views.procedure_export, name="administration_export"),
    path(f"{PREFIX}copier/", views.procedure_clone, name="administration_clone"),
    path(f"{PREFIX}historique/", views.procedure_history, name="administration_history"),
    path(f"{PREFIX}orientation/", views.procedure_routing, name="administration_routing"),
    path(
        f"{PREFIX}orientation/<int:rule_id>/retirer/",
        views.routing_rule_remove,
        name="administration_routing_remove",
    ),
    path(
        f"{PREFIX}orientation/<int:rule_id>/deplacer/",
        views.routing_rule_move,
        name="administration_routing_move",
    ),
]
