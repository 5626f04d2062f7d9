"""Ties a job's processes to their worker: the fork server dies with the worker, and each job with the fork server.

``die_with_parent`` asks Linux to SIGKILL this process when its parent ends (``PR_SET_PDEATHSIG``), then checks
that the parent has not already gone in the moment before (the usual race), and ends at once if it has. The fork
server calls it as it starts (this module is in its preload list: importing it there is what arms it), and each
job's process as it starts (``runner.run_job``). So a worker killed outright takes its fork server, and with it
any job, down within moments, and leaves no orphan holding memory.
"""

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent(expected_parent: int | None = None) -> None:
    """SIGKILL this process when its parent ends; end now if the parent (``expected_parent`` where given) is gone."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid() if expected_parent is None else expected_parent
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def _in_fork_server() -> bool:
    """Whether this import is the fork server's preload (and not a worker or a test importing the module)."""
    frame = sys._getframe()
    while frame is not None:
        if frame.f_code.co_name == "main" and frame.f_code.co_filename.endswith("forkserver.py"):
            return True
        frame = frame.f_back  # type: ignore[assignment]
    return False


#: The fork server's pid, inherited by every job it forks (None outside the fork server and its jobs).
FORK_SERVER: int | None = None
if _in_fork_server():
    die_with_parent()
    FORK_SERVER = os.getpid()
