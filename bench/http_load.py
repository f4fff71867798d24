"""A closed-loop HTTP load generator for the benchmarks: P processes x T threads, keep-alive.

Each client (a thread with its own keep-alive `http.client` connection) sends one request,
waits for the whole answer, records how long it took, and sends the next, until the window
closes. Clients are spread over several processes so the load generator is not held to one
core by the GIL. Only requests answered inside the window count towards throughput; the
latencies are those of the same requests.
"""

from __future__ import annotations

import http.client
import multiprocessing
import queue
import random
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

# (method, path, body, headers) for the n-th request of a client; the factory gets the
# client's own `random.Random` and a string naming the client, unique in the run.
Request = tuple[str, str, bytes | None, dict[str, str]]
RequestFactory = Callable[[random.Random, str, int], Request]


@dataclass
class Outcome:
    seconds: float
    clients: int
    latencies: list[float] = field(default_factory=list)  # of expected answers, in the window
    statuses: Counter = field(default_factory=Counter)  # every answer in the window, by status
    unexpected: list[str] = field(default_factory=list)  # a few samples, for the report
    finished_at: list[float] = field(default_factory=list)  # when each of those came (time.time())
    failures: int = 0  # connection errors
    expected_total: int = 0  # expected answers at any time, warm-up and late ones included
    started_at: float = 0.0  # when the measured window opened (time.time())
    probes: tuple = ()  # what `probe` answered when the window opened and when it closed

    @property
    def ok(self) -> int:
        return len(self.latencies)

    @property
    def per_second(self) -> float:
        return self.ok / self.seconds

    @property
    def errors(self) -> int:
        return sum(self.statuses.values()) - self.ok + self.failures

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else float("nan")

    @property
    def p95(self) -> float:
        return self.percentile(95)

    @property
    def p99(self) -> float:
        return self.percentile(99)


def run(host: str, port: int, factory: RequestFactory, *, clients: int, seconds: float,
        expected_status: int = 200, processes: int = 2, warmup: float = 0.0, seed: int = 0,
        timeout: float = 30.0, probe: Callable[[], object] | None = None,
        prepare: Callable[[str], None] | None = None, expected_body: bytes | None = None) -> Outcome:
    """Run `clients` clients against host:port for `warmup` then `seconds` seconds.

    `probe`, if given, is called when the measured window opens and when it closes; the two
    answers are kept in `Outcome.probes` (e.g. the server's CPU time). `prepare`, if given, is
    called once by each client with its name before it sends anything (e.g. to sign in; the
    factory of the same process sees what it kept). With `expected_body`, an answer is expected
    only if it also contains those bytes."""
    processes = max(1, min(processes, clients))
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    start_at = time.time() + 0.5  # every process starts sending at the same moment
    shares = [clients // processes + (1 if i < clients % processes else 0) for i in range(processes)]
    workers = [
        context.Process(
            target=_process, daemon=True,
            args=(results, host, port, factory, share, f"{seed}-{i}", start_at, warmup, seconds,
                  expected_status, timeout, prepare, expected_body),
        )
        for i, share in enumerate(shares)
    ]
    for worker in workers:
        worker.start()
    outcome = Outcome(seconds=seconds, clients=clients, started_at=start_at + warmup)
    try:
        if probe is not None:
            time.sleep(max(0.0, outcome.started_at - time.time()))
            opened = probe()
            time.sleep(max(0.0, outcome.started_at + seconds - time.time()))
            outcome.probes = (opened, probe())
        for _ in workers:
            part = results.get(timeout=start_at - time.time() + warmup + seconds + timeout + 30)
            outcome.latencies.extend(part.latencies)
            outcome.finished_at.extend(part.finished_at)
            outcome.statuses.update(part.statuses)
            outcome.unexpected.extend(part.unexpected[: 5 - len(outcome.unexpected)])
            outcome.failures += part.failures
            outcome.expected_total += part.expected_total
    except queue.Empty:
        raise RuntimeError("a load process did not report back") from None
    except BaseException:  # Ctrl-C: stop sending at once
        for worker in workers:
            worker.terminate()
        raise
    finally:
        for worker in workers:
            worker.join(timeout=5)
            if worker.is_alive():
                worker.terminate()
    return outcome


def _process(results, host, port, factory, clients, name, start_at, warmup, seconds, expected_status, timeout,
             prepare=None, expected_body=None):
    outcome = Outcome(seconds=seconds, clients=clients)
    lock = threading.Lock()
    measure_from = start_at + warmup
    deadline = measure_from + seconds

    def client(index: int) -> None:
        rng = random.Random(f"{name}-{index}")
        label = f"{name}-{index}"
        latencies, finished, statuses, unexpected, failures, expected_total = [], [], Counter(), [], 0, 0
        if prepare is not None:
            try:
                prepare(label)
            except Exception as exc:  # e.g. signing in was refused: this client sends nothing
                with lock:
                    outcome.failures += 1
                    outcome.unexpected.append(f"prepare: {exc!r}"[:300])
                return
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
        time.sleep(max(0.0, start_at - time.time()))
        n = 0
        while True:
            sent = time.time()
            if sent >= deadline:
                break
            method, path, body, headers = factory(rng, label, n)
            n += 1
            started = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException):
                failures += 1
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=timeout)
                continue
            took = time.perf_counter() - started
            as_expected = response.status == expected_status and (expected_body is None or expected_body in payload)
            if as_expected:
                expected_total += 1
            now = time.time()
            if sent < measure_from or now > deadline:
                continue  # warm-up, or answered after the window closed
            statuses[response.status] += 1
            if as_expected:
                latencies.append(took)
                finished.append(now)
            elif len(unexpected) < 5:
                unexpected.append(f"{response.status} {payload[:300]!r}")
        connection.close()
        with lock:
            outcome.latencies.extend(latencies)
            outcome.finished_at.extend(finished)
            outcome.statuses.update(statuses)
            outcome.unexpected.extend(unexpected[: 5 - len(outcome.unexpected)])
            outcome.failures += failures
            outcome.expected_total += expected_total

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put(outcome)
