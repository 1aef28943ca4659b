"""The PDF receipt (récépissé) of a submitted demande, drawn with ReportLab."""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from . import formdef
from .pdf import markup, paragraph


def build(case) -> bytes:
    styles = getSampleStyleSheet()
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=_("Récépissé %(number)s") % {"number": case.display_number},
        leftMargin=18 * mm,
        rightMargin=18 * mm,
    )
    submitted = timezone.localtime(case.submitted_at)
    story = [
        paragraph(_("Récépissé de dépôt"), styles["Title"]),
        paragraph(case.procedure.title, styles["Heading2"]),
        markup(
            _("Numéro de la demande : <b>%(number)s</b>"),
            styles["Normal"],
            number=case.display_number,
        ),
        paragraph(
            _("Déposée le %(date)s à %(time)s")
            % {"date": f"{submitted:%d/%m/%Y}", "time": f"{submitted:%H:%M}"},
            styles["Normal"],
        ),
        paragraph(_("Service : %(name)s") % {"name": case.service.name}, styles["Normal"]),
        Spacer(1, 6 * mm),
        paragraph(_("Vos réponses"), styles["Heading3"]),
    ]
    cell = styles["BodyText"]
    rows = [
        [paragraph(spec.label, cell), paragraph(formdef.display_value(spec, case.answers), cell)]
        for spec in formdef.shown(case.version.fields, case.answers)
        if not spec.is_file
    ]
    story.append(_table(rows, [70 * mm, 104 * mm]))
    files = list(case.files.filter(message__isnull=True))
    story += [Spacer(1, 6 * mm), paragraph(_("Pièces jointes"), styles["Heading3"])]
    if files:
        file_rows = [
            [paragraph(f.name, cell), markup("<font size=7>%(sha)s</font>", cell, sha=f.sha256)]
            for f in files
        ]
        story.append(
            _table([[_("Fichier"), _("Empreinte SHA-256")], *file_rows], [60 * mm, 114 * mm])
        )
    else:
        story.append(paragraph(_("Aucune pièce jointe."), styles["Normal"]))
    story += [
        Spacer(1, 8 * mm),
        paragraph(
            _(
                "Ce récépissé atteste le dépôt de votre demande. Il ne vaut pas décision. "
                "L'empreinte SHA-256 permet de vérifier qu'un fichier n'a pas changé."
            ),
            styles["Italic"],
        ),
    ]
    document.build(story)
    return buffer.getvalue()


def _table(rows, widths):
    table = Table(rows, colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table
