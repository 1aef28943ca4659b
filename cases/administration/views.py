"""The démarche administrator's pages (ADR 0019). Every view finds its démarche through
``selectors.procedure_administered``: a démarche the user does not administer is a 404."""

import json

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from cases import email_texts, notifications
from cases.models import Procedure, ProcedureChange
from identity.staff import staff_area_required
from locker.intake import upload_intake

from . import selectors, services
from .forms import (
    CreateProcedureForm,
    EmailForm,
    EmailTextsForm,
    ImportForm,
    NewProcedureForm,
    RoutingRuleForm,
    ServiceForm,
    SettingsForm,
)

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
                        offered=services_offered,
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


# History entries about one person (the team page, ADR 0021): details hold their address.
PERSON_ACTIONS = (
    ProcedureChange.Action.INSTRUCTOR_INVITED,
    ProcedureChange.Action.INSTRUCTOR_REMOVED,
    ProcedureChange.Action.ADMIN_ADDED,
    ProcedureChange.Action.ADMIN_REMOVED,
)


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
    if change.action == ProcedureChange.Action.SERVICE_CREATED:
        lines = [
            _("Service « %(name)s » (identifiant %(slug)s)")
            % {"name": details.get("name", ""), "slug": details.get("slug", "")}
        ]
        if details.get("attached"):
            lines.append(_("La démarche lui est confiée."))
        return lines
    if change.action in PERSON_ACTIONS and "email" in details:
        lines = [_("Personne : %(email)s") % {"email": details["email"]}]
        if details.get("service"):
            lines.append(_("Service : %(service)s") % {"service": details["service"]})
        if "released" in details:
            lines.append(
                ngettext(
                    "%(count)d demande remise dans la file « À traiter »",
                    "%(count)d demandes remises dans la file « À traiter »",
                    details["released"],
                )
                % {"count": details["released"]}
            )
        return lines
    if change.action == ProcedureChange.Action.CREATED and details.get("service"):
        return [_("Service : %(service)s") % {"service": details["service"]}]
    if change.action == ProcedureChange.Action.FORM_CHANGED:
        return _form_details(details)
    if change.action == ProcedureChange.Action.EMAILS_CHANGED:
        return [_email_change(key, old, new) for key, (old, new) in details.items()]
    if change.action == ProcedureChange.Action.ROUTING_CHANGED:
        return _routing_details(details)
    if "version" in details:
        return [_("Version %(number)s") % {"number": details["version"]}]
    if "source" in details:
        return [_("Copie de « %(title)s »") % {"title": details.get("source_title", "")}]
    return []


# The keys of a form item, in words (history of the form builder).
ITEM_KEYS = {
    "name": gettext_lazy("nom technique"),
    "label": gettext_lazy("libellé"),
    "help_text": gettext_lazy("texte d'aide"),
    "required": gettext_lazy("obligatoire"),
    "choices": gettext_lazy("choix"),
    "document_types": gettext_lazy("types de document"),
    "max_files": gettext_lazy("nombre de fichiers"),
    "allow_later": gettext_lazy("« plus tard »"),
    "show_if": gettext_lazy("condition d'affichage"),
}


def _form_details(details: dict) -> list[str]:
    """A form builder change (cases.administration.builder) in words."""
    values = {
        "label": details.get("label", ""),
        "name": details.get("field", ""),
        "position": details.get("position", ""),
    }
    operation = details.get("operation")
    if operation == "added":
        return [_("Champ ajouté : « %(label)s » (%(name)s), position %(position)s") % values]
    if operation == "removed":
        return [_("Champ supprimé : « %(label)s » (%(name)s)") % values]
    if operation == "moved":
        if details.get("direction") == "up":
            return [_("Champ monté : « %(label)s » (%(name)s), position %(position)s") % values]
        return [_("Champ descendu : « %(label)s » (%(name)s), position %(position)s") % values]
    if operation == "changed":
        lines = [_("Champ modifié : « %(label)s » (%(name)s)") % values]
        if details.get("keys"):
            keys = ", ".join(str(ITEM_KEYS.get(key, key)) for key in details["keys"])
            lines.append(_("Éléments modifiés : %(keys)s") % {"keys": keys})
        if details.get("renamed_to"):
            lines.append(_("Nouveau nom technique : %(name)s") % {"name": details["renamed_to"]})
        return lines
    if operation == "reset":
        return [
            _("Modifications annulées : retour à la version %(number)s")
            % {"number": details.get("version", "")}
        ]
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


# --- Creation from scratch (ADR 0021) -------------------------------------------------------


@administrator_required
def procedure_create(request):
    services_offered = selectors.services_for_new_procedures(request.user)
    form = CreateProcedureForm(
        request.POST or None, services=services_offered, initial={"account_required": True}
    )
    if request.method == "POST":
        if form.is_valid():
            procedure = _create(
                form,
                lambda: services.procedure_create(
                    title=form.cleaned_data["title"],
                    slug=form.cleaned_data["slug"],
                    description=form.cleaned_data["description"],
                    service=form.cleaned_data["service"],
                    account_required=form.cleaned_data["account_required"],
                    user=request.user,
                ),
            )
            if procedure is not None:
                messages.success(
                    request,
                    _(
                        "La démarche est créée. Son formulaire a une seule question pour "
                        "l'instant. Personne ne peut la déposer avant que vous ne publiiez "
                        "une version du formulaire."
                    ),
                )
                return _home(procedure)
        return render(request, "cases/administration/create.html", {"form": form}, status=400)
    return render(request, "cases/administration/create.html", {"form": form})


# --- Service, instructors and administrators (ADR 0021) -------------------------------------


def _team(request, procedure, status=200, **forms):
    """The team page, with the forms given (bound ones show their errors)."""
    forms.setdefault("invite_form", EmailForm(prefix="instructeur"))
    forms.setdefault("admin_form", EmailForm(prefix="administrateur"))
    forms.setdefault("service_form", ServiceForm(prefix="service"))
    context = {
        "procedure": procedure,
        "instructors": selectors.instructors_of(procedure),
        "administrators": selectors.administrators_of(procedure),
        "other_procedures": selectors.other_procedures_of_service(procedure),
        **forms,
    }
    return render(request, "cases/administration/team.html", context, status=status)


def _team_url(procedure, anchor=""):
    url = reverse("cases:administration_team", args=[procedure.slug])
    return f"{url}#{anchor}" if anchor else url


def _refused(form, error: ValidationError):
    for message in error.messages:
        form.add_error("email" if "email" in form.fields else None, message)


@administrator_required
def procedure_team(request, slug):
    procedure = selectors.procedure_administered(user=request.user, slug=slug)
    return _team(request, procedure)


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
def instructor_invite(request, slug):
    procedure = selectors.procedure_administered(user=request.user, slug=slug)
    form = EmailForm(request.POST, prefix="instructeur")
    if form.is_valid():
        try:
            services.instructor_invite(
                procedure=procedure, user=request.user, email=form.cleaned_data["email"]
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            # The same message whether the address had an account or not.
            messages.success(
                request,
                _(
                    "%(email)s instruit désormais le service « %(service)s ». Un courriel "
                    "lui explique comment se connecter."
                )
                % {"email": form.cleaned_data["email"], "service": procedure.service.name},
            )
            return redirect(_team_url(procedure, "instructeurs"))
    return _team(request, procedure, status=400, invite_form=form)


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
def instructor_remove(request, slug, user_id):
    procedure = selectors.procedure_administered(user=request.user, slug=slug)
    instructor = selectors.instructor_of(procedure=procedure, user_id=user_id)
    try:
        released = services.instructor_remove(
            procedure=procedure, user=request.user, instructor=instructor
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(_team_url(procedure, "instructeurs"))
    text = _("%(name)s n'instruit plus le service « %(service)s ».") % {
        "name": instructor.get_full_name() or instructor.email,
        "service": procedure.service.name,
    }
    if released:
        text += " " + ngettext(
            "La demande qui lui était confiée est de retour dans la file « À traiter ».",
            "Les %(count)d demandes qui lui étaient confiées sont de retour dans la file "
            "« À traiter ».",
            released,
        ) % {"count": released}
    messages.success(request, text)
    return redirect(_team_url(procedure, "instructeurs"))


@require_POST
@administrator_required
def service_create(request, slug):
    procedure = selectors.procedure_administered(user=request.user, slug=slug)
    form = ServiceForm(request.POST, prefix="service")
    if form.is_valid():
        service = _create(
            form,
            lambda: services.service_create(
                procedure=procedure,
                user=request.user,
                name=form.cleaned_data["name"],
                slug=form.cleaned_data["slug"],
                contact_email=form.cleaned_data["contact_email"],
                attach=form.cleaned_data["attach"],
            ),
        )
        if service is not None:
            if form.cleaned_data["attach"]:
                text = _(
                    "Le service « %(name)s » est créé et instruit désormais cette démarche. "
                    "Invitez ses instructeurs."
                )
            else:
                text = _(
                    "Le service « %(name)s » est créé. Vous pouvez le choisir dans les "
                    "paramètres de vos démarches."
                )
            messages.success(request, text % {"name": service.name})
            return redirect(_team_url(procedure, "service"))
    return _team(request, procedure, status=400, service_form=form)


@require_POST
@administrator_required
def administrator_add(request, slug):
    procedure = selectors.procedure_administered(user=request.user, slug=slug)
    form = EmailForm(request.POST, prefix="administrateur")
    if form.is_valid():
        try:
            added = services.administrator_add(
                procedure=procedure, user=request.user, email=form.cleaned_data["email"]
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(
                request,
                _("%(name)s administre désormais la démarche. Un courriel l'en informe.")
                % {"name": added.get_full_name() or added.email},
            )
            return redirect(_team_url(procedure, "administrateurs"))
    return _team(request, procedure, status=400, admin_form=form)


@require_POST
@administrator_required
def administrator_remove(request, slug, user_id):
    procedure = selectors.procedure_administered(user=request.user, slug=slug)
    administrator = selectors.administrator_of(procedure=procedure, user_id=user_id)
    try:
        services.administrator_remove(
            procedure=procedure, user=request.user, administrator=administrator
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(_team_url(procedure, "administrateurs"))
    messages.success(
        request,
        _("%(name)s n'administre plus la démarche.")
        % {"name": administrator.get_full_name() or administrator.email},
    )
    if not selectors.procedures_administered(request.user).filter(pk=procedure.pk).exists():
        # They removed themselves: the démarche's pages are no longer theirs.
        return redirect("api:administration" if selectors.may_administer(request.user) else "/")
    return redirect(_team_url(procedure, "administrateurs"))


def _email_change(key: str, old: str, new: str) -> str:
    name = email_texts.EVENTS[key][0] if key in email_texts.EVENTS else key
    if not old:
        return _("Courriel « %(name)s » : texte ajouté") % {"name": name}
    if not new:
        return _("Courriel « %(name)s » : texte retiré") % {"name": name}
    return _("Courriel « %(name)s » : texte modifié") % {"name": name}


@require_POST
@administrator_required
def routing_rule_move(request, slug, rule_id):
    procedure = selectors.procedure_administered(user=request.user, slug=slug)
    rule = selectors.routing_rule_of(procedure=procedure, rule_id=rule_id)
    up = request.POST.get("sens") != "bas"
    if services.routing_rule_move(procedure=procedure, user=request.user, rule=rule, up=up):
        messages.success(request, _("L'ordre des règles est modifié."))
    return _orientation(procedure)
