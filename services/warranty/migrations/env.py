from alembic import context

from shared.migrations import run_environment

from warranty.adapters.orm import metadata

run_environment(context, metadata, service="warranty")
