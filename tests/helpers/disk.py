"""Small filesystems for the disk-full tests: a tmpfs mounted for the test (root only; the test skips, saying why,
where it cannot mount), filled to the last byte on demand, and a PostgreSQL database whose tablespace lives on one."""

import contextlib
import errno
import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.helpers.store import POSTGRES

FILLER = "filler"


@contextlib.contextmanager
def small_disk(megabytes: int, owner: str | None = None) -> Iterator[Path]:
    """A tmpfs of ``megabytes`` mounted in a new folder under /tmp (readable by other users, so that PostgreSQL's
    server can reach a tablespace there), owned by ``owner`` where given; unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small filesystem needs root (this test fills a disk on purpose)")
    folder = Path(tempfile.mkdtemp(prefix="placewise-disk-"))
    folder.chmod(0o755)
    disk = folder / "disk"
    disk.mkdir()
    options = f"size={megabytes}m,mode=0755"
    if owner is not None:
        import pwd

        entry = pwd.getpwnam(owner)
        options += f",uid={entry.pw_uid},gid={entry.pw_gid},mode=0700"
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(disk)], capture_output=True,
                             text=True)
    if mounted.returncode != 0:
        disk.rmdir()
        folder.rmdir()
        pytest.skip(f"cannot mount a small tmpfs here ({mounted.stderr.strip() or mounted.returncode})")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)
        disk.rmdir()
        folder.rmdir()


def fill(disk: Path) -> int:
    """Write a filler file on the disk until it is full (ENOSPC); the bytes written."""
    written = 0
    with (disk / FILLER).open("wb", buffering=0) as handle:
        for size in (1 << 20, 1 << 16, 1 << 12, 1 << 9, 1):
            block = b"\0" * size
            while True:
                try:
                    written += handle.write(block)
                except OSError as error:
                    if error.errno != errno.ENOSPC:
                        raise
                    break
    return written


def clear(disk: Path) -> None:
    """Remove the filler: the disk has room again."""
    (disk / FILLER).unlink(missing_ok=True)


@contextlib.contextmanager
def postgres_on_small_disk(megabytes: int) -> Iterator[tuple[str, Path]]:
    """A new PostgreSQL database (named after the test database) whose tablespace is a small tmpfs on this machine;
    its URL and the disk. Skips, saying why, where the server is not on this machine or cannot be reached."""
    base = make_url(POSTGRES)
    name = f"{base.database}_disk"
    with small_disk(megabytes, owner="postgres") as disk:
        admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                connection.execute(text(f"DROP TABLESPACE IF EXISTS {name}"))
                try:
                    connection.execute(text(f"CREATE TABLESPACE {name} LOCATION '{disk}'"))
                except Exception as error:  # noqa: BLE001 - a server on another machine cannot see the folder
                    pytest.skip("PostgreSQL cannot put a tablespace on this machine's small disk "
                                f"({type(error).__name__})")
                connection.execute(text(f"CREATE DATABASE {name} TABLESPACE {name}"))
            yield base.set(database=name).render_as_string(hide_password=False), disk
        finally:
            with admin.connect() as connection:
                connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                connection.execute(text(f"DROP TABLESPACE IF EXISTS {name}"))
            admin.dispose()
