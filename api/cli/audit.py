"""The audit for a data protection officer: ``audit export`` writes the events of a period (and a council) as CSV."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import clear_errors, console, settings

audit_app = typer.Typer(help="The audit trail of the service's store.", no_args_is_help=True)


@audit_app.command("export")
def export(start: Annotated[datetime, typer.Option("--from", formats=["%Y-%m-%d"],
                                                   help="The first day, YYYY-MM-DD (from midnight UTC).")],
           end: Annotated[datetime, typer.Option("--to", formats=["%Y-%m-%d"],
                                                 help="The day after the last, YYYY-MM-DD (up to midnight UTC).")],
           out: Annotated[Path, typer.Option("--out", help="The CSV file to write.")],
           council: Annotated[str | None, typer.Option("--council", help="Only this council's events (an ONS "
                                                       "code); without it, every event.")] = None) -> None:
    """Write the audit events of a period as CSV (cells a spreadsheet would take for formulas are escaped)."""
    with clear_errors():
        from api.platform.security.audit import export_audit
        from api.platform.store.engine import make_engine
        from core.errors import PlacewiseError

        first, last = start.replace(tzinfo=UTC), end.replace(tzinfo=UTC)
        if last <= first:
            raise PlacewiseError("--to: give a day after --from")
        count = export_audit(make_engine(settings().database_url), first, last, council, out)
        console.print(f"Wrote {count:,} audit events to {out}")
