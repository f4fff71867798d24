from shared.testing import assert_migrations_match_models

from warranty.adapters.orm import metadata
from warranty.app import WARRANTY


def test_migrations_build_what_the_models_map(infra):
    assert_migrations_match_models(WARRANTY, infra.database_url(WARRANTY), metadata)
