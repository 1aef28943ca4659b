"""Image rules: pixel caps before decoding, full decode, re-encode without GPS or trailer."""

import io

import pytest
from PIL import Image

from tests.locker import corpus
from tests.support.inspection import inspect


def _open(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.mark.parametrize(
    ("name", "data", "mode"),
    [
        ("photo.jpg", corpus.image_bytes(corpus.gradient(), "JPEG", quality=85), "RGB"),
        (
            "progressive.JPEG",
            corpus.image_bytes(corpus.gradient(), "JPEG", progressive=True, quality=85),
            "RGB",
        ),
        ("cmyk.jpg", corpus.image_bytes(corpus.gradient("CMYK"), "JPEG"), "CMYK"),
        ("telephone.jpg", corpus.mpo_photo(), "RGB"),
        (
            "sous-echantillonne.jpg",
            corpus.image_bytes(corpus.gradient(), "JPEG", subsampling=2),
            "RGB",
        ),
        ("gris.jpeg", corpus.image_bytes(corpus.gradient("L"), "JPEG"), "L"),
        ("capture.png", corpus.image_bytes(corpus.gradient(), "PNG"), "RGB"),
        ("transparent.png", corpus.image_bytes(corpus.gradient("RGBA"), "PNG"), "RGBA"),
        ("palette.png", corpus.image_bytes(corpus.gradient("P"), "PNG", transparency=0), "P"),
        ("scan-16bits.png", corpus.image_bytes(corpus.gradient("I;16"), "PNG"), "I;16"),
    ],
)
def test_ordinary_images_pass_with_their_pixels(name, data, mode):
    result = inspect(data, name)

    assert result.accepted, result.message
    stored = _open(result.content)
    original = _open(data)
    assert stored.mode == mode
    assert stored.size == original.size
    if name.lower().endswith((".jpg", ".jpeg")):
        # JPEG re-encoded with its own tables: visually the same image.
        for x, y in [(10, 10), (100, 100), (300, 200)]:
            before, after = original.getpixel((x, y)), stored.getpixel((x, y))
            before, after = (before,) if mode == "L" else before, (after,) if mode == "L" else after
            assert max(abs(a - b) for a, b in zip(before, after, strict=True)) <= 8
    else:
        assert stored.tobytes() == original.tobytes()  # PNG is lossless


def test_progressive_jpeg_stays_progressive():
    data = corpus.image_bytes(corpus.gradient(), "JPEG", progressive=True)
    assert _open(inspect(data, "p.jpg").content).info.get("progressive")


@pytest.mark.parametrize(
    ("name", "data"),
    [("gps.jpg", corpus.jpeg_with_gps()), ("gps.png", corpus.png_with_gps())],
)
def test_gps_position_is_stripped_other_exif_kept(name, data):
    assert 0x8825 in _open(data).getexif()

    result = inspect(data, name)

    assert result.accepted
    assert result.sanitised
    exif = _open(result.content).getexif()
    assert 0x8825 not in exif
    assert not exif.get_ifd(0x8825)
    if name.endswith(".jpg"):
        assert exif[0x010F] == "Fabricant"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("geant.png", corpus.png_declaring(30_000, 100)),  # one side over 20 000 px
        ("geant.png", corpus.png_declaring(8_000, 6_000)),  # 48 Mpx over 40 Mpx
        ("geant.png", corpus.png_declaring(2**31 - 1, 2**31 - 1)),
        ("geant.jpg", corpus.jpeg_declaring(25_000, 16)),
        ("geant.jpg", corpus.jpeg_declaring(9_000, 5_000)),
    ],
)
def test_declared_dimensions_over_the_cap_are_refused_before_decoding(name, data):
    result = inspect(data, name)

    assert not result.accepted
    assert result.reason == "image_too_large"
    assert "pixels" in result.message


def test_image_just_under_the_caps_is_decoded():
    # 6 000 x 6 000 = 36 Mpx: under both caps, so it is decoded (and here found broken).
    result = inspect(corpus.png_declaring(6_000, 6_000), "presque.png")
    assert result.reason == "image_damaged"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("coupe.png", corpus.image_bytes(corpus.gradient(), "PNG")[:-200]),
        ("coupe.png", corpus.image_bytes(corpus.gradient(), "PNG")[:400]),
        ("coupe.jpg", corpus.image_bytes(corpus.gradient(), "JPEG")[:-400]),
        ("coupe.jpg", corpus.image_bytes(corpus.gradient(), "JPEG", progressive=True)[:1500]),
    ],
)
def test_truncated_images_are_refused(name, data):
    result = inspect(data, name)

    assert not result.accepted
    assert result.reason == "image_damaged"
    assert "abîmée" in result.message


@pytest.mark.parametrize(("name", "fmt"), [("avec-suite.png", "PNG"), ("avec-suite.jpg", "JPEG")])
def test_trailing_data_is_not_stored(name, fmt):
    image = corpus.image_bytes(corpus.gradient(), fmt)
    polyglot = image + b"PK\x03\x04<html><script>alert(1)</script></html>"

    result = inspect(polyglot, name)

    assert result.accepted
    assert b"<script>" not in result.content
    assert b"PK\x03\x04" not in result.content


@pytest.mark.parametrize(
    ("name", "data", "mime"),
    [
        ("photo.png", corpus.image_bytes(corpus.gradient(), "JPEG"), "image/jpeg"),
        ("capture.jpg", corpus.image_bytes(corpus.gradient(), "PNG"), "image/png"),
        ("image.pdf", corpus.image_bytes(corpus.gradient(), "PNG"), "image/png"),
        ("sans-extension", corpus.image_bytes(corpus.gradient(), "PNG"), "image/png"),
        ("document.png", corpus.save(corpus.new_pdf()), "application/pdf"),
    ],
)
def test_extension_must_agree_with_the_content(name, data, mime):
    result = inspect(data, name)

    assert not result.accepted
    assert result.reason == "extension_mismatch"
    assert result.mime == mime
    assert "ne correspond pas" in result.message


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("anim.gif", corpus.image_bytes(corpus.gradient("P"), "GIF")),
        ("image.webp", corpus.image_bytes(corpus.gradient(), "WEBP")),
        ("page.html", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("dessin.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
        ("archive.pdf", b"PK\x03\x04" + b"\0" * 100),
        ("texte.pdf", b"Bonjour, voici mon dossier"),
        ("vide.pdf", b""),
    ],
)
def test_other_types_are_refused_whatever_the_name(name, data):
    result = inspect(data, name)

    assert not result.accepted
    assert result.reason in {"type_not_allowed", "empty"}
    assert result.content is None


def test_unreadable_exif_is_dropped_not_a_refusal():
    data = corpus.image_bytes(corpus.gradient(), "JPEG")
    garbage = b"Exif\0\0" + b"MM\0\x2a\0\0\0\x08" + b"\xff\x00" * 40
    segment = b"\xff\xe1" + (len(garbage) + 2).to_bytes(2, "big") + garbage
    data = data[:2] + segment + data[2:]

    result = inspect(data, "exif-casse.jpg")

    assert result.accepted
    assert _open(result.content).size == (320, 240)
