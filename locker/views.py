"""Porte-documents pages. Each view parses input and calls one service; documents are
found through selectors scoped to the request's current space (404 otherwise): a
document of another space — even one of the user's — is out of reach until they switch."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from identity.selectors import current_space
from locker.inspection import content_disposition, download_response

from . import selectors, services, vault
from .archive import zip_stream
from .forms import DocumentEditForm, ReplaceForm, UploadForm
from .intake import upload_intake
from .models import Document
from .sizes import format_size


def _space(request):
    return current_space(request)


@login_required
def document_list(request):
    space = _space(request)
    sort = request.GET.get("tri", "titre")
    documents = list(selectors.documents_for(space=space, sort=sort))
    used, quota = selectors.usage_for(space=space)
    today = timezone.localdate()
    groups = []
    for kind, label in Document.Kind.choices:
        items = [d for d in documents if d.kind == kind]
        if items:
            groups.append({"label": label, "documents": items})
    return render(
        request,
        "locker/document_list.html",
        {
            "groups": groups,
            "count": len(documents),
            "sort": sort if sort in selectors.SORTS else "titre",
            "used": used,
            "quota": quota,
            "used_label": format_size(used),
            "quota_label": format_size(quota),
            "percent": min(100, round(used * 100 / quota)) if quota else 100,
            "today": today,
            "soon": today + timedelta(days=settings.GUICHET_LOCKER_EXPIRY_REMINDER_DAYS),
        },
    )


@login_required
@upload_intake("locker")
@require_http_methods(["GET", "POST"])
def document_upload(request):
    space = _space(request)
    outcomes = []
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                outcomes = services.documents_upload(
                    space=space,
                    files=form.cleaned_data["files"],
                    title=form.cleaned_data["title"],
                    kind=form.cleaned_data["kind"],
                    expires_on=form.cleaned_data["expires_on"],
                )
            except vault.StorageUnavailableError:
                form.add_error(None, vault.UNAVAILABLE_MESSAGE)
            if outcomes and all(outcome.accepted for outcome in outcomes):
                count = len(outcomes)
                messages.success(
                    request,
                    ngettext(
                        "%(count)d document ajouté à votre porte-documents.",
                        "%(count)d documents ajoutés à votre porte-documents.",
                        count,
                    )
                    % {"count": count},
                )
                return redirect("locker:list")
    else:
        form = UploadForm()
    refused = [o for o in outcomes if not o.accepted]
    return render(
        request,
        "locker/document_upload.html",
        {
            "form": form,
            "refused": refused,
            "accepted": [o for o in outcomes if o.accepted],
        },
        status=422 if refused else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request, document_id):
    document = selectors.document_get(space=_space(request), document_id=document_id)
    form = DocumentEditForm(request.POST or None, instance=document)
    if request.method == "POST" and form.is_valid():
        services.document_update(
            document=document,
            title=form.cleaned_data["title"],
            kind=form.cleaned_data["kind"],
            expires_on=form.cleaned_data["expires_on"],
        )
        messages.success(request, _("Les informations du document sont enregistrées."))
        return redirect("locker:list")
    return render(request, "locker/document_edit.html", {"form": form, "document": document})


@login_required
@upload_intake("locker")
@require_http_methods(["GET", "POST"])
def document_replace(request, document_id):
    document = selectors.document_get(space=_space(request), document_id=document_id)
    form = ReplaceForm(request.POST or None, request.FILES or None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        outcome = services.document_replace(document=document, fileobj=upload, name=upload.name)
        if outcome.accepted:
            messages.success(request, _("Le fichier du document est remplacé."))
            return redirect("locker:list")
    return render(
        request,
        "locker/document_replace.html",
        {"form": form, "document": document, "outcome": outcome},
        status=422 if outcome else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_delete(request, document_id):
    document = selectors.document_get(space=_space(request), document_id=document_id)
    if request.method == "POST":
        services.document_delete(document=document)
        messages.success(
            request, _("Le document « %(title)s » est supprimé.") % {"title": document.title}
        )
        return redirect("locker:list")
    return render(request, "locker/document_confirm_delete.html", {"document": document})


@login_required
def document_download(request, document_id):
    document = selectors.document_get(space=_space(request), document_id=document_id)
    content = services.document_read(document=document)
    return download_response(content, filename=document.file_name, mime=document.mime)


@login_required
def documents_download_all(request):
    documents = selectors.documents_for(space=_space(request))
    response = StreamingHttpResponse(
        zip_stream(documents.iterator()), content_type="application/zip"
    )
    response["Content-Disposition"] = content_disposition(
        f"porte-documents-{timezone.localdate():%Y-%m-%d}.zip"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
