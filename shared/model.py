"""Building blocks for domain models, in plain Python.

Domain modules may import this and `shared.errors`, nothing else from outside the standard
library. Persistence maps these classes imperatively, so they never see SQLAlchemy.
"""

from __future__ import annotations

from typing import ClassVar


class Event:
    """A fact that happened, named in the past tense.

    Subclasses are frozen dataclasses whose fields are the CloudEvent's `data`. `type` is the
    wire type and routing key (`<service>.<entity>.<happening>`); `version` goes into
    `dataschema` and changes only for an incompatible change. An event may define a
    `subject` property when its subject is not its aggregate's.
    """

    type: ClassVar[str]
    version: ClassVar[int] = 1


class DealerOwned:
    """A record that belongs to exactly one dealer.

    Sessions scoped to a dealer filter every query on these classes by `dealer` and refuse
    to write a row of another dealer, so a query cannot forget the dealer.
    """

    dealer: str


class Aggregate(DealerOwned):
    """A consistency boundary that records what happened to it in `events`.

    The unit of work collects the events of every aggregate its session touched and writes
    them to the outbox in the same commit. `subject` is the id events are about by default.
    """

    @property
    def events(self) -> list[Event]:
        # Loaded rows skip __init__, so the list is created on first use.
        try:
            return self.__dict__["_recorded_events"]
        except KeyError:
            self.__dict__["_recorded_events"] = []
            return self.__dict__["_recorded_events"]

    @property
    def subject(self) -> str:
        raise NotImplementedError(f"{type(self).__name__} must say which id its events are about")
