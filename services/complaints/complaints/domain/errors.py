from __future__ import annotations

from shared.errors import Conflict, NotFound, RuleViolation


class ComplaintNotFound(NotFound):
    code = "complaint_not_found"

    def __init__(self, complaint_id: str):
        super().__init__(f"no complaint {complaint_id}", complaint_id=complaint_id)


class ReceivedInFuture(RuleViolation):
    code = "received_in_future"

    def __init__(self):
        super().__init__("a complaint cannot be received in the future", field="received_at")


class EmptyComplaint(RuleViolation):
    code = "complaint_text_required"

    def __init__(self):
        super().__init__("say what the customer complains about", field="text")


class ReasonRequired(RuleViolation):
    code = "reason_required"

    def __init__(self):
        super().__init__("say why the classification is changed", field="reason")


class NothingToReclassify(RuleViolation):
    code = "category_or_severity_required"

    def __init__(self):
        super().__init__("give the category, the severity or both")


class ClassificationIncomplete(RuleViolation):
    code = "classification_incomplete"

    def __init__(self):
        super().__init__("this complaint has no classification yet: give both category and severity")


class ComplaintClosed(Conflict):
    code = "complaint_closed"

    def __init__(self, complaint_id: str):
        super().__init__(f"complaint {complaint_id} is closed", complaint_id=complaint_id)


class AlreadyOwner(Conflict):
    code = "already_owner"

    def __init__(self, owner: str):
        super().__init__(f"{owner} already owns this complaint", field="owner", owner=owner)


class AlreadyAcknowledged(Conflict):
    code = "already_acknowledged"

    def __init__(self, at):
        super().__init__(f"the complaint was acknowledged at {at.isoformat()}", acknowledged_at=at.isoformat())


class AlreadyPaused(Conflict):
    code = "complaint_already_paused"

    def __init__(self, since):
        super().__init__(f"the clocks are paused since {since.isoformat()}; resume them first",
                         paused_since=since.isoformat())


class NotPaused(Conflict):
    code = "complaint_not_paused"

    def __init__(self):
        super().__init__("the clocks are running: there is no pause to end")


class PromiseBeforeReceipt(RuleViolation):
    code = "promise_before_receipt"

    def __init__(self):
        super().__init__("the promised resolution date is before the complaint was received",
                         field="promised_resolution_on")


class InvalidCalendar(RuleViolation):
    code = "invalid_calendar"

    def __init__(self, detail: str, field: str):
        super().__init__(detail, field=field)


class OverlappingHours(RuleViolation):
    code = "overlapping_hours"

    def __init__(self, field: str, first: str, second: str):
        super().__init__(f"working hours {first} and {second} overlap", field=field, periods=[first, second])


class PromiseTooFar(RuleViolation):
    code = "promise_too_far"

    def __init__(self, days: int):
        super().__init__(f"a resolution date more than {days} days after receipt is not a promise",
                         field="promised_resolution_on")


class BlankField(RuleViolation):
    code = "field_blank"

    def __init__(self, field: str):
        super().__init__(f"{field} cannot be blank", field=field)
