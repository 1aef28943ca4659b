from django.urls import path

from .views import avis, case, expert, preferences, queue

app_name = "workflows"
urlpatterns = [
    path("instruction/", queue.queue, name="queue"),
    path("instruction/preferences/", preferences.preferences, name="preferences"),
    path("instruction/confier/", queue.bulk_assign, name="bulk_assign"),
    path("instruction/exports/", queue.export_create, name="export_create"),
    path("instruction/exports/<uuid:export_id>/", queue.export_download, name="export_download"),
    path("instruction/demandes/<str:number>/", case.case_detail, name="case"),
    path(
        "instruction/demandes/<str:number>/fichiers/<uuid:file_id>/",
        case.case_file,
        name="case_file",
    ),
    path("instruction/demandes/<str:number>/messages/", case.case_message, name="case_message"),
    path("instruction/demandes/<str:number>/notes/", case.case_note, name="case_note"),
    path("instruction/demandes/<str:number>/rouvrir/", case.case_reopen, name="case_reopen"),
    path("instruction/demandes/<str:number>/avis/", avis.avis_ask, name="avis_ask"),
    path(
        "instruction/demandes/<str:number>/avis/<uuid:avis_id>/relancer/",
        avis.avis_remind,
        name="avis_remind",
    ),
    path(
        "instruction/demandes/<str:number>/avis/<uuid:avis_id>/retirer/",
        avis.avis_revoke,
        name="avis_revoke",
    ),
    path(
        "instruction/demandes/<str:number>/avis/<uuid:avis_id>/fichiers/<uuid:file_id>/",
        avis.avis_answer_file,
        name="avis_answer_file",
    ),
    path("instruction/taches/<int:task_id>/prendre/", case.task_take, name="task_take"),
    path("instruction/taches/<int:task_id>/confier/", case.task_assign, name="task_assign"),
    path("instruction/taches/<int:task_id>/liberer/", case.task_release, name="task_release"),
    path("instruction/taches/<int:task_id>/agir/", case.task_execute, name="task_execute"),
    # The experts' pages (ADR 0408): outside /instruction/, an expert is not staff.
    path("avis/", expert.avis_list, name="avis_list"),
    path("avis/invitation/<str:token>/", expert.avis_invitation, name="avis_invitation"),
    path("avis/<uuid:avis_id>/", expert.avis_detail, name="avis_detail"),
    path("avis/<uuid:avis_id>/repondre/", expert.avis_answer, name="avis_answer"),
    path(
        "avis/<uuid:avis_id>/documents/<uuid:file_id>/",
        expert.avis_shared_file,
        name="avis_shared_file",
    ),
]
