"""Scheduled jobs a service runs by itself (releasing expired reservations, escalating overdue
complaints), in its worker process next to its event consumers.

Each job is a function of the service's unit-of-work factory that does one round and says how
much it did; it runs every `every(rules)` until the process stops. A job must be safe to run in
several workers at once (lock what it changes, skip what changed meanwhile).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import structlog

from shared.monitoring import ProcessMonitor
from shared.unit_of_work import UnitOfWorkFactory

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[UnitOfWorkFactory], int]
    every: Callable[[Any], timedelta]  # from the service's rules


def drain(find: Callable[[int], Sequence[Hashable]], handle: Callable[[Hashable], int], batch: int = 100) -> int:
    """Handle everything that is due, a batch at a time: `find(batch)` lists up to `batch` due
    items, `handle(item)` deals with one in its own transaction and says how much it did.

    A backlog (after the worker was down) is worked off in one round rather than a batch per
    interval. An item `handle` could not take (another worker holds it) comes back from `find`;
    it is not tried again, and the round ends with a short batch or one with nothing new.
    """
    done, seen = 0, set()
    while True:
        found = find(batch)
        fresh = [item for item in found if item not in seen]
        for item in fresh:
            seen.add(item)
            try:
                done += handle(item)
            except Exception:  # one bad item must not hold up every item behind it, round after round
                log.error("job.item_failed", item=repr(item), exc_info=True)
        if len(found) < batch or not fresh:
            return done


def run_once(job: Job, units: UnitOfWorkFactory) -> int:
    done = job.run(units)
    log.info("job.ran", job=job.name, done=done)
    return done


def run_forever(
    jobs: Sequence[Job], units: UnitOfWorkFactory, stop: threading.Event, monitor: ProcessMonitor | None = None,
) -> list[threading.Thread]:
    """Start one thread per job; they end when `stop` is set. Each round is counted and timed
    in `monitor` (an alert notices a job that has not succeeded for too long)."""
    monitor = monitor or ProcessMonitor("", "consumer")  # counted, but nobody asks

    def loop(job: Job) -> None:
        interval = job.every(units.rules).total_seconds()
        monitor.expect_job(job.name)
        while not stop.is_set():
            started, ok = time.perf_counter(), False
            try:
                done = job.run(units)
                ok = True
                if done:
                    log.info("job.ran", job=job.name, done=done)
            except Exception:
                log.error("job.failed", job=job.name, exc_info=True)
            monitor.job_ran(job.name, time.perf_counter() - started, ok)
            stop.wait(interval)

    threads = [threading.Thread(target=loop, args=(job,), name=f"job:{job.name}", daemon=True) for job in jobs]
    for thread in threads:
        thread.start()
    return threads
