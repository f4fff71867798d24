"""Use cases for coverage plans: China's defaults on first use, and the manager's own plans.

Adding and changing a plan each take a command: a frozen dataclass of what the manager asks,
defined here beside its use case (the API's schemas load into it). The code of a plan changed
comes from the URL, the version the manager saw from If-Match, not from the command.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from shared.auth import Caller

from warranty.domain.coverage import CoveragePlan
from warranty.domain.coverage_defaults import default_plans
from warranty.domain.errors import CoveragePlanCodeTaken, CoveragePlanNotFound, ReplacedPlanNotFound
from warranty.service.ports import WarrantyUnitOfWork


def load_defaults_once(uow: WarrantyUnitOfWork) -> None:
    """Inside a use case's unit of work: give a dealer that has no plans yet the defaults, in
    the same commit as the change that first needs them."""
    uow.plans.load_unless_loaded(default_plans(uow.dealer, uow.now()))


@dataclass(frozen=True)
class AddPlan:
    """A new plan: its code, and its terms (`CoveragePlan`'s: make, name, type, months, km,
    components, …) by name; a term left out takes the plan's default."""

    code: str
    terms: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class ChangePlan:
    """Only what changes: new values of the plan's terms, by name (`active: False` retires it)."""

    terms: Mapping[str, object] = field(default_factory=dict)


def add_plan(uow: WarrantyUnitOfWork, caller: Caller, command: AddPlan) -> CoveragePlan:
    with uow:
        load_defaults_once(uow)
        if uow.plans.get(command.code) is not None:
            raise CoveragePlanCodeTaken(command.code)
        _check_replaced_plan_exists(uow, command.terms.get("replaces"))
        plan = CoveragePlan(caller.dealer, command.code, at=uow.now(), by=caller.sub, **command.terms)
        uow.plans.add(plan)
        uow.commit()
    return plan


def change_plan(uow: WarrantyUnitOfWork, caller: Caller, code: str, expected_version: int,
                command: ChangePlan) -> CoveragePlan:
    with uow:
        load_defaults_once(uow)
        plan = uow.plans.get_for_update(code)
        if plan is None:
            raise CoveragePlanNotFound(code)
        _check_replaced_plan_exists(uow, command.terms.get("replaces"))
        plan.change(expected_version, at=uow.now(), by=caller.sub, **command.terms)
        uow.commit()
    return plan


def _check_replaced_plan_exists(uow: WarrantyUnitOfWork, replaces: str | None) -> None:
    if replaces is not None and uow.plans.get(replaces) is None:
        raise ReplacedPlanNotFound(replaces)
