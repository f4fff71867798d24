from __future__ import annotations

from shared.unit_of_work import UnitOfWork

from complaints.adapters import orm  # noqa: F401  (importing it maps the domain classes)
from complaints.adapters.repositories import (
    CalendarRepository,
    ComplaintRepository,
    NotificationChannelsRepository,
    NotificationRepository,
    SlaPolicyRepository,
)


class SqlComplaintsUnitOfWork(UnitOfWork):
    """`complaints.service.ports.ComplaintsUnitOfWork` on one database session."""

    complaints: ComplaintRepository
    calendars: CalendarRepository
    sla_policies: SlaPolicyRepository
    notifications: NotificationRepository
    notification_channels: NotificationChannelsRepository

    def __enter__(self):
        super().__enter__()
        self.complaints = ComplaintRepository(self.session)
        self.calendars = CalendarRepository(self.session)
        self.sla_policies = SlaPolicyRepository(self.session)
        self.notifications = NotificationRepository(self.session)
        self.notification_channels = NotificationChannelsRepository(self.session)
        return self
