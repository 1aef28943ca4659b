"""Inspection latency for files just under the 5 MiB limit, per type (ADR 0102).

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python -m bench.inspection [N]

Prints p50 / p99 / max in milliseconds for a scanned-style PDF (JPEG pages, object
streams), a PDF with JavaScript to strip, a noisy PNG and a large JPEG photo.
"""

import io
import os
import random
import statistics
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
django.setup()

import pikepdf  # noqa: E402
from PIL import Image  # noqa: E402

from locker.inspection import inspect_upload  # noqa: E402

LIMIT = 5 * 1024 * 1024
rng = random.Random(2026)  # noqa: S311 - reproducible test data, not secrets


def noise(size, mode="RGB"):
    return Image.frombytes(mode, size, rng.randbytes(size[0] * size[1] * len(mode)))


def photo(size):
    """Smooth gradient plus noise: compresses like a real photograph."""
    base = Image.linear_gradient("L").resize(size).convert("RGB")
    return Image.blend(base, noise(size), 0.35)


def scanned_pdf(pages, scan, with_js=False):
    pdf = pikepdf.new()
    for number in range(pages):
        image = pdf.make_stream(
            scan,
            Type=pikepdf.Name.XObject,
            Subtype=pikepdf.Name.Image,
            Width=1240,
            Height=1754,
            ColorSpace=pikepdf.Name.DeviceRGB,
            BitsPerComponent=8,
            Filter=pikepdf.Name.DCTDecode,
        )
        pdf.add_blank_page(page_size=(595, 842))
        page = pdf.pages[-1]
        page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
        page.obj.Contents = pdf.make_stream(b"q 595 0 0 842 0 0 cm /Im0 Do Q")
        if with_js:
            page.obj.AA = pikepdf.Dictionary(
                O=pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=f"app.alert({number})")
            )
    out = io.BytesIO()
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def pdf_under_limit(with_js=False):
    scan = image_bytes(photo((1240, 1754)), "JPEG", quality=85)  # one A4 page at 150 dpi
    pages = LIMIT // len(scan)
    while len(data := scanned_pdf(pages, scan, with_js)) > LIMIT:
        pages -= 1
    return data


def shrink_to_limit(make, start):
    size = start
    while True:
        data = make(size)
        if len(data) <= LIMIT:
            return data
        size = (int(size[0] * 0.95), int(size[1] * 0.95))


def image_bytes(image, fmt, **options):
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def corpus():
    return {
        "pdf (scanned pages)": ("scan.pdf", pdf_under_limit()),
        "pdf (pages + JS)": ("scan-js.pdf", pdf_under_limit(with_js=True)),
        "png (noise)": (
            "capture.png",
            shrink_to_limit(lambda s: image_bytes(noise(s), "PNG"), (1400, 1300)),
        ),
        "jpeg (photo)": (
            "photo.jpg",
            shrink_to_limit(lambda s: image_bytes(photo(s), "JPEG", quality=92), (4000, 3000)),
        ),
    }


def main(runs: int) -> None:
    print(f"{'file':<24}{'bytes':>10}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for label, (name, data) in corpus().items():
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            result = inspect_upload(io.BytesIO(data), name=name, context="demande")
            timings.append((time.perf_counter() - start) * 1000)
            assert result.accepted, result.reason
        timings.sort()
        p50 = statistics.median(timings)
        p99 = timings[min(len(timings) - 1, round(0.99 * (len(timings) - 1)))]
        print(f"{label:<24}{len(data):>10}{p50:>9.0f}{p99:>9.0f}{timings[-1]:>9.0f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
