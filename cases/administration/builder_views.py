"""The form builder's pages (ADR 0024), under /administration/demarches/<slug>/formulaire/.
They work without JavaScript: every change is a form posted to a service of ``builder``.
Every view finds its démarche through ``selectors.procedure_administered`` (a 404 for a
démarche the user does not administer)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import formdef
from locker.models import Document

from . import builder, selectors, services
from .builder_forms import AddForm, ItemForm, answer_label, item_label
from .views import administrator_required


def _builder_url(procedure, name: str = "") -> str:
    url = reverse("cases:administration_form", args=[procedure.slug])
    return f"{url}#champ-{name}" if name else url


def _item(procedure, name: str) -> dict:
    for item in procedure.definition:
        if isinstance(item, dict) and item.get("name") == name:
            return item
    raise Http404


def _condition_text(item: dict, by_name: dict) -> str:
    show_if = item.get("show_if")
    if not show_if:
        return ""
    target = by_name.get(show_if.get("field"), {})
    return _("Affiché si « %(field)s » = %(value)s") % {
        "field": item_label(target) if target else show_if.get("field"),
        "value": answer_label(target.get("type", ""), show_if.get("value", "")),
    }


def _groups(definition: list) -> list[dict]:
    """The draft's items as groups: the fields before the first section, then each section
    with its fields. Each entry: the item, its type's name, its condition in words, and
    whether it is first or last (no "Monter" / "Descendre" button)."""
    by_name = {item["name"]: item for item in definition if isinstance(item, dict)}
    kinds = dict(Document.Kind.choices)
    groups = [{"section": None, "fields": []}]
    last = len(definition) - 1
    for index, item in enumerate(definition):
        entry = {
            "item": item,
            "type_label": formdef.TYPES.get(item.get("type"), item.get("type")),
            "condition": _condition_text(item, by_name),
            "first": index == 0,
            "last": index == last,
            "position": index + 1,
            "documents": [kinds.get(k, k) for k in item.get("document_types", [])],
        }
        if item.get("type") == "section":
            groups.append({"section": entry, "fields": []})
        else:
            groups[-1]["fields"].append(entry)
    return [g for g in groups if g["section"] or g["fields"]]


def _render_builder(request, procedure, *, errors=(), status=200):
    context = {
        "procedure": procedure,
        "groups": _groups(procedure.definition),
        "unpublished": builder.has_unpublished_changes(procedure),
        "errors": list(errors),
    }
    return render(request, "cases/administration/form_builder.html", context, status=status)


@administrator_required
def form_builder(request, slug):
    procedure = selectors.procedure_administered(user=request.user, slug=slug)
    return _render_builder(request, procedure)


@administrator_required
def field_add(request, slug):
    procedure = selectors.procedure_administered(user=request.user, slug=slug)
    initial = {"after": request.GET.get("apres", "")}
    form = AddForm(request.POST or None, initial=initial, definition=procedure.definition)
    if request.method == "POST" and form.is_valid():
        try:
            item = builder.definition_add(
                procedure=procedure,
                user=request.user,
                kind=form.cleaned_data["type"],
                label=form.cleaned_data["label"],
                after=form.cleaned_data["after"] or None,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            text = _("« %(label)s » est ajouté au formulaire. Complétez-le ci-dessous.")
            if item.get("choices"):
                text += " " + _("Remplacez les choix proposés par les vôtres.")
            messages.success(request, text % {"label": item["label"]})
            return redirect("cases:administration_field_edit", slug=slug, name=item["name"])
    status = 400 if request.method == "POST" else 200
    context = {"procedure": procedure, "form": form}
    return render(request, "cases/administration/field_add.html", context, status=status)


@administrator_required
def field_edit(request, slug, name):
    procedure = selectors.procedure_administered(user=request.user, slug=slug)
    item = _item(procedure, name)
    form = ItemForm(request.POST or None, item=item, definition=procedure.definition)
    if request.method == "POST" and form.is_valid():
        try:
            updated = builder.definition_update(
                procedure=procedure, user=request.user, name=name, values=form.values()
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            label = updated.get("label", item["label"])
            messages.success(request, _("« %(label)s » est enregistré.") % {"label": label})
            return redirect(_builder_url(procedure, updated.get("name", name)))
    context = {
        "procedure": procedure,
        "item": item,
        "type_label": formdef.TYPES.get(item["type"], item["type"]),
        "used_by": [item_label(other) for other in builder.dependants(procedure.definition, name)],
        "form": form,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "cases/administration/field_edit.html", context, status=status)


@require_POST
@administrator_required
def field_move(request, slug, name):
    procedure = selectors.procedure_administered(user=request.user, slug=slug)
    _item(procedure, name)
    try:
        builder.definition_move(
            procedure=procedure, user=request.user, name=name, up=request.POST.get("sens") != "bas"
        )
    except ValidationError as error:
        return _render_builder(request, procedure, errors=error.messages, status=400)
    return redirect(_builder_url(procedure, name))


@require_POST
@administrator_required
def field_remove(request, slug, name):
    procedure = selectors.procedure_administered(user=request.user, slug=slug)
    _item(procedure, name)
    try:
        removed = builder.definition_remove(procedure=procedure, user=request.user, name=name)
    except ValidationError as error:
        return _render_builder(request, procedure, errors=error.messages, status=400)
    messages.success(
        request,
        _("« %(label)s » est retiré du formulaire en préparation.")
        % {"label": item_label(removed)},
    )
    return redirect(_builder_url(procedure))


def _changes_context(procedure) -> dict:
    """The draft against the published version, and the demandes that keep theirs."""
    version = procedure.current_version
    old = version.definition if version else []
    return {
        "procedure": procedure,
        "version": version,
        "diff": services.definition_diff(old, procedure.definition),
        "unpublished": builder.has_unpublished_changes(procedure),
        "cases": selectors.cases_by_stage(procedure),
        "next_number": selectors.next_version_number(procedure),
    }


@administrator_required
def form_publish(request, slug):
    procedure = selectors.procedure_administered(user=request.user, slug=slug)
    if request.method == "POST":
        if not builder.has_unpublished_changes(procedure):
            messages.info(request, _("Le formulaire en ligne est déjà à jour."))
            return redirect(_builder_url(procedure))
        try:
            version = services.procedure_publish(procedure=procedure, user=request.user)
        except ValidationError as error:
            context = {**_changes_context(procedure), "errors": error.messages}
            return render(request, "cases/administration/form_publish.html", context, status=400)
        messages.success(
            request,
            _(
                "La version %(number)s est en ligne. Les nouvelles demandes l'utilisent ; "
                "celles déjà commencées gardent leur version."
            )
            % {"number": version.number},
        )
        return redirect(_builder_url(procedure))
    return render(request, "cases/administration/form_publish.html", _changes_context(procedure))


@administrator_required
def form_reset(request, slug):
    procedure = selectors.procedure_administered(user=request.user, slug=slug)
    if procedure.current_version is None:
        raise Http404
    if request.method == "POST":
        builder.definition_reset(procedure=procedure, user=request.user)
        messages.success(
            request,
            _("Les modifications sont annulées : le formulaire est celui de la version %(n)s.")
            % {"n": procedure.current_version.number},
        )
        return redirect(_builder_url(procedure))
    return render(request, "cases/administration/form_reset.html", _changes_context(procedure))
