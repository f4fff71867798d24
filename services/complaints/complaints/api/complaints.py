"""`/api/v1/complaints`."""

from __future__ import annotations

from flask import url_for
from flask.views import MethodView
from shared.http.blueprint import Blueprint

from shared.http.context import caller, read_session, runtime, unit_of_work
from shared.http.etag import with_etag
from shared.http.security import requires_role

from complaints.api.roles import DESK, READERS, RECEIVERS, SUPERVISORS
from complaints.api.schemas import (
    Acknowledgement,
    ActionCreate,
    ActionDone,
    Assignment,
    Closure,
    ComplaintCreate,
    ComplaintPage,
    ComplaintQuery,
    ComplaintSchema,
    DuplicateMerge,
    EvidenceCreate,
    FeedbackCreate,
    FollowUpCreate,
    Investigation,
    OwnerChange,
    PauseCreate,
    Promise,
    Reclassification,
    Reopening,
    ResolutionCreate,
    ResponseCreate,
    Resumption,
)
from complaints.queries import complaints as queries
from complaints.service import classification, clocks, intake, investigation, ownership, resolution

blp = Blueprint("complaints", __name__, url_prefix="/api/v1/complaints",
                description="Customer complaints (客户投诉)")


def reading() -> queries.ClockReading:
    units = runtime().unit_of_work
    return queries.ClockReading(units.rules.sla, units.rules.timezone, units.clock())


def _changed(use_case, *args, **body) -> queries.ComplaintRead:
    """Change the complaint through `use_case` and answer with it as the change left it, its
    clocks read as the change read them: nothing is loaded again."""
    changed = use_case(unit_of_work(), caller(), *args, **body)
    return queries.ComplaintRead(changed.complaint, caller(), changed.sla)


@blp.route("")
class Complaints(MethodView):
    @requires_role(*READERS)
    @blp.arguments(ComplaintQuery, location="query")
    @blp.response(200, ComplaintPage)
    def get(self, query):
        """List complaints, newest received first"""
        with read_session() as session:
            return queries.complaints(session, viewer=caller(), reading=reading(), **query)

    @requires_role(*RECEIVERS)
    @blp.arguments(ComplaintCreate)
    @blp.response(201, ComplaintSchema)
    def post(self, body):
        """Record a complaint; whoever records it owns it until it is closed"""
        received = _changed(intake.receive, **body)
        return with_etag(received, location=url_for("complaints.Complaint", complaint_id=received.complaint.id))


@blp.route("/<string:complaint_id>")
class Complaint(MethodView):
    @requires_role(*READERS)
    @blp.response(200, ComplaintSchema)
    def get(self, complaint_id):
        """One complaint with its timeline, by its id or its number (TS-20261206-0001)"""
        with read_session() as session:
            return with_etag(queries.complaint(session, complaint_id, viewer=caller(), reading=reading()))


@blp.route("/<string:complaint_id>/classification")
class Classification(MethodView):
    @requires_role(*DESK)
    @blp.arguments(Reclassification)
    @blp.response(200, ComplaintSchema)
    def post(self, body, complaint_id):
        """Correct the category or severity, saying why; the automatic classification is kept"""
        return with_etag(_changed(classification.reclassify, complaint_id, **body))


@blp.route("/<string:complaint_id>/assignment")
class AssignmentView(MethodView):
    @requires_role(*RECEIVERS)
    @blp.arguments(Assignment)
    @blp.response(200, ComplaintSchema)
    def post(self, body, complaint_id):
        """Assign the work to a handling department and handler; the owner stays the owner"""
        return with_etag(_changed(ownership.assign, complaint_id, **body))


@blp.route("/<string:complaint_id>/owner")
class OwnerView(MethodView):
    @requires_role(*SUPERVISORS)
    @blp.arguments(OwnerChange)
    @blp.response(200, ComplaintSchema)
    def post(self, body, complaint_id):
        """Hand the complaint to another owner, saying why (service manager)"""
        return with_etag(_changed(ownership.transfer_ownership, complaint_id, **body))


@blp.route("/<string:complaint_id>/acknowledgement")
class AcknowledgementView(MethodView):
    @requires_role(*RECEIVERS)
    @blp.arguments(Acknowledgement)
    @blp.response(200, ComplaintSchema)
    def post(self, body, complaint_id):
        """Record that the customer was told the complaint is being handled; stops the acknowledge clock"""
        return with_etag(_changed(clocks.acknowledge, complaint_id, **body))


@blp.route("/<string:complaint_id>/responses")
class ResponsesView(MethodView):
    @requires_role(*RECEIVERS)
    @blp.arguments(ResponseCreate)
    @blp.response(200, ComplaintSchema)
    def post(self, body, complaint_id):
        """Record an answer to the customer; the first stops the first-response and escalation clocks"""
        return with_etag(_changed(clocks.respond, complaint_id, **body))


@blp.route("/<string:complaint_id>/promise")
class PromiseView(MethodView):
    @requires_role(*RECEIVERS)
    @blp.arguments(Promise)
    @blp.response(200, ComplaintSchema)
    def post(self, body, complaint_id):
        """Record the resolution date promised to the customer; moving it needs a reason"""
        return with_etag(_changed(clocks.promise_resolution, complaint_id, **body))


@blp.route("/<string:complaint_id>/pause")
class PauseView(MethodView):
    @requires_role(*RECEIVERS)
    @blp.arguments(PauseCreate)
    @blp.response(200, ComplaintSchema)
    def post(self, body, complaint_id):
        """Stop the clocks while waiting for the customer or a supplier"""
        return with_etag(_changed(clocks.pause, complaint_id, **body))


@blp.route("/<string:complaint_id>/resume")
class ResumeView(MethodView):
    @requires_role(*RECEIVERS)
    @blp.arguments(Resumption)
    @blp.response(200, ComplaintSchema)
    def post(self, body, complaint_id):
        """Start the clocks again"""
        return with_etag(_changed(clocks.resume, complaint_id, **body))


# ---------------------------------------------------------------- investigation and actions


@blp.route("/<string:complaint_id>/evidence")
class EvidenceView(MethodView):
    @requires_role(*RECEIVERS)
    @blp.arguments(EvidenceCreate)
    @blp.response(200, ComplaintSchema)
    def post(self, body, complaint_id):
        """Keep a reference to a photo, repair record, call recording or document, with what it shows"""
        return with_etag(_changed(investigation.add_evidence, complaint_id, **body))


@blp.route("/<string:complaint_id>/investigation")
class InvestigationView(MethodView):
    @requires_role(*RECEIVERS)
    @blp.arguments(Investigation)
    @blp.response(200, ComplaintSchema)
    def post(self, body, complaint_id):
        """Record the findings and/or the root cause (a later record replaces them)"""
        return with_etag(_changed(investigation.investigate, complaint_id, **body))


@blp.route("/<string:complaint_id>/actions")
class ActionsView(MethodView):
    @requires_role(*RECEIVERS)
    @blp.arguments(ActionCreate)
    @blp.response(200, ComplaintSchema)
    def post(self, body, complaint_id):
        """Put an action on the rectification list (整改清单), with its owner and due date"""
        return with_etag(_changed(investigation.plan_action, complaint_id, **body))


@blp.route("/<string:complaint_id>/actions/<string:action_id>/done")
class ActionDoneView(MethodView):
    @requires_role(*RECEIVERS)
    @blp.arguments(ActionDone)
    @blp.response(200, ComplaintSchema)
    def post(self, body, complaint_id, action_id):
        """Mark an action done (also after the complaint is closed)"""
        return with_etag(_changed(investigation.complete_action, complaint_id, action_id, **body))


# ---------------------------------------------------------------- resolution, feedback, closing


@blp.route("/<string:complaint_id>/resolution")
class ResolutionView(MethodView):
    @requires_role(*RECEIVERS)
    @blp.arguments(ResolutionCreate)
    @blp.response(200, ComplaintSchema)
    def post(self, body, complaint_id):
        """Resolve it (needs the root cause); stops the clocks and waits for the customer's feedback"""
        return with_etag(_changed(resolution.resolve, complaint_id, **body))


@blp.route("/<string:complaint_id>/feedback")
class FeedbackView(MethodView):
    @requires_role(*RECEIVERS)
    @blp.arguments(FeedbackCreate)
    @blp.response(200, ComplaintSchema)
    def post(self, body, complaint_id):
        """Record what the customer was told and said; a rejection puts it back in progress"""
        return with_etag(_changed(resolution.record_feedback, complaint_id, **body))


@blp.route("/<string:complaint_id>/closure")
class ClosureView(MethodView):
    @requires_role(*RECEIVERS)
    @blp.arguments(Closure)
    @blp.response(200, ComplaintSchema)
    def post(self, body, complaint_id):
        """Close a resolved complaint once the customer accepted the resolution and its actions are done (a
        service manager may close with actions open, giving the reason)"""
        return with_etag(_changed(resolution.close, complaint_id, **body))


@blp.route("/<string:complaint_id>/reopening")
class ReopeningView(MethodView):
    @requires_role(*RECEIVERS)
    @blp.arguments(Reopening)
    @blp.response(200, ComplaintSchema)
    def post(self, body, complaint_id):
        """Reopen a closed complaint within the reopening window (COMPLAINT_REOPEN_DAYS), saying why"""
        return with_etag(_changed(resolution.reopen, complaint_id, **body))


@blp.route("/<string:complaint_id>/follow-ups")
class FollowUpsView(MethodView):
    @requires_role(*RECEIVERS)
    @blp.arguments(FollowUpCreate)
    @blp.response(200, ComplaintSchema)
    def post(self, body, complaint_id):
        """Record a follow-up visit or call (回访) after the resolution"""
        return with_etag(_changed(resolution.record_follow_up, complaint_id, **body))


@blp.route("/<string:complaint_id>/duplicates")
class DuplicatesView(MethodView):
    @requires_role(*RECEIVERS)
    @blp.arguments(DuplicateMerge)
    @blp.response(200, ComplaintSchema)
    def post(self, body, complaint_id):
        """Merge a duplicate into this complaint: the duplicate ends as merged, pointing here"""
        return with_etag(_changed(resolution.merge, complaint_id, **body))
