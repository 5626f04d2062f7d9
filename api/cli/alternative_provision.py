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


@ap_app.command("offers")
def offers(child: Annotated[Path, typer.Option("--child", help="One child as JSON (the shortlist's fields).")],
           data: Annotated[Path, typer.Option("--data", help="The open data folder (mainstream schools to return "
                                                            "to).")],
           unregistered: Annotated[Path | None, typer.Option("--unregistered", help="The council's unregistered AP "
                                                             "settings (CSV).")] = None,
           gias_extract: Annotated[Path | None, typer.Option("--gias-extract", help="A full GIAS extract, for "
                                                             "registered AP (PRUs, AP academies).")] = None,
           return_school: Annotated[int | None, typer.Option("--return-school", help="The URN of the mainstream "
                                                             "school the plan names for the return.")] = None,
           k: Annotated[int, typer.Option("-k", help="AP settings to list.")] = 5) -> None:
    """A child's AP offers, nearest first, each with its time limit and the school to return to (or return
    options)."""
    with clear_errors():
        import pandas as pd

        from api.cli.shortlists import _read_child_file
        from core.errors import PlacewiseError
        from geodata.alternative_provision import AP_COLUMNS, load_registered_ap, load_unregistered_ap
        from geodata.mainstream import load_state_mainstream
        from matcher.child import parse_child
        from scenarios.ap_placements import APPolicyRules
        from scenarios.ap_shortlist import ap_offers
        from scenarios.inputs import load_inputs, locate_child

        profile = parse_child(_read_child_file(child), where=str(child))
        if unregistered is None and gias_extract is None:
            raise PlacewiseError("--unregistered or --gias-extract: give the AP settings to offer")
        tables = [load_unregistered_ap(unregistered)] if unregistered else []
        tables += [load_registered_ap(gias_extract)] if gias_extract else []
        located = locate_child(profile, load_inputs(data))
        answer = ap_offers(float(located.easting or 0), float(located.northing or 0), profile.age,
                           pd.concat(tables)[AP_COLUMNS], load_state_mainstream(data), APPolicyRules(),
                           return_school, k)
        for number, offer in enumerate(answer["offers"], start=1):
            console.print(f"{number}. {offer['name']}: {offer['sentence']}")
