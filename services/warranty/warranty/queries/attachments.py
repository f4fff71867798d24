"""Reading what is attached to a claim. Sessions are dealer-scoped, so another dealer's claim
and its attachments are not found."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.paging import Page, keyset_page

from warranty.adapters.attachment_store import AttachmentStore, ContentMissing
from warranty.domain.attachment import Attachment
from warranty.domain.claim import Claim
from warranty.domain.errors import AttachmentContentMissing, AttachmentNotFound, ClaimNotFound


def attachments(session: Session, claim_number: str, *, limit: int, cursor: str | None = None) -> Page:
    """In the order they were attached."""
    if session.scalars(select(Claim.id).where(Claim.claim_number == claim_number)).first() is None:
        raise ClaimNotFound(claim_number)
    statement = select(Attachment).where(Attachment.claim_number == claim_number)
    return keyset_page(session, statement, [Attachment.id], cursor, limit)


def attachment(session: Session, claim_number: str, attachment_id: str) -> Attachment:
    found = session.scalars(
        select(Attachment).where(Attachment.claim_number == claim_number, Attachment.attachment_id == attachment_id)
    ).first()
    if found is None:
        raise AttachmentNotFound(claim_number, attachment_id)
    return found


def content_of(store: AttachmentStore, attachment: Attachment) -> bytes:
    try:
        return store.get(attachment.storage_key)
    except ContentMissing:
        raise AttachmentContentMissing(attachment.attachment_id) from None
