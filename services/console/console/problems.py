"""What a service's refusal says, in the user's language (错误提示).

The services answer in English problem details with a stable `code` and the facts as
members (`part_number`, `asked`, `available`…). The console says the same in the user's
language: a sentence per known code, filled from those members, and the field messages of a
422 looked up in the message catalog. An unknown code shows the service's own words: never
nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from console.backend import ApiProblem

SENTENCES: Mapping[str, object] = {
    "part_not_found": _l("Part %(part_number)s is not in the catalog."),
    "part_superseded": _l("%(part_number)s is superseded by %(superseded_by)s."),
    "insufficient_stock": _l("Not enough %(part_number)s: %(asked)s asked, %(available)s available."),
    "lot_not_found": _l("Lot %(lot)s was not found."),
    "lot_quarantined": _l("Lot %(lot)s is on hold and cannot move."),
    "nothing_to_return": _l("Nothing of this slip is left to take back."),
    "return_exceeds_issue": _l("You cannot take back more than was issued."),
    "reservation_not_active": _l("The reservation is no longer active."),
    "reservation_for_another_order": _l("That reservation belongs to another repair order."),
    "reservation_expired": _l("The reservation has expired."),
    "reservation_not_found": _l("The reservation was not found."),
    "deposit_required": _l("A deposit of at least %(required)s is needed for this part."),
    "expiry_in_the_past": _l("The hold must end in the future."),
    "issue_not_found": _l("The issue slip was not found."),
    "receipt_not_found": _l("The receipt was not found."),
    "supplier_not_found": _l("Supplier %(supplier)s was not found."),
    "supplier_not_qualified": _l("Supplier %(supplier)s is not qualified and cannot deliver."),
    "location_not_found": _l("Location %(location)s was not found."),
    "lot_already_inspected": _l("The lot's inspection is already recorded."),
    "count_not_found": _l("The count was not found."),
    "count_status": _l("The count cannot do that in its present state."),
    "count_not_finished": _l("Some lines of the count have not been counted yet."),
    "nothing_to_count": _l("No lot holds stock there for the parts asked: nothing to count."),
    "count_line_not_found": _l("%(part_number)s lot %(lot)s is not on this count."),
    "count_below_reserved": _l("%(part_number)s lot %(lot)s: %(counted)s counted but %(reserved)s reserved. Release reservations first."),
    "reorder_rule_out_of_order": _l("Safety stock must not exceed the reorder point, nor the reorder point the maximum."),
    "purchase_order_not_found": _l("The purchase order was not found."),
    "purchase_order_closed": _l("The purchase order is closed."),
    "quantity_too_precise": _l("The quantity has more decimals than the part's unit allows."),
    "lot_already_on_hold": _l("The lot is already on hold."),
    "lot_not_on_hold": _l("The lot is not on hold."),
    "sale_not_found": _l("Sales order %(sale)s was not found."),
    "sale_wrong_status": _l("Sales order %(sale)s cannot do that now: it has moved on. Reload it."),
    "sale_cancelled": _l("Sales order %(sale)s was cancelled."),
    "sale_already_paid": _l("Sales order %(sale)s is paid: it is returned, not cancelled."),
    "payment_amount_mismatch": _l("%(amount)s is not the order's total, %(total)s."),
    "payment_reference_required": _l("Give the transaction or slip number of this payment."),
    "customer_account_required": _l("A trade customer buys on an account: give it."),
    "customer_group_not_found": _l("There is no customer group %(customer_group)s."),
    "mixed_currencies": _l("%(part_number)s is priced in %(currency)s, the order in %(order_currency)s."),
    "part_not_on_sale": _l("This sale did not sell %(part_number)s."),
    "return_exceeds_sold": _l("Only %(returnable)s of %(part_number)s can come back (sold, less returned before)."),
    "used_part_not_returnable": _l("%(part_number)s was used: the counter takes back unused parts; open a "
                                   "parts-warranty case instead."),
    "late_return_needs_manager": _l("The return window ended on %(window_ended)s: only a parts manager may take "
                                    "it back."),
    "late_return_reason_required": _l("The return window has ended: say why the parts are taken back anyway."),
    "refund_exceeds_returned_value": _l("A refund of %(amount)s is more than these parts were paid, %(value)s."),
    "refund_exceeds_paid": _l("A refund of %(amount)s is too much: %(paid)s was paid, %(refunded)s refunded "
                              "already."),
    "refund_reference_required": _l("Give the transaction or slip number of the refund."),
    "duplicate_customer_group": _l("There is a customer group %(customer_group)s already."),
    "group_price_not_found": _l("Group %(customer_group)s has no price of its own for %(part_number)s (any more)."),
    "promotion_not_found": _l("There is no promotion %(promotion)s."),
    "duplicate_promotion": _l("There is a promotion %(promotion)s already: choose another code."),
    "promotion_ended": _l("Promotion %(promotion)s has ended: it can no longer change."),
    "invalid_promotion": _l("The promotion cannot be applied as written: see the marked field."),
    "promotion_period_reversed": _l("The promotion ends (%(ends_on)s) before it starts (%(starts_on)s)."),
    "promotion_rule_invalid": _l("Give the rule its figure: percent off more than 0 and less than 100, a fixed "
                                 "price above 0, or N of at least 2 for buy N."),
    "promotion_scope_empty": _l("Name the part numbers, the categories or both that the promotion is on."),
    "promotion_scope_unknown": _l("%(value)s is not in the catalog."),
    "promotion_not_applicable": _l("Promotion %(promotion)s does not apply to %(part_number)s today."),
    "complaint_not_found": _l("The complaint was not found."),
    "reason_required": _l("Say why the classification is right."),
    "category_or_severity_required": _l("Choose the category, the severity or both."),
    "classification_incomplete": _l("This complaint has no classification yet: choose both category and severity."),
    "received_in_future": _l("A complaint cannot be received after now."),
    "complaint_text_required": _l("Say what the customer complains about."),
    "complaint_closed": _l("The complaint is closed: reopen it first."),
    "complaint_merged": _l("This complaint was merged into another one: work on that one."),
    "not_complaint_owner": _l("Only the complaint's owner (%(owner)s) or the complaints desk may work on it."),
    "already_owner": _l("%(owner)s already owns this complaint."),
    "already_acknowledged": _l("The complaint was acknowledged already."),
    "complaint_already_paused": _l("The clocks are paused already: resume them first."),
    "complaint_not_paused": _l("The clocks are running: there is no pause to end."),
    "promise_before_receipt": _l("The promised date is before the complaint was received."),
    "promise_too_far": _l("This date is too far after the complaint was received to be a promise."),
    "field_blank": _l("This cannot be blank."),
    "invalid_satisfaction": _l("Satisfaction is 1 (very dissatisfied) to 5 (very satisfied)."),
    "findings_or_root_cause_required": _l("Give the findings, the root cause or both."),
    "date_in_future": _l("This date cannot be after today."),
    "complaint_awaiting_feedback": _l("The complaint is resolved and waits for the customer's feedback."),
    "complaint_not_resolved": _l("Resolve the complaint first."),
    "root_cause_required": _l("Record the root cause before resolving (“Unfounded” if nothing was wrong)."),
    "feedback_already_recorded": _l("The customer accepted this resolution already: close the complaint."),
    "accepted_feedback_required": _l("Record the customer's acceptance of the resolution before closing."),
    "complaint_not_closed": _l("The complaint is not closed: there is nothing to reopen."),
    "reopen_window_passed": _l("Closed more than %(reopen_days)s days ago: record a new complaint instead."),
    "merge_into_itself": _l("A complaint cannot be merged into itself."),
    "merge_target_closed": _l("Duplicates go into a complaint still being worked on; this one is closed."),
    "action_not_found": _l("This complaint has no such action."),
    "action_already_done": _l("The action was done on %(done_on)s already."),
    "open_actions": _l("Some actions are not done yet. Mark them done, or a service manager closes the complaint "
                       "giving the reason here."),
    "vehicle_not_found": _l("No vehicle %(vin)s is registered with this dealer."),
    "invalid_vin": _l("%(vin)s is not a valid VIN."),
    "component_not_known": _l("Warranty has not heard of part %(part_number)s yet: name its component group as well."),
    "catalog_part_not_known": _l("Warranty has not heard of part %(part_number)s yet."),
    "eligibility_date_in_future": _l("Ask about a repair done already, or an appointment up to %(days_ahead)s days "
                                     "ahead (until %(latest)s)."),
    "coverage_plan_not_found": _l("Coverage plan %(plan)s was not found."),
    "lot_recall_not_found": _l("No recall of lot %(lot)s is known."),
    "claim_not_found": _l("Claim %(claim_number)s was not found."),
    "claim_vehicle_not_known": _l("Register vehicle %(vin)s before claiming on it."),
    "claim_plan_not_known": _l("There is no coverage plan %(plan)s to claim under."),
    "claim_date_in_future": _l("This date cannot be after today."),
    "repair_before_failure": _l("The repair date cannot be before the failure date."),
    "days_out_of_service_invalid": _l("The days out of service cannot be negative."),
    "claim_transition_not_allowed": _l("The claim cannot do that in its present state."),
    "claim_not_editable": _l("Only a draft, or a claim the manager asked about, can change."),
    "claim_already_decided": _l("The claim has been decided already."),
    "claim_not_payable": _l("Only an approved or partially approved claim is paid."),
    "appeal_already_used": _l("The claim has been appealed once already."),
    "decision_invalid": _l("The decision is not complete: decide every line, saying why when less is approved."),
    "claim_empty": _l("A claim needs at least one line with an amount."),
    "claim_not_eligible": _l("Plan %(plan)s does not cover this repair at its date and odometer."),
    "submission_deadline_passed": _l("Claims for this repair had to be submitted by %(deadline)s."),
    "duplicate_claim": _l("This repeats claim %(duplicate_of)s."),
    "causal_part_required": _l("A warranty claim needs one part line marked causal (the part that failed)."),
    "pre_authorisation_required": _l("Above %(threshold)s the manufacturer's pre-authorisation, granted on or "
                                     "before the repair date, is needed."),
    "aftermarket_part_on_critical_component": _l("%(part_number)s: a customer-supplied or aftermarket part on a "
                                                 "safety-critical component is not covered."),
    "claim_campaign_invalid": _l("Only a campaign claim names the campaign it was done for."),
    "campaign_not_open": _l("%(campaign)s is not an open campaign for this vehicle at the repair date."),
    "component_group_mismatch": _l("The causal part is in component group %(category)s, not %(component_group)s."),
    "payment_above_approved": _l("%(paid_amount)s is more than the %(approved_amount)s approved."),
    "short_payment_reason_required": _l("%(paid_amount)s paid of %(approved_amount)s approved: say why the "
                                        "manufacturer paid less."),
    "payment_not_short": _l("The approved %(approved_amount)s is paid in full: there is no short payment to explain."),
    "report_period_invalid": _l("The period ends before it starts."),
    "supplier_recovery_not_found": _l("There is no supplier recovery for claim %(claim_number)s."),
    "recovery_transition_not_allowed": _l("The recovery cannot take that step in its present state."),
    "recovery_closed": _l("The recovery is closed: its amount can no longer change."),
    "recovery_amount_invalid": _l("A recovery asks for more than 0.00 and no part of it is negative; write it off "
                                  "instead."),
    "parts_warranty_sale_unknown": _l("Sale %(sale)s did not sell %(part_number)s from this lot."),
    "parts_warranty_expired": _l("The warranty on %(part_number)s ran out on %(expires_on)s: only a warranty manager "
                                 "may accept it, saying why."),
    "parts_warranty_quantity_exceeds_sold": _l("%(asked)s asked, but %(sold)s were sold and %(in_cases)s are in "
                                               "cases already."),
    "parts_warranty_policy_invalid": _l("The terms cannot be saved as they are: see the marked fields."),
    "parts_warranty_case_not_found": _l("There is no parts-warranty case %(case)s."),
    "parts_warranty_step_not_allowed": _l("The case has moved on meanwhile: reload it."),
    "parts_warranty_decision_needs_override": _l("The assessment does not lead to this outcome: only a warranty "
                                                 "manager may decide otherwise, giving the reason."),
    "parts_warranty_reason_required": _l("Say why the part is refused."),
    "parts_warranty_followed_up": _l("The follow-up of this case is recorded already."),
    "attachment_too_large": _l("The file is too large: at most %(max_bytes)s bytes."),
    "payload_too_large": _l("The file is too large."),
    "attachment_empty": _l("The file is empty."),
    "attachment_type_not_allowed": _l("Only JPEG, PNG, WebP and PDF files can be attached."),
    "claim_closed_to_attachments": _l("Nothing more can be attached to this claim."),
    "attachment_not_found": _l("The attachment was not found."),
    "attachment_content_missing": _l("The attached file is missing from the store."),
    "nothing_to_change": _l("Nothing was changed."),
    "idempotency_key_reused": _l("This form was sent before with other values. Reload the page and try again."),
    "not_found": _l("Not found: it does not exist, or it belongs to another dealer."),
    "forbidden": _l("Your role may not do this."),
    "stale_version": _l("Someone changed this meanwhile. Reload and try again."),
    "validation_failed": _l("Some fields need correcting."),
    "conflicting_write": _l("Someone changed this meanwhile. Reload and try again."),
    "unavailable": _l("The service is busy. Try again in a moment."),
}


# The services' validation messages that never vary, marked here so the catalog has them (a
# 422's field messages are looked up in it as they come).
FIELD_MESSAGES = (
    _l("Field may not be null."),
    _l("Missing data for required field."),
    _l("Not a valid integer."),
    _l("Not a valid date."),
    _l("Too many decimal places."),
    _l("Must be digits with an optional point, such as 12.50."),
    _l("Must be digits with an optional point, such as 3."),
    _l("Must be more than 0."),
    _l("Must be at least 0."),
)


# A refusal that names several lines (`lines`: one entry of facts per line) says so at the top.
FOR_SEVERAL_LINES: Mapping[str, object] = {
    "insufficient_stock": _l("Not enough stock for %(parts)s: nothing was reserved."),
}


class _Facts(dict):
    """The problem's members for a sentence; a member the service did not send shows as '?'."""

    def __missing__(self, key: str) -> str:
        return "?"


def translated(problem: ApiProblem) -> str:
    lines = _line_facts(problem)
    if lines and problem.code in FOR_SEVERAL_LINES:
        parts = ", ".join(str(line.get("part_number", "?")) for line in lines)
        return str(FOR_SEVERAL_LINES[problem.code]) % {"parts": parts}
    return _sentence(problem.code, problem.body) or problem.detail or problem.title


def _sentence(code: str, facts: Mapping) -> str | None:
    sentence = SENTENCES.get(code)
    if sentence is None:
        return None
    return str(sentence) % _Facts({k: v for k, v in facts.items() if isinstance(v, (str, int, float))})


def _line_facts(problem: ApiProblem) -> list[dict]:
    lines = problem.body.get("lines")
    return [line for line in lines if isinstance(line, dict)] if isinstance(lines, list) else []


def field_messages(problem: ApiProblem) -> dict[str, list[str]]:
    """Messages per field path (`lines.0.quantity`), each in the user's language where the
    catalog knows it. A domain error that names one field comes with its sentence there."""
    found = {path: [gettext(message) for message in messages] for path, messages in problem.errors.items()}
    field = problem.body.get("field")
    if isinstance(field, str) and problem.code in SENTENCES:
        found[field] = [translated(problem)]
    for line in _line_facts(problem):
        if isinstance(line.get("field"), str) and problem.code in SENTENCES:
            found[line["field"]] = [_sentence(problem.code, line)]
    return found


def for_the_top(problem: ApiProblem, errors: Mapping[str, list[str]]) -> str | None:
    """The refusal's sentence for the top of the form, unless it already stands next to a field."""
    sentence = translated(problem)
    return None if any(sentence in messages for messages in errors.values()) else sentence
