from django.urls import path

from .views import case, preferences, queue

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
    path("instruction/taches/<int:task_id>/prendre/", case.task_take, name="task_take"),
    path("instruction/taches/<int:task_id>/confier/", case.task_assign, name="task_assign"),
    path("instruction/taches/<int:task_id>/liberer/", case.task_release, name="task_release"),
    path("instruction/taches/<int:task_id>/agir/", case.task_execute, name="task_execute"),
]
