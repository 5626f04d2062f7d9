"""Disk caches of derived arrays (road graphs, road travel tables), named by a hash of everything they depend on.

A cache entry is one ``.npz`` file written to a temporary name and moved into place, so a reader never sees a
half-written file. Without a cache folder nothing is kept: the arrays are built each time.
"""

import hashlib
from collections.abc import Callable
from pathlib import Path

import numpy as np

Arrays = dict[str, np.ndarray]


def digest(*parts: bytes) -> str:
    """A short hash of the parts a cached result depends on."""
    return hashlib.sha256(b"\x00".join(parts)).hexdigest()[:24]


def file_digest(path: Path, salt: str) -> str:
    """A short hash of a file's bytes and of the rules applied to it (``salt``)."""
    hasher = hashlib.sha256(salt.encode())
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()[:20]


def cached_arrays(cache_dir: Path | None, name: str, build: Callable[[], Arrays]) -> Arrays:
    """The arrays stored under ``name`` in the cache folder, or ``build()``'s, stored there for next time."""
    if cache_dir is None:
        return build()
    path = Path(cache_dir) / f"{name}.npz"
    if path.is_file():
        with np.load(path) as stored:
            return {key: stored[key] for key in stored.files}
    arrays = build()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp.npz")
    np.savez(temporary, **arrays)  # type: ignore[arg-type]
    temporary.replace(path)
    return arrays
