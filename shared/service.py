"""How a service is put together, and the command line every service has.

Each service describes itself once with a `Service` (its name, unit-of-work class, handlers,
migrations and demo data); `create_app`, the relay, the consumer and the CLI are all built
from that description, so the three services start, migrate and consume the same way:

    python -m parts migrate     # alembic upgrade head on PARTS_DATABASE_URL
    python -m parts relay       # publish the outbox
    python -m parts consume     # run the event handlers and the scheduled jobs
    python -m parts job NAME    # run one scheduled job once
    python -m parts demo        # load demo data (embedded default)
    python -m parts dead-letters list|replay [--handler H] [--event-id ID]

The same dead letters are served to `admin` at `/api/v1/admin/dead-letters` (`shared.http.dead_letters`).
With METRICS_PORT set, `relay` and `consume` serve /metrics and /health/* on it (`shared.monitoring`).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import structlog

from shared.config import Settings
from shared.db import Database
from shared.events import consumer, dead_letters
from shared.events.consumer import Handlers, Subscription
from shared.events.outbox import Outbox
from shared.events.relay import Relay
from shared.http.metrics import OutboxCollector
from shared.jobs import Job, run_forever, run_once
from shared import tracing
from shared.logs import configure
from shared.monitoring import DeadLetterQueueCollector, InboxCollector, ProcessMonitor
from shared.unit_of_work import Clock, UnitOfWork, UnitOfWorkFactory, utc_now

if TYPE_CHECKING:
    from flask import Flask
    from flask_smorest import Blueprint

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Service:
    name: str
    title: str
    description: str
    unit_of_work: type[UnitOfWork]
    # The API's blueprints, imported when an app is built: a relay or a consumer starts without
    # them (a stack's three of each took a sixth less CPU to start).
    blueprints: Callable[[], Sequence[Blueprint]]
    alembic_ini: Path
    handlers: Sequence[Handlers] = field(default_factory=tuple)
    load_demo: Callable[[UnitOfWorkFactory], None] | None = None
    # Builds the service's business rules from its settings, once; use cases read `uow.rules`.
    rules: Callable[[Settings], Any] = lambda settings: None
    jobs: Sequence[Job] = field(default_factory=tuple)

    @property
    def subscriptions(self) -> list[Subscription]:
        """Every handler of every handler module: one queue (and dead-letter queue) each."""
        return [s for h in self.handlers for s in h.subscriptions]

    def settings(self) -> Settings:
        return Settings.from_env(self.name)

    def units_of_work(self, settings: Settings, clock: Clock = utc_now) -> UnitOfWorkFactory:
        database = Database(settings.database_url)
        outbox = Outbox(settings.service, settings.event_schema_base)
        return UnitOfWorkFactory(
            self.unit_of_work, database, outbox, clock,
            local_zone=ZoneInfo(settings.timezone), rules=self.rules(settings),
        )

    def create_app(self, settings: Settings | None = None, clock: Clock = utc_now) -> Flask:
        # Imported here, as the API is: the relay and the consumer build no app.
        from shared.http.app import build_app

        settings = settings or self.settings()
        configure(settings.service, settings.log_level, settings.log_json)
        tracing.configure(settings.service, settings.environ)
        return build_app(
            settings=settings,
            unit_of_work=self.units_of_work(settings, clock),
            title=self.title,
            description=self.description,
            blueprints=self.blueprints(),
            subscriptions=self.subscriptions,
        )

    def migrate(self, database_url: str, revision: str = "head") -> None:
        # Imported here: only `migrate` needs Alembic, and every web worker, relay and consumer
        # would otherwise load it at start (a tenth of a second each).
        from alembic import command
        from alembic.config import Config

        config = Config(str(self.alembic_ini))
        config.attributes["database_url"] = database_url
        if database_url.startswith("sqlite:///"):
            Path(database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        command.upgrade(config, revision)

    def _work(self, settings: Settings, units: UnitOfWorkFactory, stop: threading.Event,
              monitor: ProcessMonitor | None = None) -> None:
        jobs = run_forever(self.jobs, units, stop, monitor)
        consumer.run(settings, units, self.handlers, stop, monitor=monitor)
        for thread in jobs:
            thread.join(timeout=30)

    def monitor(self, settings: Settings, process: str, units: UnitOfWorkFactory) -> ProcessMonitor:
        """The metrics and probes of the relay or the consumer; served when METRICS_PORT is set."""
        monitor = ProcessMonitor(settings.service, process)
        database = units.database
        monitor.health.check("database", database.ping)
        if process == "relay":
            monitor.expect_relay()
            monitor.watch(OutboxCollector(settings.service, database, units.clock))
        else:
            handlers = [s.name for s in self.subscriptions]
            for handler in handlers:  # not ready until each one's consumer is
                monitor.expect_handler(handler)
            monitor.watch(InboxCollector(settings.service, database, handlers))
            monitor.watch(DeadLetterQueueCollector(settings, handlers))
        if address := settings.environ.get("METRICS_PORT"):
            monitor.serve(address)
        return monitor

    def main(self, argv: Sequence[str] | None = None) -> int:
        parser = argparse.ArgumentParser(prog=f"python -m {self.name}", description=self.title)
        commands = parser.add_subparsers(dest="command", required=True)
        commands.add_parser("migrate", help="apply this service's database migrations")
        commands.add_parser("relay", help="publish committed events to the broker")
        commands.add_parser("consume", help="apply other services' events and run the scheduled jobs")
        job = commands.add_parser("job", help="run one scheduled job once")
        job.add_argument("name", choices=[j.name for j in self.jobs] or ["(none)"])
        commands.add_parser("demo", help="load demo data")
        letters = commands.add_parser(
            "dead-letters", help="list the messages a handler could not apply, or replay them to it")
        letters.add_argument("action", choices=["list", "replay"])
        letters.add_argument("--handler", action="append", dest="handlers", metavar="NAME",
                             choices=[s.name for s in self.subscriptions] or ["(none)"],
                             help="only this handler's queue (repeatable; default: every handler)")
        letters.add_argument("--event-id", action="append", dest="event_ids", default=[], metavar="ID",
                             help="replay only this event (repeatable; default: all)")
        letters.add_argument("--limit", type=int, default=100, help="at most this many per handler")
        args = parser.parse_args(argv)
        settings = self.settings()
        configure(settings.service, settings.log_level, settings.log_json)
        if args.command == "migrate":
            self.migrate(settings.database_url)
        elif args.command == "relay":
            tracing.configure(settings.service, settings.environ)
            units = self.units_of_work(settings)
            monitor = self.monitor(settings, "relay", units)
            try:
                return _run_until_signalled(Relay(settings, units.database, monitor=monitor).run)
            finally:
                monitor.close()
        elif args.command == "consume":
            tracing.configure(settings.service, settings.environ)
            units = self.units_of_work(settings)
            monitor = self.monitor(settings, "consumer", units)
            try:
                return _run_until_signalled(lambda stop: self._work(settings, units, stop, monitor))
            finally:
                monitor.close()
        elif args.command == "job":
            run_once(next(j for j in self.jobs if j.name == args.name), self.units_of_work(settings))
        elif args.command == "demo":
            if self.load_demo is None:
                log.info("demo.none", service=self.name)
            else:
                self.load_demo(self.units_of_work(settings))
        elif args.command == "dead-letters":
            self._dead_letters(settings, args)
        return 0

    def _dead_letters(self, settings: Settings, args: argparse.Namespace) -> None:
        """One JSON line per dead letter on stdout, for people and for `jq`."""
        subscriptions = [s for s in self.subscriptions if not args.handlers or s.name in args.handlers]
        if args.action == "list":
            found = dead_letters.peek(settings, subscriptions, limit=args.limit)
        else:
            found = dead_letters.replay(settings, subscriptions, event_ids=args.event_ids, limit=args.limit)
            log.info("dead_letters.replayed", count=len(found))
        for letter in found:
            sys.stdout.write(json.dumps(asdict(letter), ensure_ascii=False) + "\n")


def _run_until_signalled(work: Callable[[threading.Event], None]) -> int:
    """Run `work(stop)` in a thread until SIGTERM or SIGINT, then set `stop` and wait for it.

    The handler only notes the signal: setting an Event takes its lock, and a second signal
    (Ctrl-C's SIGINT next to a supervisor's SIGTERM) arriving inside the first handler, or
    while this thread waits on that Event, would deadlock.
    """
    received: list[int] = []
    signal.signal(signal.SIGTERM, lambda signum, _frame: received.append(signum))
    signal.signal(signal.SIGINT, lambda signum, _frame: received.append(signum))
    stop = threading.Event()
    failures: list[BaseException] = []

    def target() -> None:
        try:
            work(stop)
        except BaseException as exc:
            failures.append(exc)

    worker = threading.Thread(target=target, name="work")
    worker.start()
    while worker.is_alive() and not received:
        worker.join(0.2)
    if received:
        log.info("process.stopping", signal=signal.Signals(received[0]).name)
    stop.set()
    worker.join()
    if failures:
        log.error("process.failed", error=repr(failures[0]), exc_info=failures[0])
        return 1
    return 0


def run(service: Service) -> None:
    sys.exit(service.main())
