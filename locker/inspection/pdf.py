"""PDF parsing and active-content removal with pikepdf (qpdf).

What is refused: a file that needs a password to open, one qpdf would have to repair or
warns about (truncated, broken cross-reference), one without pages. What is removed,
wherever it lives (every object qpdf can reach, object streams included; qpdf decodes
``#xx`` escapes in names, so ``/J#61vaScript`` is ``/JavaScript`` here): JavaScript,
open and additional actions, actions other than internal go-to, named and web links,
embedded and attached files, XFA, rich media and multimedia annotations. Owner-password-
only encryption is dropped. The stored file is always the re-save, never the original,
so bytes after the end of the file and unreachable objects of older revisions go away.

``sanitise`` runs in a forked child under memory and CPU limits (see ``isolated.py``):
qpdf decodes object and cross-reference streams while parsing, and a decompression bomb
there must cost a refusal, not the worker.
"""

import io
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream

# Keys whose value is active content or carries a file; removed from every dictionary.
FORBIDDEN_KEYS = frozenset(
    {
        "/JS",
        "/JavaScript",
        "/AA",
        "/OpenAction",
        "/EmbeddedFiles",
        "/EF",
        "/RF",
        "/XFA",
        "/NeedsRendering",
        "/RichMediaContent",
        "/RichMediaSettings",
        "/RichMediaExecute",
        "/AlternatePresentations",
    }
)
# Keys whose value is an action (or chain of actions) to check against the allow-list.
ACTION_KEYS = ("/A", "/Next", "/PA")
SAFE_ACTIONS = frozenset({"/GoTo", "/URI", "/Named"})
SAFE_URI_SCHEMES = ("http://", "https://", "mailto:")
# Annotations that play, attach or execute something.
ACTIVE_ANNOTATIONS = frozenset(
    Name(n) for n in ("/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/Sound", "/3D")
)
# Action types that run, open, send or fetch something. Unlike the allow-list above, this
# list is used to recognise an action dictionary that is not under a known action key
# (``/S`` also names structure types and border styles, which must be left alone).
ACTIVE_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/ECMAScript",
        "/Launch",
        "/SubmitForm",
        "/ImportData",
        "/GoToR",
        "/GoToE",
        "/GoTo3DView",
        "/Thread",
        "/Rendition",
        "/RichMediaExecute",
        "/Movie",
        "/Sound",
        "/SetOCGState",
        "/Hide",
        "/Trans",
    }
)
MAX_DEPTH = 64


class PdfRefusedError(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class PdfOutcome:
    content: bytes
    sanitised: bool
    pages: int


def _is_action(obj) -> bool:
    if obj.get("/Type") == Name("/Action"):
        return True
    kind = obj.get("/S")
    return isinstance(kind, Name) and (str(kind) in ACTIVE_ACTIONS or str(kind) == "/URI")


def _holds_unsafe_action(value) -> bool:
    """True when an action key's value is (or lists) an action outside the allow-list;
    ``/A`` of a structure element holds attributes, not actions, and is kept."""
    items = list(value) if isinstance(value, Array) else [value]
    for item in items:
        is_action = isinstance(item, Dictionary) and (
            "/S" in item or item.get("/Type") == Name("/Action")
        )
        if is_action and not _is_safe_action(item):
            return True
    return False


def _is_safe_action(action) -> bool:
    if not isinstance(action, Dictionary):
        return False
    kind = action.get("/S")
    if not isinstance(kind, Name) or str(kind) not in SAFE_ACTIONS:
        return False
    if str(kind) == "/URI":
        uri = action.get("/URI")
        if not isinstance(uri, pikepdf.String):
            return False
        return bytes(uri).decode("latin-1").strip().lower().startswith(SAFE_URI_SCHEMES)
    return True


class _Sanitiser:
    def __init__(self):
        self.changed = False

    def clean(self, obj, depth: int = 0) -> None:
        """Clean one object and the direct objects nested in it (indirect ones are
        visited on their own from ``pdf.objects``)."""
        if depth > MAX_DEPTH:
            raise PdfRefusedError("pdf_damaged")
        if isinstance(obj, Stream | Dictionary):
            self._clean_dictionary(obj)
            children = [obj[key] for key in list(obj.keys())]
        elif isinstance(obj, Array):
            children = list(obj)
        else:
            return
        for child in children:
            if isinstance(child, pikepdf.Object) and not child.is_indirect:
                self.clean(child, depth + 1)

    def _clean_dictionary(self, obj) -> None:
        for key in list(obj.keys()):
            if key in FORBIDDEN_KEYS or key.startswith("/RichMedia"):
                del obj[key]
                self.changed = True
        for key in ACTION_KEYS:
            if key in obj and _holds_unsafe_action(obj[key]):
                del obj[key]
                self.changed = True
        if _is_action(obj) and not _is_safe_action(obj):
            # Neutralised in place too, whoever else points at it.
            self._empty(obj)
        if obj.get("/Subtype") in ACTIVE_ANNOTATIONS:
            self._empty(obj)
        if isinstance(obj, Stream) and obj.get("/Type") == Name.EmbeddedFile:
            obj.write(b"")
            self._empty(obj)

    def _empty(self, obj) -> None:
        keys = set(obj.keys()) - {"/Length", "/Filter", "/DecodeParms"}
        if keys:
            for key in keys:
                del obj[key]
            self.changed = True

    def drop_active_annotations(self, pdf: pikepdf.Pdf) -> None:
        for page in pdf.pages:
            annots = page.obj.get("/Annots")
            if not isinstance(annots, Array):
                continue
            kept = [
                a
                for a in annots
                if isinstance(a, Dictionary)
                and a.get("/Subtype") not in ACTIVE_ANNOTATIONS
                and len(a.keys()) > 0
            ]
            if len(kept) != len(annots):
                page.obj.Annots = Array(kept)
                self.changed = True


def sanitise(data: bytes) -> PdfOutcome:
    """Parse, clean and re-save a PDF; raise PdfRefusedError with a reason code otherwise."""
    try:
        pdf = pikepdf.open(io.BytesIO(data), attempt_recovery=False, suppress_warnings=True)
    except pikepdf.PasswordError as exc:
        raise PdfRefusedError("pdf_encrypted") from exc
    except (pikepdf.PdfError, ValueError, RuntimeError) as exc:
        raise PdfRefusedError("pdf_damaged") from exc
    with pdf:
        sanitiser = _Sanitiser()
        sanitiser.changed = pdf.is_encrypted
        try:
            page_count = len(pdf.pages)
            if page_count == 0:
                raise PdfRefusedError("pdf_damaged")
            sanitiser.drop_active_annotations(pdf)
            for obj in pdf.objects:
                sanitiser.clean(obj)
            sanitiser.clean(pdf.trailer)
            sanitiser.drop_active_annotations(pdf)
            if pdf.get_warnings():
                raise PdfRefusedError("pdf_damaged")
            out = io.BytesIO()
            pdf.save(
                out,
                encryption=False,
                compress_streams=False,
                fix_metadata_version=False,
                stream_decode_level=pikepdf.StreamDecodeLevel.none,
                object_stream_mode=pikepdf.ObjectStreamMode.preserve,
                deterministic_id=True,
            )
            if pdf.get_warnings():
                raise PdfRefusedError("pdf_damaged")
        except (pikepdf.PdfError, ValueError, RuntimeError, TypeError) as exc:
            raise PdfRefusedError("pdf_damaged") from exc
    return PdfOutcome(content=out.getvalue(), sanitised=sanitiser.changed, pages=page_count)
