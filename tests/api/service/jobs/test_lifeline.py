"""A job's processes die with their worker: a process armed with ``die_with_parent`` is killed when its parent is
killed outright, and one whose parent is already gone when it arms itself ends at once (the race at start)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
ARMED_CHILD = """
import os, sys, time
from api.platform.jobs.lifeline import die_with_parent
parent = os.getpid()
pid = os.fork()
if pid == 0:
    die_with_parent(parent)  # the parent may be killed before this line runs: then the child ends at once
    time.sleep(120)
    os._exit(0)
print(pid, flush=True)
time.sleep(120)
"""


def gone(pid: int, seconds: float = 15.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        if state == "Z":
            return True
        time.sleep(0.1)
    return False


def test_an_armed_process_dies_when_its_parent_is_killed_outright():
    parent = subprocess.Popen([sys.executable, "-c", ARMED_CHILD], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    child = int(parent.stdout.readline())
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    assert gone(child)


def test_a_process_whose_parent_has_already_gone_ends_at_once():
    from api.platform.jobs.lifeline import die_with_parent

    pid = os.fork()
    if pid == 0:  # the child: told its parent was another process, it must end instead of running on
        die_with_parent(expected_parent=os.getppid() + 1_000_000)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 1
