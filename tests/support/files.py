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


def pdf_uris(data: bytes) -> list[str]:
    """Every URI action anywhere in a PDF (link annotations, outlines, open actions)."""
    with pikepdf.open(BytesIO(data)) as pdf:
        return [
            str(obj["/URI"])
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Dictionary) and "/URI" in obj
        ]


def pdf_link_annotations(data: bytes) -> list:
    """(page number, action) of every link annotation of a PDF."""
    with pikepdf.open(BytesIO(data)) as pdf:
        return [
            (number, repr(annotation.get("/A")))
            for number, page in enumerate(pdf.pages, 1)
            for annotation in page.obj.get("/Annots", [])
            if annotation.get("/Subtype") == "/Link"
        ]


def pdf_images(data: bytes) -> int:
    """How many image XObjects a PDF holds."""
    with pikepdf.open(BytesIO(data)) as pdf:
        return sum(
            1
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"
        )


def pdf_shown_text(data: bytes) -> str:
    """The text a reader sees, line by line: the strings of every text-showing operator,
    joined (ReportLab splits a line into several strings around ``<`` and ``&``)."""
    lines, line = [], []
    with pikepdf.open(BytesIO(data)) as pdf:
        for page in pdf.pages:
            for operands, operator in pikepdf.parse_content_stream(page):
                name = str(operator)
                if name == "Tj":
                    line.append(str(operands[0]))
                elif name == "TJ":
                    line += [str(part) for part in operands[0] if isinstance(part, pikepdf.String)]
                elif name in ("T*", "Td", "TD", "Tm", "ET"):
                    lines.append("".join(line))
                    line = []
    return "\n".join(text for text in lines if text)


# Answers that ReportLab would read as markup: a server file pulled in as an image, a link
# action, an attribute that makes the parser raise.
HOSTILE_MARKUP = {
    "image": '<img src="{image}" width="40" height="40"/>',
    "link": '<a href="javascript:alert">Lilas</a>',
    "font": '<font face="nope" onerror="x">Lilas</font>',
}


def assert_harmless_pdf(data: bytes, typed: str, *, site_url: str) -> None:
    """The PDF carries no link other than ours, no image, and shows ``typed`` as typed."""
    assert [u for u in pdf_uris(data) if not u.startswith(site_url)] == []
    assert pdf_link_annotations(data) == []
    assert pdf_images(data) == 0
    shown = " ".join(pdf_shown_text(data).split())  # a long text may wrap between words
    assert " ".join(typed.split()) in shown
