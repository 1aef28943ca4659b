"""The démarche administrator's pages (ADR 0019). Every view finds its démarche through
``selectors.procedure_administered``: a démarche the user does not administer is a 404."""

import json

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import email_texts, notifications
from cases.models import Procedure, ProcedureChange
from identity.staff import staff_area_required
from locker.intake import upload_intake

from . import selectors, services
from .forms import EmailTextsForm, ImportForm, NewProcedureForm, SettingsForm

administrator_required = staff_area_required(selectors.may_administer)


def _home(procedure):
    return redirect("cases:administration_procedure", slug=procedure.slug)


@administrator_required
def procedure_detail(request, slug):
    procedure = selectors.procedure_administered(user=request.user, slug=slug)
    context = {
        "procedure": procedure,
        "is_open": procedure.is_open(),
        "case_count": selectors.case_count(procedure),
    }
    return render(request, "cases/administration/procedure.html", context)


@administrator_required
def procedure_settings(request, slug):
    procedure = selectors.procedure_administered(user=request.user, slug=slug)
    form = SettingsForm(
        request.POST or None,
        instance=procedure,
        services=selectors.services_for_new_procedures(request.user),
    )
    if request.method == "POST":
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in services.SETTINGS_FIELDS}
            # The form's validation changed ``procedure``: the service reads the old
            # values back from the database.
            services.procedure_update_settings(
                procedure=procedure, user=request.user, values=values
            )
            messages.success(request, _("Les paramètres sont enregistrés."))
            return _home(procedure)
        context = {"procedure": procedure, "form": form}
        return render(request, "cases/administration/settings.html", context, status=400)
    return render(
        request, "cases/administration/settings.html", {"procedure": procedure, "form": form}
    )


@administrator_required
def procedure_emails(request, slug):
    """The démarche's own text in each email to the applicant, with a preview (POST with
    ``apercu=<event>``: the typed text, nothing saved) and the save (ADR 0022)."""
    procedure = selectors.procedure_administered(user=request.user, slug=slug)
    texts = procedure.email_texts if isinstance(procedure.email_texts, dict) else {}
    form = EmailTextsForm(request.POST or None, initial=texts)
    preview_key = request.POST.get("apercu", "") if request.method == "POST" else ""
    preview = None
    status = 200
    if request.method == "POST":
        valid = form.is_valid()
        if "apercu" in request.POST:  # a preview: nothing is saved
            if preview_key in email_texts.EVENTS and preview_key not in form.errors:
                preview = selectors.email_preview(
                    procedure=procedure, key=preview_key, text=form.cleaned_data[preview_key]
                )
            status = 200 if valid and preview else 400
        elif valid:
            changed = services.procedure_update_email_texts(
                procedure=procedure, user=request.user, texts=form.texts()
            )
            if changed:
                messages.success(request, _("Les textes des courriels sont enregistrés."))
            else:
                messages.info(request, _("Aucun texte n'a changé."))
            return redirect("cases:administration_emails", slug=procedure.slug)
        else:
            status = 400
    events = [
        {
            "key": key,
            "name": name,
            "when": when,
            "subject": _email_subject(key),
            "field": form[key],
            "preview": preview if key == preview_key else None,
        }
        for key, (name, when) in email_texts.EVENTS.items()
    ]
    values = selectors.sample_values(procedure)
    variables = [
        {"name": f"{{{name}}}", "meaning": meaning, "example": values[name]}
        for name, meaning in email_texts.VARIABLES.items()
    ]
    context = {"procedure": procedure, "form": form, "events": events, "variables": variables}
    return render(request, "cases/administration/emails.html", context, status=status)


def _email_subject(key: str) -> str:
    """The standard subject of the email ``key``, the number shown as ``{numero}``."""
    if key.startswith("decision_"):
        template = notifications.DECISION_SUBJECTS[key.removeprefix("decision_")]
    else:
        template = notifications.SUBJECTS[key]
    return template % {"number": "{numero}"}


@require_POST
@administrator_required
def procedure_close(request, slug):
    procedure = selectors.procedure_administered(user=request.user, slug=slug)
    services.procedure_close(procedure=procedure, user=request.user)
    messages.success(request, _("La démarche est fermée. Les demandes en cours continuent."))
    return _home(procedure)


@require_POST
@administrator_required
def procedure_reopen(request, slug):
    procedure = selectors.procedure_administered(user=request.user, slug=slug)
    services.procedure_reopen(procedure=procedure, user=request.user)
    messages.success(request, _("La démarche est rouverte."))
    return _home(procedure)


@administrator_required
def procedure_versions(request, slug):
    procedure = selectors.procedure_administered(user=request.user, slug=slug)
    versions = list(selectors.versions_of(procedure))
    diff = old = new = None
    if "de" in request.GET or "a" in request.GET:
        old = selectors.version_of(procedure=procedure, number=request.GET.get("de", ""))
        new = selectors.version_of(procedure=procedure, number=request.GET.get("a", ""))
        diff = services.definition_diff(old.definition, new.definition)
    context = {"procedure": procedure, "versions": versions, "diff": diff, "old": old, "new": new}
    return render(request, "cases/administration/versions.html", context)


@administrator_required
def procedure_export(request, slug):
    procedure = selectors.procedure_administered(user=request.user, slug=slug)
    body = json.dumps(services.procedure_export(procedure), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="demarche-{procedure.slug}.json"'
    return response


@upload_intake("demande")  # the demande cap first; the file's own limit is 1 MB
@administrator_required
def procedure_import(request):
    services_offered = selectors.services_for_new_procedures(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, services=services_offered)
    errors = []
    if request.method == "POST":
        if form.is_valid():
            data, errors = services.import_parse(form.cleaned_data["file"].read())
            if data is not None:
                procedure = _create(
                    form,
                    lambda: services.procedure_import(
                        data=data,
                        title=form.cleaned_data["title"],
                        slug=form.cleaned_data["slug"],
                        service=form.cleaned_data["service"],
                        user=request.user,
                    ),
                )
                if procedure is not None:
                    messages.success(request, _("La démarche est importée."))
                    return _home(procedure)
        context = {"form": form, "errors": errors}
        return render(request, "cases/administration/import.html", context, status=400)
    return render(request, "cases/administration/import.html", {"form": form, "errors": []})


@administrator_required
def procedure_clone(request, slug):
    procedure = selectors.procedure_administered(user=request.user, slug=slug)
    form = NewProcedureForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            copy = _create(
                form,
                lambda: services.procedure_clone(
                    source=procedure,
                    title=form.cleaned_data["title"],
                    slug=form.cleaned_data["slug"],
                    user=request.user,
                ),
            )
            if copy is not None:
                messages.success(request, _("La copie de la démarche est créée."))
                return _home(copy)
        context = {"procedure": procedure, "form": form}
        return render(request, "cases/administration/clone.html", context, status=400)
    return render(
        request, "cases/administration/clone.html", {"procedure": procedure, "form": form}
    )


def _create(form, create):
    """Run ``create``; a model validation error goes onto the form (then None)."""
    try:
        return create()
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
        return None


@administrator_required
def procedure_history(request, slug):
    procedure = selectors.procedure_administered(user=request.user, slug=slug)
    changes = [(change, _details(change)) for change in selectors.history_of(procedure)]
    context = {"procedure": procedure, "changes": changes}
    return render(request, "cases/administration/history.html", context)


def _details(change) -> list[str]:
    """What a history entry changed, in French, one line each."""
    details = change.details or {}
    if change.action == ProcedureChange.Action.SETTINGS_CHANGED:
        empty = _("(vide)")
        return [
            _("%(field)s : « %(old)s » → « %(new)s »")
            % {
                "field": _field_label(name),
                "old": empty if old in (None, "") else old,
                "new": empty if new in (None, "") else new,
            }
            for name, (old, new) in details.items()
        ]
    if change.action == ProcedureChange.Action.EMAILS_CHANGED:
        return [_email_change(key, old, new) for key, (old, new) in details.items()]
    if "version" in details:
        return [_("Version %(number)s") % {"number": details["version"]}]
    if "source" in details:
        return [_("Copie de « %(title)s »") % {"title": details.get("source_title", "")}]
    return []


def _field_label(name: str) -> str:
    try:
        label = str(Procedure._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name
    return label[:1].upper() + label[1:]


def _email_change(key: str, old: str, new: str) -> str:
    name = email_texts.EVENTS[key][0] if key in email_texts.EVENTS else key
    if not old:
        return _("Courriel « %(name)s » : texte ajouté") % {"name": name}
    if not new:
        return _("Courriel « %(name)s » : texte retiré") % {"name": name}
    return _("Courriel « %(name)s » : texte modifié") % {"name": name}
