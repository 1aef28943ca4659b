"""Valid upload files of a given size for the benchmark: PDFs and JPEG photographs."""

import io
import random

import pikepdf
from PIL import Image

_rng = random.Random(2026)  # noqa: S311 - reproducible test data, not secrets


def pdf_of_size(target: int) -> bytes:
    """A one-page PDF showing an uncompressed noise image, ``target`` bytes at most and
    within a few hundred bytes of it."""

    def build(pixels: int) -> bytes:
        pdf = pikepdf.new()
        pdf.add_blank_page(page_size=(595, 842))
        width = 512
        height = max(1, pixels // width)
        image = pdf.make_stream(
            _rng.randbytes(width * height * 3),
            Type=pikepdf.Name.XObject,
            Subtype=pikepdf.Name.Image,
            Width=width,
            Height=height,
            ColorSpace=pikepdf.Name.DeviceRGB,
            BitsPerComponent=8,
        )
        page = pdf.pages[0]
        page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
        page.obj.Contents = pdf.make_stream(b"q 595 0 0 842 0 0 cm /Im0 Do Q")
        out = io.BytesIO()
        pdf.save(out, compress_streams=False)
        return out.getvalue()

    overhead = len(build(512)) - 512 * 3
    return build((target - overhead - 1536 * 2) // 3)


def jpeg_of_size(target: int) -> bytes:
    """A JPEG photograph-like image (gradient and noise) of about ``target`` bytes, at most."""
    side = 1600
    while True:
        base = Image.linear_gradient("L").resize((side, side)).convert("RGB")
        noise = Image.frombytes("RGB", (side, side), _rng.randbytes(side * side * 3))
        out = io.BytesIO()
        Image.blend(base, noise, 0.35).save(out, "JPEG", quality=90)
        data = out.getvalue()
        if 0.9 * target <= len(data) <= target:
            return data
        side = int(side * (target * 0.95 / len(data)) ** 0.5)
