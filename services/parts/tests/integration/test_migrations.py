import os
from datetime import datetime, timezone

from sqlalchemy import create_engine, insert, select

from shared.testing import assert_migrations_match_models, run_as_admin, url_for_database

from parts.adapters.orm import (
    issue_lines,
    issue_slips,
    locations,
    metadata,
    parts,
    purchase_order_lines,
    purchase_orders,
    receipt_lines,
    receipts,
    stock_count_lines,
    stock_counts,
)
from parts.app import PARTS


def test_migrations_build_what_the_models_map(infra):
    assert_migrations_match_models(PARTS, infra.database_url(PARTS), metadata)


def test_document_lines_booked_before_they_kept_names_get_todays_names_and_bins(infra, request, tmp_path):
    """0011: issue slip and receipt lines booked before it are filled in from the catalog and the
    locations, each from its own dealer's."""
    if infra.kind == "real":
        admin = request.getfixturevalue("postgres_server")
        name = f"test_parts_0011_{os.getpid()}"
        run_as_admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
        request.addfinalizer(lambda: run_as_admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        url = url_for_database(admin, name)
    else:
        url = f"sqlite:///{tmp_path / 'parts-0011.db'}"
    PARTS.migrate(url, revision="0010")
    at = datetime(2026, 12, 1, tzinfo=timezone.utc)
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            for dealer, name_zh, bin_ in (("D001", "前刹车片", "A-03-2"), ("D002", "别家的", "Z-9")):
                connection.execute(insert(parts).values(
                    dealer=dealer, part_number="PADS", name_zh=name_zh, name_en=f"Pads {dealer}", category="brakes",
                    unit="set", source="oem", safety_critical=True, list_price=1, currency="CNY", created_at=at,
                    updated_at=at, version=1))
                connection.execute(insert(locations).values(dealer=dealer, code="MAIN", warehouse="Main", bin=bin_,
                                                            created_at=at))
            receipt = connection.execute(insert(receipts).values(
                dealer="D001", number="RC-1", supplier="S1", received_at=at, received_by="li")).inserted_primary_key[0]
            connection.execute(insert(receipt_lines).values(
                dealer="D001", receipt_id=receipt, part_number="PADS", asked_part_number="PADS", location="MAIN",
                lot="LOT-1", quantity=2, unit_cost=1, inspection="passed"))
            slip = connection.execute(insert(issue_slips).values(
                dealer="D001", number="IS-1", repair_order="RO-1", vin="LVSHCAMB1CE054249", technician="wang",
                issued_at=at, issued_by="li")).inserted_primary_key[0]
            for location in ("MAIN", "GONE"):
                connection.execute(insert(issue_lines).values(
                    dealer="D001", issue_slip_id=slip, part_number="PADS", location=location, lot="LOT-1",
                    supplier="S1", quantity=1, returned=0))
        PARTS.migrate(url)
        with engine.connect() as connection:
            booked = connection.execute(
                select(receipt_lines.c.name_zh, receipt_lines.c.name_en, receipt_lines.c.bin)).all()
            issued = connection.execute(select(issue_lines.c.name_zh, issue_lines.c.name_en, issue_lines.c.bin)
                                        .order_by(issue_lines.c.id)).all()
    finally:
        engine.dispose()
    assert [tuple(row) for row in booked] == [("前刹车片", "Pads D001", "A-03-2")]
    assert [tuple(row) for row in issued] == [("前刹车片", "Pads D001", "A-03-2"), ("前刹车片", "Pads D001", None)]


def test_count_lines_opened_before_get_todays_names_and_orders_cancelled_before_nothing_outstanding(
        infra, request, tmp_path):
    """0012: count lines get their part's names and unit and the location's bin, submitted ones the
    list price; lines of orders cancelled before it cancelled what had not come."""
    url = _empty_database(infra, request, tmp_path, "0012")
    PARTS.migrate(url, revision="0011")
    at = datetime(2026, 12, 1, tzinfo=timezone.utc)
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(insert(parts).values(
                dealer="D001", part_number="PADS", name_zh="前刹车片", name_en="Pads", category="brakes", unit="set",
                source="oem", safety_critical=True, list_price=680, currency="CNY", created_at=at, updated_at=at,
                version=1))
            connection.execute(insert(locations).values(dealer="D001", code="MAIN", warehouse="Main", bin="A-03-2",
                                                        created_at=at))
            for number, status, counted in (("CNT-1", "counting", None), ("CNT-2", "awaiting_approval", 3)):
                count = connection.execute(insert(stock_counts).values(
                    dealer="D001", number=number, location="MAIN", status=status, opened_at=at, opened_by="li",
                    version=1)).inserted_primary_key[0]
                connection.execute(insert(stock_count_lines).values(
                    dealer="D001", stock_count_id=count, part_number="PADS", lot="LOT-1", counted=counted,
                    book=None if counted is None else 4, needs_approval=counted is not None))
            for number, status in (("PO-1", "open"), ("PO-2", "cancelled")):
                order = connection.execute(insert(purchase_orders).values(
                    dealer="D001", number=number, supplier="S1", status=status, ordered_at=at, ordered_by="zhao",
                    version=1)).inserted_primary_key[0]
                connection.execute(insert(purchase_order_lines).values(
                    dealer="D001", purchase_order_id=order, part_number="PADS", location="MAIN", quantity=8,
                    received=3))
        PARTS.migrate(url)
        with engine.connect() as connection:
            lines = connection.execute(select(
                stock_count_lines.c.name_zh, stock_count_lines.c.name_en, stock_count_lines.c.unit,
                stock_count_lines.c.bin, stock_count_lines.c.unit_price).order_by(stock_count_lines.c.id)).all()
            ordered = connection.execute(select(purchase_order_lines.c.cancelled)
                                         .order_by(purchase_order_lines.c.id)).scalars().all()
    finally:
        engine.dispose()
    assert [tuple(row) for row in lines] == [("前刹车片", "Pads", "set", "A-03-2", None),
                                             ("前刹车片", "Pads", "set", "A-03-2", 680)]
    assert ordered == [0, 5]


def _empty_database(infra, request, tmp_path, revision: str) -> str:
    if infra.kind != "real":
        return f"sqlite:///{tmp_path / f'parts-{revision}.db'}"
    admin = request.getfixturevalue("postgres_server")
    name = f"test_parts_{revision}_{os.getpid()}"
    run_as_admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    request.addfinalizer(lambda: run_as_admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    return url_for_database(admin, name)
