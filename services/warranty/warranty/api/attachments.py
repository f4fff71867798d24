"""`/api/v1/claims/<claim_number>/attachments`: files attached to a claim (索赔附件), such as
photos of the failed part, the scanned repair order or the pre-authorisation letter.

Upload as `multipart/form-data` with the file in the part named `file`, and the kind (and a
description) in the query. JPEG, PNG, WebP and PDF only, judged by the content; at most the
configured size (ATTACHMENTS_MAX_BYTES, 10 MB by default). Download answers the bytes with the
type their content showed.
"""

from __future__ import annotations

import io

from flask import Response, request, send_file, url_for
from flask.views import MethodView

from shared.http.blueprint import Blueprint
from shared.http.context import caller, read_session, runtime, unit_of_work
from shared.http.problems import PROBLEM_JSON, ProblemSchema
from shared.http.security import requires_role
from shared.paging import PageQuery

from warranty.adapters.attachment_store import AttachmentStore
from warranty.api.roles import ATTACHMENT_READERS, DESK
from warranty.api.schemas import (
    ClaimAttachmentFile,
    ClaimAttachmentPage,
    ClaimAttachmentSchema,
    ClaimAttachmentUpload,
)
from warranty.domain.attachment import CONTENT_TYPES, Attachment
from warranty.queries import attachments as queries
from warranty.service import attachments

blp = Blueprint("claim_attachments", __name__, url_prefix="/api/v1/claims",
                description="Files attached to a claim: photos, the repair order scan, the pre-authorisation letter "
                            "(JPEG, PNG, WebP, PDF)")

# Room in an upload's body for the multipart boundaries and part headers around the file.
MULTIPART_OVERHEAD = 64 * 1024
FILE = {"type": "string", "format": "binary"}
LOCATION = {"Location": {"schema": {"type": "string"}, "description": "where to download the file"}}
DOWNLOAD = {"Content-Disposition": {"schema": {"type": "string"}, "description": "attachment; filename=..."}}


@blp.url_value_preprocessor
def allow_attachment_bodies(endpoint: str | None, values: dict | None) -> None:
    """An upload may be as large as the attachment limit, far above the body limit for JSON
    (MAX_BODY_BYTES). This runs before any hook reads the body (the Idempotency-Key's hash
    does), which a view or a before_request of the blueprint would not."""
    if request.method == "POST":
        request.max_content_length = runtime().unit_of_work.rules.attachments.max_bytes + MULTIPART_OVERHEAD


@blp.route("/<string:claim_number>/attachments")
class ClaimAttachments(MethodView):
    @requires_role(*ATTACHMENT_READERS)
    @blp.arguments(PageQuery, location="query")
    @blp.response(200, ClaimAttachmentPage)
    def get(self, query, claim_number):
        """The files attached to a claim, in the order they were attached"""
        with read_session() as session:
            return queries.attachments(session, claim_number, **query)

    @requires_role(*DESK)
    @blp.arguments(ClaimAttachmentUpload, location="query")
    @blp.arguments(ClaimAttachmentFile, location="files")
    @blp.response(201, ClaimAttachmentSchema, headers=LOCATION)
    @blp.alt_response(413, schema=ProblemSchema, content_type=PROBLEM_JSON,
                      description="attachment_too_large (or payload_too_large): the file is over the limit")
    def post(self, query, files, claim_number):
        """Attach a file (multipart/form-data, part `file`): 413 when too large, 422
        attachment_type_not_allowed for anything but JPEG, PNG, WebP or PDF"""
        upload = files["file"]
        attachment = attachments.attach(unit_of_work(), caller(), claim_number, **query, file_name=upload.filename,
                                        declared_type=upload.mimetype, content=upload.read())
        return attachment, {"Location": url_for("claim_attachments.ClaimAttachmentDownload",
                                                claim_number=claim_number, attachment_id=attachment.attachment_id)}


@blp.route("/<string:claim_number>/attachments/<string:attachment_id>")
class ClaimAttachmentDownload(MethodView):
    @requires_role(*ATTACHMENT_READERS)
    @blp.doc(responses={"200": {"description": "the file, of the type its content showed", "headers": DOWNLOAD,
                                "content": {kind: {"schema": FILE} for kind in CONTENT_TYPES}}})
    def get(self, claim_number, attachment_id):
        """Download an attached file"""
        with read_session() as session:
            attachment = queries.attachment(session, claim_number, attachment_id)
        return _download(attachment, queries.content_of(_store(), attachment))


def _store() -> AttachmentStore:
    return runtime().unit_of_work.rules.attachment_store


def _download(attachment: Attachment, content: bytes) -> Response:
    response = send_file(io.BytesIO(content), mimetype=attachment.content_type, as_attachment=True,
                         download_name=attachment.file_name, etag=False, conditional=False)
    # Uploaded by people: never let a browser guess another type, nor a shared cache keep it.
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
