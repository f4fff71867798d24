"""Plumbing every after-sales service uses the same way.

Nothing here knows about parts, claims or complaints: config, database sessions and the
unit of work, the outbox/relay/inbox event bus, CloudEvents, auth, problem details, health,
metrics and logging.
"""
