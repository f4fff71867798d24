"""Events from other services that complaints reacts to; `HANDLERS` lists every module's set."""

from complaints.handlers import parts_events, warranty_events

HANDLERS = (warranty_events.handlers, parts_events.handlers)
