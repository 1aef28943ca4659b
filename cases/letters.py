"""Decision letters generated from a procedure's template, drawn with ReportLab."""

import re
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer

from .pdf import paragraph

_VARIABLE = re.compile(r"\{(\w+)\}")


def decision_letter(case, template: str = "") -> bytes:
    """The letter of the case's decision, from ``template`` (default: the démarche's)."""
    values = {
        "numero": case.display_number,
        "demarche": case.procedure.title,
        "decision": case.get_status_display(),
        "motif": case.decision_reason or "—",
        "date": f"{timezone.localtime(case.decided_at or timezone.now()):%d/%m/%Y}",
        "service": case.service.name,
    }
    # Plain {name} substitution (no attribute access as str.format would allow); an unknown
    # variable stays as typed.
    text = _VARIABLE.sub(
        lambda m: values.get(m.group(1), m.group(0)), template or case.procedure.decision_letter
    )
    styles = getSampleStyleSheet()
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=_("Décision %(number)s") % {"number": case.display_number},
        leftMargin=20 * mm,
        rightMargin=20 * mm,
    )
    story = [paragraph(case.service.name, styles["Heading2"]), Spacer(1, 8 * mm)]
    for block in text.split("\n\n"):
        story += [paragraph(block, styles["Normal"]), Spacer(1, 4 * mm)]
    document.build(story)
    return buffer.getvalue()
