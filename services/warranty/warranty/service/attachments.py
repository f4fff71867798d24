"""Use case for attaching a file to a claim (索赔附件).

The bytes go to the attachment store first, under a key made for this upload alone; the row
that describes them is committed after. If anything stops the commit (an unknown claim, a
cancelled one, the database), the bytes are removed again, so the store keeps no file the
database does not list, and the database lists no file the store lacks.
"""

from __future__ import annotations

from uuid import uuid4

import structlog

from shared.auth import Caller

from warranty.domain.attachment import AttachedFile, Attachment
from warranty.domain.errors import ClaimNotFound
from warranty.service.ports import WarrantyUnitOfWork

log = structlog.get_logger(__name__)


def attach(uow: WarrantyUnitOfWork, caller: Caller, claim_number: str, *, kind: str, file_name: str | None,
           declared_type: str | None, content: bytes, description: str | None = None) -> Attachment:
    file = AttachedFile.checked(content, declared_type, uow.rules.attachments)
    attachment_id = uuid4().hex
    key = f"claims/{caller.dealer}/{attachment_id}"
    uow.attachment_store.put(key, file.content, file.content_type)
    try:
        with uow:
            claim = uow.claims.get(claim_number)
            if claim is None:
                raise ClaimNotFound(claim_number)
            attachment = Attachment(claim, attachment_id=attachment_id, kind=kind, file_name=file_name, file=file,
                                    storage_key=key, description=description, at=uow.now(), by=caller.sub)
            uow.attachments.add(attachment)
            uow.commit()
    except BaseException:
        if not uow.committed:
            _remove(uow, key)
        raise
    return attachment


def _remove(uow: WarrantyUnitOfWork, key: str) -> None:
    try:
        uow.attachment_store.delete(key)
    except Exception:  # the first failure is the one to report; this file is only an orphan
        log.error("attachments.orphaned_file", key=key, exc_info=True)
