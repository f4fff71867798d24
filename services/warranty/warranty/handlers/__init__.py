"""Events from other services that warranty reacts to; `HANDLERS` lists every module's set."""

from warranty.handlers import parts_events

HANDLERS = (parts_events.handlers,)
