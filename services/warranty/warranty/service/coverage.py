"""Use cases for coverage plans: China's defaults on first use, and the manager's own plans."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from shared.auth import Caller

from warranty.domain.coverage import CoveragePlan
from warranty.domain.coverage_defaults import default_plans
from warranty.domain.errors import CoveragePlanCodeTaken, CoveragePlanNotFound, ReplacedPlanNotFound
from warranty.service.ports import WarrantyUnitOfWork


def load_defaults_once(uow: WarrantyUnitOfWork) -> None:
    """Inside a use case's unit of work: give a dealer that has no plans yet the defaults, in
    the same commit as the change that first needs them."""
    uow.plans.load_unless_loaded(default_plans(uow.dealer, uow.now()))


def add_plan(uow: WarrantyUnitOfWork, caller: Caller, *, code: str, **terms) -> CoveragePlan:
    with uow:
        load_defaults_once(uow)
        if uow.plans.get(code) is not None:
            raise CoveragePlanCodeTaken(code)
        _check_replaced_plan_exists(uow, terms.get("replaces"))
        plan = CoveragePlan(caller.dealer, code, at=uow.now(), by=caller.sub, **terms)
        uow.plans.add(plan)
        uow.commit()
    return plan


def change_plan(uow: WarrantyUnitOfWork, caller: Caller, code: str, expected_version: int,
                **changes: str | int | bool | Decimal | date | list | None) -> CoveragePlan:
    with uow:
        load_defaults_once(uow)
        plan = uow.plans.get_for_update(code)
        if plan is None:
            raise CoveragePlanNotFound(code)
        _check_replaced_plan_exists(uow, changes.get("replaces"))
        plan.change(expected_version, at=uow.now(), by=caller.sub, **changes)
        uow.commit()
    return plan


def _check_replaced_plan_exists(uow: WarrantyUnitOfWork, replaces: str | None) -> None:
    if replaces is not None and uow.plans.get(replaces) is None:
        raise ReplacedPlanNotFound(replaces)
