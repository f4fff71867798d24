"""What the warranty service's codes are called at the service advisor's and the warranty
desks, in the reader's language.

The service decides which statuses, reasons and thresholds there are and what they mean; a
code it sends that is not named here shows as sent.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

CLAIM_STATUSES = {
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
    "info_requested": _l("Information requested"),
    "approved": _l("Approved"),
    "partially_approved": _l("Partially approved"),
    "rejected": _l("Rejected"),
    "paid": _l("Paid"),
    "cancelled": _l("Cancelled"),
}

CLAIM_TYPES = {
    "warranty": _l("Warranty"),
    "campaign": _l("Campaign (recall)"),
    "goodwill": _l("Goodwill"),
    "pre_authorisation": _l("Pre-authorisation"),
}

LINE_KINDS = {
    "part": _l("Part"),
    "labour": _l("Labour"),
    "sublet": _l("Sublet"),
}

SUPPLIED_BY = {
    "dealer": _l("Dealer"),
    "customer": _l("Customer"),
}

# What happened to a claim, as its history says (who, when, why).
ACTIONS = {
    "filed": _l("Filed"),
    "edited": _l("Edited"),
    "submitted": _l("Submitted"),
    "resubmitted": _l("Resubmitted"),
    "info_requested": _l("Information requested"),
    "approved": _l("Approved"),
    "partially_approved": _l("Partially approved"),
    "rejected": _l("Rejected"),
    "appealed": _l("Appealed"),
    "cancelled": _l("Cancelled"),
    "paid": _l("Paid"),
}

# Why a line was approved for less than claimed (a decision's reason codes).
DECISION_REASONS = {
    "not_covered": _l("Not covered by the plan"),
    "labour_over_standard_time": _l("Labour over the standard time"),
    "price_over_list": _l("Price over the list price"),
    "not_related_to_failure": _l("Not related to the failure"),
    "insufficient_evidence": _l("Insufficient evidence"),
    "customer_damage": _l("Customer damage (misuse, accident, no maintenance)"),
    "duplicate": _l("Duplicate"),
    "other": _l("Other"),
}

# The stages of a claim the cycle-time report measures.
STAGES = {
    "draft_to_submitted": _l("Filed to submitted"),
    "submitted_to_decided": _l("Submitted to decided"),
    "decided_to_paid": _l("Decided to paid"),
}

# What the manager does with a line (names.DECISION_REASONS say why, for a cut or a rejection).
DECISION_OUTCOMES = {
    "approve": _l("Approve in full"),
    "cut": _l("Cut to the amount"),
    "reject": _l("Reject"),
}

RECOVERY_STATUSES = {
    "open": _l("Open"),
    "charged": _l("Charged"),
    "disputed": _l("Disputed"),
    "recovered": _l("Recovered"),
    "written_off": _l("Written off"),
}

# What happened to a recovery, as its history says.
RECOVERY_ACTIONS = {
    "opened": _l("Opened"),
    "adjusted": _l("Amount adjusted"),
    "charged": _l("Charged to the supplier"),
    "disputed": _l("Disputed by the supplier"),
    "recovered": _l("Recovered"),
    "written_off": _l("Written off"),
}

# The steps a recovery takes: the button's words.
RECOVERY_STEPS = {
    "charge": _l("Charge the supplier"),
    "dispute": _l("Supplier disputes"),
    "recover": _l("Recovered"),
    "write_off": _l("Write off"),
}

# Raised at submission for the manager's attention, not refused.
FLAGS = {
    "repeat_repair": _l("Repeat repair"),
    "labour_over_standard_time": _l("Labour over the standard time"),
}

# Why a plan does not cover (eligibility) or a claim was refused at submission.
REASONS = {
    "not_started": _l("Not started yet"),
    "expired_time": _l("Expired by time"),
    "expired_distance": _l("Expired by distance"),
    "excluded_component": _l("Component excluded"),
    "component_not_covered": _l("Component not covered"),
    "aftermarket_part_on_critical_component": _l("Aftermarket part on a safety-critical component"),
    "odometer_rollback_suspected": _l("Suspected odometer rollback"),
    "salvage_title": _l("Branded title (salvage, rebuilt, flood)"),
    "not_first_owner": _l("First owner only"),
    "part_not_installed": _l("The part was not fitted here"),
    "plan_ended": _l("The campaign has closed"),
    "plan_not_applicable": _l("The plan does not apply to this vehicle"),
}

WARNINGS = {
    "install_odometer_unknown": _l("The odometer at fitting is unknown: km left cannot be told"),
}

PLAN_TYPES = {
    "basic": _l("Repair warranty"),
    "three_guarantees": _l("Three guarantees (三包)"),
    "powertrain": _l("Powertrain"),
    "corrosion": _l("Corrosion"),
    "emissions": _l("Emissions"),
    "battery": _l("Traction battery"),
    "replaced_part": _l("Replaced part"),
    "workmanship": _l("Workmanship"),
    "campaign": _l("Campaign"),
    "goodwill": _l("Goodwill"),
}

# The parts catalog's categories, which warranty calls component groups.
COMPONENTS = {
    "engine": _l("Engine"),
    "transmission": _l("Transmission"),
    "drivetrain": _l("Drivetrain"),
    "brakes": _l("Brakes"),
    "steering": _l("Steering"),
    "suspension": _l("Suspension"),
    "axles": _l("Axles"),
    "body": _l("Body"),
    "electrical": _l("Electrical"),
    "emissions": _l("Emissions"),
    "traction_battery": _l("Traction battery"),
    "drive_motor": _l("Drive motor"),
    "air_conditioning": _l("Air conditioning"),
    "filters": _l("Filters"),
    "fluids": _l("Fluids"),
    "maintenance": _l("Maintenance"),
    "wear_items": _l("Wear items"),
}

TITLE_STATUSES = {
    "clean": _l("Clean"),
    "salvage": _l("Salvage"),
    "rebuilt": _l("Rebuilt"),
    "flood": _l("Flood"),
    "lemon_buyback": _l("Bought back under 三包"),
}

LEMON_LAW_THRESHOLDS = {
    "serious_safety_fault_repairs": _l("Repairs of the same serious safety fault"),
    "powertrain_part_replacements": _l("Engine or transmission replacements"),
    "main_part_replacements": _l("Replacements of the same main part"),
    "days_out_of_service": _l("Days out of service"),
    "same_problem_repairs": _l("Repairs of the same problem"),
    "early_major_system_failure": _l("Major system failure in the first 60 days / 3,000 km"),
}

ATTACHMENT_KINDS = {
    "photo": _l("Photo of the failed part"),
    "repair_order": _l("Repair order (scan)"),
    "pre_authorisation": _l("Pre-authorisation letter"),
    "other": _l("Other"),
}

CAMPAIGN_KINDS = {
    "campaign": _l("Campaign"),
    "lot_recall": _l("Lot recall"),
}
