"""``placewise ap run``: an alternative provision scenario, term by term, with returns to mainstream and places freed
(``scenarios.ap_scenario``)."""

from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import clear_errors, console

ap_app = typer.Typer(help="Alternative provision: time-limited places that return children to mainstream.",
                     no_args_is_help=True)


@ap_app.command("run")
def run(scenario: Annotated[Path, typer.Argument(help="The AP scenario file (YAML).")],
        out: Annotated[Path, typer.Option("--out", help="Folder for ap_terms.csv and ap_kpis.json.")],
        data: Annotated[Path | None, typer.Option("--data", help="The open data folder (over the file's).")] = None
        ) -> None:
    """Run an AP scenario: each council's terms and KPIs, and the sub-region's."""
    with clear_errors():
        from rich.table import Table

        from scenarios.ap_scenario import load_ap_scenario, run_ap_scenario, write_ap_run

        loaded, folder = load_ap_scenario(scenario)
        result = run_ap_scenario(loaded, folder, data)
        write_ap_run(result, out)
        table = Table("council", "in AP", "places", "admitted", "back in 1 term", "2 terms", "3 terms",
                      "terms in AP", "places freed", "repeats", "on to specialist", "waiting")
        rows = {**result["councils"], "sub-region": result["sub_region"]}
        for council, kpis in rows.items():
            table.add_row(council, *(f"{kpis[name]:,}" for name in ("in_ap_at_start", "places", "admitted")),
                          *(_share(kpis[f"returned_within_{within}_terms_share"]) for within in (1, 2, 3)),
                          f"{kpis['mean_terms_in_ap'] or 0:.1f}",
                          *(f"{kpis[name]:,}" for name in ("places_freed", "repeat_placements", "on_to_specialist",
                                                           "waiting_at_end")))
        console.print(table)
        console.print(f"Written to {out}")


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"
