"""The ``private`` storage alias: readable by the portal, never by the public."""

import urllib.request

import pytest
from django.core.files.base import ContentFile

from config.storage import PrivateFileSystemStorage
from tests.support.s3 import LocalS3, anonymous_get, configured_private_storage


@pytest.fixture(scope="module")
def s3_private():
    storage = configured_private_storage()
    if storage is not None:  # CI real-services pass: the project's own S3 settings
        yield storage
        return
    local = LocalS3().start()
    yield local.private_storage()
    local.stop()


def test_private_file_on_s3_reads_back_and_is_not_public(s3_private):
    name = s3_private.save("tests/avis.pdf", ContentFile(b"%PDF-1.7 contenu confidentiel"))
    with s3_private.open(name) as handle:
        assert handle.read() == b"%PDF-1.7 contenu confidentiel"

    unsigned = s3_private.url(name).split("?")[0]
    assert anonymous_get(unsigned) == 403

    signed = s3_private.url(
        name, parameters={"ResponseContentDisposition": "attachment; filename=avis.pdf"}
    )
    with urllib.request.urlopen(signed, timeout=5) as response:
        assert response.read() == b"%PDF-1.7 contenu confidentiel"
        assert response.headers["Content-Disposition"].startswith("attachment")
    s3_private.delete(name)


def test_private_file_system_storage_has_no_public_url(tmp_path):
    storage = PrivateFileSystemStorage(location=tmp_path)
    name = storage.save("x.txt", ContentFile(b"confidentiel"))
    assert storage.open(name).read() == b"confidentiel"
    with pytest.raises(ValueError, match="not accessible via a URL"):
        storage.url(name)
