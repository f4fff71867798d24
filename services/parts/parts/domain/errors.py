from __future__ import annotations

from shared.errors import Conflict, DomainError, NotFound, RuleViolation


class PartNotFound(NotFound):
    code = "part_not_found"

    def __init__(self, part_number: str, **context):
        super().__init__(f"no part {part_number} in this dealer's catalog", part_number=part_number, **context)


class PartNumberAmbiguous(NotFound):
    code = "part_number_ambiguous"

    def __init__(self, asked: str, candidates: list[str], **context):
        super().__init__(f"{asked} could be any of {', '.join(candidates)}: give the number as the catalog writes it",
                         part_number=asked, candidates=candidates, **context)


class PartNumberTaken(Conflict):
    code = "duplicate_part_number"

    def __init__(self, part_number: str, existing: str | None = None):
        """`existing`: the number as the catalog spells it, when it differs only in case."""
        if existing is None or existing == part_number:
            detail = f"part number {part_number} is already in the catalog"
        else:
            detail = f"part number {part_number} is already in the catalog as {existing} (numbers ignore case)"
        super().__init__(detail, field="part_number", part_number=part_number, existing=existing)


class PartSuperseded(Conflict):
    code = "part_superseded"

    def __init__(self, part_number: str, current: str, **context):
        super().__init__(f"{part_number} is superseded by {current} and none of it is left here; ask for {current}",
                         part_number=part_number, superseded_by=current, **context)


class UnitInUse(Conflict):
    code = "unit_in_use"

    def __init__(self, part_number: str, unit: str, new_unit: str):
        super().__init__(
            f"{part_number} has stock or open reservations counted in {unit}; its unit cannot become "
            f"{new_unit} until they are gone",
            field="unit", part_number=part_number, unit=unit, new_unit=new_unit,
        )


class PartNeedsAName(RuleViolation):
    code = "part_name_required"

    def __init__(self):
        super().__init__("a part needs a Chinese or an English name (or both)", field="name_zh")


class NothingToChange(RuleViolation):
    code = "nothing_to_change"

    def __init__(self):
        super().__init__("the update names no field to change")


class InsufficientStock(Conflict):
    code = "insufficient_stock"

    def __init__(self, part_number: str, asked, available, **context):
        super().__init__(
            f"{part_number}: asked for {asked}, only {available} available",
            part_number=part_number, asked=asked, available=available, **context,
        )


class StockMoved(Exception):
    """A reservation made on a stock read without its lock (`StockRepository.to_reserve`) no
    longer fits the stock as it is once the commit takes the lock. Not a domain error: nobody
    is told; the use case rolls back and reserves again the locked way."""


class LotNotHere(NotFound):
    code = "lot_not_found"

    def __init__(self, lot: str, part_number: str, location: str):
        super().__init__(f"lot {lot} holds no {part_number} at {location}", lot=lot,
                         part_number=part_number, location=location)


class LotQuarantined(Conflict):
    """Not the event of the same name: the refusal to move a lot's blocked stock."""

    code = "lot_quarantined"

    def __init__(self, lot: str, part_number: str, location: str):
        super().__init__(f"lot {lot} of {part_number} at {location} is blocked (inspection pending or failed, "
                         "or on hold) and may not move", field="lot", lot=lot, part_number=part_number,
                         location=location)


class SameLocation(RuleViolation):
    code = "same_location"

    def __init__(self, location: str):
        super().__init__(f"a transfer goes from one location to another, not from {location} to itself",
                         field="to_location", location=location)


class NothingToReturn(RuleViolation):
    code = "nothing_to_return"

    def __init__(self, part_number: str):
        super().__init__(f"return a positive quantity of {part_number}", field="quantity")


class ReservationNotActive(Conflict):
    code = "reservation_not_active"

    def __init__(self, number: str, status: str | None):
        detail = f"reservation {number} is {status}" if status else f"no active reservation {number} here"
        super().__init__(detail, reservation=number, status=status)


class ReservationForAnotherOrder(Conflict):
    code = "reservation_for_another_order"

    def __init__(self, number: str, reserved_for: str, asked_for: str, *, held_for: str | None = None,
                 asked_kind: str = "repair order"):
        """`held_for` says what the reservation holds the parts for in the ledger's words ("sales
        order SO-1", "repair order RO-1"), so the message never calls a sale a repair order."""
        asked = {"repair_order" if asked_kind == "repair order" else "sale": asked_for}
        super().__init__(f"reservation {number} holds parts for {held_for or reserved_for}, not for {asked_kind} "
                         f"{asked_for}", reservation=number, reserved_for=reserved_for, **asked)


class ReservationElsewhere(Conflict):
    code = "reservation_not_for_line"

    def __init__(self, number: str, part_number: str, location: str, asked_part: str, asked_location: str,
                 **context):
        super().__init__(f"reservation {number} holds {part_number} at {location}, not {asked_part} at "
                         f"{asked_location}", reservation=number, part_number=part_number, location=location,
                         **context)


class ExpiryInThePast(RuleViolation):
    code = "expiry_in_the_past"

    def __init__(self, expires_at, now):
        super().__init__(f"a reservation must expire after now ({now.isoformat()}), not at {expires_at.isoformat()}",
                         field="expires_at", expires_at=expires_at.isoformat())


class ReservationExpired(Conflict):
    code = "reservation_expired"

    def __init__(self, number: str, expired_at):
        super().__init__(f"reservation {number} expired at {expired_at.isoformat()}; reserve again",
                         reservation=number, expired_at=expired_at.isoformat())


class WouldGoNegative(Conflict):
    code = "count_below_reserved"

    def __init__(self, part_number: str, lot: str, counted, reserved):
        super().__init__(
            f"{part_number} lot {lot}: counted {counted} but {reserved} are reserved; release reservations first",
            part_number=part_number, lot=lot, counted=counted, reserved=reserved,
        )


class CountNotFound(NotFound):
    code = "count_not_found"

    def __init__(self, number: str):
        super().__init__(f"no stock count {number}", count=number)


class CountLineUnknown(NotFound):
    code = "count_line_not_found"

    def __init__(self, number: str, part_number: str, lot: str):
        super().__init__(f"count {number} has no line for {part_number} lot {lot}; only the lots "
                         "at the location when the count opened are counted",
                         count=number, part_number=part_number, lot=lot)


class CountNotInStatus(Conflict):
    code = "count_status"

    def __init__(self, number: str, status: str, expected: str):
        super().__init__(f"count {number} is {status}, not {expected}", count=number, status=status)


class CountNotFinished(Conflict):
    code = "count_not_finished"

    def __init__(self, number: str, uncounted: list[str]):
        super().__init__(f"count {number} still has {len(uncounted)} uncounted lines", count=number,
                         uncounted=uncounted)


class NothingToCount(RuleViolation):
    code = "nothing_to_count"

    def __init__(self, location: str):
        super().__init__(f"no lot holds stock at {location} for the parts asked", field="location")


class PurchaseOrderNotFound(NotFound):
    code = "purchase_order_not_found"

    def __init__(self, number: str, **context):
        super().__init__(f"no purchase order {number}", purchase_order=number, **context)


class PurchaseOrderClosed(Conflict):
    code = "purchase_order_closed"

    def __init__(self, number: str, status: str):
        super().__init__(f"purchase order {number} is {status}", purchase_order=number, status=status)


class WrongSupplier(Conflict):
    code = "purchase_order_supplier"

    def __init__(self, number: str, ordered_from: str, delivered_by: str):
        super().__init__(f"purchase order {number} was placed with {ordered_from}, not {delivered_by}",
                         field="purchase_order", purchase_order=number, supplier=ordered_from)


class SupplierNotFound(NotFound):
    code = "supplier_not_found"

    def __init__(self, code: str, **context):
        super().__init__(f"no supplier {code}", supplier=code, **context)


class SupplierNotQualified(Conflict):
    code = "supplier_not_qualified"

    def __init__(self, code: str, **context):
        super().__init__(f"supplier {code} has not passed supplier review (合格供应商) and may not deliver",
                         supplier=code, **context)


class SupplierPartListedTwice(RuleViolation):
    code = "duplicate_supplier_part_number"

    def __init__(self, supplier: str, part_number: str, field: str):
        super().__init__(f"supplier {supplier} lists {part_number} more than once; give each part one supplier number",
                         field=field, supplier=supplier, part_number=part_number)


class SupplierCodeTaken(Conflict):
    code = "duplicate_supplier"

    def __init__(self, code: str):
        super().__init__(f"supplier {code} already exists", supplier=code)


class LocationNotFound(NotFound):
    code = "location_not_found"

    def __init__(self, code: str, **context):
        super().__init__(f"no location {code}", location=code, **context)


class LocationCodeTaken(Conflict):
    code = "duplicate_location"

    def __init__(self, code: str):
        super().__init__(f"location {code} already exists", location=code)


class LotNotFound(NotFound):
    code = "lot_not_found"

    def __init__(self, code: str):
        super().__init__(f"no lot {code}", lot=code)


class AlreadyInspected(Conflict):
    code = "lot_already_inspected"

    def __init__(self, lot: str, result: str):
        super().__init__(f"lot {lot} was already inspected: {result}", lot=lot, result=result)


class TooPrecise(RuleViolation):
    code = "quantity_too_precise"

    def __init__(self, part_number: str, unit: str, places: int, field: str = "quantity"):
        whole = "whole numbers" if places == 0 else f"at most {places} decimal places"
        super().__init__(f"{part_number} is counted in {unit}: {whole}", field=field,
                         part_number=part_number, unit=unit)


class IssueNotFound(NotFound):
    code = "issue_not_found"

    def __init__(self, number: str):
        super().__init__(f"no issue slip {number}", issue=number)


class ReturnExceedsIssue(Conflict):
    code = "return_exceeds_issue"

    def __init__(self, part_number: str, lot: str, asked, returnable):
        super().__init__(f"{part_number} lot {lot}: only {returnable} can come back, not {asked}",
                         part_number=part_number, lot=lot, asked=asked, returnable=returnable)


class ReservationNotFound(NotFound):
    code = "reservation_not_found"

    def __init__(self, number: str, **context):
        super().__init__(f"no reservation {number}", reservation=number, **context)


class DepositRequired(RuleViolation):
    code = "deposit_required"

    def __init__(self, part_number: str, required, given, field: str = "deposit", **context):
        super().__init__(
            f"{part_number} is a high-value part reserved for an appointment: the customer must pay a "
            f"deposit of at least {required} (half the price, 预交定金不少于原价的二分之一)",
            field=field, part_number=part_number, required=required, given=given, **context,
        )


class LinesShort(Conflict):
    """Lines of a whole-quote reservation that the stock cannot meet; nothing was reserved.
    `lines` has one entry per short line (its index, part, location, asked and available),
    `errors` the same per field, so each can be shown next to its line."""

    code = "insufficient_stock"

    def __init__(self, shortages: list[tuple[int, InsufficientStock]], prefix: str = "lines"):
        """`prefix`: the request field the lines are in (an exchange's replacement lines: `exchange`)."""
        lines = [{"line": index, "field": f"{prefix}.{index}.quantity", **short.context} for index, short in shortages]
        shown = ", ".join(f"line {index} ({short.context['part_number']})" for index, short in shortages)
        super().__init__(
            f"not enough stock for {shown}; nothing was reserved",
            lines=lines, errors={f"{prefix}.{index}.quantity": [short.detail] for index, short in shortages},
        )


class ReceiptNotFound(NotFound):
    code = "receipt_not_found"

    def __init__(self, number: str):
        super().__init__(f"no receipt {number}", receipt=number)


class SupersessionLoop(RuleViolation):
    code = "supersession_loop"

    def __init__(self, part_number: str, replacement: str | None):
        super().__init__(f"{part_number} cannot be superseded by {replacement}: the chain would loop",
                         field="superseded_by", part_number=part_number, replacement=replacement)


class AlternateOfItself(RuleViolation):
    code = "alternate_of_itself"

    def __init__(self, part_number: str):
        super().__init__(f"{part_number} cannot be its own alternate", field="alternates", part_number=part_number)


class RuleOutOfOrder(RuleViolation):
    code = "reorder_rule_out_of_order"

    def __init__(self, part_number: str, safety_stock, reorder_point, max_stock):
        super().__init__(
            f"{part_number}: need safety stock <= reorder point <= max stock and a positive pack "
            f"(got {safety_stock}, {reorder_point}, {max_stock})",
            field="reorder_point", part_number=part_number,
        )


class LotAlreadyOnHold(Conflict):
    code = "lot_already_on_hold"

    def __init__(self, lot: str, reason: str | None):
        super().__init__(f"lot {lot} is already on hold: {reason}", lot=lot, reason=reason)


class LotNotOnHold(Conflict):
    code = "lot_not_on_hold"

    def __init__(self, lot: str):
        super().__init__(f"lot {lot} is not on hold", lot=lot)


class RowsRejected(RuleViolation):
    """An imported file (CSV) has wrong rows. Lists every problem with its line (line 1 is the
    header, the first data row line 2) and column; nothing of the file was applied.

    `rows` holds one problem each: {line, field, code, message}; `errors` has the same messages
    keyed "<line>.<field>", as the per-field `errors` of any other 422.
    """

    code = "rows_rejected"

    def __init__(self, problems: list[dict]):
        problems = sorted(problems, key=lambda problem: problem["line"])
        lines = sorted({problem["line"] for problem in problems})
        shown = ", ".join(str(line) for line in lines[:20]) + (", ..." if len(lines) > 20 else "")
        errors: dict[str, list[str]] = {}
        for problem in problems:
            errors.setdefault(f"{problem['line']}.{problem['field']}", []).append(problem["message"])
        super().__init__(
            f"{len(lines)} line(s) of the file are wrong ({shown}); nothing was applied",
            rows=problems, errors=errors,
        )

    @staticmethod
    def problem(line: int, field: str, code: str, message: str) -> dict:
        return {"line": line, "field": field, "code": code, "message": message}

    @classmethod
    def problem_of(cls, line: int, error: RuleViolation | Conflict | NotFound, field: str) -> dict:
        """A domain error raised by one row, as that row's problem (its own field, if it names one)."""
        return cls.problem(line, str(error.context.get("field", field)), error.code, error.detail)


# ---------------------------------------------------------------- counter sales (配件销售)


class SaleNotFound(NotFound):
    code = "sale_not_found"

    def __init__(self, number: str):
        super().__init__(f"no sales order {number}", sale=number)


class SaleWrongStatus(Conflict):
    """The order is not in the state this step needs (confirm a draft, pay a confirmed order,
    complete a paid one, cancel before payment)."""

    code = "sale_wrong_status"

    def __init__(self, number: str, status: str, action: str, detail: str | None = None):
        super().__init__(detail or f"sales order {number} is {status}: it cannot {action} now",
                         field="status", sale=number, status=status, action=action)


class SaleCancelled(SaleWrongStatus):
    code = "sale_cancelled"

    def __init__(self, number: str, action: str):
        super().__init__(number, "cancelled", action, f"sales order {number} was cancelled: it cannot {action}")


class SaleAlreadyPaid(SaleWrongStatus):
    code = "sale_already_paid"

    def __init__(self, number: str, status: str, action: str):
        super().__init__(number, status, action,
                         f"sales order {number} is paid: it cannot {action}; a paid sale is returned, not cancelled")


class PaymentAmountMismatch(RuleViolation):
    code = "payment_amount_mismatch"

    def __init__(self, number: str, amount, total):
        super().__init__(f"the payment of {amount} is not the total of sales order {number}, {total}",
                         field="amount", sale=number, amount=amount, total=total)


class PaymentReferenceRequired(RuleViolation):
    code = "payment_reference_required"

    def __init__(self, method: str):
        super().__init__(f"a {method} payment needs its reference (transaction or slip number)",
                         field="reference", method=method)


class TradeAccountRequired(RuleViolation):
    code = "customer_account_required"

    def __init__(self):
        super().__init__("a trade customer is sold to on their account: name it", field="customer_account")


class MixedCurrencies(RuleViolation):
    code = "mixed_currencies"

    def __init__(self, part_number: str, currency: str, order_currency: str, **context):
        super().__init__(f"{part_number} is priced in {currency}, the order in {order_currency}",
                         part_number=part_number, currency=currency, order_currency=order_currency, **context)


class CustomerGroupNotFound(NotFound):
    code = "customer_group_not_found"

    def __init__(self, code: str, **context):
        super().__init__(f"no customer group {code}", customer_group=code, **context)


class CustomerGroupCodeTaken(Conflict):
    code = "duplicate_customer_group"

    def __init__(self, code: str):
        super().__init__(f"customer group {code} already exists", field="code", customer_group=code)


# ---------------------------------------------------------------- returns of counter sales (销售退货)


class PartNotOnSale(RuleViolation):
    code = "part_not_on_sale"

    def __init__(self, number: str, part_number: str, *, field: str, lot: str | None = None):
        what = f"{part_number} of lot {lot}" if lot else part_number
        super().__init__(f"sales order {number} did not sell {what}", field=field, sale=number,
                         part_number=part_number, lot=lot)


class ReturnExceedsSold(RuleViolation):
    code = "return_exceeds_sold"

    def __init__(self, number: str, part_number: str, asked, returnable, *, field: str):
        super().__init__(f"sales order {number}: {asked} of {part_number} cannot come back, only {returnable} "
                         "(what was sold, less what came back before)", field=field, sale=number,
                         part_number=part_number, asked=asked, returnable=returnable)


class UsedPartNotReturnable(RuleViolation):
    code = "used_part_not_returnable"

    def __init__(self, part_number: str, *, field: str):
        super().__init__(f"{part_number} was used: the counter takes back unused parts only; a fault after use "
                         "is a parts-warranty case", field=field, part_number=part_number)


class LateReturnNeedsManager(DomainError):
    """A return after the dealer's window is the parts manager's decision."""

    status = 403
    code = "late_return_needs_manager"
    title = "Forbidden"

    def __init__(self, number: str, window_ended):
        super().__init__(f"the return window of sales order {number} ended at {window_ended.isoformat()}: only a "
                         "parts manager may take it back, giving the reason", sale=number,
                         window_ended=window_ended.isoformat())


class LateReturnReasonRequired(RuleViolation):
    code = "late_return_reason_required"

    def __init__(self, number: str, window_ended):
        super().__init__(f"the return window of sales order {number} ended at {window_ended.isoformat()}: say why "
                         "it is taken back anyway", field="reason", sale=number, window_ended=window_ended.isoformat())


class RefundExceedsReturned(RuleViolation):
    code = "refund_exceeds_returned_value"

    def __init__(self, amount, value):
        super().__init__(f"a refund of {amount} is more than the parts coming back were paid, {value}",
                         field="refund.amount", amount=amount, value=value)


class RefundExceedsPaid(RuleViolation):
    code = "refund_exceeds_paid"

    def __init__(self, number: str, amount, paid, refunded):
        super().__init__(f"sales order {number} was paid {paid} and {refunded} was refunded already: a refund of "
                         f"{amount} is too much", field="refund.amount", sale=number, amount=amount, paid=paid,
                         refunded=refunded)


class RefundReferenceRequired(RuleViolation):
    code = "refund_reference_required"

    def __init__(self, method: str):
        super().__init__(f"a {method} refund needs its reference (transaction or slip number)",
                         field="refund.reference", method=method)


# ---------------------------------------------------------------- price lists and promotions (价格策略与促销)


class GroupPriceNotFound(NotFound):
    code = "group_price_not_found"

    def __init__(self, group: str, part_number: str):
        super().__init__(f"customer group {group} has no price of its own for {part_number}", customer_group=group,
                         part_number=part_number)


class PromotionNotFound(NotFound):
    code = "promotion_not_found"

    def __init__(self, code: str):
        super().__init__(f"no promotion {code}", promotion=code)


class PromotionCodeTaken(Conflict):
    code = "duplicate_promotion"

    def __init__(self, code: str):
        super().__init__(f"promotion {code} already exists", field="code", promotion=code)


class PromotionEnded(Conflict):
    code = "promotion_ended"

    def __init__(self, code: str, action: str):
        super().__init__(f"promotion {code} has ended: it cannot {action}", promotion=code, action=action)


class InvalidPromotion(RuleViolation):
    """A promotion that could not be applied as written: its period, its rule or its scope."""

    code = "invalid_promotion"

    def __init__(self, detail: str, *, field: str, **context):
        super().__init__(detail, field=field, **context)


class PromotionPeriodReversed(InvalidPromotion):
    code = "promotion_period_reversed"

    def __init__(self, starts_on, ends_on):
        super().__init__(f"the promotion ends ({ends_on}) before it starts ({starts_on})", field="ends_on",
                         starts_on=str(starts_on), ends_on=str(ends_on))


class PromotionRuleInvalid(InvalidPromotion):
    code = "promotion_rule_invalid"


class PromotionScopeEmpty(InvalidPromotion):
    code = "promotion_scope_empty"

    def __init__(self):
        super().__init__("a promotion applies to some part numbers or categories: name at least one",
                         field="part_numbers")


class PromotionScopeUnknown(InvalidPromotion):
    code = "promotion_scope_unknown"

    def __init__(self, what: str, value: str, *, field: str):
        super().__init__(f"no {what} {value} in this dealer's catalog", field=field, value=value)


class PromotionNotApplicable(RuleViolation):
    code = "promotion_not_applicable"

    def __init__(self, code: str, part_number: str, why: str, *, field: str):
        super().__init__(f"promotion {code} does not apply to {part_number}: {why}", field=field, promotion=code,
                         part_number=part_number, why=why)


class WarrantyExchangeNotFound(NotFound):
    code = "warranty_exchange_not_found"

    def __init__(self, case: str):
        super().__init__(f"no warranty exchange for parts-warranty case {case}", case=case)


class WarrantyExchangeAlreadyIssued(Conflict):
    code = "warranty_exchange_already_issued"

    def __init__(self, case: str):
        super().__init__(f"the exchange for parts-warranty case {case} was issued already", case=case)
