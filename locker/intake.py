"""Upload intake: the one way a view receives files (ADR 0104).

- ``@upload_intake(context)`` caps every file of the request before Django reads the body:
  an oversize file costs one chunk of memory, never its whole size (the CSRF check, which
  reads the body, runs after the cap is installed).
- ``inspect_files(request, field, context=...)`` inspects each uploaded file of a field
  once and sorts the verdicts: services receive only accepted results
  (``InspectionResult``), views show the refused ones next to the field.

Every view that takes files — porte-documents, demande form, applicant reply, instructor
message, request and decision — goes through both.
"""

from functools import wraps

from django.views.decorators.csrf import csrf_exempt, csrf_protect

from .inspection import InspectionResult, inspect_upload
from .inspection.uploads import cap_uploads


def upload_intake(context: str):
    """Cap the uploads of the decorated view with the limits of ``context``."""

    def decorate(view):
        protected = csrf_protect(view)

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            cap_uploads(request, context=context)
            return protected(request, *args, **kwargs)

        wrapper.upload_context = context  # read by tests/locker/test_intake.py
        return csrf_exempt(wrapper)

    return decorate


def inspect_files(
    request, field: str, *, context: str, limit: int | None = None
) -> tuple[list[InspectionResult], list[InspectionResult]]:
    """``(accepted, refused)`` for the files uploaded in ``field`` (at most ``limit``)."""
    accepted, refused = [], []
    for upload in request.FILES.getlist(field)[:limit]:
        result = inspect_upload(upload, name=upload.name, context=context)
        (accepted if result.accepted else refused).append(result)
    return accepted, refused


__all__ = ["inspect_files", "upload_intake"]
