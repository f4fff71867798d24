from shared.testing import assert_migrations_match_models

from warranty.adapters.orm import metadata
from warranty.app import WARRANTY


def test_migrations_build_what_the_models_map(infra):
    assert_migrations_match_models(WARRANTY, infra.database_url(WARRANTY), metadata)


def test_the_claims_list_has_an_index_for_each_of_its_orders(infra):
    from sqlalchemy import create_engine, inspect

    engine = create_engine(infra.database_url(WARRANTY))
    try:
        indexes = {tuple(index["column_names"]) for index in inspect(engine).get_indexes("claims")}
    finally:
        engine.dispose()
    assert {("dealer", "status", "repair_date", "id"), ("dealer", "repair_date", "id"),
            ("dealer", "status", "id")} <= indexes
