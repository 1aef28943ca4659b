"""The API (/api/…) and the démarche administrators' pages for its tokens and webhooks
(/administration/…, a staff area registered in apps.py)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from . import admin_views, docs_views, views

app_name = "api"

# Every /api/v1/ endpoint: tests/api/test_authorisation.py lists each one and fails when a
# new one is not in its list.
v1 = [
    path("procedures/", views.ProcedureList.as_view(), name="v1-procedures"),
    path("procedures/<slug:slug>/", views.ProcedureDetail.as_view(), name="v1-procedure"),
    path("procedures/<slug:slug>/cases/", views.CaseList.as_view(), name="v1-cases"),
    path("cases/<str:number>/", views.CaseDetail.as_view(), name="v1-case"),
    path(
        "cases/<str:number>/files/<uuid:file_id>/",
        views.CaseFileDownload.as_view(),
        name="v1-case-file",
    ),
    path("cases/<str:number>/take/", views.TakeView.as_view(), name="v1-take"),
    path("cases/<str:number>/assign/", views.AssignView.as_view(), name="v1-assign"),
    path("cases/<str:number>/complete/", views.CompleteView.as_view(), name="v1-complete"),
    path(
        "cases/<str:number>/request-information/",
        views.RequestInformationView.as_view(),
        name="v1-request-information",
    ),
    path("cases/<str:number>/messages/", views.MessageView.as_view(), name="v1-message"),
    path("cases/<str:number>/decide/", views.DecideView.as_view(), name="v1-decide"),
]

urlpatterns = [
    path("api/v1/", include(v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/", docs_views.docs, name="docs"),
    path("administration/", admin_views.index, name="administration"),
    path("administration/demarches/<slug:slug>/jetons/", admin_views.tokens, name="tokens"),
    path(
        "administration/demarches/<slug:slug>/jetons/<int:token_id>/revoquer/",
        admin_views.token_revoke,
        name="token_revoke",
    ),
    path("administration/demarches/<slug:slug>/webhooks/", include("api.webhooks.urls")),
]
