"""What the complaints service's codes are called at the desk, in the reader's language.

The service decides which categories, severities and channels there are; a code it sends that
is not named here shows as sent.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from console.formats import named  # noqa: F401  (the review's templates call it through here)

CATEGORIES = {
    "product_quality": _l("Product quality"),
    "after_sales_service": _l("After-sales service"),
    "logistics_delivery": _l("Logistics and delivery"),
    "contract_dispute": _l("Contract dispute"),
    "other": _l("Other"),
}

SEVERITIES = {
    "low": _l("Low"),
    "normal": _l("Normal"),
    "high": _l("High"),
    "critical": _l("Critical (safety)"),
}

CHANNELS = {
    "phone": _l("Phone"),
    "web": _l("Website"),
    "email": _l("Email"),
    "letter": _l("Letter"),
    "in_person": _l("In person"),
    "wechat": _l("WeChat"),
}

STATUSES = {
    "open": lazy_pgettext("complaint", "Open"),  # words other desks use otherwise: in context
    "in_progress": _l("In progress"),
    "resolved": _l("Resolved, awaiting feedback"),
    "closed": lazy_pgettext("complaint", "Closed"),
    "reopened": _l("Reopened"),
    "merged": _l("Merged (duplicate)"),
}

CLOCKS = {
    "acknowledge": _l("Acknowledge"),
    "first_response": _l("First response"),
    "escalation": _l("Escalation"),
    "resolution": _l("Resolution"),
}

CLOCK_STATUSES = {
    "running": _l("Running"),
    "paused": _l("Paused"),
    "met": _l("Met"),
    "breached": _l("Breached"),
    "not_set": _l("No date promised"),
}

WAITING_FOR = {"customer": _l("The customer"), "supplier": _l("The supplier")}

# A pause on the timeline, by whom the complaint waited for.
PAUSED_FOR = {"customer": _l("Waiting for the customer"), "supplier": _l("Waiting for the supplier")}

# Why the clocks ran again without anybody saying so (the service's `upon`).
RESUMED_UPON = {"resolved": _l("The complaint was resolved"), "merged": _l("The complaint was merged into another")}

EVIDENCE_KINDS = {
    "photo": _l("Photo"),
    "repair_record": _l("Repair record"),
    "call_recording": _l("Call recording"),
    "document": _l("Document"),
}

ROOT_CAUSES = {
    "design": _l("Design"),
    "production": _l("Production"),
    "supplier": _l("Supplier"),
    "service_process": _l("Service process"),
    "staff": _l("Staff"),
    "logistics": _l("Logistics"),
    "customer_use": _l("Customer use"),
    "unfounded": _l("Unfounded (nothing was wrong)"),
}

ACTION_KINDS = {
    "replace": _l("Replace"),
    "repair": _l("Repair"),
    "refund": _l("Refund"),
    "goodwill": _l("Goodwill"),
    "supplier_accountability": _l("Supplier accountability"),
    "staff_accountability": _l("Staff accountability"),
    "process_change": _l("Process change"),
}

SATISFACTION = {
    "5": _l("5 · Very satisfied"),
    "4": _l("4 · Satisfied"),
    "3": _l("3 · Neutral"),
    "2": _l("2 · Dissatisfied"),
    "1": _l("1 · Very dissatisfied"),
}

# What happened, on the timeline; news from another service begins claim_ or lot_.
TIMELINE = {
    "received": _l("Complaint received"),  # not "Received": the stores desk's word for goods in
    "classified": _l("Classified"),
    "reclassified": _l("Reclassified"),
    "assigned": _l("Assigned"),
    "owner_changed": _l("Owner changed"),
    "acknowledged": _l("Acknowledged"),
    "responded": _l("Answered the customer"),
    "resolution_promised": _l("Resolution date promised"),
    "paused": _l("Clocks paused"),
    "resumed": _l("Clocks resumed"),
    "escalated": _l("Escalated"),
    "evidence_added": _l("Evidence added"),
    "investigated": _l("Investigated"),
    "action_planned": _l("Action planned"),
    "action_done": _l("Action done"),
    "resolved": _l("Resolved"),
    "feedback_accepted": _l("Customer accepted"),
    "feedback_rejected": _l("Customer rejected"),
    "closed": lazy_pgettext("complaint", "Closed"),
    "reopened": _l("Reopened"),
    "follow_up": _l("Follow-up"),
    "merged_into": _l("Merged into another complaint"),
    "duplicate_merged": _l("Duplicate merged in"),
    "claim_submitted": _l("Warranty claim submitted"),
    "claim_info_requested": _l("Warranty claim: information requested"),
    "claim_approved": _l("Warranty claim approved"),
    "claim_partially_approved": _l("Warranty claim partially approved"),
    "claim_rejected": _l("Warranty claim rejected"),
    "claim_appealed": _l("Warranty claim appealed"),
    "claim_paid": _l("Warranty claim paid"),
    "claim_cancelled": _l("Warranty claim cancelled"),
    "claim_attachment_added": _l("Warranty claim: file attached"),
    "lot_quarantined": _l("Parts lot quarantined"),
    "lot_released": _l("Parts lot released"),
}
