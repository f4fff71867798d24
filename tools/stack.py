"""Run the whole system on one machine: `python -m tools.stack` (what `make run` calls).

For each service it applies the migrations, loads demo data, then starts its consumer, its
relay and its HTTP API under gunicorn, each as its own process, with logs in
`<data dir>/logs/`. Without database and broker settings everything runs on the embedded
default (SQLite files and a filesystem broker under ./var). Ctrl-C stops it all.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from shared.auth import ROLES, mint
from shared.config import Settings

ROOT = Path(__file__).resolve().parent.parent
SERVICES = {"parts": 8001, "warranty": 8002, "complaints": 8003}
CONSOLE_PORT = 8000
# `make run`'s relays and consumers serve /metrics and /health/* here.
METRICS_PORTS = {f"{service}-{process}": 9100 + 2 * index + offset
                 for index, service in enumerate(SERVICES) for offset, process in enumerate(("consumer", "relay"))}
# A loaded CI machine has taken over a minute to bring a consumer up; a healthy one takes seconds.
STARTUP_SECONDS = 180
DEMO_DEALER = "D001"


@dataclass
class Stack:
    environ: Mapping[str, str]
    ports: Mapping[str, int] = field(default_factory=lambda: dict(SERVICES))
    web_workers: int = 2
    host: str = "127.0.0.1"
    # The desks' web application, started last against the services; None leaves it out.
    console_port: int | None = CONSOLE_PORT
    processes: list[tuple[str, subprocess.Popen]] = field(default_factory=list)
    # Where each relay and consumer serves /metrics and /health/* ("parts-relay": port); a
    # process left out gets a free port.
    metrics_ports: dict[str, int] = field(default_factory=dict)

    @property
    def data_dir(self) -> Path:
        return Path(self.environ.get("AFTERSALES_DATA_DIR", ROOT / "var"))

    @property
    def logs(self) -> Path:
        return self.data_dir / "logs"

    def url(self, service: str) -> str:
        return f"http://{self.host}:{self.ports[service]}"

    def metrics_url(self, process: str) -> str:
        """The monitoring address of a relay or consumer: `metrics_url("parts-relay")`."""
        return f"http://{self.host}:{self.metrics_ports[process]}"

    @property
    def console_url(self) -> str:
        return f"http://{self.host}:{self.console_port}"

    def prepare(self, demo: bool) -> None:
        for service in self.ports:
            self._run_once(service, "migrate")
            if demo:
                self._run_once(service, "demo")

    def start(self) -> None:
        self.logs.mkdir(parents=True, exist_ok=True)
        # Consumers first: their queues must exist before the relays publish.
        for service in self.ports:
            self._spawn(f"{service}-consumer", [sys.executable, "-m", service, "consume"],
                        METRICS_PORT=self._metrics_address(f"{service}-consumer"))
        for service in self.ports:
            self._wait_for_log(f"{service}-consumer", ("consumer.all_ready", "consumer.nothing_to_consume"))
        for service in self.ports:
            self._spawn(f"{service}-relay", [sys.executable, "-m", service, "relay"],
                        METRICS_PORT=self._metrics_address(f"{service}-relay"))
        for service, port in self.ports.items():
            self._spawn(
                f"{service}-web", _gunicorn(service),
                BIND=f"{self.host}:{port}",
                WEB_CONCURRENCY=str(self.web_workers),
                PROMETHEUS_MULTIPROC_DIR=str(self.data_dir / "metrics" / service),
            )
        for service in self.ports:
            self._wait_for_http(f"{self.url(service)}/health/live", f"{service}-web")
        if self.console_port is not None:
            self.start_console()

    def start_console(self) -> None:
        """The console alone, against the services at `ports` (started by this stack or another)."""
        self.logs.mkdir(parents=True, exist_ok=True)
        self._spawn(
            "console-web", _gunicorn("console"),
            BIND=f"{self.host}:{self.console_port}",
            WEB_CONCURRENCY=str(self.web_workers),
            **{f"{service.upper()}_API_URL": self.url(service) for service in self.ports},
        )
        self._wait_for_http(f"{self.console_url}/health/live", "console-web")

    def stop(self) -> None:
        for _name, process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 25
        for _name, process in reversed(self.processes):
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()

    def kill(self, name: str) -> None:
        """Kill one process hard (tests use it to show nothing is lost)."""
        for entry in self.processes:
            if entry[0] == name:
                entry[1].kill()
                entry[1].wait()

    def restart(self, name: str) -> None:
        for index, (entry_name, process) in enumerate(self.processes):
            if entry_name == name:
                extra = {"METRICS_PORT": self._metrics_address(name)} if name in self.metrics_ports else {}
                self.processes[index] = (name, subprocess.Popen(
                    process.args, env=self._env(**extra), stdout=self._log(name), stderr=subprocess.STDOUT, cwd=ROOT,
                ))

    def _metrics_address(self, process: str) -> str:
        if process not in self.metrics_ports:
            # A free port, but not one this stack has handed out already: the web ports are only
            # bound once the consumers run, and the system may offer the same free port again.
            taken = {*self.ports.values(), self.console_port, *self.metrics_ports.values()}
            port = None
            while port is None or port in taken:
                with socket.socket() as probe:
                    probe.bind((self.host, 0))
                    port = probe.getsockname()[1]
            self.metrics_ports[process] = port
        return f"{self.host}:{self.metrics_ports[process]}"

    def _env(self, **extra: str) -> dict[str, str]:
        return {**os.environ, **self.environ, **extra}

    def _log(self, name: str):
        return open(self.logs / f"{name}.log", "ab")

    def _run_once(self, service: str, command: str) -> None:
        result = subprocess.run([sys.executable, "-m", service, command], env=self._env(), cwd=ROOT,
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"{service} {command} failed:\n{result.stdout}\n{result.stderr}")

    def _spawn(self, name: str, command: list[str], **extra: str) -> None:
        (self.logs / f"{name}.log").unlink(missing_ok=True)
        process = subprocess.Popen(command, env=self._env(**extra), stdout=self._log(name),
                                   stderr=subprocess.STDOUT, cwd=ROOT)
        self.processes.append((name, process))

    def _wait_for_log(self, name: str, needles: tuple[str, ...], timeout: float = STARTUP_SECONDS) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._check_alive(name)
            text = (self.logs / f"{name}.log").read_text(errors="replace")
            if any(needle in text for needle in needles):
                return
            time.sleep(0.1)
        raise RuntimeError(f"{name} did not get ready; see {self.logs / (name + '.log')}")

    def _wait_for_http(self, url: str, name: str, timeout: float = STARTUP_SECONDS) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._check_alive(name)
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"{name} did not answer {url}; see {self.logs / (name + '.log')}")

    def _check_alive(self, name: str) -> None:
        for entry_name, process in self.processes:
            if entry_name == name and process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}; see {self.logs / (name + '.log')}")


def _gunicorn(package: str) -> list[str]:
    """`<package>.app:create_app()` under gunicorn with the deployment's settings."""
    return [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
            f"{package}.app:create_app()"]


def demo_tokens(environ: Mapping[str, str], dealer: str = DEMO_DEALER) -> dict[str, str]:
    secret = Settings.from_env("stack", environ).jwt_secret
    return {
        role: mint(secret, f"demo-{role.replace('_', '-')}", dealer, [role], ttl=timedelta(hours=12))
        for role in sorted(ROLES)
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.stack", description=__doc__.splitlines()[0])
    parser.add_argument("--no-demo", action="store_true", help="do not load demo data")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per service")
    args = parser.parse_args(argv)
    environ = {"AFTERSALES_DATA_DIR": os.environ.get("AFTERSALES_DATA_DIR", str(ROOT / "var"))}
    stack = Stack(environ, web_workers=args.workers, metrics_ports=dict(METRICS_PORTS))
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    # Started in the background of a script, SIGINT arrives ignored; Ctrl-C must still stop us.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        stack.prepare(demo=not args.no_demo)
        stack.start()
        _announce(stack, environ)
        while not stopping and all(p.poll() is None for _, p in stack.processes):
            time.sleep(0.5)
        for name, process in stack.processes:
            if process.poll() is not None:
                print(f"{name} exited with {process.returncode}; see {stack.logs / (name + '.log')}")
    except KeyboardInterrupt:
        pass
    finally:
        print("\nstopping ...", flush=True)
        stack.stop()
        print("stopped.")
    return 0


def _announce(stack: Stack, environ: Mapping[str, str]) -> None:
    settings = Settings.from_env("stack", {**os.environ, **environ})
    where = "embedded default (SQLite + filesystem broker)" if settings.uses_embedded_broker else settings.broker_url
    print(f"\nAfter-sales back office is running on the {where}; data in {stack.data_dir}\n")
    if stack.console_port is not None:
        print(f"  console     {stack.console_url}/   sign in as a demo user of any desk (no password)\n")
    for service in stack.ports:
        print(f"  {service:<11} {stack.url(service)}/api/v1   docs: {stack.url(service)}/api/v1/docs")
    tokens = demo_tokens({**os.environ, **environ})
    token_file = stack.data_dir / "demo-tokens.env"
    token_file.write_text("".join(f"TOKEN_{role.upper()}={t}\n" for role, t in tokens.items()))
    print(f"\nDemo tokens for dealer {DEMO_DEALER} (12 h; also in {token_file}):")
    for role, token in tokens.items():
        print(f"  {role:<17} {token}")
    print(f"\nTry:\n  curl -H 'Authorization: Bearer {tokens['parts_clerk']}' {stack.url('parts')}/api/v1/parts")
    print("\nMetrics and probes of the relays and consumers: "
          + ", ".join(f"{name} {stack.metrics_url(name)}/metrics" for name in stack.metrics_ports))
    print(f"\nLogs: {stack.logs}/   Ctrl-C stops everything.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
