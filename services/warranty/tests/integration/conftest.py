"""The warranty desk on a clock the tests set: 25 November 2026, 10:00 in Beijing, unless moved."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from shared.fakes import Clock

START = datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def app(service, settings, clock):
    return service.create_app(settings, clock=clock)


CAMRY = {"vin": "LVSHCAMB1CE054249", "make": "Toyota", "model": "Camry", "model_year": 2024,
         "in_service_date": "2024-09-15"}


@pytest.fixture
def camry(client, token):
    """A Camry sold on 15 September 2024; registering it loads the dealer's default plans."""
    response = client.post("/api/v1/vehicles", json=CAMRY, headers=token(["service_advisor"]))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


@pytest.fixture
def events(client, token):
    """events(type) -> the data of every event of that type in the service's feed."""

    def of_type(type_: str) -> list[dict]:
        items = client.get("/api/v1/events?limit=200", headers=token(["integration"])).get_json()["items"]
        return [item["event"]["data"] for item in items if item["event"]["type"] == type_]

    return of_type


# ---------------------------------------------------------------- the attachment store


@pytest.fixture(scope="session")
def s3_endpoint():
    """A local S3-compatible server (moto's, in this process), for the production attachment store."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_bucket(s3_endpoint) -> dict[str, str]:
    """A new, empty bucket on the local S3 server: the settings that point the service at it."""
    import uuid

    import boto3

    bucket = f"claim-attachments-{uuid.uuid4().hex[:12]}"
    settings = {"ATTACHMENTS_S3_BUCKET": bucket, "ATTACHMENTS_S3_ENDPOINT_URL": s3_endpoint,
                "ATTACHMENTS_S3_REGION": "us-east-1", "ATTACHMENTS_S3_ACCESS_KEY_ID": "test",
                "ATTACHMENTS_S3_SECRET_ACCESS_KEY": "test"}
    boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", aws_access_key_id="test",
                 aws_secret_access_key="test").create_bucket(Bucket=bucket)
    return settings
