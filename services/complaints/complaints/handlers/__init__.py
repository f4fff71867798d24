"""Events that complaints reacts to (other services', and its own escalations and safety complaints); `HANDLERS` lists every module's set."""

from complaints.handlers import own_events, parts_events, warranty_events

HANDLERS = (warranty_events.handlers, parts_events.handlers, own_events.handlers)
