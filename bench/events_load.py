"""The event pipeline end to end: events committed in parts, applied by warranty's consumer.

```sh
.venv/bin/python -m bench.events_load            # = --events 5000 --writers 4
```

It needs the local PostgreSQL (`BENCH_DATABASE_URL`) and RabbitMQ (`--broker-url`). It creates
two throw-away databases, one migrated for parts and one for warranty, and on the broker an
exchange and queues of its own (removed at the end), so it disturbs nothing else there.

- **raw publish**, the baseline: kombu publishing N messages of the same size and headers
  to a quorum queue like a consumer's, with `confirm_publish` (each publish waits for its
  confirm), the way a kombu producer gets publisher confirms; then the same with the
  confirms pipelined by hand (all sent, then all awaited), for reference.
- **live**: `--writers` threads commit N `parts.stock.issued` events, one per transaction,
  through the shared outbox into the parts database (as the issue use case does), while the
  real relay (its own process) publishes them and warranty's real consumer (its own process:
  the shared Processor, inbox and `record_installed_part`) applies them to the warranty
  database. Latency is commit → applied per event: the writer notes the time just after its
  commit, the handler the time just after its own commit. Throughput is N over the first
  commit to the last applied.
- **backlog**: N events committed while no relay runs, then the relay starts: throughput of
  relay and consumer alone, from the relay's start to the last event applied.
- **paced**: N events committed on a schedule at `--paced` (default half) of the backlog's
  throughput: the commit → applied latency of a pipeline that is not saturated.

Ratios are against the raw publish with per-message confirms of the same run. The figures
of the code before the pipelined relay come from running this with `PYTHONPATH` pointing at a
copy of `shared/` as it was (the consumer with prefetch 1, the relay waiting per message).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from kombu import Connection, Producer
from sqlalchemy import create_engine, text

from bench import harness
from shared.config import Settings
from shared.events import broker, cloudevents
from shared.events.cloudevents import CONTENT_TYPE, amqp_headers
from shared.events.outbox import Raised
from shared.unit_of_work import utc_now

DEALER = "D001"
QUEUE = "warranty.record_installed_part"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=5000, help="events per measurement (N)")
    parser.add_argument("--writers", type=int, default=4, help="threads committing events in parts")
    parser.add_argument("--broker-url", default=os.environ.get("BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//"))
    parser.add_argument("--paced", type=float, default=0.5,
                        help="the paced run commits at this share of the backlog's throughput")
    parser.add_argument("--keep", action="store_true", help="keep the bench databases")
    args = parser.parse_args()

    from parts.app import PARTS
    from warranty.app import WARRANTY

    tag = uuid.uuid4().hex[:8]
    with harness.run_context("bench-events-") as (cleanup, logs, load_before):
        admin = harness.admin_url()
        names = {"parts": f"bench_events_parts_{tag}", "warranty": f"bench_events_warranty_{tag}"}
        urls = {}
        for service in (PARTS, WARRANTY):
            with harness.seeding(admin, names[service.name], service) as (url, _):
                urls[service.name] = url
        if not args.keep:
            cleanup.callback(harness.drop, admin, *names.values())
        environ = {
            "PARTS_DATABASE_URL": urls["parts"], "WARRANTY_DATABASE_URL": urls["warranty"],
            "BROKER_URL": args.broker_url, "EVENTS_EXCHANGE": f"bench-{tag}.events",
            "DEAD_LETTER_EXCHANGE": f"bench-{tag}.dead-letter", "QUEUE_PREFIX": f"bench-{tag}.",
            "AFTERSALES_DATA_DIR": str(logs), "LOG_LEVEL": "INFO",
        }
        cleanup.callback(_remove_broker_objects, environ)

        sample = _sample_envelope()
        raw = _raw_publish(environ, args.events, sample, pipelined=False)
        raw_pipelined = _raw_publish(environ, args.events, sample, pipelined=True)
        pipeline = Pipeline(environ, PARTS, logs)
        cleanup.callback(pipeline.stop)
        live = pipeline.live(args.events, args.writers)
        backlog = pipeline.backlog(args.events, args.writers)
        pace = args.paced * backlog.rate(pipeline.applied_times())
        paced = pipeline.live(args.events, args.writers, rate=pace)
        pipeline.stop()
        applied = pipeline.applied_times()
        pipeline.check(3 * args.events)

        print(f"command: {harness.command_line('bench.events_load')}")
        print(f"machine: {os.cpu_count()} cores, load average {load_before:.2f} before the run, "
              f"{os.getloadavg()[0]:.2f} after; logs in {logs}")
        print(f"shared/ from {Path(broker.__file__).resolve().parent.parent}; message of {len(sample)} bytes")
        print()
        print(f"| {args.events} events | per second | ratio to raw publish | commit → applied p50 ms | p99 ms |")
        print("|---|---:|---:|---:|---:|")
        print(f"| raw kombu publish, confirm per message | {raw:.0f} | 1.00 | | |")
        print(f"| raw kombu publish, confirms pipelined (batches of 200) | {raw_pipelined:.0f} | "
              f"{raw_pipelined / raw:.2f} | | |")
        print(f"| live: {args.writers} writers committing as fast as they can (they alone: "
              f"{live.commit_rate():.0f}/s), relay and consumer running | {live.rate(applied):.0f} | "
              f"{live.rate(applied) / raw:.2f} | {live.latency(applied, 50)} | {live.latency(applied, 99)} |")
        print(f"| backlog: relay started on N unpublished events | {backlog.rate(applied):.0f} | "
              f"{backlog.rate(applied) / raw:.2f} | | |")
        print(f"| paced: commits at {pace:.0f}/s ({args.paced:.0%} of the backlog's rate) | {paced.rate(applied):.0f} | "
              f"{paced.rate(applied) / raw:.2f} | {paced.latency(applied, 50)} | {paced.latency(applied, 99)} |")
        print()
        print(f"every event applied once: {3 * args.events} rows in warranty's inbox and as many installed parts")


# ---------------------------------------------------------------------------- the baseline

def _sample_envelope() -> bytes:
    """An event as the relay publishes it (the body's size is what the broker moves)."""
    envelope = cloudevents.envelope(
        _issued(0), event_id=str(uuid.uuid4()), source=cloudevents.source_of("parts"), subject="I-0000000",
        dealer=DEALER, sequence=1, time=utc_now(), correlation_id=str(uuid.uuid4()),
        schema_base=Settings.event_schema_base,
    )
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode()


def _raw_publish(environ: dict, count: int, body: bytes, *, pipelined: bool) -> float:
    """Messages per second published by plain kombu to a quorum queue, each confirmed."""
    settings = Settings.from_env("bench", environ)
    topology = broker.Topology(settings)
    queue = topology.queue(f"raw-{'pipelined' if pipelined else 'each'}", ["bench.raw"])
    options = {} if pipelined else {"confirm_publish": True}
    with Connection(settings.broker_url, transport_options=options) as connection:
        channel = connection.channel()
        queue(channel).declare()
        producer = Producer(channel, exchange=topology.events, auto_declare=False)
        confirms = broker.Confirms(connection, channel) if pipelined else None
        headers = amqp_headers("bench.raw", "x", "/aftersales/bench")
        started = time.perf_counter()
        tags = []
        for number in range(count):
            producer.publish(body, routing_key="bench.raw", content_type=CONTENT_TYPE, content_encoding="utf-8",
                             headers=headers, message_id=str(number), delivery_mode=2, retry=False)
            if confirms is not None:
                tags.append(confirms.sent())
                if len(tags) == 200 or number == count - 1:
                    confirms.wait(tags, 30)
                    assert all(confirms.outcome(t) for t in tags), "the broker refused a raw message"
                    tags = []
        seconds = time.perf_counter() - started
        queue(channel).delete()
    return count / seconds


# ---------------------------------------------------------------------------- the pipeline

@dataclass
class Measured:
    committed: dict[str, float]  # event id -> wall time just after its commit
    started: float  # the first commit, or the relay's start

    def rate(self, applied: dict[str, float]) -> float:
        return len(self.committed) / (max(applied[e] for e in self.committed) - self.started)

    def latency(self, applied: dict[str, float], percent: int) -> str:
        """Commit → applied at that percentile, in ms."""
        return _ms(_percentile(sorted(applied[e] - at for e, at in self.committed.items()), percent))

    def commit_rate(self) -> float:
        times = self.committed.values()
        return len(self.committed) / (max(times) - min(times))


class Pipeline:
    """Writers in this process; the relay (parts) and the consumer (warranty) in processes of
    their own, as deployed."""

    def __init__(self, environ: dict, parts_service, logs: Path):
        self._environ = environ
        self._logs = logs
        self._settings = Settings.from_env("parts", environ)
        self._units = parts_service.units_of_work(self._settings)
        self._spawn = multiprocessing.get_context("spawn")
        self._consumer_log = logs / "consumer.log"
        self._inbox = create_engine(environ["WARRANTY_DATABASE_URL"])
        self._consumer_stop = self._spawn.Event()
        self._relay_stop = self._spawn.Event()
        ready = self._spawn.Event()
        self._consumer = self._spawn.Process(
            target=_consumer_process, args=(environ, self._consumer_stop, ready, str(self._consumer_log)))
        self._consumer.start()
        print(f"consumer process {self._consumer.pid}", file=sys.stderr)
        if not ready.wait(60):
            raise RuntimeError(f"the consumer did not start: see {logs / 'consumer.log'}")
        self._relay = None
        self._numbered = 0

    def live(self, count: int, writers: int, rate: float | None = None) -> Measured:
        if self._relay is None:
            self._start_relay()
        committed = self._commit(count, writers, rate)
        self._wait_applied(self._numbered)
        return Measured(committed, min(committed.values()))

    def backlog(self, count: int, writers: int) -> Measured:
        self._stop_relay()
        committed = self._commit(count, writers)
        started = self._start_relay()
        self._wait_applied(self._numbered)
        return Measured(committed, started)

    def stop(self) -> None:
        self._stop_relay()
        if self._consumer.is_alive():
            self._consumer_stop.set()
            self._consumer.join(60)
        self._inbox.dispose()

    def applied_times(self) -> dict[str, float]:
        """When each event was applied: the time of its first `consumer.event_handled` line.
        (An event whose ack was lost with the connection is logged only when it comes again,
        as a duplicate: later than it was applied.)"""
        times: dict[str, float] = {}
        for line in self._consumer_log.read_text().splitlines():
            if '"consumer.event_handled"' in line:
                record = json.loads(line)
                if record["outcome"] in ("applied", "duplicate"):
                    at = datetime.fromisoformat(record["timestamp"].replace("Z", "+00:00"))
                    times.setdefault(record["event_id"], at.timestamp())
        return times

    def check(self, expected: int) -> None:
        """Every event applied exactly once in warranty."""
        counts = harness.counts(self._environ["WARRANTY_DATABASE_URL"], ("inbox", "installed_parts"))
        if counts != {"inbox": expected, "installed_parts": expected} or len(self.applied_times()) != expected:
            raise SystemExit(f"expected {expected} events applied once, found {counts}")

    def _start_relay(self) -> float:
        """Start the relay's process; returns the time it began to publish (imports done)."""
        self._relay_stop = self._spawn.Event()
        ready = self._spawn.Event()
        self._relay = self._spawn.Process(target=_relay_process,
                                          args=(self._environ, self._relay_stop, ready, str(self._logs / "relay.log")))
        self._relay.start()
        if not ready.wait(60):
            raise SystemExit(f"the relay did not start: see {self._logs / 'relay.log'}")
        return time.time()

    def _stop_relay(self) -> None:
        if self._relay is not None and self._relay.is_alive():
            self._relay_stop.set()
            self._relay.join(60)
        self._relay = None

    def _commit(self, count: int, writers: int, rate: float | None = None) -> dict[str, float]:
        """Commit `count` events from `writers` threads, as fast as they go or at `rate` per second."""
        committed: dict[str, float] = {}
        first = self._numbered
        self._numbered += count
        numbers = iter(range(first, first + count))
        lock = threading.Lock()
        start = time.monotonic()

        def write() -> None:
            while True:
                with lock:
                    number = next(numbers, None)
                if number is None:
                    return
                if rate:  # the event's slot in the schedule
                    time.sleep(max(0.0, start + (number - first) / rate - time.monotonic()))
                event_id, at = self._commit_one(number)
                committed[event_id] = at

        threads = [threading.Thread(target=write) for _ in range(writers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return committed

    def _commit_one(self, number: int) -> tuple[str, float]:
        """One transaction with one event, through the shared outbox, as a use case commits."""
        units = self._units
        session = units.database.session(DEALER, write=True)
        try:
            [row] = units.outbox.add(session, [Raised(_issued(number), _Issue(DEALER, f"I-{number:07d}"))],
                                     at=units.clock(), correlation_id=str(uuid.uuid4()), actor="bench")
            session.commit()
            return row["event_id"], time.time()
        finally:
            session.close()

    def _wait_applied(self, total: int) -> None:
        deadline = time.monotonic() + 900
        while (applied := self._applied()) < total:
            if time.monotonic() > deadline or not self._consumer.is_alive():
                raise SystemExit(f"{applied} of {total} events applied: see {self._logs}")
            time.sleep(0.1)

    def _applied(self) -> int:
        with self._inbox.connect() as connection:
            return connection.execute(text("SELECT count(*) FROM inbox")).scalar_one()


@dataclass
class _Issue:
    """What the outbox asks of the aggregate that raised an event."""

    dealer: str
    subject: str


def _issued(number: int):
    from parts.domain.events import StockIssued

    part = f"P-{number % 500:06d}"
    return StockIssued(issue=f"I-{number:07d}", repair_order=f"RO-{number:07d}", vin=f"LSVAB4BR{number:09d}",
                       part_number=part, location="MAIN", lot=f"L-{number % 50:04d}", supplier="S-001",
                       quantity=Decimal("1"), source="oem", technician="王师傅")


# ---------------------------------------------------------------------------- child processes

def _quiet(log_path: str) -> None:
    handle = open(log_path, "a")
    os.dup2(handle.fileno(), sys.stderr.fileno())
    os.dup2(handle.fileno(), sys.stdout.fileno())


def _stop_when(event, stop: threading.Event) -> None:
    threading.Thread(target=lambda: (event.wait(), stop.set()), daemon=True).start()


def _relay_process(environ: dict, stopping, ready, log_path: str) -> None:
    _quiet(log_path)
    from parts.app import PARTS
    from shared.events.relay import Relay
    from shared.logs import configure

    settings = Settings.from_env("parts", environ)
    configure("parts", settings.log_level)
    stop = threading.Event()
    _stop_when(stopping, stop)
    relay = Relay(settings, PARTS.units_of_work(settings).database)
    ready.set()
    relay.run(stop)


def _consumer_process(environ: dict, stopping, ready, log_path: str) -> None:
    """Warranty's consumer of `parts.stock.issued`, as deployed (its JSON log lines go to
    `log_path`: each `consumer.event_handled` is written after the commit and the ack)."""
    _quiet(log_path)
    from shared.events import consumer
    from shared.events.consumer import Handlers
    from shared.logs import configure
    from warranty.app import WARRANTY
    from warranty.handlers.parts_events import handlers as warranty_handlers

    settings = Settings.from_env("warranty", environ)
    configure("warranty", settings.log_level)
    handlers = Handlers("warranty", [s for s in warranty_handlers.subscriptions if s.name == QUEUE])
    stop = threading.Event()
    _stop_when(stopping, stop)
    consumer.run(settings, WARRANTY.units_of_work(settings), [handlers], stop, on_ready=ready.set)


def _remove_broker_objects(environ: dict) -> None:
    settings = Settings.from_env("warranty", environ)
    topology = broker.Topology(settings)
    with broker.connect(settings) as connection:
        channel = connection.channel()
        for queue in (topology.queue(QUEUE, []), topology.dead_letter_queue(QUEUE)):
            queue(channel).delete()
        for exchange in (topology.events, topology.dead_letter):
            exchange(channel).delete()


# ---------------------------------------------------------------------------- figures

def _percentile(values: list[float], percent: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(percent) - 1]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}" if seconds >= 0.01 else f"{seconds * 1000:.1f}"


if __name__ == "__main__":
    main()
