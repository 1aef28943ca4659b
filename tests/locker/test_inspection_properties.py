"""Property: whatever the bytes and the name, inspection answers, and what it accepts
passes a fresh inspection again (cleaning is stable)."""

import io

import pikepdf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from locker.inspection import inspect_upload
from tests.locker import corpus

SEEDS = {
    "pdf": corpus.pdf_with(corpus.JS_LOCATIONS["link_annotation"], object_streams=True),
    "pdf2": corpus.pdf_form(),
    "png": corpus.image_bytes(corpus.gradient(size=(40, 30)), "PNG"),
    "jpg": corpus.jpeg_with_gps(),
}
EXTENSIONS = {"pdf": ".pdf", "pdf2": ".pdf", "png": ".png", "jpg": ".jpg"}

names = st.one_of(
    st.text(max_size=300),
    st.builds(
        lambda stem, ext: stem + ext,
        st.text(max_size=80),
        st.sampled_from([".pdf", ".PDF", ".png", ".jpg", ".jpeg", ".JPG", ".exe", ""]),
    ),
)


@st.composite
def mutated(draw):
    """A valid seed with bytes flipped, cut, inserted or appended."""
    kind = draw(st.sampled_from(sorted(SEEDS)))
    data = bytearray(SEEDS[kind])
    for _ in range(draw(st.integers(0, 4))):
        op = draw(st.sampled_from(["flip", "cut", "insert", "append"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[at] ^= draw(st.integers(1, 255))
        elif op == "cut":
            del data[at : at + draw(st.integers(1, 64))]
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=32))
        else:
            data += draw(st.binary(min_size=1, max_size=64))
    return bytes(data), kind


def _check(data: bytes, name: str, context: str):
    result = inspect_upload(io.BytesIO(data), name=name, context=context)
    assert result.accepted == (result.reason is None) == (result.content is not None)
    if not result.accepted:
        assert result.message
        return
    again = inspect_upload(io.BytesIO(result.content), name=result.stored_name, context=context)
    assert again.accepted, again.reason
    assert again.mime == result.mime
    assert again.stored_name == result.stored_name
    if result.mime == "application/pdf":
        assert again.content == result.content
        assert not again.sanitised
    else:
        with (
            Image.open(io.BytesIO(again.content)) as a,
            Image.open(io.BytesIO(result.content)) as b,
        ):
            assert a.size == b.size
            assert a.mode == b.mode


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=4096), name=names, context=st.sampled_from(["demande", "locker"]))
def test_arbitrary_bytes_and_names_never_raise(data, name, context):
    _check(data, name, context)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sample=mutated(), context=st.sampled_from(["demande", "locker"]))
def test_mutated_real_files_never_raise_and_accepted_output_is_stable(sample, context):
    data, kind = sample
    _check(data, f"fichier{EXTENSIONS[kind]}", context)


def test_seeds_are_accepted():
    for kind, data in SEEDS.items():
        result = inspect_upload(io.BytesIO(data), name=f"x{EXTENSIONS[kind]}", context="demande")
        assert result.accepted, kind
    assert pikepdf.open(io.BytesIO(SEEDS["pdf"]))
