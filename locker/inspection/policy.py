"""Per-context upload policy, read from settings at call time (tests may override them)."""

from dataclasses import dataclass

from django.conf import settings

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"

# Detected type -> extensions a name may carry for it (compared case-insensitively).
EXTENSIONS = {
    PDF: (".pdf",),
    PNG: (".png",),
    JPEG: (".jpg", ".jpeg"),
}

CONTEXTS = ("demande", "locker")


@dataclass(frozen=True)
class Policy:
    context: str
    max_bytes: int
    allowed_types: tuple[str, ...]
    image_max_pixels: int
    image_max_side: int
    pdf_memory_limit: int
    pdf_time_limit: int


def policy_for(context: str) -> Policy:
    """The policy of an upload context; an unknown context is a programming error."""
    if context not in CONTEXTS:
        raise ValueError(f"unknown upload context {context!r}; expected one of {CONTEXTS}")
    return Policy(
        context=context,
        max_bytes=settings.GUICHET_UPLOAD_MAX_BYTES[context],
        allowed_types=(PDF, PNG, JPEG),
        image_max_pixels=settings.GUICHET_IMAGE_MAX_PIXELS,
        image_max_side=settings.GUICHET_IMAGE_MAX_SIDE,
        pdf_memory_limit=settings.GUICHET_PDF_MEMORY_LIMIT_BYTES,
        pdf_time_limit=settings.GUICHET_PDF_TIME_LIMIT_SECONDS,
    )
