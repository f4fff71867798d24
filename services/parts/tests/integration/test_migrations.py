from shared.testing import assert_migrations_match_models

from parts.adapters.orm import metadata
from parts.app import PARTS


def test_migrations_build_what_the_models_map(infra):
    assert_migrations_match_models(PARTS, infra.database_url(PARTS), metadata)
