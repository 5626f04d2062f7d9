"""Giving freed memory back to the system between the phases of a large run.

A national candidate table is built from many blocks of short-lived arrays. The C allocator keeps the freed heap
for reuse, but the flow solver's large arrays never reuse it (they are mapped afresh), so a run would hold both.
``release_freed_memory`` asks glibc to return what is free (``malloc_trim``); elsewhere it does nothing.
"""

import ctypes
import ctypes.util
import gc
from functools import lru_cache


@lru_cache(maxsize=1)
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


def release_freed_memory() -> None:
    """Collect garbage, then return the allocator's free memory to the system (glibc only)."""
    gc.collect()
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
