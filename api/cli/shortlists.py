"""``placewise shortlist`` (one child's explained list, as a table or JSON) and ``placewise register``."""

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from api.cli.common import (
    DataOption,
    clear_errors,
    collector_paused,
    console,
    errors,
    read_json,
    set_aside_imports,
    settings,
)
from core.errors import PlacewiseError

if TYPE_CHECKING:
    from matcher.shortlist import Shortlist

ExtractOption = Annotated[Path | None, typer.Option("--gias-extract", help="Your own full GIAS extract "
                                                    "(edubasealldata*.csv, Windows-1252).")]
VacancyOption = Annotated[Path | None, typer.Option("--vacancies", help="CSV: provider_id, need, vacancies.")]
TariffOption = Annotated[Path | None, typer.Option("--tariff", help="CSV: provider_id or kind, [need], "
                                                   "[need_level], annual_cost_gbp.")]
PlacesOption = Annotated[Path | None, typer.Option("--places", help="CSV: provider_id, places (your own capacity "
                                                   "figures, over the register's).")]
DesignationsOption = Annotated[Path | None, typer.Option("--designations", help="CSV: provider_id, needs (SEN2 "
                                                         "codes separated by ;), from your local offer.")]
SettingsOption = Annotated[Path | None, typer.Option("--settings", help="CSV: urn, kind, places, boarding "
                                                     "(yes/no/unknown), needs: the settings your council names as "
                                                     "SEN provision.")]
PostcodesOption = Annotated[Path | None, typer.Option("--postcodes", help="Your ONS Postcode Directory or NSPL "
                                                      "CSV, for a child given by home_postcode.")]


def shortlist(
    child: Annotated[Path, typer.Option("--child", help="One child as JSON, with the architecture's field names.")],
    k: Annotated[int, typer.Option("-k", help="How many settings to list.")] = 10,
    data: DataOption = None, gias_extract: ExtractOption = None, vacancies: VacancyOption = None,
    tariff: TariffOption = None, places: PlacesOption = None, designations: DesignationsOption = None,
    postcodes: PostcodesOption = None, settings_file: SettingsOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    roads: Annotated[Path | None, typer.Option("--roads", help="An OpenStreetMap extract (.osm.pbf): road travel "
                                               "times where it covers the child.")] = None,
    map_file: Annotated[Path | None, typer.Option("--map", help="Also draw the shortlist: a .png or .html file.")
                        ] = None,
) -> None:
    """Print a ranked, explained shortlist of settings for one child."""
    with clear_errors(), collector_paused():
        from matcher.child import parse_child

        profile = parse_child(_read_child_file(child), where=str(child))  # a bad field fails before any loading

        from matcher.shortlist import build_shortlister
        from scenarios.inputs import UserFiles, load_inputs, locate_child, road_travel

        set_aside_imports()
        config = settings()
        files = UserFiles(gias_extract=gias_extract, places=places, vacancies=vacancies,
                          designations=designations, tariff=tariff, postcodes=postcodes or config.postcodes,
                          settings=settings_file)
        inputs = load_inputs(data, files, config.cache)
        located = locate_child(profile, inputs)
        travel = inputs.travel if roads is None else road_travel(roads, inputs.travel, config.cache)
        result = build_shortlister(inputs.providers, travel=travel, costs=inputs.costs).shortlist(located, k)
        if map_file is not None:
            from api.web.assets import leaflet_dir
            from scenarios.reports.maps import LeafletFiles, shortlist_layers, write_map

            assert located.easting is not None and located.northing is not None
            layers = shortlist_layers(result.candidates_frame(), inputs.providers, inputs.data_dir,
                                      located.home_council, (located.easting, located.northing), located.child_id)
            errors.print(f"Wrote {write_map(layers, map_file, LeafletFiles.beside(leaflet_dir()))}")
        if as_json:
            from matcher.precision import round_record

            console.print_json(json.dumps(round_record(result.to_dict())))
        else:
            print_shortlist(result, f"{inputs.source}; {len(inputs.providers):,} providers")


def register(data: DataOption = None, gias_extract: ExtractOption = None, vacancies: VacancyOption = None,
             places: PlacesOption = None, designations: DesignationsOption = None,
             settings_file: SettingsOption = None,
             out: Annotated[Path | None, typer.Option("--out", help="Write the providers table to this CSV.")] = None,
             ) -> None:
    """Load the provider register and report its providers by kind and the rows dropped."""
    with clear_errors():
        from rich.table import Table

        from core.vocabulary import KINDS, SPECIAL_KINDS
        from scenarios.inputs import UserFiles, load_inputs

        inputs = load_inputs(data, UserFiles(gias_extract=gias_extract, places=places, vacancies=vacancies,
                                             designations=designations, settings=settings_file), settings().cache)
        providers = inputs.providers
        table = Table(title=f"Providers from {inputs.source}")
        for column in ("kind", "providers", "places published", "places estimated", "no location"):
            table.add_column(column, justify="right" if column != "kind" else "left")
        for kind in KINDS:
            of_kind = providers[providers["kind"] == kind]
            if len(of_kind):
                table.add_row(kind, f"{len(of_kind):,}", f"{(of_kind['places_source'] == 'published').sum():,}",
                              f"{(of_kind['places_source'] == 'estimated').sum():,}",
                              f"{of_kind['easting'].isna().sum():,}")
        table.add_row("all", f"{len(providers):,}", "", "", f"{providers['easting'].isna().sum():,}")
        console.print(table)
        needs = providers["designated_needs"].explode().value_counts()
        console.print("Designated needs: " + ", ".join(f"{need} {count:,}" for need, count in needs.items()))
        console.print(f"Special schools: {providers['kind'].isin(SPECIAL_KINDS).sum():,}")
        for reason, count in inputs.dropped.items():
            console.print(f"Dropped {count:,} rows: {reason}")
        if out is not None:
            written = providers.assign(designated_needs=providers["designated_needs"].map(";".join))
            written.drop(columns=[c for c in ("need_vacancies",) if c in written]).to_csv(out)
            console.print(f"Wrote {out}")


def _read_child_file(path: Path) -> object:
    if not path.is_file():
        raise PlacewiseError(f"--child: {path} not found")
    return read_json(path, f"--child: {path} is not valid UTF-8 JSON; give one child as a JSON object")


def print_shortlist(result: "Shortlist", source: str) -> None:
    from rich.table import Table

    considered = result.candidate_count + sum(result.exclusion_counts.values())
    table = Table(title=f"Shortlist for {result.child_id}: {result.candidate_count} suitable of {considered} "
                        f"({source})", expand=False)
    table.add_column("#", justify="right")
    table.add_column("setting", ratio=1, overflow="fold")
    for column in ("score", "min", "£ a year"):
        table.add_column(column, justify="right", no_wrap=True)
    for row in result.candidates:
        table.add_row(str(row["rank"]), row["name"], f"{row['total_score']:.2f}", f"{row['travel_minutes']:.0f}",
                      f"{row['annual_cost_gbp']:,.0f}")
    console.print(table)
    for row in result.candidates:
        scores = ", ".join(f"{name.replace('_', ' ')} {value:.2f}" for name, value in row["scores"].items())
        console.print(f"  {row['rank']}. {row['name']}: " + "; ".join(row["reasons"]) + f" (scores: {scores})",
                      highlight=False)
    for row in result.exclusions:
        console.print(f"  not listed: {row['name']}: {row['explanation']}", highlight=False)
    for wish in result.preferences:
        console.print(f"  parents' preference {wish.get('name', wish['provider_id'])}: {wish['message']}",
                      highlight=False)
