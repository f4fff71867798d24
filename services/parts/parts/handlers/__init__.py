"""Events from other services that parts reacts to; `HANDLERS` lists every handler module's set."""

from parts.handlers import quality_events

HANDLERS = (quality_events.handlers,)
