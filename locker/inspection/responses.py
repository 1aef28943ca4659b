"""Download responses for stored files: always an attachment, never sniffed or run."""

from urllib.parse import quote

from django.http import FileResponse, HttpResponse

from .names import clean_name

# A file opened from our origin anyway (old browser, user action) can run nothing.
SANDBOX_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'"


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback and the RFC 5987 UTF-8 name."""
    name = clean_name(filename)
    fallback = name.encode("ascii", "replace").decode("ascii").replace('"', "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def download_response(content, *, filename: str, mime: str) -> HttpResponse:
    """``content`` is bytes or a file object (streamed); ``mime`` the stored type."""
    if isinstance(content, bytes | bytearray):
        response = HttpResponse(bytes(content), content_type=mime)
    else:
        response = FileResponse(content, content_type=mime)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response
