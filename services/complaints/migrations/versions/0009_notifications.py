"""Notifications to the service manager (escalations, safety complaints) and their delivery

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

Each notification is delivered once per channel the dealer configured (e-mail, a WeCom or
DingTalk group bot); until a dealer configures one, notifications show in the console only.
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _enum(name: str, values: list[str], length: int) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=length)


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("kind", _enum("notification_kind", ["escalated", "critical"], 20), nullable=False),
        sa.Column("complaint_id", sa.String(length=36), nullable=False),
        sa.Column("complaint_number", sa.String(length=24), nullable=True),
        sa.Column("severity", sa.String(length=10), nullable=True),
        sa.Column("clocks", sa.JSON(), nullable=False),
        sa.Column("summary", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("read_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"], name="fk_notifications_complaint_id_complaints"),
        sa.PrimaryKeyConstraint("id", name="pk_notifications"),
        sa.UniqueConstraint("dealer", "key", name="uq_notifications_dealer_key"),
    )
    op.create_index("ix_notifications_complaint_id", "notifications", ["complaint_id"])
    op.create_index("ix_notifications_dealer_created_at_id", "notifications", ["dealer", "created_at", "id"])
    op.create_index("ix_notifications_dealer_read_at", "notifications", ["dealer", "read_at"])
    op.create_table(
        "notification_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("notification_id", sa.String(length=36), nullable=False),
        sa.Column("channel", _enum("notification_channel", ["email", "webhook"], 10), nullable=False),
        sa.Column("target", sa.JSON(), nullable=False),
        sa.Column("status", _enum("delivery_status", ["pending", "sending", "sent", "failed"], 10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["notification_id"], ["notifications.id"],
                                name="fk_notification_deliveries_notification_id_notifications"),
        sa.PrimaryKeyConstraint("id", name="pk_notification_deliveries"),
        sa.UniqueConstraint("notification_id", "channel", name="uq_notification_deliveries_notification_id_channel"),
    )
    op.create_index("ix_notification_deliveries_status_next_attempt_at", "notification_deliveries",
                    ["status", "next_attempt_at"])
    op.create_table(
        "notification_channels",
        sa.Column("dealer", sa.String(length=32), nullable=False),
        sa.Column("email_recipients", sa.JSON(), nullable=False),
        sa.Column("webhook_url", sa.String(length=1000), nullable=True),
        sa.Column("webhook_kind", _enum("webhook_kind", ["wecom", "dingtalk"], 10), nullable=True),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("dealer", name="pk_notification_channels"),
    )


def downgrade() -> None:
    op.drop_table("notification_channels")
    op.drop_index("ix_notification_deliveries_status_next_attempt_at", table_name="notification_deliveries")
    op.drop_table("notification_deliveries")
    op.drop_index("ix_notifications_dealer_read_at", table_name="notifications")
    op.drop_index("ix_notifications_dealer_created_at_id", table_name="notifications")
    op.drop_index("ix_notifications_complaint_id", table_name="notifications")
    op.drop_table("notifications")
