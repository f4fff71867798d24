"""Files attached to claims through the API: upload, list, download, what is refused and why,
and never a row without its file or a file without its row. On the embedded default the files
go to the service's data folder; with the S3 settings, to a bucket (moto's local server)."""

from __future__ import annotations

import hashlib
import io

import pytest

VIN = "LVSHCAMB1CE054249"  # the `camry` fixture
CLAIM = {"vin": VIN, "repair_order": "RO-2026-0100", "repair_date": "2026-11-20", "odometer": 31_000,
         "failure_date": "2026-11-18", "coverage_plan": "CN-REPAIR",
         "lines": [{"kind": "part", "part_number": "16100-29575", "quantity": "1.000", "unit_price": "860.00",
                    "causal": True}]}
PHOTO = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)) * 8
LETTER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"1 0 obj << /Type /Catalog >> endobj\n" * 10
BIG_PHOTO = b"\xff\xd8\xff\xe0" + b"\x5a" * (3 * 1024 * 1024 // 2)  # 1.5 MB: above the 1 MiB body limit for JSON


@pytest.fixture
def clerk(token):
    return token(["warranty_clerk"], sub="clerk-li")


@pytest.fixture
def claim_number(client, clerk, camry) -> str:
    response = client.post("/api/v1/claims", json=CLAIM, headers=clerk)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["claim_number"]


def upload(client, headers, number, content, *, name="pump.jpg", declared="image/jpeg", kind="photo", **query):
    return client.post(f"/api/v1/claims/{number}/attachments", query_string={"kind": kind, **query},
                       data={"file": (io.BytesIO(content), name, declared)}, content_type="multipart/form-data",
                       headers=headers)


def listed(client, headers, number) -> list[dict]:
    response = client.get(f"/api/v1/claims/{number}/attachments", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def stored_files(settings) -> list:
    folder = settings.data_dir / "warranty-attachments"
    return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.exists() else []


def test_a_photo_and_a_letter_are_attached_listed_downloaded_and_announced(
        client, clerk, claim_number, token, events, settings):
    photo = upload(client, clerk, claim_number, PHOTO, name="DCIM/2026/水泵.jpg", description="seal leak")
    assert photo.status_code == 201, photo.get_json()
    body = photo.get_json()
    assert {k: body[k] for k in ("claim_number", "kind", "file_name", "content_type", "size_bytes", "sha256",
                                 "description", "uploaded_by")} == {
        "claim_number": claim_number, "kind": "photo", "file_name": "水泵.jpg", "content_type": "image/jpeg",
        "size_bytes": len(PHOTO), "sha256": hashlib.sha256(PHOTO).hexdigest(), "description": "seal leak",
        "uploaded_by": "clerk-li"}
    assert photo.headers["Location"].endswith(f"/api/v1/claims/{claim_number}/attachments/{body['attachment_id']}")
    # Sent with no particular type: the content says it is a PDF.
    letter = upload(client, clerk, claim_number, LETTER, name="preauth.pdf", declared="application/octet-stream",
                    kind="pre_authorisation")
    assert letter.status_code == 201, letter.get_json()
    assert letter.get_json()["content_type"] == "application/pdf"

    manager = token(["service_manager"])
    assert [(a["kind"], a["file_name"]) for a in listed(client, manager, claim_number)] == [
        ("photo", "水泵.jpg"), ("pre_authorisation", "preauth.pdf")]
    download = client.get(photo.headers["Location"], headers=manager)
    assert download.status_code == 200
    assert (download.data, download.mimetype) == (PHOTO, "image/jpeg")
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''%E6%B0%B4%E6%B3%B5.jpg" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    announced = events("warranty.claim.attachment_added")
    assert [(e["claim_number"], e["vin"], e["kind"], e["sha256"]) for e in announced] == [
        (claim_number, VIN, "photo", hashlib.sha256(PHOTO).hexdigest()),
        (claim_number, VIN, "pre_authorisation", hashlib.sha256(LETTER).hexdigest())]
    assert len(stored_files(settings)) == 2


def test_a_file_above_the_json_body_limit_is_taken_with_an_idempotency_key_and_replayed_once(
        client, clerk, claim_number, settings):
    # A retry sends the same bytes, multipart boundary included.
    boundary = "retry-boundary-7f3a"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.jpg"\r\n'
            f"Content-Type: image/jpeg\r\n\r\n").encode() + BIG_PHOTO + f"\r\n--{boundary}--\r\n".encode()

    def send():
        return client.post(f"/api/v1/claims/{claim_number}/attachments?kind=photo", data=body,
                           content_type=f"multipart/form-data; boundary={boundary}",
                           headers={**clerk, "Idempotency-Key": "upload-1"})

    first = send()
    assert first.status_code == 201, first.get_json()
    again = send()
    assert (again.status_code, again.headers.get("Idempotent-Replayed")) == (201, "true")
    assert again.get_json()["attachment_id"] == first.get_json()["attachment_id"]
    assert len(listed(client, clerk, claim_number)) == 1
    assert client.get(first.headers["Location"], headers=clerk).data == BIG_PHOTO
    assert len(stored_files(settings)) == 1


@pytest.mark.parametrize(("content", "declared", "code"), [
    (b"GIF89a" + b"\x00" * 64, "image/gif", "attachment_type_not_allowed"),
    (b"<html><script>alert(1)</script></html>", "image/jpeg", "attachment_type_not_allowed"),
    (PHOTO, "application/pdf", "attachment_type_not_allowed"),
    (b"", "image/jpeg", "attachment_empty"),
])
def test_a_file_that_is_not_a_photo_or_pdf_is_422_and_leaves_nothing(
        client, clerk, claim_number, settings, events, content, declared, code):
    response = upload(client, clerk, claim_number, content, declared=declared)
    assert (response.status_code, response.get_json()["code"]) == (422, code)
    assert response.mimetype == "application/problem+json" and "file" in response.get_json()["errors"]
    assert (listed(client, clerk, claim_number), stored_files(settings)) == ([], [])
    assert events("warranty.claim.attachment_added") == []


def test_a_file_over_the_configured_limit_is_413(service, infra, clock, token, camry):
    app = service.create_app(infra.settings(service, ATTACHMENTS_MAX_BYTES="4096"), clock=clock)
    client, clerk = app.test_client(), token(["warranty_clerk"])
    number = client.post("/api/v1/claims", json=CLAIM, headers=clerk).get_json()["claim_number"]
    over = upload(client, clerk, number, PHOTO[:4] + b"\x00" * 4093)
    assert (over.status_code, over.get_json()["code"], over.get_json()["max_bytes"]) == (
        413, "attachment_too_large", 4096)
    far_over = upload(client, clerk, number, BIG_PHOTO)  # refused before the body is read
    assert (far_over.status_code, far_over.mimetype) == (413, "application/problem+json")
    assert upload(client, clerk, number, PHOTO[:4] + b"\x00" * 4092).status_code == 201
    assert len(listed(client, clerk, number)) == 1


def test_an_unknown_or_cancelled_claim_takes_no_file_and_keeps_none(client, clerk, claim_number, settings):
    unknown = upload(client, clerk, "WC-20261125-NOPE00", PHOTO)
    assert (unknown.status_code, unknown.get_json()["code"]) == (404, "claim_not_found")
    client.post(f"/api/v1/claims/{claim_number}/cancel", json={"reason": "filed twice"}, headers=clerk)
    cancelled = upload(client, clerk, claim_number, PHOTO)
    assert (cancelled.status_code, cancelled.get_json()["code"]) == (409, "claim_closed_to_attachments")
    assert (listed(client, clerk, claim_number), stored_files(settings)) == ([], [])


def test_another_dealers_claim_and_files_are_not_found(client, clerk, claim_number, token):
    attached = upload(client, clerk, claim_number, PHOTO)
    other = token(["warranty_clerk", "warranty_manager"], dealer="D002")
    for response in (client.get(f"/api/v1/claims/{claim_number}/attachments", headers=other),
                     client.get(attached.headers["Location"], headers=other),
                     upload(client, other, claim_number, PHOTO)):
        assert response.status_code == 404, response.get_json()
    assert len(listed(client, clerk, claim_number)) == 1
    missing = client.get(f"/api/v1/claims/{claim_number}/attachments/0123456789abcdef", headers=clerk)
    assert (missing.status_code, missing.get_json()["code"]) == (404, "attachment_not_found")


def test_only_the_warranty_desk_attaches(client, claim_number, token):
    for role in ("service_manager", "complaints_agent", "parts_clerk"):
        assert upload(client, token([role]), claim_number, PHOTO).status_code == 403
    assert upload(client, token(["warranty_manager"]), claim_number, PHOTO).status_code == 201


def test_with_the_s3_settings_the_files_go_to_the_bucket(service, infra, clock, token, camry, s3_bucket):
    import boto3

    app = service.create_app(infra.settings(service, **s3_bucket), clock=clock)
    client, clerk = app.test_client(), token(["warranty_clerk"])
    number = client.post("/api/v1/claims", json=CLAIM, headers=clerk).get_json()["claim_number"]
    attached = upload(client, clerk, number, PHOTO)
    assert attached.status_code == 201, attached.get_json()
    s3 = boto3.client("s3", endpoint_url=s3_bucket["ATTACHMENTS_S3_ENDPOINT_URL"], region_name="us-east-1",
                      aws_access_key_id="test", aws_secret_access_key="test")
    [stored] = s3.list_objects_v2(Bucket=s3_bucket["ATTACHMENTS_S3_BUCKET"])["Contents"]
    assert stored["Key"] == f"claims/D001/{attached.get_json()['attachment_id']}"
    assert client.get(attached.headers["Location"], headers=clerk).data == PHOTO
    # A failed upload removes its object again.
    assert upload(client, clerk, "WC-20261125-NOPE00", PHOTO).status_code == 404
    assert len(s3.list_objects_v2(Bucket=s3_bucket["ATTACHMENTS_S3_BUCKET"])["Contents"]) == 1


def test_an_unreachable_bucket_is_503_and_nothing_is_recorded(service, infra, clock, token, camry, s3_bucket):
    unreachable = {**s3_bucket, "ATTACHMENTS_S3_ENDPOINT_URL": "http://127.0.0.1:9"}
    app = service.create_app(infra.settings(service, **unreachable), clock=clock)
    client, clerk = app.test_client(), token(["warranty_clerk"])
    number = client.post("/api/v1/claims", json=CLAIM, headers=clerk).get_json()["claim_number"]
    response = upload(client, clerk, number, PHOTO)
    assert (response.status_code, response.get_json()["code"]) == (503, "attachment_store_unavailable")
    assert listed(client, clerk, number) == []
