"""Events from other services that parts reacts to; `HANDLERS` lists every handler module's set."""

HANDLERS = ()
