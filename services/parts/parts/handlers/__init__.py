"""Events from other services that parts reacts to; `HANDLERS` lists every handler module's set."""

from parts.handlers import quality_events, warranty_events

HANDLERS = (quality_events.handlers, warranty_events.handlers)
