"""S3 storages on a real moto server: the CI one when configured, else one started here."""

import json

from django.conf import settings
from moto.server import ThreadedMotoServer
from storages.backends.s3 import S3Storage

from locker import vault

BUCKET = "guichet-test"


def ensure_bucket(storage: S3Storage) -> None:
    client = storage.connection.meta.client
    existing = {b["Name"] for b in client.list_buckets().get("Buckets", [])}
    if storage.bucket_name not in existing:
        client.create_bucket(
            Bucket=storage.bucket_name,
            CreateBucketConfiguration={"LocationConstraint": storage.region_name},
        )


def allow_public_reads(storage: S3Storage) -> None:
    """The bucket policy docs/architecture.md asks of an operator: anyone may read the
    public media prefix (CMS images, read by browsers from the bucket), nothing else."""
    resource = f"arn:aws:s3:::{storage.bucket_name}/{storage.location}/*"
    statement = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": resource,
    }
    storage.connection.meta.client.put_bucket_policy(
        Bucket=storage.bucket_name,
        Policy=json.dumps({"Version": "2012-10-17", "Statement": [statement]}),
    )


class LocalS3:
    """A moto server on a loopback port, with a private storage bound to it."""

    def __init__(self):
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)

    def start(self):
        self.server.start()
        host, port = self.server.get_host_and_port()
        self.endpoint = f"http://{host}:{port}"
        return self

    def stop(self):
        self.server.stop()

    def private_options(self, **extra) -> dict:
        """The options of a private S3 storage on this server (``extra`` added)."""
        return {
            "bucket_name": BUCKET,
            "endpoint_url": self.endpoint,
            "region_name": "eu-west-3",
            "access_key": "testing",
            "secret_key": "testing",
            "addressing_style": "path",
            "location": "private",
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
            "default_acl": None,
            **extra,
        }

    def private_setting(self, **extra) -> dict:
        """A ``STORAGES["private"]`` entry pointing at this server."""
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": self.private_options(**extra),
        }

    def private_storage(self) -> S3Storage:
        storage = S3Storage(**self.private_options())
        ensure_bucket(storage)
        return storage


def configured_private_storage() -> S3Storage | None:
    """The project's own private storage when the environment points it at S3."""
    if not settings.STORAGES["private"]["BACKEND"].endswith("S3Storage"):
        return None
    from django.core.files.storage import storages

    storage = storages[vault.ALIAS]
    ensure_bucket(storage)
    return storage


def anonymous_get(url: str) -> int:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


__all__ = [
    "BUCKET",
    "LocalS3",
    "allow_public_reads",
    "anonymous_get",
    "configured_private_storage",
]
