from alembic import context

from shared.migrations import run_environment

from parts.adapters.orm import metadata

run_environment(context, metadata, service="parts")
