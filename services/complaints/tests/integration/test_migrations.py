from shared.testing import assert_migrations_match_models

from complaints.adapters.orm import metadata
from complaints.app import COMPLAINTS


def test_migrations_build_what_the_models_map(infra):
    assert_migrations_match_models(COMPLAINTS, infra.database_url(COMPLAINTS), metadata)
