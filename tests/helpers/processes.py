"""The processes a test started, read from /proc: which are below a given one, and which are still alive."""

import time
from pathlib import Path


def process_table() -> dict[int, tuple[int, str]]:
    """Every process now: pid -> (parent pid, start time), from /proc (the start time tells a reused pid apart)."""
    table = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            table[int(entry.name)] = (int(fields[1]), fields[19])
    return table


def descendants(root: int) -> set[tuple[int, str]]:
    """The processes below ``root`` now (its fork server, resource tracker, jobs), each as (pid, start time)."""
    table = process_table()
    found, pending = set(), [root]
    while pending:
        parent = pending.pop()
        for pid, (ppid, started) in table.items():
            if ppid == parent and (pid, started) not in found:
                found.add((pid, started))
                pending.append(pid)
    return found


def still_alive(processes: set[tuple[int, str]], seconds: float = 15.0) -> set[tuple[int, str]]:
    """Those of the processes still running (not zombies) once ``seconds`` have passed or all have gone."""
    deadline = time.monotonic() + seconds
    while True:
        table = process_table()
        alive = {(pid, started) for pid, started in processes if table.get(pid, (0, ""))[1] == started
                 and "Z" not in _state(pid)}
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.2)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"
