import os
from datetime import datetime, timezone

from sqlalchemy import column, create_engine, insert, select, table

from shared.testing import assert_migrations_match_models, run_as_admin, url_for_database

from complaints.adapters.orm import complaint_number_counters, complaints, metadata
from complaints.app import COMPLAINTS


def test_migrations_build_what_the_models_map(infra):
    assert_migrations_match_models(COMPLAINTS, infra.database_url(COMPLAINTS), metadata)


def test_complaints_recorded_before_numbers_are_numbered_per_dealer_and_day(infra, request, tmp_path):
    """0006: existing complaints get numbers by their day of receipt in the dealer's calendar,
    in the order received; new intakes go on from there."""
    if infra.kind == "real":
        admin = request.getfixturevalue("postgres_server")
        name = f"test_complaints_0006_{os.getpid()}"
        run_as_admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
        request.addfinalizer(lambda: run_as_admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        url = url_for_database(admin, name)
    else:
        url = f"sqlite:///{tmp_path / 'complaints-0006.db'}"
    COMPLAINTS.migrate(url, revision="0005")
    old = table("complaints", column("id"), column("dealer"), column("channel"), column("text"),
                column("received_at"), column("recorded_at"), column("owner"), column("status"),
                column("version"), column("needs_review"))
    received = [  # (id, dealer, received in UTC): 6 Dec 16:30 UTC is 7 Dec 00:30 in Beijing
        ("c1", "D001", datetime(2026, 12, 6, 2, 0, tzinfo=timezone.utc)),
        ("c2", "D001", datetime(2026, 12, 6, 16, 30, tzinfo=timezone.utc)),
        ("c3", "D001", datetime(2026, 12, 6, 1, 0, tzinfo=timezone.utc)),
        ("c4", "D002", datetime(2026, 12, 6, 3, 0, tzinfo=timezone.utc)),
    ]
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            for complaint_id, dealer, at in received:
                connection.execute(insert(old).values(
                    id=complaint_id, dealer=dealer, channel="phone", text="异响", received_at=at, recorded_at=at,
                    owner="agent-zhao", status="open", version=1, needs_review=False))
        COMPLAINTS.migrate(url, revision="head")
        with engine.connect() as connection:
            numbers = dict(connection.execute(select(complaints.c.id, complaints.c.number)).all())
            last = {(d, day.isoformat()): n for d, day, n in connection.execute(
                select(complaint_number_counters.c.dealer, complaint_number_counters.c.received_on,
                       complaint_number_counters.c.last)).all()}
    finally:
        engine.dispose()
    assert numbers == {"c3": "TS-20261206-0001", "c1": "TS-20261206-0002", "c2": "TS-20261207-0001",
                       "c4": "TS-20261206-0001"}
    assert last == {("D001", "2026-12-06"): 2, ("D001", "2026-12-07"): 1, ("D002", "2026-12-06"): 1}
