"""Which files a claim takes, judged by their content, and what is kept about them."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from warranty.domain.attachment import (
    JPEG,
    PDF,
    PNG,
    WEBP,
    AttachedFile,
    Attachment,
    AttachmentRules,
    content_type_of,
    file_name_of,
)
from warranty.domain.claim import Claim
from warranty.domain.errors import (
    AttachmentEmpty,
    AttachmentTooLarge,
    AttachmentTypeNotAllowed,
    ClaimClosedToAttachments,
)
from warranty.domain.events import ClaimAttachmentAdded

NOON = datetime(2026, 11, 25, 4, 0, tzinfo=timezone.utc)
RULES = AttachmentRules(max_bytes=1000)
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
WEBP_BYTES = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 20
PDF_BYTES = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"


def a_claim() -> Claim:
    return Claim("D001", "WC-1", vin="LVSHCAMB1CE054249", repair_order="RO-1", repair_date=date(2026, 11, 20),
                 odometer=31_000, failure_date=date(2026, 11, 18), claim_type="warranty", coverage_plan="CN-REPAIR",
                 lines=[{"kind": "part", "part_number": "P-1", "quantity": Decimal("1"),
                         "unit_price": Decimal("860.00"), "causal": True}],
                 today=date(2026, 11, 25), at=NOON, by="clerk")


@pytest.mark.parametrize(("content", "kind"), [(JPEG_BYTES, JPEG), (PNG_BYTES, PNG), (WEBP_BYTES, WEBP),
                                               (PDF_BYTES, PDF)])
def test_each_type_taken_is_known_by_its_magic_number_whatever_was_declared(content, kind):
    assert content_type_of(content) == kind
    assert AttachedFile.checked(content, None, RULES).content_type == kind
    assert AttachedFile.checked(content, "application/octet-stream", RULES).content_type == kind
    assert AttachedFile.checked(content, f"{kind}; charset=binary", RULES).content_type == kind


@pytest.mark.parametrize("content", [
    b"GIF89a" + b"\x00" * 20,
    b"<svg xmlns='http://www.w3.org/2000/svg'/>",
    b"MZ\x90\x00 an executable",
    b"PK\x03\x04 a zip or a docx",
    b"RIFF\x24\x00\x00\x00WAVEfmt ",
])
def test_anything_else_is_refused_even_when_declared_as_a_photo(content):
    with pytest.raises(AttachmentTypeNotAllowed) as refused:
        AttachedFile.checked(content, "image/jpeg", RULES)
    assert (refused.value.status, refused.value.context["detected_type"]) == (422, None)


def test_a_declared_type_must_agree_with_the_content_but_aliases_are_fine():
    with pytest.raises(AttachmentTypeNotAllowed) as refused:
        AttachedFile.checked(PNG_BYTES, "application/pdf", RULES)
    assert (refused.value.context["declared_type"], refused.value.context["detected_type"]) == (PDF, PNG)
    assert AttachedFile.checked(JPEG_BYTES, "image/jpg", RULES).content_type == JPEG


def test_a_file_over_the_limit_is_413_and_one_at_the_limit_is_taken():
    at_limit = PDF_BYTES + b"\x00" * (RULES.max_bytes - len(PDF_BYTES))
    assert AttachedFile.checked(at_limit, PDF, RULES).size_bytes == RULES.max_bytes
    with pytest.raises(AttachmentTooLarge) as refused:
        AttachedFile.checked(at_limit + b"\x00", PDF, RULES)
    assert (refused.value.status, refused.value.code, refused.value.context["max_bytes"]) == (
        413, "attachment_too_large", 1000)
    with pytest.raises(AttachmentEmpty):
        AttachedFile.checked(b"", PDF, RULES)


@pytest.mark.parametrize(("sent", "kept"), [
    ("C:\\fakepath\\水泵照片.jpg", "水泵照片.jpg"),
    ("../../etc/passwd.png", "passwd.png"),
    ("line\nbreak\x00.pdf", "linebreak.pdf"),
    ("", "attachment"),
    (None, "attachment"),
    ("x" * 300 + ".pdf", "x" * 196 + ".pdf"),
])
def test_the_file_name_is_kept_without_folders_or_control_characters(sent, kept):
    assert file_name_of(sent) == kept


def test_an_attachment_keeps_what_describes_the_file_and_announces_it():
    file = AttachedFile.checked(JPEG_BYTES, JPEG, RULES)
    attachment = Attachment(a_claim(), attachment_id="a1", kind="photo", file_name="pump.jpg", file=file,
                            storage_key="claims/D001/a1", description="seal", at=NOON, by="clerk-li")
    assert (attachment.claim_number, attachment.content_type, attachment.size_bytes, attachment.sha256,
            attachment.uploaded_by) == ("WC-1", JPEG, len(JPEG_BYTES), hashlib.sha256(JPEG_BYTES).hexdigest(),
                                        "clerk-li")
    assert attachment.events == [ClaimAttachmentAdded("WC-1", "LVSHCAMB1CE054249", "a1", "photo", "pump.jpg", JPEG,
                                                      len(JPEG_BYTES), hashlib.sha256(JPEG_BYTES).hexdigest())]


def test_a_cancelled_claim_takes_no_attachment():
    claim = a_claim()
    claim.cancel(reason="filed twice", at=NOON, by="clerk")
    with pytest.raises(ClaimClosedToAttachments):
        Attachment(claim, attachment_id="a1", kind="photo", file_name="pump.jpg",
                   file=AttachedFile.checked(JPEG_BYTES, JPEG, RULES), storage_key="claims/D001/a1", description=None,
                   at=NOON, by="clerk")
