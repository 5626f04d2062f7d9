"""Transparency on the command line: ``atrs`` (the ATRS record), ``dpia`` (a DPIA starter), ``fairness`` (a run's
outcomes by group, large differences flagged)."""

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from api.cli.common import DataOption, clear_errors, console
from core.errors import PlacewiseError

if TYPE_CHECKING:
    from scenarios.transparency.atrs import Deployment

PackagesOption = Annotated[Path | None, typer.Option("--packages", help="The packages and price bands (YAML); "
                                                     "without it, the packages setting or the ILLUSTRATIVE set.")]
Organisation = Annotated[str, typer.Option("--organisation", help="The council's name.")]
Team = Annotated[str, typer.Option("--team", help="The team that runs Placewise.")]
Owner = Annotated[str, typer.Option("--owner", help="The senior responsible owner (a role, or a name).")]
Contact = Annotated[str, typer.Option("--contact", help="The public contact e-mail.")]
Website = Annotated[str, typer.Option("--website", help="Where the council publishes about the tool.")]


def _deployment(data: Path | None, packages: Path | None, organisation: str, team: str, owner: str, contact: str,
                website: str) -> "Deployment":
    from api.cli.common import settings
    from matcher.policy import Policy
    from scenarios.data_version import data_version
    from scenarios.inputs import load_inputs
    from scenarios.packages_config import ILLUSTRATIVE, load_catalogue
    from scenarios.transparency.atrs import Deployment

    config = settings()
    inputs = load_inputs(data or config.data)
    packages_file = packages or config.packages or ILLUSTRATIVE
    configuration = tuple(path for path in (packages_file, config.capability) if path is not None)
    return Deployment(organisation, team, owner, contact, website, data_version(inputs, configuration),
                      len(inputs.providers), Policy(), load_catalogue(packages_file))


def atrs(organisation: Organisation, team: Team = "SEND placements", owner: Owner = "Director of Children's Services",
         contact: Contact = "send@example.gov.uk", website: Website = "https://www.example.gov.uk/send",
         data: DataOption = None, packages: PackagesOption = None,
         out: Annotated[Path, typer.Option("--out", help="Folder for atrs.json and atrs.md.")] = Path("runs/atrs"),
         ) -> None:
    """Write the deployment's ATRS record (Tier 1 and Tier 2) as JSON and Markdown."""
    with clear_errors():
        from scenarios.transparency.atrs import atrs_markdown, atrs_record

        record = atrs_record(_deployment(data, packages, organisation, team, owner, contact, website))
        out.mkdir(parents=True, exist_ok=True)
        (out / "atrs.json").write_text(json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8")
        (out / "atrs.md").write_text(atrs_markdown(record), encoding="utf-8")
        console.print(f"Wrote {out / 'atrs.json'}, {out / 'atrs.md'}")


def dpia(organisation: Organisation, owner: Owner = "Director of Children's Services", data: DataOption = None,
         packages: PackagesOption = None,
         out: Annotated[Path, typer.Option("--out", help="The DPIA starter (Markdown).")] = Path("runs/dpia.md"),
         ) -> None:
    """Write a data protection impact assessment starter for the deployment."""
    with clear_errors():
        from scenarios.transparency.dpia import dpia_markdown

        deployment = _deployment(data, packages, organisation, "", owner, "", "")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(dpia_markdown(deployment), encoding="utf-8")
        console.print(f"Wrote {out}")


def fairness(run_folder: Annotated[Path, typer.Argument(help="A run folder written by placewise run.")],
             all_rows: Annotated[bool, typer.Option("--all", help="Every group, not only the flagged.")] = False,
             ) -> None:
    """Print a run's outcomes by council, need, sex and age group, with large differences flagged."""
    with clear_errors():
        import pandas as pd
        from rich.table import Table

        path = run_folder / "fairness.csv"
        if not path.is_file():
            raise PlacewiseError(f"{run_folder}: no fairness.csv; give a folder written by placewise run")
        table = pd.read_csv(path, keep_default_na=False, na_values=[""])
        flagged = table[table["flags"].fillna("") != ""]
        shown = table if all_rows else pd.concat([table[table["dimension"] == "all"], flagged])
        grid = Table(title=f"Fairness: {len(flagged)} of {len(table) - 1} groups flagged")
        grid.add_column("by", no_wrap=True)
        grid.add_column("group", no_wrap=True)
        for column in ("children", "placed", "minutes", "whole cost", "out of area", "flags"):
            grid.add_column(column, overflow="fold")
        for row in shown.itertuples():
            grid.add_row(row.dimension, str(row.group), f"{row.children:,}", f"{row.placed_share:.1%}",
                         f"{row.travel_minutes_mean:.1f}", f"£{row.whole_cost_gbp_mean:,.0f}",
                         f"{row.out_of_area_share:.1%}", str(row.flags) if isinstance(row.flags, str) else "")
        console.print(grid)
