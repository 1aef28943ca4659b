from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    """File-system storage that never exposes a URL: private files are only served by
    authorised views (S3 uses short-lived signed URLs instead)."""

    def url(self, name):
        raise ValueError("Private files are not accessible via a URL; use an authorised view.")
