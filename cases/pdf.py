"""The one place where generated PDFs (receipt, decision letter, any later one) put text.

ReportLab's ``Paragraph`` parses its text as markup: ``<img src>`` embeds a file of the
server, ``<a href>`` plants a link action, a bad ``<font>`` attribute raises. Text that
comes from a person (answers, file names, reasons, templates, titles) is escaped here, so
it is drawn as typed. PDF builders make their paragraphs with these two functions and never
import ``Paragraph`` themselves (a test walks the code to keep it so).
"""

from xml.sax.saxutils import escape

from reportlab.platypus import Paragraph


def paragraph(text, style) -> Paragraph:
    """``text`` drawn as typed; its line breaks are kept."""
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def markup(template: str, style, **values) -> Paragraph:
    """Our own markup (a translated string such as ``"Numéro : <b>%(number)s</b>"``) with
    every value escaped: only the template, written in this code base, is markup."""
    return Paragraph(template % {name: escape(str(v)) for name, v in values.items()}, style)
