"""A finished demande as a ZIP for its applicant, before it is deleted (ADR 0406): a
readable summary of the answers and the decision, the receipt, the files of the form and
of the discussion (the decision letter is one of these), streamed one file at a time."""

from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from locker.archive import entries_stream

from . import formdef, receipt
from .models import Case, CaseFile, CaseMessage
from .services import case_file_content


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%d/%m/%Y %H:%M}" if moment else "—"


def summary(case: Case) -> str:
    """The demande as plain text: what the applicant answered, what was decided, and the
    discussion (instructors shown by role, as on the demande page)."""
    lines = [
        case.procedure.title,
        _("Demande n° %(number)s") % {"number": case.display_number},
        _("Service : %(name)s") % {"name": case.service.name},
        _("Déposée le : %(date)s") % {"date": _when(case.submitted_at)},
        _("État : %(state)s") % {"state": case.get_status_display()},
        _("Décision le : %(date)s") % {"date": _when(case.decided_at)},
    ]
    if case.decision_reason:
        lines.append(_("Motif : %(reason)s") % {"reason": case.decision_reason})
    lines += ["", _("Vos réponses"), "=" * len(_("Vos réponses"))]
    for spec in formdef.shown(case.version.fields, case.answers):
        if not spec.is_file:
            lines.append(f"{spec.label} : {formdef.display_value(spec, case.answers)}")
    messages = CaseMessage.objects.filter(case=case)
    if messages:
        lines += ["", _("Messagerie"), "=" * len(_("Messagerie"))]
        for message in messages:
            lines += [
                "",
                f"{message.get_author_role_display()} — {_when(message.created_at)}",
                message.body,
            ]
    return "\n".join(lines) + "\n"


def archive_name(case: Case) -> str:
    return f"demande-{case.number}.zip"


def stream(case: Case) -> Iterator[bytes]:
    """The ZIP, entry by entry. The caller has checked who may read the demande."""
    folder = _("Demande")
    entries = [
        (folder, "demande.txt", timezone.now(), lambda: summary(case).encode()),
        (folder, f"recepisse-{case.number}.pdf", case.submitted_at, lambda: receipt.build(case)),
    ]
    for file in CaseFile.objects.filter(case=case).select_related("case"):
        place = _("Pièces jointes") if file.message_id is None else _("Messagerie")
        entries.append((place, file.name, file.created_at, lambda f=file: case_file_content(f)))
    return entries_stream(entries)
