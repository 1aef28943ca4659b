"""The administrator's preview of the form being edited (ADR 0020): the applicant's page,
from the same templates, filled as a test. Nothing is stored: no demande, no file; the
files sent are counted, never read or kept."""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _

from cases import formdef
from cases.views.layout import form_blocks
from locker.intake import upload_intake

from . import selectors
from .views import administrator_required


@upload_intake("demande")  # the same size cap as the applicant's form
@administrator_required
def procedure_preview(request, slug):
    procedure = selectors.procedure_administered(user=request.user, slug=slug)
    try:
        specs = formdef.parse(procedure.definition)
    except ValidationError as error:  # saved outside the builder (Django admin, shell)
        context = {"procedure": procedure, "definition_errors": error.messages}
        return render(request, "cases/administration/preview.html", context)
    form_class = formdef.build_form_class(specs, drafting=True)
    form = form_class(request.POST or None)
    result = None
    if request.method == "POST":
        form.is_valid()
        answers = formdef.to_answers(specs, form.cleaned_data)
        sent = {spec.name: request.FILES.getlist(f"file__{spec.name}") for spec in specs}
        missing = formdef.missing_labels(specs, answers, {n for n, files in sent.items() if files})
        too_many = [
            _("« %(label)s » : %(n)d fichiers au plus.") % {"label": s.label, "n": s.max_files}
            for s in specs
            if s.is_file and len(sent[s.name]) > s.max_files
        ]
        result = {
            "complete": not form.errors and not missing and not too_many,
            "missing": missing,
            "problems": too_many,
            "summary": [
                (
                    spec,
                    ", ".join(f.name for f in sent[spec.name]) or _("aucun fichier")
                    if spec.is_file
                    else formdef.display_value(spec, answers),
                )
                for spec in formdef.shown(specs, answers)
            ],
        }
    context = {
        "procedure": procedure,
        "form": form,
        "blocks": form_blocks(specs, form),
        "result": result,
        "refusals": {},
    }
    status = 400 if result and not result["complete"] else 200
    return render(request, "cases/administration/preview.html", context, status=status)
