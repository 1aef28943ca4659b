"""Test corpus built by the tests themselves: PDFs with pikepdf, images with Pillow.

Nothing here is a binary blob from elsewhere; every tricky file is made next to a plain
one so each rule is shown by a pass and a refusal.
"""

from pikepdf import Dictionary, String

from .images import (
    gradient,
    image_bytes,
    jpeg_declaring,
    jpeg_with_gps,
    mpo_photo,
    png_declaring,
    png_of_size,
    png_with_gps,
)
from .pdfs import (
    JS,
    JS_LOCATIONS,
    OTHER_ACTIVE,
    _js_open_action,
    new_pdf,
    pdf_bomb,
    pdf_encrypted,
    pdf_form,
    pdf_of_size,
    pdf_with,
    pdf_with_incremental_js,
    pdf_with_js_in_old_revision,
    pdf_with_link,
    respell_names,
    save,
)

__all__ = [
    "JS",
    "JS_LOCATIONS",
    "OTHER_ACTIVE",
    "Dictionary",
    "String",
    "_js_open_action",
    "gradient",
    "image_bytes",
    "jpeg_declaring",
    "jpeg_with_gps",
    "mpo_photo",
    "new_pdf",
    "pdf_bomb",
    "pdf_encrypted",
    "pdf_form",
    "pdf_of_size",
    "pdf_with",
    "pdf_with_incremental_js",
    "pdf_with_js_in_old_revision",
    "pdf_with_link",
    "png_declaring",
    "png_of_size",
    "png_with_gps",
    "respell_names",
    "save",
]
