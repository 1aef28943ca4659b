"""Keep at most ``limit + 1`` bytes of each uploaded file, even on disk.

Django's default handlers write a whole upload to memory or a temporary file before the
view runs. Placed first, this handler passes on only the first ``limit + 1`` bytes of
each file and drops the rest as it arrives, so an oversize file costs one chunk of memory
and ``limit + 1`` bytes of disk, and inspection then refuses it as ``too_large``. The
total request size is capped by the reverse proxy (docs/adr/0100-file-inspection.md).
"""

from django.core.files.uploadhandler import FileUploadHandler, TemporaryFileUploadHandler

from .policy import policy_for


class CappedUploadHandler(FileUploadHandler):
    def __init__(self, request=None, *, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        keep = max(0, min(len(raw_data), self.limit + 1 - self.received))
        self.received += len(raw_data)
        return raw_data[:keep] if keep else None

    def file_complete(self, file_size):
        return None  # the next handler builds the file


def cap_uploads(request, *, context: str) -> None:
    """Install the cap for ``context`` on a request whose body has not been read yet
    (the view must be ``csrf_exempt`` outside and ``csrf_protect`` inside)."""
    request.upload_handlers = [
        CappedUploadHandler(request, limit=policy_for(context).max_bytes),
        TemporaryFileUploadHandler(request),
    ]
