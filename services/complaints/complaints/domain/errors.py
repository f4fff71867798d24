from __future__ import annotations

from shared.errors import NotFound, RuleViolation


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
