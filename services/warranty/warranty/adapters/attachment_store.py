"""Where the bytes of claim attachments are kept, by key: a folder under the service's data
folder on the embedded default, an S3-compatible bucket (AWS S3, MinIO, Ceph, OSS ...) in
production. What describes each file is in the database (`claim_attachments`); the store only
keeps bytes, so it needs no transaction: the use case writes the bytes first under a key
nobody else uses, then commits the row, and removes the bytes if the commit does not happen.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

import structlog
from botocore.exceptions import BotoCoreError, ClientError

from shared.errors import DomainError

log = structlog.get_logger(__name__)
# Keys are made by the service (dealer/claim/uuid): anything else is a bug, never a path.
_KEY = re.compile(r"^[A-Za-z0-9_-]+(?:/[A-Za-z0-9_.-]+)*$")


class ContentMissing(Exception):
    """No bytes under this key."""


class AttachmentStoreUnavailable(DomainError):
    """The store did not answer (the bucket's endpoint is down, refused the keys ...)."""

    status = 503
    code = "attachment_store_unavailable"
    title = "Service unavailable"

    def __init__(self):
        super().__init__("the attachment store is unreachable; nothing was changed, retry shortly")


class AttachmentStore(Protocol):
    def put(self, key: str, content: bytes, content_type: str) -> None: ...

    def get(self, key: str) -> bytes:
        """The bytes under `key`; `ContentMissing` if there are none."""

    def delete(self, key: str) -> None:
        """Remove the bytes under `key`, if there are any."""


class FolderStore:
    """Files under one folder, a sub-folder per dealer and claim."""

    def __init__(self, root: Path):
        self.root = root

    def put(self, key: str, content: bytes, content_type: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed, so a reader never sees half a file.
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(content)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise ContentMissing(key) from None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def _path(self, key: str) -> Path:
        if not _KEY.match(key) or ".." in key.split("/"):
            raise ValueError(f"not an attachment key: {key!r}")
        return self.root / key


class S3Store:
    """Objects in one bucket of an S3-compatible object store. The client is made on first use
    in each process (gunicorn forks workers after the app is built) and then shared by its
    threads, as boto3 clients may be."""

    def __init__(self, bucket: str, *, endpoint_url: str | None = None, region: str | None = None,
                 access_key_id: str | None = None, secret_access_key: str | None = None):
        self.bucket = bucket
        self._options = {
            "endpoint_url": endpoint_url, "region_name": region,
            # Without keys, boto3 finds credentials as usual (a pod's service account, an instance role).
            "aws_access_key_id": access_key_id, "aws_secret_access_key": secret_access_key,
        }
        self._client = None
        self._lock = threading.Lock()

    def put(self, key: str, content: bytes, content_type: str) -> None:
        with _answering():
            self._s3().put_object(Bucket=self.bucket, Key=key, Body=content, ContentType=content_type)

    def get(self, key: str) -> bytes:
        try:
            with _answering():
                return self._s3().get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except ClientError as error:
            if _missing(error):
                raise ContentMissing(key) from None
            raise

    def delete(self, key: str) -> None:
        with _answering():
            self._s3().delete_object(Bucket=self.bucket, Key=key)

    def _s3(self):
        # Imported on first use: boto3 is a seventh of the service's imports, and a service on
        # a folder, its relay and its consumer never need it.
        import boto3
        from botocore.config import Config

        with self._lock:
            if self._client is None:
                self._client = boto3.client(
                    "s3", **{name: value for name, value in self._options.items() if value},
                    # Path-style addressing works with every S3-compatible server; short timeouts
                    # keep a request from hanging while the store is down.
                    config=Config(s3={"addressing_style": "path"}, connect_timeout=5, read_timeout=30,
                                  retries={"max_attempts": 3, "mode": "standard"}),
                )
            return self._client


@contextmanager
def _answering() -> Iterator[None]:
    """The store not answering is a 503; a missing key passes through to the caller."""
    try:
        yield
    except ClientError as error:
        if _missing(error):
            raise
        _unavailable(error)
    except BotoCoreError as error:
        _unavailable(error)


def _missing(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404")


def _unavailable(error: Exception) -> None:
    log.warning("attachments.store_unavailable", error=repr(error))
    raise AttachmentStoreUnavailable() from error
