"""Suppliers, locations, lots, stock balances, reservations, the ledger, receipts and issues

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 03:40:18.896663
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('issue_slips',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dealer', sa.String(length=32), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('repair_order', sa.String(length=40), nullable=False),
    sa.Column('vin', sa.String(length=17), nullable=False),
    sa.Column('technician', sa.String(length=200), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('issued_by', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name='pk_issue_slips'),
    sa.UniqueConstraint('dealer', 'number', name='uq_issue_slips_dealer_number')
    )
    op.create_index('ix_issue_slips_dealer_repair_order', 'issue_slips', ['dealer', 'repair_order'])
    op.create_index('ix_issue_slips_dealer_vin', 'issue_slips', ['dealer', 'vin'])

    op.create_table('locations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dealer', sa.String(length=32), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('warehouse', sa.String(length=60), nullable=False),
    sa.Column('bin', sa.String(length=60), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name='pk_locations'),
    sa.UniqueConstraint('dealer', 'code', name='uq_locations_dealer_code')
    )
    op.create_table('lots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dealer', sa.String(length=32), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('part_number', sa.String(length=40), nullable=False),
    sa.Column('supplier', sa.String(length=40), nullable=False),
    sa.Column('supplier_lot', sa.String(length=60), nullable=True),
    sa.Column('receipt', sa.String(length=40), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=14, scale=3), nullable=False),
    sa.Column('unit_cost', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('inspection', sa.Enum('pending', 'passed', 'failed', name='inspection_result', native_enum=False, length=20), nullable=False),
    sa.Column('inspected_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('on_hold', sa.Boolean(), nullable=False),
    sa.Column('hold_reason', sa.String(length=500), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name='pk_lots'),
    sa.UniqueConstraint('dealer', 'code', name='uq_lots_dealer_code')
    )
    op.create_index('ix_lots_dealer_part_number_received_at', 'lots', ['dealer', 'part_number', 'received_at'])
    op.create_index('ix_lots_dealer_supplier_supplier_lot', 'lots', ['dealer', 'supplier', 'supplier_lot'])

    op.create_table('part_stocks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dealer', sa.String(length=32), nullable=False),
    sa.Column('part_number', sa.String(length=40), nullable=False),
    sa.Column('location', sa.String(length=40), nullable=False),
    sa.Column('last_movement_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name='pk_part_stocks'),
    sa.UniqueConstraint('dealer', 'part_number', 'location', name='uq_part_stocks_dealer_part_number_location')
    )
    op.create_table('receipts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dealer', sa.String(length=32), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('supplier', sa.String(length=40), nullable=False),
    sa.Column('delivery_note', sa.String(length=60), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('received_by', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name='pk_receipts'),
    sa.UniqueConstraint('dealer', 'number', name='uq_receipts_dealer_number')
    )
    op.create_table('stock_movements',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('dealer', sa.String(length=32), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('part_number', sa.String(length=40), nullable=False),
    sa.Column('location', sa.String(length=40), nullable=False),
    sa.Column('lot', sa.String(length=40), nullable=False),
    sa.Column('on_hand_change', sa.Numeric(precision=14, scale=3), nullable=False),
    sa.Column('reserved_change', sa.Numeric(precision=14, scale=3), nullable=False),
    sa.Column('quarantined_change', sa.Numeric(precision=14, scale=3), nullable=False),
    sa.Column('reference', sa.String(length=60), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.PrimaryKeyConstraint('id', name='pk_stock_movements')
    )
    op.create_index('ix_stock_movements_dealer_lot', 'stock_movements', ['dealer', 'lot'])
    op.create_index('ix_stock_movements_dealer_part_number_at', 'stock_movements', ['dealer', 'part_number', 'at'])
    op.create_index('ix_stock_movements_dealer_reference', 'stock_movements', ['dealer', 'reference'])

    op.create_table('suppliers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dealer', sa.String(length=32), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('qualified', sa.Boolean(), nullable=False),
    sa.Column('lead_time_days', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name='pk_suppliers'),
    sa.UniqueConstraint('dealer', 'code', name='uq_suppliers_dealer_code')
    )
    op.create_table('issue_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dealer', sa.String(length=32), nullable=False),
    sa.Column('issue_slip_id', sa.Integer(), nullable=False),
    sa.Column('part_number', sa.String(length=40), nullable=False),
    sa.Column('location', sa.String(length=40), nullable=False),
    sa.Column('lot', sa.String(length=40), nullable=False),
    sa.Column('supplier', sa.String(length=40), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=14, scale=3), nullable=False),
    sa.Column('returned', sa.Numeric(precision=14, scale=3), nullable=False),
    sa.Column('reservation', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['issue_slip_id'], ['issue_slips.id'], name='fk_issue_lines_issue_slip_id_issue_slips'),
    sa.PrimaryKeyConstraint('id', name='pk_issue_lines')
    )
    op.create_index('ix_issue_lines_dealer_lot', 'issue_lines', ['dealer', 'lot'])
    op.create_index('ix_issue_lines_issue_slip_id', 'issue_lines', ['issue_slip_id'])

    op.create_table('receipt_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dealer', sa.String(length=32), nullable=False),
    sa.Column('receipt_id', sa.Integer(), nullable=False),
    sa.Column('part_number', sa.String(length=40), nullable=False),
    sa.Column('asked_part_number', sa.String(length=40), nullable=False),
    sa.Column('location', sa.String(length=40), nullable=False),
    sa.Column('lot', sa.String(length=40), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=14, scale=3), nullable=False),
    sa.Column('unit_cost', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('inspection', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['receipt_id'], ['receipts.id'], name='fk_receipt_lines_receipt_id_receipts'),
    sa.PrimaryKeyConstraint('id', name='pk_receipt_lines')
    )
    op.create_index('ix_receipt_lines_receipt_id', 'receipt_lines', ['receipt_id'])

    op.create_table('reservations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dealer', sa.String(length=32), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('part_stock_id', sa.Integer(), nullable=False),
    sa.Column('part_number', sa.String(length=40), nullable=False),
    sa.Column('location', sa.String(length=40), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=14, scale=3), nullable=False),
    sa.Column('issued', sa.Numeric(precision=14, scale=3), nullable=False),
    sa.Column('for_kind', sa.String(length=20), nullable=False),
    sa.Column('for_reference', sa.String(length=60), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deposit', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['part_stock_id'], ['part_stocks.id'], name='fk_reservations_part_stock_id_part_stocks'),
    sa.PrimaryKeyConstraint('id', name='pk_reservations'),
    sa.UniqueConstraint('dealer', 'number', name='uq_reservations_dealer_number')
    )
    op.create_index('ix_reservations_part_stock_id_status', 'reservations', ['part_stock_id', 'status'])
    op.create_index('ix_reservations_status_expires_at', 'reservations', ['status', 'expires_at'])

    op.create_table('stock_balances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dealer', sa.String(length=32), nullable=False),
    sa.Column('part_stock_id', sa.Integer(), nullable=False),
    sa.Column('lot', sa.String(length=40), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('supplier', sa.String(length=40), nullable=False),
    sa.Column('on_hand', sa.Numeric(precision=14, scale=3), nullable=False),
    sa.Column('reserved', sa.Numeric(precision=14, scale=3), nullable=False),
    sa.Column('quarantined', sa.Numeric(precision=14, scale=3), nullable=False),
    sa.ForeignKeyConstraint(['part_stock_id'], ['part_stocks.id'], name='fk_stock_balances_part_stock_id_part_stocks'),
    sa.PrimaryKeyConstraint('id', name='pk_stock_balances'),
    sa.UniqueConstraint('part_stock_id', 'lot', name='uq_stock_balances_part_stock_id_lot')
    )
    op.create_index('ix_stock_balances_dealer_lot', 'stock_balances', ['dealer', 'lot'])
    op.create_index('ix_stock_balances_part_stock_id', 'stock_balances', ['part_stock_id'])

    op.create_table('supplier_part_numbers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dealer', sa.String(length=32), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('part_number', sa.String(length=40), nullable=False),
    sa.Column('supplier_part_number', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name='fk_supplier_part_numbers_supplier_id_suppliers'),
    sa.PrimaryKeyConstraint('id', name='pk_supplier_part_numbers')
    )
    op.create_index('ix_supplier_part_numbers_supplier_id', 'supplier_part_numbers', ['supplier_id'])

    op.create_table('reservation_allocations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dealer', sa.String(length=32), nullable=False),
    sa.Column('reservation_id', sa.Integer(), nullable=False),
    sa.Column('lot', sa.String(length=40), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=14, scale=3), nullable=False),
    sa.ForeignKeyConstraint(['reservation_id'], ['reservations.id'], name='fk_reservation_allocations_reservation_id_reservations'),
    sa.PrimaryKeyConstraint('id', name='pk_reservation_allocations')
    )
    op.create_index('ix_reservation_allocations_reservation_id', 'reservation_allocations', ['reservation_id'])


    if op.get_bind().dialect.name == "postgresql":
        # The ledger is written once: PostgreSQL itself refuses to change or delete a row.
        op.execute("""
            CREATE FUNCTION refuse_ledger_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'stock_movements is append-only: % refused', TG_OP;
            END $$
        """)
        op.execute("""
            CREATE TRIGGER stock_movements_append_only BEFORE UPDATE OR DELETE ON stock_movements
            FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change()
        """)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER stock_movements_append_only ON stock_movements")
        op.execute("DROP FUNCTION refuse_ledger_change()")
    op.drop_table('reservation_allocations')
    op.drop_table('supplier_part_numbers')
    op.drop_table('stock_balances')
    op.drop_table('reservations')
    op.drop_table('receipt_lines')
    op.drop_table('issue_lines')
    op.drop_table('suppliers')
    op.drop_table('stock_movements')
    op.drop_table('receipts')
    op.drop_table('part_stocks')
    op.drop_table('lots')
    op.drop_table('locations')
    op.drop_table('issue_slips')
