"""The attachment store, both kinds, against what they really write to: a folder, and an
S3-compatible server (moto's, started by the tests)."""

from __future__ import annotations

import socket

import boto3
import pytest

from shared.config import Settings

from warranty.adapters.attachment_store import (
    AttachmentStoreUnavailable,
    ContentMissing,
    FolderStore,
    S3Store,
)
from warranty.config import WarrantyRules

PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40


@pytest.fixture(params=["folder", "s3"])
def store(request, tmp_path):
    if request.param == "folder":
        return FolderStore(tmp_path / "warranty-attachments")
    settings = request.getfixturevalue("s3_bucket")
    return WarrantyRules.from_settings(Settings.from_env("warranty", {"AFTERSALES_DATA_DIR": str(tmp_path),
                                                                      **settings})).attachment_store


def test_bytes_put_under_a_key_come_back_whole_until_deleted(store):
    store.put("claims/D001/a1", PHOTO, "image/jpeg")
    store.put("claims/D001/a2", b"%PDF-1.7", "application/pdf")
    assert store.get("claims/D001/a1") == PHOTO
    store.delete("claims/D001/a1")
    with pytest.raises(ContentMissing):
        store.get("claims/D001/a1")
    assert store.get("claims/D001/a2") == b"%PDF-1.7"
    store.delete("claims/D001/a1")  # already gone: nothing to do


def test_the_s3_store_keeps_the_bytes_as_an_object_with_their_type(s3_bucket, tmp_path):
    settings = Settings.from_env("warranty", {"AFTERSALES_DATA_DIR": str(tmp_path), **s3_bucket})
    store = WarrantyRules.from_settings(settings).attachment_store
    assert isinstance(store, S3Store)
    store.put("claims/D001/a1", PHOTO, "image/jpeg")
    s3 = boto3.client("s3", endpoint_url=s3_bucket["ATTACHMENTS_S3_ENDPOINT_URL"], region_name="us-east-1",
                      aws_access_key_id="test", aws_secret_access_key="test")
    found = s3.get_object(Bucket=s3_bucket["ATTACHMENTS_S3_BUCKET"], Key="claims/D001/a1")
    assert (found["Body"].read(), found["ContentType"]) == (PHOTO, "image/jpeg")


def test_without_a_bucket_the_files_go_beside_the_embedded_database(tmp_path):
    store = WarrantyRules.from_settings(Settings.from_env("warranty", {"AFTERSALES_DATA_DIR": str(tmp_path),
                                                                       "ATTACHMENTS_S3_BUCKET": ""})).attachment_store
    store.put("claims/D001/a1", PHOTO, "image/jpeg")
    assert (tmp_path / "warranty-attachments" / "claims" / "D001" / "a1").read_bytes() == PHOTO
    assert [p.name for p in (tmp_path / "warranty-attachments" / "claims" / "D001").iterdir()] == ["a1"]


@pytest.mark.parametrize("key", ["../outside", "claims/../../x", "/etc/passwd", "claims/D001/a b", ""])
def test_the_folder_store_takes_no_key_that_could_leave_its_folder(tmp_path, key):
    with pytest.raises(ValueError):
        FolderStore(tmp_path).put(key, PHOTO, "image/jpeg")
    assert list(tmp_path.iterdir()) == []


def test_an_s3_server_that_does_not_answer_is_a_503_not_a_crash(tmp_path):
    with socket.socket() as probe:  # a port with nobody listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    store = S3Store("claim-attachments", endpoint_url=f"http://127.0.0.1:{port}", region="us-east-1",
                    access_key_id="test", secret_access_key="test")
    for attempt in (lambda: store.put("claims/D001/a1", PHOTO, "image/jpeg"), lambda: store.get("claims/D001/a1"),
                    lambda: store.delete("claims/D001/a1")):
        with pytest.raises(AttachmentStoreUnavailable) as refused:
            attempt()
        assert (refused.value.status, refused.value.code) == (503, "attachment_store_unavailable")
