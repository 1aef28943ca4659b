"""URLs of the démarche administration; all under /administration/, the staff area
registered by the api app (api/apps.py)."""

from django.urls import path

from . import builder_views, preview, views

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
    path(f"{PREFIX}courriels/", views.procedure_emails, name="administration_emails"),
    path(f"{PREFIX}historique/", views.procedure_history, name="administration_history"),
    path(f"{PREFIX}apercu/", preview.procedure_preview, name="administration_preview"),
    # Creation from scratch, service, instructors and administrators (ADR 0021).
    path(
        "administration/nouvelle-demarche/",
        views.procedure_create,
        name="administration_create",
    ),
    path(f"{PREFIX}equipe/", views.procedure_team, name="administration_team"),
    path(
        f"{PREFIX}equipe/instructeurs/inviter/",
        views.instructor_invite,
        name="administration_instructor_invite",
    ),
    path(
        f"{PREFIX}equipe/instructeurs/<int:user_id>/retirer/",
        views.instructor_remove,
        name="administration_instructor_remove",
    ),
    path(
        f"{PREFIX}equipe/service/",
        views.service_create,
        name="administration_service_create",
    ),
    path(
        f"{PREFIX}equipe/administrateurs/ajouter/",
        views.administrator_add,
        name="administration_admin_add",
    ),
    path(
        f"{PREFIX}equipe/administrateurs/<int:user_id>/retirer/",
        views.administrator_remove,
        name="administration_admin_remove",
    ),
    # The form builder (ADR 0024).
    path(f"{PREFIX}formulaire/", builder_views.form_builder, name="administration_form"),
    path(f"{PREFIX}formulaire/ajouter/", builder_views.field_add, name="administration_field_add"),
    path(
        f"{PREFIX}formulaire/champs/<str:name>/",
        builder_views.field_edit,
        name="administration_field_edit",
    ),
    path(
        f"{PREFIX}formulaire/champs/<str:name>/deplacer/",
        builder_views.field_move,
        name="administration_field_move",
    ),
    path(
        f"{PREFIX}formulaire/champs/<str:name>/supprimer/",
        builder_views.field_remove,
        name="administration_field_remove",
    ),
    path(
        f"{PREFIX}formulaire/publier/",
        builder_views.form_publish,
        name="administration_form_publish",
    ),
    path(
        f"{PREFIX}formulaire/annuler/", builder_views.form_reset, name="administration_form_reset"
    ),
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
