"""The SLA targets a dealer holds its complaints to, per severity (分级时效)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from shared.auth import Caller
from shared.errors import StaleVersion

from complaints.domain.classification import Severity
from complaints.domain.errors import InvalidSlaTargets
from complaints.domain.sla import SlaPolicy, SlaReading, SlaTargets
from complaints.service.calendar import calendar_of, reschedule
from complaints.service.ports import ComplaintsUnitOfWork


def set_targets(uow: ComplaintsUnitOfWork, caller: Caller, expected_version: int, *,
                targets: Sequence[dict]) -> SlaPolicy:
    """Replace the dealer's targets per severity; every open complaint's deadlines follow them."""
    by_severity = _by_severity(targets)
    with uow:
        now = uow.now()
        policy = uow.sla_policies.get_for_update()
        StaleVersion.check(expected_version, policy.version if policy else 0)
        if policy is None:
            policy = SlaPolicy(caller.dealer, targets=by_severity, by=caller.sub, at=now)
            uow.sla_policies.add(policy)
        else:
            policy.change(targets=by_severity, by=caller.sub, at=now)
        sla = SlaReading(calendar_of(uow), policy.applied_to(uow.rules.sla), now)
        reschedule(uow.complaints.open_for_update(), sla)
        uow.commit()
    return policy


def _by_severity(targets: Sequence[dict]) -> dict[Severity, SlaTargets]:
    by_severity = {}
    for target in targets:
        severity = Severity(target["severity"])
        if severity in by_severity:
            raise InvalidSlaTargets(f"{severity.value} is given twice", severity=severity.value, clock="")
        by_severity[severity] = SlaTargets(**{clock: timedelta(minutes=target[f"{clock}_minutes"])
                                              for clock in ("acknowledge", "first_response", "escalation")})
    return by_severity
