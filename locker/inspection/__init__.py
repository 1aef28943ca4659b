"""File inspection used by every upload in the project (PRODUCT.md §2.10).

Public API (stable):

- ``inspect_upload(fileobj, *, name, context) -> InspectionResult``
- ``download_response(content, *, filename, mime)`` and ``content_disposition(filename)``
- ``clean_name(name)``, ``policy_for(context)``, ``REASONS``

See docs/adr/0100-file-inspection.md for the decisions behind it.
"""

from .core import InspectionResult, inspect_upload
from .messages import REASONS, message_for
from .names import clean_name
from .policy import CONTEXTS, JPEG, PDF, PNG, policy_for
from .responses import content_disposition, download_response

__all__ = [
    "CONTEXTS",
    "JPEG",
    "PDF",
    "PNG",
    "REASONS",
    "InspectionResult",
    "clean_name",
    "content_disposition",
    "download_response",
    "inspect_upload",
    "message_for",
    "policy_for",
]
