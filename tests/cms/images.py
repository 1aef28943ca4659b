"""A real image in Wagtail's library, stored on the ``default`` storage (S3 in CI)."""

import io

from django.core.files.images import ImageFile
from django.core.files.storage import storages
from PIL import Image as PillowImage


def make_image(title="Capture d'écran"):
    from wagtail.images.models import Image

    if type(storages["default"]).__name__ == "S3Storage":
        from tests.support.s3 import ensure_bucket

        ensure_bucket(storages["default"])
    buffer = io.BytesIO()
    PillowImage.new("RGB", (1600, 900), (0, 0, 145)).save(buffer, format="PNG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name="capture.png"))
