"""Disk caches of derived arrays (road graphs, road travel tables), named by a hash of everything they depend on.

A cache entry is one file written to a temporary name and moved into place (``write_atomically``), so a reader
never sees a half-written file. Without a cache folder nothing is kept: the arrays are built each time.
``files_digest`` hashes many files' bytes and keeps each file's hash in the cache folder beside its size, time and
inode, so a later process reads again only the files changed since (as git's index does).
The archives of a cache folder take at most ``CACHE_LIMIT_BYTES``: each entry written lets the least recently
used others go past that (``prune_archives``; reading an entry marks it used), since every new version of the engine
or of a data file names its entries afresh and the old ones would otherwise stay for good.
"""

import hashlib
import io
import json
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

Arrays = dict[str, np.ndarray]
#: One reader and writer of the file hashes' memo at a time in a process (its threads would otherwise each write back
#: their own copy, and the last would drop what the others added).
_MEMO_LOCK = threading.Lock()
#: The most the cache folder's archives take together (England's own, for one version of the engine and data, are
#: about 0.6 GB): past it, the least recently used go first.
CACHE_LIMIT_BYTES = 3 * 2**30


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


def files_digest(paths: Iterable[Path], salt: str, cache_dir: Path | None) -> str:
    """A short hash of the files' bytes (in the order given) and of ``salt``; each file's own hash is kept in the
    cache folder, where one is given, and read there while the file's size, time and inode are unchanged."""
    with _MEMO_LOCK:
        return _files_digest(list(paths), salt, None if cache_dir is None else Path(cache_dir) / "file-digests.json")


def _files_digest(paths: list[Path], salt: str, memo_path: Path | None) -> str:
    memo = _read_memo(memo_path)
    changed = False
    hashes = []
    for path in paths:
        stamp = path.stat()
        key, seen = str(path.resolve()), [stamp.st_size, stamp.st_mtime_ns, stamp.st_ino]
        entry = memo.get(key)
        if not (isinstance(entry, list) and len(entry) == 4 and entry[:3] == seen):
            memo[key] = [*seen, file_digest(path, "")]
            changed = True
        hashes.append(memo[key][3].encode())
    if changed and memo_path is not None:
        memo_path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(memo_path, json.dumps(memo, sort_keys=True).encode())
    return digest(salt.encode(), *hashes)


def _read_memo(path: Path | None) -> dict[str, list]:
    if path is None or not path.is_file():
        return {}
    try:
        memo = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):  # a damaged memo is rebuilt, never trusted
        return {}
    return memo if isinstance(memo, dict) else {}


def cached_arrays(cache_dir: Path | None, name: str, build: Callable[[], Arrays]) -> Arrays:
    """The arrays stored under ``name`` in the cache folder, or ``build()``'s, stored there for next time."""
    if cache_dir is None:
        return build()
    path = Path(cache_dir) / f"{name}.npz"
    stored = read_arrays(path)
    if stored is not None:
        return stored
    arrays = build()
    keep_arrays(path, arrays)
    return arrays


def read_arrays(path: Path) -> Arrays | None:
    """The named arrays of an archive in the cache folder, or None where there is none (yet, or no longer: another
    process may let it go at any time). Reading it marks it used, for ``prune_archives``."""
    try:
        with np.load(path) as stored:
            arrays = {key: stored[key] for key in stored.files}
        os.utime(path)
    except FileNotFoundError:
        return None
    return arrays


def keep_arrays(path: Path, arrays: Arrays, limit: int = CACHE_LIMIT_BYTES) -> None:
    """Store named arrays as a NumPy archive (never a pickle), written whole or not at all; then the folder's least
    recently used other archives go while they all take more than ``limit`` bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    packed = io.BytesIO()
    np.savez(packed, **arrays)  # type: ignore[arg-type]
    write_atomically(path, packed.getvalue())
    prune_archives(path.parent, path, limit)


def prune_archives(folder: Path, keep: Path, limit: int) -> list[Path]:
    """Remove the least recently used archives (``*.npz``, by the time each was last written or read) of ``folder``
    but ``keep`` while they take more than ``limit`` bytes together; returns those removed. An archive another
    process is reading stays readable to it (the system frees it once closed), and one already gone is passed by."""
    archives = []
    for entry in os.scandir(folder):
        if entry.name.endswith(".npz") and entry.is_file(follow_symlinks=False):
            status = entry.stat(follow_symlinks=False)
            archives.append((status.st_mtime_ns, status.st_size, Path(entry.path)))
    total = sum(size for _, size, _ in archives)
    removed = []
    for _, size, path in sorted(archives):
        if total <= limit:
            break
        if path == keep:
            continue
        path.unlink(missing_ok=True)
        removed.append(path)
        total -= size
    return removed


def write_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` to a name of this thread's own beside ``path`` and move it into place: a reader sees the
    whole file or none, even with several processes or threads writing the same entry."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    temporary.write_bytes(content)
    temporary.replace(path)
