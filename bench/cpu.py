"""CPU time that given processes used, from /proc (Linux): how much work a request costs the
server, whatever else the machine is doing at the time."""

from __future__ import annotations

import os
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")


def seconds(pids: set[int]) -> dict[int, float]:
    """User + system CPU seconds of each process still alive."""
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime (fields 14, 15 of stat)
    return used


def children(parent: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == parent:
                    found.add(int(entry.name))
            except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
                continue
    return found


def used_between(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds used in between; a process that appeared meanwhile counts from zero."""
    return sum(total - before.get(pid, 0.0) for pid, total in after.items())
