"""Attachments on a claim (索赔附件): photos of the failed part, the scanned repair order, the
manufacturer's pre-authorisation letter. Warranty keeps what describes the file (name, kind,
size, type, SHA-256, who attached it and when) and the file itself in an attachment store.

Only JPEG, PNG, WebP and PDF files are taken, judged by their first bytes (magic numbers), not
by the name or the type the sender declared: a declared type must agree with the bytes. A
file may be as large as the configured limit. A cancelled claim takes no more attachments.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime

from shared.model import Aggregate

from warranty.domain.claim import Claim, ClaimStatus
from warranty.domain.errors import (
    AttachmentEmpty,
    AttachmentTooLarge,
    AttachmentTypeNotAllowed,
    ClaimClosedToAttachments,
)
from warranty.domain.events import ClaimAttachmentAdded

KINDS = ("photo", "repair_order", "pre_authorisation", "other")
JPEG, PNG, WEBP, PDF = "image/jpeg", "image/png", "image/webp", "application/pdf"
CONTENT_TYPES = (JPEG, PNG, WEBP, PDF)
# What a sender may declare instead of the type itself: nothing in particular, or an alias.
UNDECLARED = frozenset({"", "application/octet-stream"})
ALIASES = {"image/jpg": JPEG, "image/pjpeg": JPEG, "application/x-pdf": PDF}
MAX_FILE_NAME = 200
_UNSAFE_IN_NAME = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class AttachmentRules:
    max_bytes: int = 10 * 1024 * 1024


def content_type_of(content: bytes) -> str | None:
    """What the file is, by its magic number; None for anything not taken."""
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return WEBP
    if content.startswith(b"%PDF-"):
        return PDF
    return None


def file_name_of(sent: str | None) -> str:
    """The name without the sender's folders (browsers on Windows send C:\\fakepath\\...) or
    control characters, cut to what is kept."""
    name = re.split(r"[\\/]", sent or "")[-1]
    name = _UNSAFE_IN_NAME.sub("", name).strip()
    return name[-MAX_FILE_NAME:] or "attachment"


@dataclass(frozen=True)
class AttachedFile:
    """A file fit to be attached: its bytes, what they are, and their digest."""

    content: bytes = field(repr=False)
    content_type: str
    sha256: str

    @property
    def size_bytes(self) -> int:
        return len(self.content)

    @classmethod
    def checked(cls, content: bytes, declared_type: str | None, rules: AttachmentRules) -> AttachedFile:
        if not content:
            raise AttachmentEmpty()
        if len(content) > rules.max_bytes:
            raise AttachmentTooLarge(len(content), rules.max_bytes)
        return cls(content, _content_type(content, declared_type), hashlib.sha256(content).hexdigest())


class Attachment(Aggregate):
    def __init__(self, claim: Claim, *, attachment_id: str, kind: str, file_name: str | None, file: AttachedFile,
                 storage_key: str, description: str | None, at: datetime, by: str):
        if claim.status is ClaimStatus.CANCELLED:
            raise ClaimClosedToAttachments(claim.claim_number, claim.status.value)
        self.dealer = claim.dealer
        self.claim_number = claim.claim_number
        self.attachment_id = attachment_id
        self.kind = kind
        self.file_name = file_name_of(file_name)
        self.content_type = file.content_type
        self.size_bytes = file.size_bytes
        self.sha256 = file.sha256
        self.storage_key = storage_key
        self.description = description
        self.uploaded_at = at
        self.uploaded_by = by
        self.events.append(ClaimAttachmentAdded(
            claim.claim_number, claim.vin, attachment_id, kind, self.file_name, self.content_type, self.size_bytes,
            self.sha256,
        ))

    @property
    def subject(self) -> str:
        return self.claim_number


def _content_type(content: bytes, declared_type: str | None) -> str:
    """The type the bytes show, provided the sender did not declare another one."""
    detected = content_type_of(content)
    declared = (declared_type or "").split(";")[0].strip().lower()
    declared = ALIASES.get(declared, declared)
    allowed = list(CONTENT_TYPES)
    if detected is None:
        raise AttachmentTypeNotAllowed(
            "the file is not a JPEG, PNG, WebP or PDF file (judged by its content)",
            declared=declared or None, detected=None, allowed=allowed)
    if declared not in UNDECLARED and declared != detected:
        raise AttachmentTypeNotAllowed(
            f"the file was sent as {declared} but its content is {detected}",
            declared=declared, detected=detected, allowed=allowed)
    return detected
