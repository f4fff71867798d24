"""Demo data for the embedded default: two complaints for dealer D001."""

from __future__ import annotations

from sqlalchemy import func, select

from shared.auth import Caller
from shared.unit_of_work import UnitOfWorkFactory

from complaints.domain.complaint import Complaint
from complaints.service import intake

DEMO_DEALER = "D001"

COMPLAINTS = [
    dict(channel="phone", text="刹车时有异响，上周刚换的刹车片。", customer_name="王先生",
         customer_phone="13812341234", vin="LVSHCAMB1CE054249", part_number="04465-33450"),
    dict(channel="wechat", text="预约了周六保养，到店后等了两个小时没人接待。", customer_name="李女士",
         customer_phone="13998765432"),
]


def load(units_of_work: UnitOfWorkFactory) -> None:
    agent = Caller(sub="demo-agent", dealer=DEMO_DEALER, roles=frozenset({"complaints_agent"}))
    with units_of_work.database.reading(DEMO_DEALER) as session:
        if session.scalar(select(func.count()).select_from(Complaint)):
            return  # loaded before
    for entry in COMPLAINTS:
        uow = units_of_work(dealer=DEMO_DEALER, actor=agent.sub, correlation_id="demo-data")
        intake.receive(uow, agent, **entry)
