"""The parts desk's business rules, read from the environment once at start-up (`uow.rules`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from shared.config import Settings


@dataclass(frozen=True)
class PartsRules:
    # How long a reservation holds stock unless the clerk says otherwise.
    reservation_hold: timedelta = timedelta(hours=72)
    # A part priced at or above this, reserved for an appointment, needs a customer deposit of
    # at least half its price (预约高价值配件须预交不少于原价二分之一的定金).
    high_value_threshold: Decimal = Decimal("2000")
    deposit_share: Decimal = Decimal("0.5")
    # Where stock is reserved and issued from when a request names no location.
    default_location: str = "MAIN"
    # How often the service releases expired reservations by itself.
    expiry_sweep: timedelta = timedelta(minutes=1)
    # A count variance worth this much or more at list price needs a parts manager's approval
    # (0: every variance does).
    count_approval_value: Decimal = Decimal("500")
    # Demand-driven reorder rules look back this far, and use this lead time when neither the
    # rule nor the part's last supplier gives one (so does a quote line that is short).
    demand_history_days: int = 90
    default_lead_time_days: int = 7
    demand_sweep: timedelta = timedelta(hours=24)
    # This many field failures and complaints on one lot put it on quality hold (质量冻结).
    quality_hold_incidents: int = 3
    # A customer may bring unused parts of a counter sale back this long after it was handed
    # over (退货期); later only a parts manager takes them back, giving the reason.
    sale_return_window: timedelta = timedelta(days=7)

    @classmethod
    def from_settings(cls, settings: Settings) -> PartsRules:
        env = settings.environ
        return cls(
            reservation_hold=timedelta(hours=float(env.get("RESERVATION_HOLD_HOURS", 72))),
            high_value_threshold=Decimal(env.get("HIGH_VALUE_THRESHOLD", "2000")),
            default_location=env.get("DEFAULT_LOCATION", "MAIN"),
            expiry_sweep=timedelta(seconds=float(env.get("RESERVATION_EXPIRY_SWEEP_SECONDS", 60))),
            count_approval_value=Decimal(env.get("COUNT_APPROVAL_VALUE", "500")),
            demand_history_days=int(env.get("DEMAND_HISTORY_DAYS", 90)),
            default_lead_time_days=int(env.get("DEFAULT_LEAD_TIME_DAYS", 7)),
            demand_sweep=timedelta(seconds=float(env.get("DEMAND_SWEEP_SECONDS", 86400))),
            quality_hold_incidents=int(env.get("QUALITY_HOLD_INCIDENTS", 3)),
            sale_return_window=timedelta(days=float(env.get("SALE_RETURN_DAYS", 7))),
        )
