"""Images made with Pillow: ordinary, tricky (GPS, huge declared size, padding)."""

import io
import struct
import zlib

from PIL import Image


# --- Images -----------------------------------------------------------------------------
def image_bytes(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def gradient(mode: str = "RGB", size=(320, 240)) -> Image.Image:
    grey = Image.linear_gradient("L").resize(size)
    if mode in {"RGB", "RGBA", "CMYK"}:
        other = grey.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        bands = (grey, other, grey.transpose(Image.Transpose.FLIP_TOP_BOTTOM))
        bands += (other,) * (len(mode) - 3)
        return Image.merge(mode, bands)
    return grey.convert(mode)


def jpeg_with_gps() -> bytes:
    image = gradient()
    exif = image.getexif()
    exif[0x010F] = "Fabricant"  # Make
    exif[0x0112] = 1  # Orientation
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (48.0, 51.0, 24.0)
    gps[3] = "E"
    gps[4] = (2.0, 21.0, 7.0)
    return image_bytes(image, "JPEG", exif=exif.tobytes(), quality=90)


def png_with_gps() -> bytes:
    image = gradient()
    exif = image.getexif()
    exif.get_ifd(0x8825)[1] = "N"
    exif.get_ifd(0x8825)[2] = (48.0, 51.0, 24.0)
    return image_bytes(image, "PNG", exif=exif.tobytes())


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring(width: int, height: int) -> bytes:
    """A PNG whose header declares huge dimensions, with almost no pixel data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", ihdr)
        + _chunk(b"IDAT", zlib.compress(b"\0" * 1024))
        + _chunk(b"IEND", b"")
    )


def jpeg_declaring(width: int, height: int) -> bytes:
    """A small JPEG whose frame header is patched to declare other dimensions."""
    data = bytearray(image_bytes(gradient(size=(16, 16)), "JPEG"))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def png_of_size(target: int) -> bytes:
    """A valid PNG of exactly ``target`` bytes: noise pixels plus a private padding chunk."""
    side = 256
    noise = Image.frombytes("RGB", (side, side), bytes(range(256)) * (side * 3))
    data = image_bytes(noise, "PNG")
    padding = target - len(data) - 12
    assert padding >= 0
    iend = data.rindex(b"IEND") - 4
    return data[:iend] + _chunk(b"prVt", b"\0" * padding) + data[iend:]


def mpo_photo() -> bytes:
    """A phone-style MPO: a JPEG photo followed by a second frame."""
    out = io.BytesIO()
    gradient().save(out, "MPO", save_all=True, append_images=[gradient().rotate(90)])
    return out.getvalue()
