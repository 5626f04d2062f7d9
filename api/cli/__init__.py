"""The ``placewise`` command line (Typer): one module per command group, assembled here into ``app``."""

import logging
from typing import Annotated

import typer

from api.cli import (
    alternative_provision,
    audit,
    cohorts,
    credentials,
    decisions,
    packages,
    planning,
    runs,
    service,
    shortlists,
    transparency,
    travel,
)

app = typer.Typer(help="Placewise: explained placement shortlists for children with EHC plans.",
                  no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)
app.command()(shortlists.shortlist)
app.command()(shortlists.register)
app.command()(runs.run)
app.add_typer(cohorts.demo_app, name="demo")
app.add_typer(cohorts.cohort_app, name="cohort")
app.command(name="map")(runs.map_command)
app.command()(runs.compare)
app.command()(travel.travel)
app.command()(planning.forecast)
app.command()(planning.plan)
app.command()(planning.sweep)
app.command()(service.serve)
app.command()(service.worker)
app.add_typer(credentials.keys_app, name="keys")
app.add_typer(credentials.users_app, name="users")
app.add_typer(audit.audit_app, name="audit")
app.add_typer(packages.packages_app, name="packages")
app.add_typer(decisions.decisions_app, name="decisions")
app.add_typer(decisions.officers_app, name="officers")
app.add_typer(alternative_provision.ap_app, name="ap")
app.command()(transparency.atrs)
app.command()(transparency.dpia)
app.command()(transparency.fairness)


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress to stderr.")] = False) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(message)s")
    if not verbose:  # Dask's scheduler and workers report every start and connection at INFO
        for name in ("distributed", "dask"):
            logging.getLogger(name).setLevel(logging.WARNING)
