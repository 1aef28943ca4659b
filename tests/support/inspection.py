"""Inspection helpers shared by the tests: inspect bytes as an upload, and list the active
content left in a stored PDF."""

import io

import pikepdf

from locker.inspection import inspect_upload

# Anything that would run, open, send or carry something in a PDF viewer.
ACTIVE_KEYS = {
    "/JS",
    "/JavaScript",
    "/AA",
    "/OpenAction",
    "/EmbeddedFiles",
    "/EmbeddedFile",
    "/EF",
    "/XFA",
    "/RichMediaContent",
    "/RichMediaSettings",
}
ACTIVE_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/SubmitForm",
    "/ImportData",
    "/GoToR",
    "/GoToE",
    "/Rendition",
    "/RichMediaExecute",
}
ACTIVE_SUBTYPES = {"/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"}


def active_content(data: bytes) -> list[str]:
    """Every active element found by re-opening stored bytes and walking all objects
    (object streams included), plus a scan of a fully uncompressed re-save."""
    found = []
    with pikepdf.open(io.BytesIO(data)) as pdf:

        def walk(obj, depth=0):
            if depth > 50:
                return
            if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                for key in obj:
                    if key in ACTIVE_KEYS:
                        found.append(key)
                if str(obj.get("/S", "")) in ACTIVE_ACTIONS:
                    found.append(str(obj.S))
                if str(obj.get("/Subtype", "")) in ACTIVE_SUBTYPES:
                    found.append(str(obj.Subtype))
                if str(obj.get("/Type", "")) == "/EmbeddedFile":
                    found.append("/EmbeddedFile")
                uri = obj.get("/URI")
                if uri is not None and str(uri).lower().startswith("javascript"):
                    found.append("javascript: URI")
                children = [obj[k] for k in obj]
            elif isinstance(obj, pikepdf.Array):
                children = list(obj)
            else:
                return
            for child in children:
                if isinstance(child, pikepdf.Object) and not child.is_indirect:
                    walk(child, depth + 1)

        for obj in pdf.objects:
            walk(obj)
        walk(pdf.trailer)
        plain = io.BytesIO()
        pdf.save(
            plain,
            qdf=True,
            object_stream_mode=pikepdf.ObjectStreamMode.disable,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,
        )
    raw = plain.getvalue()
    for needle in (b"app.alert", b"cmd.exe", b"payload.exe", b"<xdp:xdp", b"evil.example"):
        if needle in raw:
            found.append(needle.decode())
    return found


def inspect(data: bytes, name: str = "fichier.pdf", context: str = "demande"):
    return inspect_upload(io.BytesIO(data), name=name, context=context)
