"""`/api/v1/complaints`."""

from __future__ import annotations

from flask import url_for
from flask.views import MethodView
from shared.http.blueprint import Blueprint

from shared.http.context import caller, read_session, unit_of_work
from shared.http.etag import with_etag
from shared.http.security import requires_role

from complaints.api.schemas import ComplaintCreate, ComplaintPage, ComplaintQuery, ComplaintSchema, Reclassification
from complaints.queries import complaints as queries
from complaints.service import classification, intake

blp = Blueprint("complaints", __name__, url_prefix="/api/v1/complaints",
                description="Customer complaints (客户投诉)")

RECEIVERS = ("complaints_agent", "service_advisor", "service_manager")
READERS = (*RECEIVERS, "integration")
# The complaints desk classifies (SPEC §1); the service manager supervises it.
CLASSIFIERS = ("complaints_agent", "service_manager")


@blp.route("")
class Complaints(MethodView):
    @requires_role(*READERS)
    @blp.arguments(ComplaintQuery, location="query")
    @blp.response(200, ComplaintPage)
    def get(self, query):
        """List complaints, newest received first"""
        with read_session() as session:
            return queries.complaints(session, viewer=caller(), **query)

    @requires_role(*RECEIVERS)
    @blp.arguments(ComplaintCreate)
    @blp.response(201, ComplaintSchema)
    def post(self, body):
        """Record a complaint; whoever records it owns it until it is closed"""
        complaint = intake.receive(unit_of_work(), caller(), **body)
        return with_etag(
            queries.view(complaint, viewer=caller()),
            location=url_for("complaints.Complaint", complaint_id=complaint.id),
        )


@blp.route("/<string:complaint_id>")
class Complaint(MethodView):
    @requires_role(*READERS)
    @blp.response(200, ComplaintSchema)
    def get(self, complaint_id):
        """One complaint with its timeline"""
        with read_session() as session:
            return with_etag(queries.complaint(session, complaint_id, viewer=caller()))


@blp.route("/<string:complaint_id>/classification")
class Classification(MethodView):
    @requires_role(*CLASSIFIERS)
    @blp.arguments(Reclassification)
    @blp.response(200, ComplaintSchema)
    def post(self, body, complaint_id):
        """Correct the category or severity, saying why; the automatic classification is kept"""
        complaint = classification.reclassify(unit_of_work(), caller(), complaint_id, **body)
        return with_etag(queries.view(complaint, viewer=caller()))
