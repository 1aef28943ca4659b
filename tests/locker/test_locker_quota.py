"""The 235 MiB per space quota holds, including under concurrent uploads."""

import io
import threading

import pytest
from django.conf import settings
from django.db import connection

from identity.selectors import space_personal_for
from locker.models import Document, SpaceLocker
from locker.services import document_upload, space_locker_get_or_create
from tests.locker import corpus

QUOTA_MESSAGE = "Votre porte-documents est plein (235\u00a0Mo au maximum)."


def _pdf(n: int) -> bytes:
    pdf = corpus.new_pdf()
    pdf.Root.Filler = pdf.make_stream(bytes([n % 256]) * 20_000)
    return corpus.save(pdf, compress_streams=False)


def _fill(space, *, leave: int) -> None:
    locker = space_locker_get_or_create(space=space)
    SpaceLocker.objects.filter(pk=locker.pk).update(
        used_bytes=settings.GUICHET_LOCKER_SPACE_QUOTA_BYTES - leave
    )


@pytest.mark.django_db
def test_upload_over_the_space_quota_is_refused_with_the_quota_message(owner):
    space = space_personal_for(user=owner)
    size = len(_pdf(1))
    _fill(space, leave=size + 100)

    first = document_upload(space=space, fileobj=io.BytesIO(_pdf(1)), name="a.pdf")
    second = document_upload(space=space, fileobj=io.BytesIO(_pdf(2)), name="b.pdf")

    assert first.accepted
    assert not second.accepted
    assert second.reason == "quota_exceeded"
    assert second.message.startswith(QUOTA_MESSAGE)
    assert (
        SpaceLocker.objects.get(space=space).used_bytes <= settings.GUICHET_LOCKER_SPACE_QUOTA_BYTES
    )


@pytest.mark.services("postgres")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_uploads_never_push_a_space_over_its_quota(owner):
    """Eight uploads at once, room for three: the row lock lets exactly three in."""
    space = space_personal_for(user=owner)
    files = [_pdf(n) for n in range(8)]
    sizes = {len(_data) for _data in files}
    assert len(sizes) == 1
    size = sizes.pop()
    _fill(space, leave=3 * size + size // 2)
    barrier = threading.Barrier(len(files))
    outcomes = []
    lock = threading.Lock()

    def worker(n):
        try:
            barrier.wait()
            outcome = document_upload(space=space, fileobj=io.BytesIO(files[n]), name=f"{n}.pdf")
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(len(files))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    accepted = [o for o in outcomes if o.accepted]
    refused = [o for o in outcomes if not o.accepted]
    assert len(outcomes) == 8
    assert len(accepted) == 3
    assert all(o.reason == "quota_exceeded" for o in refused)
    assert all(o.message.startswith(QUOTA_MESSAGE) for o in refused)
    used = SpaceLocker.objects.get(space=space).used_bytes
    assert used <= settings.GUICHET_LOCKER_SPACE_QUOTA_BYTES
    assert Document.objects.filter(space=space).count() == 3
    assert used == settings.GUICHET_LOCKER_SPACE_QUOTA_BYTES - (3 * size + size // 2) + 3 * size
