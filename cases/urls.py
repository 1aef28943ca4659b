from django.urls import include, path

from .views import filing, following, preferences

app_name = "cases"
urlpatterns = [
    path("faire-une-demarche/", filing.procedure_list, name="procedure_list"),
    path("demarches/<slug:slug>/commencer/", filing.procedure_start, name="procedure_start"),
    path("demandes/brouillon/<uuid:case_id>/", filing.draft_edit, name="draft_edit"),
    path(
        "demandes/brouillon/<uuid:case_id>/fichiers/<uuid:file_id>/retirer/",
        filing.draft_remove_file,
        name="draft_remove_file",
    ),
    path("demandes/brouillon/<uuid:case_id>/verifier/", filing.draft_review, name="draft_review"),
    path("demandes/brouillon/<uuid:case_id>/courriel/", filing.draft_email, name="draft_email"),
    path("demandes/<str:number>/deposee/", following.case_submitted, name="case_submitted"),
    path("demandes/<str:number>/", following.case_detail, name="case_detail"),
    path("demandes/<str:number>/repondre/", following.case_reply, name="case_reply"),
    path(
        "demandes/<str:number>/fichiers/<uuid:file_id>/",
        following.case_file_download,
        name="case_file_download",
    ),
    path("demandes/<str:number>/recepisse.pdf", following.case_receipt, name="case_receipt"),
    path("demandes/<str:number>/archive.zip", following.case_archive, name="case_archive"),
    path("demandes/<str:number>/prolonger/", following.case_extend, name="case_extend"),
    path("mes-demarches/", following.my_cases, name="my_cases"),
    path(
        "mes-demarches/notifications/",
        preferences.notification_preferences,
        name="notification_preferences",
    ),
    path("activite/", following.activity, name="activity"),
    path("suivre/", following.track, name="track"),
    path("suivre/lien/<str:token>/", following.track_link, name="track_link"),
    path("", include("cases.administration.urls")),
]
