from django.urls import path

from . import views

app_name = "locker"
urlpatterns = [
    path("porte-documents/", views.document_list, name="list"),
    path("porte-documents/ajouter/", views.document_upload, name="upload"),
    path("porte-documents/tout-telecharger/", views.documents_download_all, name="download_all"),
    path("porte-documents/<uuid:document_id>/modifier/", views.document_edit, name="edit"),
    path("porte-documents/<uuid:document_id>/remplacer/", views.document_replace, name="replace"),
    path("porte-documents/<uuid:document_id>/supprimer/", views.document_delete, name="delete"),
    path(
        "porte-documents/<uuid:document_id>/telecharger/", views.document_download, name="download"
    ),
]
