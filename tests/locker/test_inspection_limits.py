"""Size limits: inclusive, per context, enforced while reading."""

import io

import pytest

from locker.inspection import inspect_upload
from tests.locker import corpus

MIB = 1024 * 1024


class EndlessUpload(io.RawIOBase):
    """A body that never ends: inspection must stop reading just past the limit."""

    def __init__(self, head: bytes):
        self.head = head
        self.read_total = 0

    def readable(self):
        return True

    def read(self, size=-1):
        assert size is not None, "never read without a bound"
        assert size > 0, "never read without a bound"
        start = self.read_total
        chunk = (self.head[start : start + size]).ljust(size, b"\0")
        self.read_total += size
        return chunk


@pytest.mark.parametrize(("context", "limit"), [("demande", 5 * MIB), ("locker", 4 * MIB)])
@pytest.mark.parametrize(
    ("kind", "build"), [("png", corpus.png_of_size), ("pdf", corpus.pdf_of_size)]
)
def test_exact_limit_is_accepted_one_more_byte_refused(context, limit, kind, build):
    exact = build(limit)
    over = build(limit + 1)
    assert (len(exact), len(over)) == (limit, limit + 1)

    accepted = inspect_upload(io.BytesIO(exact), name=f"limite.{kind}", context=context)
    refused = inspect_upload(io.BytesIO(over), name=f"limite.{kind}", context=context)

    assert accepted.accepted, accepted.message
    assert len(accepted.content) <= limit
    assert not refused.accepted
    assert refused.reason == "too_large"
    megabytes = limit // MIB
    expected = f"Ce fichier dépasse la taille maximale de {megabytes}\u00a0Mo."
    assert refused.message.startswith(expected)


@pytest.mark.parametrize(("context", "limit"), [("demande", 5 * MIB), ("locker", 4 * MIB)])
def test_oversize_upload_is_never_read_whole(context, limit):
    upload = EndlessUpload(corpus.save(corpus.new_pdf()))

    result = inspect_upload(upload, name="sans-fin.pdf", context=context)

    assert result.reason == "too_large"
    assert upload.read_total == limit + 1


def test_limits_come_from_settings(settings):
    settings.GUICHET_UPLOAD_MAX_BYTES = {"demande": MIB, "locker": 2 * MIB}

    result = inspect_upload(io.BytesIO(b"x" * (MIB + 1)), name="a.png", context="demande")

    assert result.reason == "too_large"
    assert "1\u00a0Mo" in result.message
    assert inspect_upload(
        io.BytesIO(corpus.png_of_size(MIB + 1)), name="a.png", context="locker"
    ).accepted


def test_unknown_context_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown upload context"):
        inspect_upload(io.BytesIO(b""), name="a.pdf", context="autre")
