"""Decisions and officers from the command line: ``decisions verify`` checks every decision's chain against its
columns and the hashes anchored in the audit (a version removed or rewritten shows, even where the table's triggers
were dropped); ``officers set`` records an officer's name, job title and delegated authority."""

from typing import Annotated

import typer

from api.cli.common import clear_errors, console, errors, settings

decisions_app = typer.Typer(help="Placement decisions in the service's store.", no_args_is_help=True)
officers_app = typer.Typer(help="Officers' names, job titles and delegated authority.", no_args_is_help=True)


@decisions_app.command("verify")
def verify(decision_id: Annotated[str | None, typer.Argument(help="One decision's id; or give --all.")] = None,
           every: Annotated[bool, typer.Option("--all", help="Every decision in the store.")] = False) -> None:
    """Check decisions' hash chains, stored columns and audit anchors; exit code 1 where any fails."""
    with clear_errors():
        from api.platform.store.engine import make_engine
        from api.records.decision_store import verify_all
        from core.errors import PlacewiseError

        if every == (decision_id is not None):
            raise PlacewiseError("give one decision's id, or --all")
        found = verify_all(make_engine(settings().database_url))
        if decision_id is not None:
            if decision_id not in found:
                raise PlacewiseError("decision_id: no such decision in the store or its audit")
            found = {decision_id: found[decision_id]}
    failed = {key: problems for key, problems in found.items() if problems}
    for key, problems in sorted(failed.items()):
        for problem in problems:
            errors.print(f"decision {key}: {problem}", highlight=False, soft_wrap=True)
    console.print(f"{len(found) - len(failed):,} of {len(found):,} decisions verify; {len(failed):,} do not")
    if failed:
        raise typer.Exit(1)


@officers_app.command("set")
def set_details(username: Annotated[str, typer.Argument(help="The officer's sign-in name.")],
                full_name: Annotated[str, typer.Option("--name", help="Full name, as signed on letters.")],
                job_title: Annotated[str, typer.Option("--title", help="Job title.")],
                authority: Annotated[str, typer.Option("--authority", help="The delegated authority under which "
                                                       "they decide.")]) -> None:
    """Record (or change) an officer's name, job title and delegated authority."""
    with clear_errors():
        from api.platform.store.engine import make_engine
        from api.records.officers import checked_details, set_officer

        details = checked_details({"full_name": full_name, "job_title": job_title, "authority": authority})
        set_officer(make_engine(settings().database_url), username, details, "command line")
        console.print(f"Recorded the officer signed in as {username}")
