"""``inspect_upload``: read within the limit, identify, parse, clean, decide.

Order matters: the size cap is enforced while reading, so an oversize upload is never
held whole in memory and never reaches a parser; libmagic is only a first filter; the
name's extension must agree with the detected type; the real parse decides.
"""

import hashlib
import logging
from dataclasses import dataclass

import magic

from . import antivirus, images, pdf
from .isolated import ChildError, run_limited
from .messages import message_for
from .names import clean_name, split_extension
from .policy import EXTENSIONS, JPEG, PDF, PNG, Policy, policy_for

logger = logging.getLogger(__name__)

MAGIC_BYTES = 16 * 1024
READ_CHUNK = 64 * 1024


@dataclass(frozen=True)
class InspectionResult:
    """The verdict on one upload.

    ``content`` is what to store (only when accepted): always the cleaned re-save, never
    the received bytes. ``size`` and ``sha256`` describe ``content`` when accepted; on a
    refusal ``size`` is how many bytes were read (the limit + 1 for an oversize file).
    ``sanitised`` says something was removed that the sender may notice: active PDF
    content, a PDF's owner password, an image's GPS position.
    """

    accepted: bool
    reason: str | None
    message: str | None
    mime: str | None
    size: int
    sha256: str | None
    sanitised: bool
    stored_name: str
    content: bytes | None = None

    def as_json(self) -> dict:
        """The operator command's contract (see the ``inspect_upload`` command)."""
        return {
            "verdict": "accept" if self.accepted else "reject",
            "reason": self.reason,
            "message": self.message,
            "mime": self.mime,
            "size": self.size,
            "sha256": self.sha256,
            "sanitised": self.sanitised,
            "stored_name": self.stored_name,
        }


class _RefusalError(Exception):
    def __init__(self, reason: str, mime: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.mime = mime


def _read_capped(fileobj, limit: int) -> bytes:
    """Read at most ``limit`` + 1 bytes; one more than the limit means too large."""
    chunks, total = [], 0
    while total <= limit:
        chunk = fileobj.read(min(READ_CHUNK, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _detect(head: bytes, policy: Policy) -> str:
    detected = magic.from_buffer(head, mime=True)
    if detected not in policy.allowed_types:
        raise _RefusalError("type_not_allowed", detected)
    return detected


def _parse(data: bytes, mime: str, policy: Policy) -> tuple[bytes, bool]:
    if mime == PDF:
        try:
            outcome = run_limited(
                pdf.sanitise,
                data,
                memory_budget=policy.pdf_memory_limit,
                time_limit=policy.pdf_time_limit,
            )
        except pdf.PdfRefusedError as exc:
            raise _RefusalError(exc.reason, mime) from exc
        except ChildError as exc:
            raise _RefusalError("pdf_too_complex", mime) from exc
        except Exception as exc:
            # A parser failure we did not foresee: refuse, and leave a trace to fix it.
            logger.exception("unexpected PDF parser failure")
            raise _RefusalError("pdf_damaged", mime) from exc
        return outcome.content, outcome.sanitised
    try:
        outcome = images.reencode(
            data, mime=mime, max_pixels=policy.image_max_pixels, max_side=policy.image_max_side
        )
    except images.ImageRefusedError as exc:
        raise _RefusalError(exc.reason, mime) from exc
    except Exception as exc:
        logger.exception("unexpected image decoder failure")
        raise _RefusalError("image_damaged", mime) from exc
    return outcome.content, outcome.sanitised


def inspect_upload(fileobj, *, name: str, context: str) -> InspectionResult:
    """Inspect one upload read from ``fileobj`` (any object with ``read(n)``).

    Never raises for bad content or names; raises ValueError for an unknown context.
    """
    policy = policy_for(context)
    stored_name = clean_name(name)
    data = _read_capped(fileobj, policy.max_bytes)
    mime = None
    try:
        if len(data) > policy.max_bytes:
            raise _RefusalError("too_large")
        if not data:
            raise _RefusalError("empty")
        mime = _detect(data[:MAGIC_BYTES], policy)
        if split_extension(stored_name)[1] not in EXTENSIONS[mime]:
            raise _RefusalError("extension_mismatch", mime)
        content, sanitised = _parse(data, mime, policy)
        if len(content) > policy.max_bytes:
            # Rare (a re-encode larger than a tightly compressed original), but what is
            # stored must itself pass inspection.
            raise _RefusalError("too_large", mime)
        if antivirus.enabled():
            try:
                clean = antivirus.is_clean(content)
            except antivirus.ScanError as exc:
                raise _RefusalError("scan_unavailable", mime) from exc
            if not clean:
                raise _RefusalError("infected", mime)
    except _RefusalError as refusal:
        return InspectionResult(
            accepted=False,
            reason=refusal.reason,
            message=message_for(refusal.reason, policy=policy, mime=refusal.mime or mime),
            mime=refusal.mime or mime,
            size=len(data),
            sha256=None,
            sanitised=False,
            stored_name=stored_name,
        )
    return InspectionResult(
        accepted=True,
        reason=None,
        message=None,
        mime=mime,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        sanitised=sanitised,
        stored_name=stored_name,
        content=content,
    )


__all__ = ["JPEG", "PDF", "PNG", "InspectionResult", "inspect_upload"]
