"""Small valid files made by the tests themselves (no binary blobs in the repository)."""

from io import BytesIO

import pikepdf
from PIL import Image


def pdf_bytes(pages: int = 1) -> bytes:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
    buffer = BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def png_bytes(size=(64, 48), color=(0, 0, 145)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def pdf_text(data: bytes) -> str:
    """All decoded page content of a PDF, to look for the text a PDF shows."""
    with pikepdf.open(BytesIO(data)) as pdf:
        chunks = []
        for page in pdf.pages:
            contents = page.obj.get("/Contents")
            streams = contents if isinstance(contents, pikepdf.Array) else [contents]
            chunks += [s.read_bytes().decode("latin-1") for s in streams if s is not None]
        return "\n".join(chunks)
