"""The démarche administrator's pages (ADR 0019). Every view finds its démarche through
``selectors.procedure_administered``: a démarche the user does not administer is a 404."""

import json

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.models import Procedure, ProcedureChange
from identity.staff import staff_area_required
from locker.intake import upload_intake

from . import selectors, services
from .forms import ImportForm, NewProcedureForm, RoutingRuleForm, SettingsForm

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
    if change.action == ProcedureChange.Action.ROUTING_CHANGED:
        return _routing_details(details)
    if "version" in details:
        return [_("Version %(number)s") % {"number": details["version"]}]
    if "source" in details:
        return [_("Copie de « %(title)s »") % {"title": details.get("source_title", "")}]
    return []


def _routing_details(details: dict) -> list[str]:
    lines = []
    for key, template in (
        ("added", _("Règle ajoutée : « %(field)s » = « %(value)s » → %(service)s")),
        ("removed", _("Règle retirée : « %(field)s » = « %(value)s » → %(service)s")),
        (
            "moved",
            _(
                "Règle déplacée en position %(position)s : "
                "« %(field)s » = « %(value)s » → %(service)s"
            ),
        ),
    ):
        rule = details.get(key)
        if rule:
            lines.append(
                template
                % {
                    "field": rule.get("field_label") or rule.get("field", ""),
                    "value": rule.get("value", ""),
                    "service": rule.get("service", ""),
                    "position": rule.get("position", ""),
                }
            )
    return lines


def _field_label(name: str) -> str:
    try:
        label = str(Procedure._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name
    return label[:1].upper() + label[1:]


# --- Routing rules (ADR 0023) ---------------------------------------------------------------


def _orientation(procedure):
    return redirect("cases:administration_routing", slug=procedure.slug)


@administrator_required
def procedure_routing(request, slug):
    """The démarche's routing rules, in order, and the form that adds one."""
    procedure = selectors.procedure_administered(user=request.user, slug=slug)
    form = RoutingRuleForm(
        request.POST or None,
        fields=selectors.routable_fields(procedure),
        services=selectors.services_for_new_procedures(request.user),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            field_name, value = form.cleaned_data["answer"]
            try:
                services.routing_rule_add(
                    procedure=procedure,
                    user=request.user,
                    field_name=field_name,
                    value=value,
                    service=form.cleaned_data["service"],
                )
            except ValidationError as error:
                for message in error.message_dict.get("answer", []):
                    form.add_error("answer", message)
            else:
                messages.success(request, _("La règle est ajoutée."))
                return _orientation(procedure)
        status = 400
    rules = selectors.routing_rules_of(procedure)
    context = {
        "procedure": procedure,
        "rules": rules,
        "inactive": [rule for rule in rules if not rule.active],
        "form": form,
        "can_add": bool(form.fields["answer"].choices[1:]),
    }
    return render(request, "cases/administration/routing.html", context, status=status)


@require_POST
@administrator_required
def routing_rule_remove(request, slug, rule_id):
    procedure = selectors.procedure_administered(user=request.user, slug=slug)
    rule = selectors.routing_rule_of(procedure=procedure, rule_id=rule_id)
    services.routing_rule_remove(procedure=procedure, user=request.user, rule=rule)
    messages.success(request, _("La règle est retirée."))
    return _orientation(procedure)


@require_POST
@administrator_required
def routing_rule_move(request, slug, rule_id):
    procedure = selectors.procedure_administered(user=request.user, slug=slug)
    rule = selectors.routing_rule_of(procedure=procedure, rule_id=rule_id)
    up = request.POST.get("sens") != "bas"
    if services.routing_rule_move(procedure=procedure, user=request.user, rule=rule, up=up):
        messages.success(request, _("L'ordre des règles est modifié."))
    return _orientation(procedure)
