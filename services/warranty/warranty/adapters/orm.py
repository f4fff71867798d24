"""Tables of the warranty database and how the domain classes map onto them."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Date, Integer, String, Table, UniqueConstraint
from sqlalchemy.orm import registry

from shared.db import UtcDateTime, service_metadata

from warranty.domain.catalog import CatalogPart
from warranty.domain.vehicle import Vehicle

metadata = service_metadata()
mapper_registry = registry(metadata=metadata)

vehicles = Table(
    "vehicles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("vin", String(17), nullable=False),
    Column("make", String(60), nullable=False),
    Column("model", String(60), nullable=False),
    Column("model_year", Integer, nullable=False),
    Column("in_service_date", Date, nullable=False),
    Column("owner_count", Integer, nullable=False),
    Column("title_status", String(20), nullable=False),
    Column("registered_at", UtcDateTime(), nullable=False),
    Column("version", Integer, nullable=False),
    UniqueConstraint("dealer", "vin"),
)

catalog_parts = Table(
    "catalog_parts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("dealer", String(32), nullable=False),
    Column("part_number", String(40), nullable=False),
    Column("name", String(200), nullable=True),
    Column("category", String(50), nullable=False),
    Column("source", String(20), nullable=False),
    Column("safety_critical", Boolean, nullable=False),
    Column("sequence", BigInteger, nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    UniqueConstraint("dealer", "part_number"),
)

mapper_registry.map_imperatively(Vehicle, vehicles, version_id_col=vehicles.c.version)
mapper_registry.map_imperatively(CatalogPart, catalog_parts)
