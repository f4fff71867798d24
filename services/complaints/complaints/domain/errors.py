from __future__ import annotations

from shared.errors import Conflict, DomainError, NotFound, RuleViolation


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


class InvalidSatisfaction(RuleViolation):
    code = "invalid_satisfaction"

    def __init__(self, value: int):
        super().__init__(f"satisfaction is 1 (very dissatisfied) to 5 (very satisfied), not {value}",
                         field="satisfaction")


class NothingToRecord(RuleViolation):
    code = "findings_or_root_cause_required"

    def __init__(self):
        super().__init__("give the findings, the root cause or both")


class DateInFuture(RuleViolation):
    code = "date_in_future"

    def __init__(self, field: str):
        super().__init__(f"{field} cannot be later than today", field=field)


class ComplaintMerged(Conflict):
    code = "complaint_merged"

    def __init__(self, complaint_id: str, merged_into: str | None):
        super().__init__(f"complaint {complaint_id} was merged into {merged_into} as a duplicate; work on that one",
                         complaint_id=complaint_id, merged_into=merged_into)


class AwaitingFeedback(Conflict):
    code = "complaint_awaiting_feedback"

    def __init__(self, complaint_id: str):
        super().__init__(f"complaint {complaint_id} is resolved and waits for the customer's feedback; "
                         "a rejection puts it back in progress", complaint_id=complaint_id)


class NotResolved(Conflict):
    code = "complaint_not_resolved"

    def __init__(self, complaint_id: str, status: str):
        super().__init__(f"complaint {complaint_id} is {status}: resolve it first", complaint_id=complaint_id,
                         status=status)


class RootCauseRequired(Conflict):
    code = "root_cause_required"

    def __init__(self):
        super().__init__("record the root cause of the complaint before resolving it ('unfounded' if nothing was "
                         "wrong)")


class FeedbackAlreadyRecorded(Conflict):
    code = "feedback_already_recorded"

    def __init__(self):
        super().__init__("the customer already accepted this resolution; close the complaint")


class AcceptedFeedbackRequired(Conflict):
    code = "accepted_feedback_required"

    def __init__(self):
        super().__init__("a complaint is closed only once the customer's acceptance of the resolution is recorded")


class NotClosed(Conflict):
    code = "complaint_not_closed"

    def __init__(self, complaint_id: str, status: str):
        super().__init__(f"complaint {complaint_id} is {status}, not closed: there is nothing to reopen",
                         complaint_id=complaint_id, status=status)


class ReopenWindowPassed(Conflict):
    code = "reopen_window_passed"

    def __init__(self, closed_at, days: int):
        super().__init__(f"closed at {closed_at.isoformat()}: a complaint can be reopened only within {days} days; "
                         "record a new complaint", closed_at=closed_at.isoformat(), reopen_days=days)


class MergeIntoItself(RuleViolation):
    code = "merge_into_itself"

    def __init__(self):
        super().__init__("a complaint cannot be merged into itself", field="duplicate_id")


class MergeTargetClosed(Conflict):
    code = "merge_target_closed"

    def __init__(self, complaint_id: str, status: str):
        super().__init__(f"complaint {complaint_id} is {status}: duplicates go into a complaint still being worked on",
                         complaint_id=complaint_id, status=status)


class ActionNotFound(NotFound):
    code = "action_not_found"

    def __init__(self, action_id: str):
        super().__init__(f"this complaint has no action {action_id}", action_id=action_id)


class ActionAlreadyDone(Conflict):
    code = "action_already_done"

    def __init__(self, action_id: str, done_on):
        super().__init__(f"action {action_id} was done on {done_on.isoformat()}", action_id=action_id,
                         done_on=done_on.isoformat())


class NotYourComplaint(DomainError):
    """Someone outside the complaints desk acting on a complaint they do not own."""

    status = 403
    code = "not_complaint_owner"
    title = "Forbidden"

    def __init__(self, complaint_id: str, owner: str):
        super().__init__(f"complaint {complaint_id} is owned by {owner}: only its owner or the complaints desk "
                         "works on it", complaint_id=complaint_id, owner=owner)


class ActionsStillOpen(Conflict):
    code = "open_actions"

    def __init__(self, actions: list):
        listed = ", ".join(f"#{a.number} {a.kind.value} ({a.owner}, due {a.due_on.isoformat()})" for a in actions)
        super().__init__(f"actions not done yet: {listed}. Mark them done, or a service manager closes the "
                         "complaint giving the reason", field="reason",
                         open_actions=[{"id": a.id, "number": a.number, "kind": a.kind.value, "owner": a.owner,
                                        "due_on": a.due_on.isoformat()} for a in actions])


class InvalidSlaTargets(RuleViolation):
    code = "invalid_sla_targets"

    def __init__(self, detail: str, *, severity: str, clock: str):
        super().__init__(detail, field="targets", severity=severity, clock=clock)


class PersonalDataSearch(DomainError):
    """Finding complaints by a customer's phone or name would show what the role may not see."""

    status = 403
    code = "personal_data_search"
    title = "Forbidden"

    def __init__(self):
        super().__init__("searching by the customer's phone or name is for the complaints desk and the service manager")


class InvalidNotificationChannels(RuleViolation):
    code = "invalid_notification_channels"

    def __init__(self, detail: str, *, field: str):
        super().__init__(detail, field=field)


class NotificationNotFound(NotFound):
    code = "notification_not_found"

    def __init__(self, notification_id: str):
        super().__init__(f"no notification {notification_id}", notification_id=notification_id)
