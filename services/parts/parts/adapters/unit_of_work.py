from __future__ import annotations

from shared.unit_of_work import UnitOfWork

from parts.adapters import orm  # noqa: F401  (importing it maps the domain classes)
from parts.adapters.repositories import (
    CountRepository,
    CustomerGroupRepository,
    DocumentRepository,
    LocationRepository,
    LotRepository,
    PromotionRepository,
    PartRepository,
    PurchaseOrderRepository,
    QualityRepository,
    SalesOrderRepository,
    StockRepository,
    SupplierRepository,
    WarrantyExchangeRepository,
)


class SqlPartsUnitOfWork(UnitOfWork):
    """`parts.service.ports.PartsUnitOfWork` on one database session."""

    parts: PartRepository
    suppliers: SupplierRepository
    locations: LocationRepository
    lots: LotRepository
    stock: StockRepository
    documents: DocumentRepository
    counts: CountRepository
    orders: PurchaseOrderRepository
    quality: QualityRepository
    customer_groups: CustomerGroupRepository
    sales: SalesOrderRepository
    promotions: PromotionRepository
    warranty_exchanges: WarrantyExchangeRepository

    def __enter__(self):
        super().__enter__()
        self.parts = PartRepository(self.session)
        self.suppliers = SupplierRepository(self.session)
        self.locations = LocationRepository(self.session)
        self.lots = LotRepository(self.session)
        self.stock = StockRepository(self.session, self.dealer)
        self.documents = DocumentRepository(self.session)
        self.counts = CountRepository(self.session)
        self.orders = PurchaseOrderRepository(self.session)
        self.quality = QualityRepository(self.session)
        self.customer_groups = CustomerGroupRepository(self.session)
        self.sales = SalesOrderRepository(self.session)
        self.promotions = PromotionRepository(self.session)
        self.warranty_exchanges = WarrantyExchangeRepository(self.session)
        return self

    def commit(self) -> None:
        self.stock.write_ledger()  # the movements recorded on the stocks, in the same commit
        self.parts.write_history()  # and the history entries recorded on the parts
        self.stock.settle_reservations()  # last: it locks the stock rows it writes (StockMoved)
        super().commit()
