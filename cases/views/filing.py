"""Filing a demande: start, fill and save the draft (files included), confirm the email
without an account, review, submit."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases import formdef, selectors, services, tracking
from cases.forms import CodeForm, EmailForm
from identity import ratelimit
from identity.selectors import current_space
from locker import vault
from locker.intake import inspect_files, upload_intake

from .layout import form_blocks


def procedure_list(request):
    return render(request, "cases/procedure_list.html", {"procedures": selectors.procedures_open()})


@require_http_methods(["GET", "POST"])
def procedure_start(request, slug):
    procedure = selectors.procedure_open_by_slug(slug=slug)
    user = request.user if request.user.is_authenticated else None
    if request.method == "POST":
        if user is None and procedure.account_required:
            return redirect(f"{_login_url()}?next={request.path}")
        if user is None:
            # Drafts without an account can send email codes: starting them is limited.
            limits = [("case_start_anonymous_ip", ratelimit.client_ip(request))]
            if ratelimit.blocked(limits):
                messages.error(
                    request,
                    _(
                        "Trop de demandes ont été commencées depuis votre connexion. "
                        "Réessayez plus tard, ou connectez-vous à votre compte."
                    ),
                )
                return render(
                    request, "cases/procedure_start.html", {"procedure": procedure}, status=429
                )
            ratelimit.hit_all(limits)
        space = current_space(request) if user else None
        refusal = procedure.refuses_space(space)
        if refusal:
            context = {"procedure": procedure, "refusal": refusal}
            return render(request, "cases/procedure_start.html", context, status=403)
        case = services.case_start(procedure=procedure, user=user, space=space)
        if user is None:
            selectors.remember_draft(request.session, case)
        return redirect("cases:draft_edit", case_id=case.pk)
    refusal = procedure.refuses_space(_space(request)) if user else ""
    return render(
        request, "cases/procedure_start.html", {"procedure": procedure, "refusal": refusal}
    )


def _space(request):
    """The space a logged-in person acts in; None without an account."""
    return current_space(request) if request.user.is_authenticated else None


def _login_url():
    return resolve_url(settings.LOGIN_URL)


def _file_fields(case):
    by_field = {}
    for case_file in case.files.filter(message__isnull=True):
        by_field.setdefault(case_file.field_name, []).append(case_file)
    return [
        (spec, by_field.get(spec.name, []), bool(case.answers.get(f"{spec.name}__later")))
        for spec in case.version.fields
        if spec.is_file
    ]


def _attach_uploads(request, case) -> dict[str, list[str]]:
    """Inspect every uploaded file and copy every chosen locker document; returns the
    refusal messages per field."""
    refusals: dict[str, list[str]] = {}
    for spec in case.version.fields:
        if not spec.is_file:
            continue
        chosen = request.POST.getlist(f"locker__{spec.name}")
        if chosen:
            try:
                services.case_attach_locker_documents(
                    case=case, field_name=spec.name, document_ids=chosen
                )
            except ValidationError as error:
                refusals.setdefault(spec.name, []).extend(error.messages)
        accepted, refused = inspect_files(request, f"file__{spec.name}", context="demande")
        for result in refused:
            refusals.setdefault(spec.name, []).append(f"{result.stored_name} : {result.message}")
        for result in accepted:
            try:
                services.case_attach_file(case=case, field_name=spec.name, result=result)
            except ValidationError as error:
                refusals.setdefault(spec.name, []).extend(error.messages)
            except vault.StorageUnavailableError:
                refusals.setdefault(spec.name, []).append(
                    f"{result.stored_name} : {vault.UNAVAILABLE_MESSAGE}"
                )
    return refusals


@upload_intake("demande")
@require_http_methods(["GET", "POST"])
def draft_edit(request, case_id):
    """Fill the draft. Every save keeps the valid answers, even when another one has an
    error; the autosave (``autosave`` in the POST, sent by upload.js) answers in JSON."""
    case = selectors.draft_for(space=_space(request), session=request.session, case_id=case_id)
    specs = case.version.fields
    form_class = formdef.build_form_class(specs, drafting=True)
    locked = services.locked_answers(case)
    refusals = {}
    if request.method == "POST":
        form = _locked(form_class(request.POST, initial=formdef.to_initial(specs, locked)), locked)
        form.is_valid()
        answers = formdef.answers_to_save(specs, form, case.answers)
        services.case_save_answers(case=case, answers={**answers, **locked})
        if "autosave" in request.POST:
            return _autosave_report(form)
        # Answers are saved whatever happens to the files sent with them.
        refusals = _attach_uploads(request, case)
        if not form.errors and not refusals:
            if "review" in request.POST:
                return redirect("cases:draft_review", case_id=case.pk)
            messages.success(request, _("Votre brouillon est enregistré."))
            return redirect("cases:draft_edit", case_id=case.pk)
    else:
        answers = {**services.prefill_missing(case), **case.answers, **locked}
        form = _locked(form_class(initial=formdef.to_initial(specs, answers)), locked)
    file_fields = _file_fields(case)
    context = {
        "case": case,
        "form": form,
        "blocks": form_blocks(specs, form, {spec.name: files for spec, files, _ in file_fields}),
        "file_fields": file_fields,
        "refusals": refusals,
        "locker_documents": selectors.locker_documents_for(case=case),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "cases/draft_edit.html", context, status=status)


def _locked(form, locked: dict):
    """Identity fields FranceConnect vouches for: shown, not editable (the browser sends
    nothing for a disabled field, and Django keeps the initial value whatever is sent)."""
    for name in locked:
        if name in form.fields:
            form.fields[name].disabled = True
            form.fields[name].help_text = _("Donnée transmise par FranceConnect.")
    return form


def _autosave_report(form) -> JsonResponse:
    """What the autosave tells the person: saved, and which answers were not (and why)."""
    time = formats.time_format(timezone.localtime(), "H:i")
    invalid = [
        {"label": str(form[name].label), "errors": errors}
        for name, errors in form.errors.items()
        if name in form.fields
    ]
    if not invalid:
        message = _("Brouillon enregistré à %(time)s.") % {"time": time}
    else:
        message = _(
            "Brouillon enregistré à %(time)s, sauf ces réponses à corriger : %(fields)s."
        ) % {"time": time, "fields": ", ".join(item["label"] for item in invalid)}
    return JsonResponse({"saved": True, "message": message, "invalid": invalid})


@require_POST
def draft_remove_file(request, case_id, file_id):
    case = selectors.draft_for(space=_space(request), session=request.session, case_id=case_id)
    case_file = selectors.case_file_for_applicant(case=case, file_id=file_id)
    services.case_remove_file(case=case, file=case_file)
    messages.info(request, _("Le fichier « %(name)s » est retiré.") % {"name": case_file.name})
    return redirect("cases:draft_edit", case_id=case.pk)


@require_http_methods(["GET", "POST"])
def draft_review(request, case_id):
    case = selectors.draft_for(space=_space(request), session=request.session, case_id=case_id)
    # Only this page's own button files the demande: another POST here (a late autosave of
    # the form page, whose answer replaced that page) must never file it behind the
    # applicant's back.
    if request.method == "POST" and request.POST.get("deposer") == "1":
        if not case.email_verified:
            return redirect("cases:draft_email", case_id=case.pk)
        try:
            case = services.case_submit(
                case=case, actor=request.user if request.user.is_authenticated else None
            )
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
            return redirect("cases:draft_review", case_id=case.pk)
        tracking.grant(request.session, case)
        return redirect("cases:case_submitted", number=case.number)
    shown = formdef.shown(case.version.fields, case.answers)
    summary = [
        (spec, formdef.display_value(spec, case.answers)) for spec in shown if not spec.is_file
    ]
    context = {
        "case": case,
        "summary": summary,
        # The files of a field the answers hid are not sent: not listed either.
        "file_fields": [item for item in _file_fields(case) if item[0] in shown],
        "missing": services.missing_items(case),
    }
    return render(request, "cases/draft_review.html", context)


@require_http_methods(["GET", "POST"])
def draft_email(request, case_id):
    """Without an account: a 6-digit code sent to the email proves it before submission."""
    case = selectors.draft_for(space=_space(request), session=request.session, case_id=case_id)
    # The contact email typed in the form is the likely answer: no need to type it twice.
    typed = formdef.contact_email(case.version.fields, case.answers)
    email_form = EmailForm(initial={"email": case.applicant_email or typed})
    code_form = CodeForm()
    if request.method == "POST" and "send" in request.POST:
        email_form = EmailForm(request.POST)
        if email_form.is_valid():
            email = email_form.cleaned_data["email"]
            # Per draft, per destination address and per IP: a free service must not be
            # turned into a way to flood someone's mailbox.
            limits = [
                ("case_email_code", str(case.pk)),
                ("case_email_code_address", email.lower()),
                ("case_email_code_ip", ratelimit.client_ip(request)),
            ]
            if ratelimit.blocked(limits):
                messages.error(
                    request, _("Trop de codes demandés. Réessayez dans quelques minutes.")
                )
            else:
                ratelimit.hit_all(limits)
                services.case_send_email_code(case=case, email=email)
                messages.success(request, _("Un code vient de vous être envoyé par courriel."))
            return redirect("cases:draft_email", case_id=case.pk)
    elif request.method == "POST":
        code_form = CodeForm(request.POST)
        if code_form.is_valid():
            if services.case_verify_email_code(case=case, code=code_form.cleaned_data["code"]):
                messages.success(
                    request, _("Votre adresse est confirmée. Vous pouvez déposer votre demande.")
                )
                return redirect("cases:draft_review", case_id=case.pk)
            code_form.add_error(
                "code",
                _("Ce code n'est pas bon ou n'est plus valable. Demandez-en un nouveau si besoin."),
            )
    return render(
        request,
        "cases/draft_email.html",
        {
            "case": case,
            "email_form": email_form,
            "code_form": code_form,
            "from_form": bool(typed) and not case.applicant_email,
        },
    )
