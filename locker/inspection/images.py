"""PNG and JPEG checks with Pillow, and the re-encode that is stored.

Declared dimensions are checked against the pixel caps before anything is decoded; the
image must then decode completely. The stored file is always a re-encode (ADR 0101):
it drops bytes after the image end, every metadata block but the ICC profile and the
EXIF (minus its GPS block), and anything a parser could trip on. JPEG is re-encoded with
its own quantisation tables (``quality="keep"``) so the loss is minimal.
"""

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageFile

from .policy import JPEG, PNG

FORMATS = {PNG: "PNG", JPEG: "JPEG"}
GPS_IFD = 0x8825


class ImageRefusedError(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class ImageOutcome:
    content: bytes
    sanitised: bool
    width: int
    height: int


def _exif_without_gps(image: Image.Image) -> tuple[bytes | None, bool]:
    exif = image.getexif()
    had_gps = GPS_IFD in exif
    if had_gps:
        del exif[GPS_IFD]
    return (exif.tobytes() if len(exif) else None), had_gps


def reencode(data: bytes, *, mime: str, max_pixels: int, max_side: int) -> ImageOutcome:
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[FORMATS[mime]])
            width, height = image.size
            if width > max_side or height > max_side or width * height > max_pixels:
                raise ImageRefusedError("image_too_large")
            if width < 1 or height < 1:
                raise ImageRefusedError("image_damaged")
            image.load()
    except ImageRefusedError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRefusedError("image_too_large") from exc
    except (OSError, SyntaxError, ValueError, EOFError, TypeError) as exc:
        raise ImageRefusedError("image_damaged") from exc
    with image:
        exif, had_gps = _exif_without_gps(image)
        options = {}
        if exif:
            options["exif"] = exif
        if image.info.get("icc_profile"):
            options["icc_profile"] = image.info["icc_profile"]
        try:
            out = io.BytesIO()
            if mime == JPEG:
                image.save(
                    out,
                    "JPEG",
                    quality="keep",
                    subsampling="keep",
                    progressive=bool(image.info.get("progressive")),
                    **options,
                )
            else:
                if "transparency" in image.info:
                    options["transparency"] = image.info["transparency"]
                image.save(out, "PNG", **options)
        except (OSError, ValueError, TypeError) as exc:
            raise ImageRefusedError("image_damaged") from exc
    return ImageOutcome(content=out.getvalue(), sanitised=had_gps, width=width, height=height)
