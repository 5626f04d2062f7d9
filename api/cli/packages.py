"""``placewise packages``: the catalogue of Specialist Provision Packages and bands, and one child's package list."""

import json
from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import DataOption, clear_errors, console, read_json
from api.cli.transparency import PackagesOption
from core.errors import PlacewiseError

packages_app = typer.Typer(help="Specialist Provision Packages: the catalogue and a child's package list.",
                           no_args_is_help=True)
CapabilityOption = Annotated[Path | None, typer.Option("--capability", help="A council's capability CSV: "
                                                       "provider_id, package, places.")]


@packages_app.command("list")
def list_packages(packages: PackagesOption = None) -> None:
    """Print the packages and price bands of a packages file (the ILLUSTRATIVE set without one)."""
    with clear_errors():
        from scenarios.packages_config import load_catalogue

        catalogue = load_catalogue(packages)
        if catalogue.illustrative:
            console.print("[bold red]ILLUSTRATIVE[/bold red]: not the Department for Education's packages or bands")
        for package in catalogue.packages:
            console.print(f"{package.id}: {package.name} ({package.setting}; needs {', '.join(package.needs)}; "
                          f"levels {', '.join(map(str, package.levels))}; band {package.band})", highlight=False)
        for band in catalogue.bands:
            console.print(f"  band {band.band} at {band.kind} ({band.attendance}): £{band.annual_cost_gbp:,.0f} a "
                          "year", highlight=False)


@packages_app.command("child")
def child_list(child: Annotated[Path, typer.Option("--child", help="One child as JSON, with its packages.")],
               data: DataOption = None, packages: PackagesOption = None, capability: CapabilityOption = None,
               k: Annotated[int, typer.Option("-k", help="Settings the shortlist beside the list ranks.")] = 10,
               as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Print one child's package list: every setting within reach that can deliver its packages, with reasons."""
    with clear_errors():
        from matcher.child import parse_child

        if not child.is_file():
            raise PlacewiseError(f"--child: {child} not found")
        profile = parse_child(read_json(child, f"--child: {child} is not valid UTF-8 JSON"), where=str(child))

        from matcher.package_list import package_list
        from matcher.shortlist import build_shortlister
        from scenarios.inputs import load_inputs, locate_child
        from scenarios.packages_config import package_setup

        inputs = load_inputs(data)
        setup = package_setup(inputs.providers, packages, capability)
        shortlister = build_shortlister(inputs.providers, travel=inputs.travel,
                                        costs=inputs.costs.with_catalogue(setup.catalogue))
        answer = package_list(shortlister, locate_child(profile, inputs), setup.catalogue, setup.capability, k)
        if as_json:
            from matcher.precision import round_record

            console.print_json(json.dumps(round_record(answer)))
            return
        console.print(f"Package list for {answer['child_id']} ({answer['order']}):", highlight=False)
        for entry in answer["settings"]:
            console.print(f"  {entry['name']} ({entry['provider_id']}): {entry['reason']} {entry['value_for_money']}.",
                          highlight=False)
        for row in answer["not_listed"]:
            console.print(f"  not listed: {row['name']} ({row['provider_id']}): {row['reason']}", highlight=False)
        for wish in answer["preferences"]:
            console.print(f"  parents' preference {wish['provider_id']}: {wish['message']}", highlight=False)
        for warning in answer["warnings"]:
            console.print(f"  [yellow]warning[/yellow]: {warning}", highlight=False)
