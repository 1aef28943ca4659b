"""The instructor's demande page and the actions on its task: take, assign, release,
request information, decide, reopen; discussion and private notes."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import formdef
from cases import selectors as case_selectors
from cases import services as case_services
from locker import vault
from locker.inspection import download_response
from locker.intake import inspect_files, upload_intake
from workflows import selectors, services
from workflows.avis import selectors as avis_selectors
from workflows.avis.forms import AvisRequestForm
from workflows.flows import InstructionFlow
from workflows.forms import AssignForm, DecisionForm, MessageForm, NoteForm

from .common import instructor_required


def _page(request, case, *, status=200, **forms):
    task = selectors.open_task(case)
    colleagues = list(selectors.colleagues_of(request.user))
    context = {
        "case": case,
        "task": task,
        "node": task.flow_task.name if task else "",
        "is_mine": bool(task and task.owner_id == request.user.pk),
        "answers": [
            (s, formdef.display_value(s, case.answers))
            for s in formdef.shown(case.version.fields, case.answers)
            if not s.is_file
        ],
        "notes": selectors.case_private_notes(case),
        "assign_form": AssignForm(colleagues=colleagues),
        "message_form": forms.get("message_form") or MessageForm(),
        "discussion_form": forms.get("discussion_form") or MessageForm(prefix="discussion"),
        "note_form": forms.get("note_form") or NoteForm(prefix="note"),
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "refusals": forms.get("refusals", ()),
    }
    context.update(case_selectors.case_page_data(case=case))  # files, events, thread
    # Expert opinions (ADR 0408): the list, the request form, and their steps in the timeline.
    context["avis_list"] = avis_selectors.avis_for_case(case=case)
    context["avis_pending"] = [a for a in context["avis_list"] if a.is_pending]
    context["avis_form"] = forms.get("avis_form") or AvisRequestForm(
        case_files=list(case.files.all()), prefix="avis"
    )
    context["events"] = avis_selectors.instructor_timeline(case=case, events=context["events"])
    return render(request, "workflows/case.html", context, status=status)


def _back(case, anchor=""):
    return redirect(reverse("workflows:case", args=[case.number]) + anchor)


@instructor_required
def case_detail(request, number):
    return _page(request, selectors.case_for_instructor(user=request.user, number=number))


@instructor_required
def case_file(request, number, file_id):
    case = selectors.case_for_instructor(user=request.user, number=number)
    case_file = selectors.case_file_for_instructor(case=case, file_id=file_id)
    content = case_services.case_file_content(case_file)
    return download_response(content, filename=case_file.name, mime=case_file.mime)


@upload_intake("demande")
@require_POST
@instructor_required
def case_message(request, number):
    """Write in an open discussion, with files (inspection context "demande")."""
    case = selectors.case_for_instructor(user=request.user, number=number)
    form = MessageForm(request.POST, prefix="discussion")
    results, refusals = inspect_files(request, "files", context="demande")
    if not form.is_valid() or refusals:
        return _page(request, case, status=400, discussion_form=form, refusals=refusals)
    try:
        services.instruction_post_message(
            case=case, user=request.user, body=form.cleaned_data["body"], results=results
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(case)
    except vault.StorageUnavailableError:
        messages.error(request, vault.UNAVAILABLE_MESSAGE)
        return _page(request, case, status=503, discussion_form=form)
    messages.success(request, _("Votre message est envoyé à l'usager."))
    return _back(case, "#discussion")


@require_POST
@instructor_required
def case_note(request, number):
    case = selectors.case_for_instructor(user=request.user, number=number)
    form = NoteForm(request.POST, prefix="note")
    if not form.is_valid():
        return _page(request, case, status=400, note_form=form)
    services.instruction_add_note(case=case, user=request.user, body=form.cleaned_data["body"])
    messages.success(request, _("Note enregistrée."))
    return _back(case, "#notes")


@require_POST
@instructor_required
def case_reopen(request, number):
    case = selectors.case_for_instructor(user=request.user, number=number)
    try:
        services.instruction_reopen(case=case, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("La demande est rouverte. Elle est dans « À traiter »."))
    return _back(case)


def _task_case(request, task_id):
    task = selectors.task_for_instructor(user=request.user, task_id=task_id)
    return task, selectors.case_for_task(user=request.user, task=task)


@require_POST
@instructor_required
def task_take(request, task_id):
    task, case = _task_case(request, task_id)
    try:
        services.task_take(task=task, user=request.user)
    except services.TaskUnavailableError as error:
        messages.error(request, error.message)
        return _back(case)
    messages.success(request, _("Vous avez pris ce dossier."))
    return _back(case)


@require_POST
@instructor_required
def task_assign(request, task_id):
    task, case = _task_case(request, task_id)
    colleagues = list(selectors.colleagues_of(request.user))
    form = AssignForm(request.POST, colleagues=colleagues)
    if not form.is_valid():
        messages.error(request, _("Choisissez la personne à qui confier le dossier."))
        return _back(case)
    to = next(u for u in colleagues if u.pk == form.cleaned_data["to"])
    try:
        task = services.task_assign(task=task, user=request.user, to=to)
    except (services.TaskUnavailableError, ValidationError) as error:
        messages.error(request, getattr(error, "message", None) or " ".join(error.messages))
        return _back(case)
    to = task.owner or to  # an absent colleague's delegate takes it (ADR 0407)
    messages.success(
        request, _("Dossier confié à %(name)s.") % {"name": to.get_full_name() or to.email}
    )
    return _back(case)


@require_POST
@instructor_required
def task_release(request, task_id):
    task, case = _task_case(request, task_id)
    try:
        services.task_release(task=task, user=request.user)
    except services.TaskUnavailableError as error:
        messages.error(request, error.message)
        return _back(case)
    messages.success(request, _("Dossier remis dans « À traiter »."))
    return _back(case)


@upload_intake("demande")
@require_POST
@instructor_required
def task_execute(request, task_id):
    """One action on the task the instructor holds: complete, request, decide, resume."""
    task, case = _task_case(request, task_id)
    action = request.POST.get("action", "")
    bound = {}  # the form typed in, shown again if the files cannot be stored
    try:
        if action == "complete":
            services.task_check_complete(task=task, user=request.user)
            messages.success(request, _("Demande complète : vous pouvez maintenant décider."))
        elif action == "request":
            form = MessageForm(request.POST)
            bound = {"message_form": form}
            results, refusals = inspect_files(request, "files", context="demande")
            if not form.is_valid() or refusals:
                return _page(request, case, status=400, message_form=form, refusals=refusals)
            services.task_request_information(
                task=task, user=request.user, body=form.cleaned_data["body"], results=results
            )
            messages.success(request, _("Votre demande d'information est envoyée à l'usager."))
        elif action == "decide":
            form = DecisionForm(request.POST)
            bound = {"decision_form": form}
            documents, refusals = inspect_files(request, "document", context="demande")
            if not form.is_valid() or refusals:
                return _page(request, case, status=400, decision_form=form, refusals=refusals)
            services.task_decide(
                task=task,
                user=request.user,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                document=documents[0] if documents else None,
                generate_letter=form.cleaned_data["generate_letter"],
            )
            messages.success(request, _("La décision est enregistrée et envoyée à l'usager."))
        elif action == "resume" and task.flow_task == InstructionFlow.no_answer:
            services.task_resume(task=task, user=request.user)
            messages.success(request, _("L'instruction reprend."))
        else:
            raise PermissionDenied
    except services.TaskUnavailableError as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except vault.StorageUnavailableError:
        messages.error(request, vault.UNAVAILABLE_MESSAGE)
        return _page(request, case, status=503, **bound)
    return _back(case)
