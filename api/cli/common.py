"""What every ``placewise`` command shares: the consoles, the ``--data`` option, JSON files, one clear error line.

This module and the command modules import only Typer and Rich at the top, so ``placewise --help`` and a one-line
error never wait for the engine's libraries; each command imports what it uses when it runs.
"""

import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from core.errors import PlacewiseError

if TYPE_CHECKING:
    from api.settings import Settings

console = Console()
errors = Console(stderr=True)

DataOption = Annotated[Path | None, typer.Option("--data", help="A folder laid out like ../shared/data; "
                                                 "without it, the embedded demo.")]


def split(text: str | None) -> list[str] | None:
    return [item.strip() for item in text.split(",") if item.strip()] if text else None


@contextmanager
def clear_errors() -> Iterator[None]:
    """Turn bad input into one clear line on stderr and exit code 2, never a traceback."""
    try:
        yield
    except (PlacewiseError, OSError) as error:
        errors.print(f"[red]error:[/red] {escape(str(error))}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run a command with the cyclic garbage collector paused until ``set_aside_imports``, then collecting only what
    the command itself makes: the engine's libraries bring some hundred thousand objects that are never garbage,
    yet importing them sets off collections, and each full one (a run makes two, to give memory back between its
    phases) walks them all. On leaving, they are handed back to the collector, as a process running several
    commands (the tests) needs, and the collector is as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        if was_enabled:
            gc.enable()
        else:  # as the caller had it, whatever ``set_aside_imports`` did
            gc.disable()


def set_aside_imports() -> None:
    """Within ``collector_paused``, once the command's libraries are imported: set every object so far out of the
    collector's reach (``gc.freeze``, which also keeps a forked worker from copying pages the collector would touch)
    and let it collect again."""
    gc.freeze()
    gc.enable()


def read_json(path: Path, invalid: str) -> object:
    """A JSON file's content, or ``invalid`` as a clear error where it is not UTF-8 JSON."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise PlacewiseError(invalid) from None


def settings() -> "Settings":
    """The settings, read once per command (pydantic-settings is imported only by commands that need them)."""
    from api.settings import Settings

    return Settings()
