"""An example subscriber a dealer system can copy: it keeps the after-sales events it wants in a
JSON Lines file, each event once, and loses none while it is down.

    python tools/subscriber.py --broker amqp://dms:secret@rabbitmq:5672// \\
        --queue dms-d001.aftersales --bind 'parts.stock.*' --bind 'warranty.claim.#' \\
        --out events.jsonl --dealer D001 \\
        --catch-up http://parts:8001 --catch-up http://warranty:8002 --token "$AFTERSALES_TOKEN"

1. It declares its own durable queue (a quorum queue) and binds it to the topic exchange
   `aftersales.events` with each `--bind` pattern (`*` one word, `#` any number), so from
   now on the broker keeps every matching event for it, even while it is stopped.
2. With `--catch-up`, it then reads each service's HTTP feed (`GET /api/v1/events?after=N`,
   a token with role `integration`) from the position it stored last time (in `--state`), so
   events from before the queue existed, or older than anything the broker still holds, come
   in too, in commit order.
3. Then it consumes the queue. Each event is appended to `--out` as one line and flushed to
   disk before the message is acknowledged; an event whose `id` is already in the file (a
   redelivery, or one it read from both the feed and the queue) is skipped. An event whose
   data version (the `/vN` at the end of `dataschema`) is above `--max-version` is parked in
   `<out>.parked.jsonl` instead, to be looked at when the reader is upgraded.

It runs until Ctrl-C, or until nothing has arrived for `--idle-exit` seconds, and reconnects
by itself when the broker or a feed is unreachable. It needs only
kombu and the standard library. Events of other dealers (one broker may serve several) are
skipped with `--dealer`.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import signal
import socket
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TextIO

from kombu import Connection, Consumer, Exchange, Queue, binding
from kombu.exceptions import OperationalError

log = logging.getLogger("subscriber")
_VERSION = re.compile(r"/v(\d+)$")


def topic_matches(pattern: str, routing_key: str) -> bool:
    """AMQP topic matching, as the broker does it: `*` is one word, `#` zero or more."""
    def match(words: list[str], keys: list[str]) -> bool:
        if not words:
            return not keys
        if words[0] == "#":
            return any(match(words[1:], keys[i:]) for i in range(len(keys) + 1))
        return bool(keys) and words[0] in ("*", keys[0]) and match(words[1:], keys[1:])

    return match(pattern.split("."), routing_key.split("."))


def data_version(event: dict) -> int:
    match = _VERSION.search(event.get("dataschema") or "")
    return int(match.group(1)) if match else 1


class Journal:
    """The JSON Lines file of events kept, and the ids already in it."""

    def __init__(self, path: Path, patterns: Sequence[str], dealer: str | None, max_version: int | None):
        self.path = path
        self.parked_path = path.with_name(path.name.removesuffix(".jsonl") + ".parked.jsonl")
        self.patterns = patterns
        self.dealer = dealer
        self.max_version = max_version
        self.seen: set[str] = set()
        for kept in (path, self.parked_path):
            if kept.exists():
                with kept.open(encoding="utf-8") as lines:
                    for line in lines:
                        event = json.loads(line) if line.strip() else None
                        if isinstance(event, dict) and isinstance(event.get("id"), str):
                            self.seen.add(event["id"])
        self.kept = self.duplicates = self.skipped = self.parked = 0
        self._files: dict[Path, TextIO] = {}

    def offer(self, event: dict) -> None:
        """Keep the event unless we have it, it is not ours, or it is newer than we understand."""
        if not isinstance(event, dict) or not isinstance(event.get("id"), str) or "type" not in event:
            self._park({"reason": "not a CloudEvent", "body": event})
            return
        if self.dealer and event.get("dealer") != self.dealer:
            self.skipped += 1
            return
        if not any(topic_matches(p, event["type"]) for p in self.patterns):
            self.skipped += 1
            return
        if event["id"] in self.seen:
            self.duplicates += 1
            return
        if self.max_version is not None and data_version(event) > self.max_version:
            self._park(event)
            self.seen.add(event["id"])
            return
        self._append(self.path, event)
        self.seen.add(event["id"])
        self.kept += 1

    def _park(self, event: dict) -> None:
        self._append(self.parked_path, event)
        self.parked += 1

    def _append(self, path: Path, event: dict) -> None:
        if path not in self._files:
            self._files[path] = path.open("a", encoding="utf-8")
        self._files[path].write(json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n")

    def sync(self) -> None:
        """Put what was written on disk: call before acking a message or storing a position."""
        for out in self._files.values():
            out.flush()
            os.fsync(out.fileno())

    def close(self) -> None:
        self.sync()
        for out in self._files.values():
            out.close()
        self._files.clear()


class State:
    """The last feed position read from each service, in a small JSON file."""

    def __init__(self, path: Path):
        self.path = path
        self.positions: dict[str, int] = {}
        if path.exists():
            self.positions = json.loads(path.read_text(encoding="utf-8")).get("feeds", {})

    def save(self) -> None:
        temporary = self.path.with_name(self.path.name + ".tmp")
        temporary.write_text(json.dumps({"feeds": self.positions}, indent=2, sort_keys=True), encoding="utf-8")
        os.replace(temporary, self.path)  # never half-written


def catch_up(base_url: str, token: str, journal: Journal, state: State, page_size: int = 500,
             timeout: float = 30.0) -> int:
    """Read one service's feed from the stored position to its end; return how many items."""
    base = base_url.rstrip("/")
    read = 0
    while True:
        after = state.positions.get(base, 0)
        query = urllib.parse.urlencode({"after": after, "limit": page_size})
        request = urllib.request.Request(f"{base}/api/v1/events?{query}", headers={
            "Authorization": f"Bearer {token}", "Accept": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            page = json.load(response)
        if not page["items"]:
            return read
        for item in page["items"]:
            journal.offer(item["event"])
        journal.sync()
        read += len(page["items"])
        state.positions[base] = page["next_after"]
        state.save()  # after the events are on disk: a crash re-reads, never skips


def subscriber_queue(exchange: Exchange, name: str, patterns: Iterable[str], quorum: bool = True) -> Queue:
    return Queue(
        name,
        bindings=[binding(exchange, routing_key=p) for p in patterns],
        durable=True,
        auto_delete=False,
        queue_arguments={"x-queue-type": "quorum"} if quorum else None,
    )


def consume(connection: Connection, queue: Queue, journal: Journal, idle_exit: float | None,
            stopping: list[int]) -> None:
    def on_message(body, message) -> None:
        try:
            event = json.loads(body if isinstance(body, str) else bytes(body).decode("utf-8"))
        except ValueError:
            event = {"reason": "body is not JSON", "body": body if isinstance(body, str) else repr(body)}
        journal.offer(event)
        journal.sync()
        message.ack()  # only after the line is on disk

    last = time.monotonic()
    with Consumer(connection.channel(), queues=[queue], callbacks=[on_message], accept=None, prefetch_count=50):
        while not stopping:
            before = journal.kept + journal.duplicates + journal.skipped + journal.parked
            try:
                connection.drain_events(timeout=1)
            except (socket.timeout, TimeoutError):
                connection.heartbeat_check()
            if journal.kept + journal.duplicates + journal.skipped + journal.parked != before:
                last = time.monotonic()
            elif idle_exit is not None and time.monotonic() - last >= idle_exit:
                return


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--broker", default=os.environ.get("BROKER_URL", "amqp://guest:guest@localhost:5672//"),
                        help="AMQP URL (env BROKER_URL)")
    parser.add_argument("--exchange", default="aftersales.events")
    parser.add_argument("--queue", required=True, help="your own queue's name, e.g. dms-d001.aftersales")
    parser.add_argument("--bind", action="append", required=True, metavar="PATTERN",
                        help="routing-key pattern, e.g. 'parts.stock.*' or 'warranty.claim.#' (repeatable)")
    parser.add_argument("--out", type=Path, required=True, help="JSON Lines file the events are appended to")
    parser.add_argument("--state", type=Path, help="feed positions (default: <out>.state.json)")
    parser.add_argument("--catch-up", action="append", default=[], metavar="URL",
                        help="a service's base URL whose /api/v1/events feed to read first (repeatable)")
    parser.add_argument("--token", default=os.environ.get("AFTERSALES_TOKEN"),
                        help="bearer token with role integration (env AFTERSALES_TOKEN)")
    parser.add_argument("--dealer", help="keep only this dealer's events")
    parser.add_argument("--max-version", type=int, help="park events whose data version is above this")
    parser.add_argument("--idle-exit", type=float, help="stop after this many seconds without a message")
    parser.add_argument("--classic-queue", action="store_true", help="a classic queue instead of a quorum queue")
    args = parser.parse_args(argv)
    if args.catch_up and not args.token:
        parser.error("--catch-up needs --token (or AFTERSALES_TOKEN)")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr)

    stopping: list[int] = []
    previous = {signum: signal.signal(signum, lambda received, _frame: stopping.append(received))
                for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        return run(args, stopping)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def run(args: argparse.Namespace, stopping: list[int]) -> int:
    journal = Journal(args.out, args.bind, args.dealer, args.max_version)
    state = State(args.state or args.out.with_name(args.out.name + ".state.json"))
    exchange = Exchange(args.exchange, type="topic", durable=True)
    queue = subscriber_queue(exchange, args.queue, args.bind, quorum=not args.classic_queue)
    try:
        consume_until_stopped(args, stopping, journal, state, exchange, queue)
    finally:
        journal.close()
    log.info("kept %d, duplicates %d, skipped %d, parked %d", journal.kept, journal.duplicates,
             journal.skipped, journal.parked)
    return 0


def consume_until_stopped(args: argparse.Namespace, stopping: list[int], journal: Journal, state: State,
                          exchange: Exchange, queue: Queue) -> None:
    caught_up, backoff = False, 1.0
    while not stopping:
        connection = Connection(args.broker, heartbeat=30, connect_timeout=10)
        try:
            with connection:
                connection.ensure_connection(max_retries=3)
                channel = connection.channel()
                # The services' deployment declares the exchange; we only check it is there.
                exchange(channel).declare(passive=True)
                # Bound before catching up: whatever is published from now on waits in the queue.
                queue(channel).declare()
                if not caught_up:
                    for url in args.catch_up:
                        read = catch_up(url, args.token, journal, state)
                        log.info("caught up from %s: %d events read, position %s", url, read,
                                 state.positions.get(url.rstrip("/"), 0))
                    caught_up = True
                backoff = 1.0
                consume(connection, queue, journal, args.idle_exit, stopping)
                break  # idle, or asked to stop
        except urllib.error.HTTPError:
            raise  # a refused token or a wrong URL: retrying will not help
        except (OSError, OperationalError, *connection.connection_errors) as exc:
            # The broker or a feed is unreachable: the queue keeps our events meanwhile.
            log.warning("connection failed (%r); retrying in %.0f s", exc, backoff)
            deadline = time.monotonic() + backoff
            while not stopping and time.monotonic() < deadline:
                time.sleep(0.2)
            backoff = min(backoff * 2, 60.0)


if __name__ == "__main__":
    sys.exit(main())
