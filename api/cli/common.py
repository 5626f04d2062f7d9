"""What every ``placewise`` command shares: the consoles, the ``--data`` option and one clear error line."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from core.errors import PlacewiseError

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
