"""Loading and adding aggregates. Sessions are dealer-scoped, so no query names the dealer."""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, lazyload, selectinload

from shared.errors import StaleVersion

from warranty.domain.attachment import Attachment
from warranty.domain.catalog import CatalogPart
from warranty.domain.claim import LIVE, Claim
from warranty.domain.coverage import CoveragePlan
from warranty.domain.eligibility import OpenCampaign
from warranty.domain.errors import CoveragePlanCodeTaken, VehicleAlreadyRegistered
from warranty.domain.installation import InstalledPart
from warranty.domain.lot_recall import OPEN, AffectedVehicle, LotRecall
from warranty.domain.parts_warranty import PartsWarrantyCase, PartsWarrantyPolicy, SoldPart, SoldPartReturn
from warranty.domain.recovery import SupplierRecovery
from warranty.domain.vehicle import Vehicle


class VehicleRepository:
    def __init__(self, session: Session):
        self._session = session

    def add(self, vehicle: Vehicle) -> None:
        self._session.add(vehicle)
        try:
            self._session.flush()
        except IntegrityError as exc:  # the VIN was registered concurrently
            raise VehicleAlreadyRegistered(vehicle.vin) from exc

    def get(self, vin: str) -> Vehicle | None:
        return self._session.scalars(select(Vehicle).where(Vehicle.vin == vin)).first()

    def get_for_update(self, vin: str) -> Vehicle | None:
        """Locked, so two readings recorded at once are each judged against the other."""
        return self._session.scalars(select(Vehicle).where(Vehicle.vin == vin).with_for_update()).first()


class CatalogPartRepository:
    def __init__(self, session: Session):
        self._session = session

    def add(self, part: CatalogPart) -> None:
        self._session.add(part)

    def get(self, part_number: str) -> CatalogPart | None:
        return self._session.scalars(select(CatalogPart).where(CatalogPart.part_number == part_number)).first()

    def get_for_update(self, part_number: str) -> CatalogPart | None:
        return self._session.scalars(
            select(CatalogPart).where(CatalogPart.part_number == part_number).with_for_update()
        ).first()


class CoveragePlanRepository:
    def __init__(self, session: Session):
        self._session = session

    def add(self, plan: CoveragePlan) -> None:
        self._session.add(plan)
        try:
            with self._session.begin_nested():
                self._session.flush()
        except IntegrityError as exc:  # the code was taken concurrently
            raise CoveragePlanCodeTaken(plan.code) from exc

    def get(self, code: str) -> CoveragePlan | None:
        return self._session.scalars(select(CoveragePlan).where(CoveragePlan.code == code)).first()

    def get_for_update(self, code: str) -> CoveragePlan | None:
        return self._session.scalars(
            select(CoveragePlan).where(CoveragePlan.code == code).with_for_update()
        ).first()

    def any_loaded(self) -> bool:
        return self._session.scalars(select(CoveragePlan.id).limit(1)).first() is not None

    def load_unless_loaded(self, plans: list[CoveragePlan]) -> bool:
        """Add the dealer's first plans; False if another transaction got there first (its
        plans stand, and this transaction carries on)."""
        if self.any_loaded():
            return False
        try:
            with self._session.begin_nested():
                self._session.add_all(plans)
                self._session.flush()
        except IntegrityError:
            return False
        return True


@cache
def _installed_part_for_update():
    # Built once (after the mappers): every issue event of every dealer looks a part up this way,
    # and a statement built once is scoped by dealer and keyed for SQLAlchemy's cache once.
    return (
        select(InstalledPart)
        .where(InstalledPart.issue == bindparam("issue"), InstalledPart.part_number == bindparam("part_number"),
               InstalledPart.lot == bindparam("lot"))
        .with_for_update()
    )


class InstalledPartRepository:
    def __init__(self, session: Session):
        self._session = session

    def add(self, part: InstalledPart) -> None:
        self._session.add(part)

    def get_for_update(self, issue: str, part_number: str, lot: str) -> InstalledPart | None:
        return self._session.scalars(
            _installed_part_for_update(), {"issue": issue, "part_number": part_number, "lot": lot}
        ).first()


class ClaimRepository:
    def __init__(self, session: Session):
        self._session = session

    def add(self, claim: Claim) -> None:
        self._session.add(claim)

    def get(self, claim_number: str) -> Claim | None:
        return self._session.scalars(select(Claim).where(Claim.claim_number == claim_number)).first()

    def get_for_update(self, claim_number: str) -> Claim | None:
        """Locked: two managers deciding at once are decided one after the other."""
        return self._session.scalars(
            select(Claim).where(Claim.claim_number == claim_number).with_for_update()
        ).first()

    def vin_of(self, claim_number: str) -> str | None:
        return self._session.scalars(select(Claim.vin).where(Claim.claim_number == claim_number)).first()

    def on_vehicle(self, vin: str) -> list[Claim]:
        """The claims with their lines (the causal part is on a line), in one more query; their
        history is loaded only if asked for."""
        return list(self._session.scalars(
            select(Claim).where(Claim.vin == vin).order_by(Claim.id).options(lazyload(Claim.history))
        ))

    def live_on(self, vin: str, repair_order: str) -> list[Claim]:
        """Claims filed with the manufacturer (not drafts, not cancelled) on the VIN or the repair order."""
        return list(self._session.scalars(
            select(Claim).where(or_(Claim.vin == vin, Claim.repair_order == repair_order),
                                Claim.status.in_(sorted(LIVE)))
        ))


class SupplierRecoveryRepository:
    def __init__(self, session: Session):
        self._session = session

    def add(self, recovery: SupplierRecovery) -> None:
        self._session.add(recovery)

    def for_claim(self, claim_number: str) -> SupplierRecovery | None:
        return self._session.scalars(
            select(SupplierRecovery).where(SupplierRecovery.claim_number == claim_number)
        ).first()

    def get_for_update(self, claim_number: str) -> SupplierRecovery | None:
        """Locked, with its history: two managers' steps apply one after the other."""
        return self._session.scalars(
            select(SupplierRecovery).where(SupplierRecovery.claim_number == claim_number)
            .options(selectinload(SupplierRecovery.history)).with_for_update()
        ).first()


class PartsWarrantyRepository:
    """The dealer's parts-warranty policy, the parts it sold under warranty, and their cases."""

    def __init__(self, session: Session):
        self._session = session

    def policy(self) -> PartsWarrantyPolicy | None:
        return self._session.scalars(select(PartsWarrantyPolicy)).first()

    def policy_for_update(self) -> PartsWarrantyPolicy | None:
        return self._session.scalars(select(PartsWarrantyPolicy).with_for_update()).first()

    def add_policy(self, policy: PartsWarrantyPolicy) -> None:
        self._session.add(policy)
        try:
            with self._session.begin_nested():
                self._session.flush()
        except IntegrityError as exc:  # another manager saved the first policy meanwhile
            raise StaleVersion("the policy was saved meanwhile; reload it and try again",
                               expected_version=0, current_version=1) from exc

    def add_sold_part(self, part: SoldPart) -> None:
        self._session.add(part)

    def sold_part(self, sale: str, part_number: str, lot: str) -> SoldPart | None:
        return self._session.scalars(
            select(SoldPart).where(SoldPart.sale == sale, SoldPart.part_number == part_number, SoldPart.lot == lot)
        ).first()

    def sold_part_for_update(self, sale: str, part_number: str, lot: str) -> SoldPart | None:
        """Locked: two cases opened at once on one sold part count against its quantity in turn."""
        return self._session.scalars(
            select(SoldPart).where(SoldPart.sale == sale, SoldPart.part_number == part_number, SoldPart.lot == lot)
            .with_for_update()
        ).first()

    def parts_sold_on(self, sale: str) -> set[str]:
        return set(self._session.scalars(select(SoldPart.part_number).where(SoldPart.sale == sale)))

    def add_return(self, taken_back: SoldPartReturn) -> None:
        self._session.add(taken_back)

    def return_recorded(self, sale_return: str, part_number: str, lot: str) -> bool:
        return self._session.scalars(
            select(SoldPartReturn.id).where(SoldPartReturn.sale_return == sale_return,
                                            SoldPartReturn.part_number == part_number, SoldPartReturn.lot == lot)
        ).first() is not None

    def returned_before_sale(self, sale: str, part_number: str, lot: str) -> Decimal:
        """What returns of the sale that arrived before the sale itself took back of the part and lot."""
        total = self._session.scalar(
            select(func.coalesce(func.sum(SoldPartReturn.quantity), 0))
            .where(SoldPartReturn.sale == sale, SoldPartReturn.part_number == part_number, SoldPartReturn.lot == lot)
        )
        return Decimal(str(total))  # SQLite sums numerics as floats

    def add_case(self, case: PartsWarrantyCase) -> None:
        self._session.add(case)

    def case_for_update(self, number: str) -> PartsWarrantyCase | None:
        return self._session.scalars(
            select(PartsWarrantyCase).where(PartsWarrantyCase.number == number).with_for_update()
        ).first()


class AttachmentRepository:
    def __init__(self, session: Session):
        self._session = session

    def add(self, attachment: Attachment) -> None:
        self._session.add(attachment)


class LotRecallRepository:
    def __init__(self, session: Session):
        self._session = session

    def add(self, recall: LotRecall) -> None:
        self._session.add(recall)

    def get_for_update(self, lot: str) -> LotRecall | None:
        """Locked: the quarantine and the release of one lot, arriving at once, apply in turn."""
        return self._session.scalars(select(LotRecall).where(LotRecall.lot == lot).with_for_update()).first()


class TraceRepository:
    """What the parts service's issues tell about the parts on a vehicle, with catalog facts."""

    def __init__(self, session: Session):
        self._session = session

    def fitted_to(self, vin: str) -> list[InstalledPart]:
        return list(self._session.scalars(
            select(InstalledPart).where(
                InstalledPart.vin == vin,
                InstalledPart.installed_on.is_not(None),
                InstalledPart.issued_quantity > InstalledPart.returned_quantity,
            ).order_by(InstalledPart.installed_at, InstalledPart.id)
        ))

    def catalog(self, part_numbers: set[str]) -> dict[str, CatalogPart]:
        if not part_numbers:
            return {}
        found = self._session.scalars(select(CatalogPart).where(CatalogPart.part_number.in_(sorted(part_numbers))))
        return {part.part_number: part for part in found}

    def plans(self) -> list[CoveragePlan]:
        return list(self._session.scalars(select(CoveragePlan)))

    def open_recalls(self, vin: str) -> tuple[OpenCampaign, ...]:
        """The open lot recalls that name the vehicle, or a lot still fitted to it, as campaigns
        (their lists of vehicles are not loaded: this is on the eligibility path), with their
        part's category, in one statement built once."""
        return tuple(OpenCampaign.of_recall(recall, recall.category)
                     for recall in self._session.execute(_open_recalls(), {"vin": vin}))


@cache
def _open_recalls():
    # Built once (after the mappers): scoped by dealer and keyed for SQLAlchemy's cache once.
    vin = bindparam("vin")
    fitted_lots = select(InstalledPart.lot).where(
        InstalledPart.vin == vin, InstalledPart.issued_quantity > InstalledPart.returned_quantity)
    named = select(AffectedVehicle.lot_recall_id).where(AffectedVehicle.vin == vin)
    return (
        select(LotRecall.lot, LotRecall.reason, LotRecall.part_number, LotRecall.supplier, CatalogPart.category)
        .outerjoin(CatalogPart, CatalogPart.part_number == LotRecall.part_number)
        .where(LotRecall.status == OPEN, or_(LotRecall.lot.in_(fitted_lots), LotRecall.id.in_(named)))
        .order_by(LotRecall.lot)
    )
