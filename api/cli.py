"""The ``placewise`` command line: shortlists, the provider register and the demo, as tables or JSON."""

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from geodata.errors import PlacewiseError
from geodata.vocabulary import KINDS, SPECIAL_KINDS
from matcher.child import parse_child
from matcher.shortlist import Shortlist, build_shortlister
from scenarios.inputs import demo_child, load_inputs, locate_child

app = typer.Typer(help="Placewise: explained placement shortlists for children with EHC plans.",
                  no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)
console = Console()
errors = Console(stderr=True)

DataOption = Annotated[Path | None, typer.Option("--data", help="A folder laid out like ../shared/data; "
                                                 "without it, the embedded demo.")]
ExtractOption = Annotated[Path | None, typer.Option("--gias-extract", help="Your own full GIAS extract "
                                                    "(edubasealldata*.csv, Windows-1252).")]
VacancyOption = Annotated[Path | None, typer.Option("--vacancies", help="CSV: provider_id, need, vacancies.")]
TariffOption = Annotated[Path | None, typer.Option("--tariff", help="CSV: provider_id or kind, [need], "
                                                   "[need_level], annual_cost_gbp.")]
DEMO_CHILDREN = ("DEMO-0004", "DEMO-0002", "DEMO-0101")


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress to stderr.")] = False) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(message)s")


@app.command()
def shortlist(
    child: Annotated[Path, typer.Option("--child", help="One child as JSON, with the architecture's field names.")],
    k: Annotated[int, typer.Option("-k", help="How many settings to list.")] = 10,
    data: DataOption = None, gias_extract: ExtractOption = None, vacancies: VacancyOption = None,
    tariff: TariffOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Print a ranked, explained shortlist of settings for one child."""
    with _clear_errors():
        record = _read_child_file(child)
        inputs = load_inputs(data, gias_extract, vacancies, tariff)
        located = locate_child(parse_child(record, where=str(child)), inputs)
        result = build_shortlister(inputs.providers, costs=inputs.costs).shortlist(located, k)
        if as_json:
            console.print_json(json.dumps(result.to_dict()))
        else:
            _print_shortlist(result, f"{inputs.source}; {len(inputs.providers):,} providers")


@app.command()
def register(data: DataOption = None, gias_extract: ExtractOption = None, vacancies: VacancyOption = None,
             out: Annotated[Path | None, typer.Option("--out", help="Write the providers table to this CSV.")] = None,
             ) -> None:
    """Load the provider register and report its providers by kind and the rows dropped."""
    with _clear_errors():
        inputs = load_inputs(data, gias_extract, vacancies)
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


@app.command()
def demo(k: Annotated[int, typer.Option("-k", help="How many settings to list per child.")] = 5) -> None:
    """Run the main job on the embedded demo: explained shortlists for a few demo children."""
    with _clear_errors():
        inputs = load_inputs()
        shortlister = build_shortlister(inputs.providers, costs=inputs.costs)
        children = inputs.demo_children if inputs.demo_children is not None else ()
        console.print(f"[bold]Placewise demo[/bold]: {len(inputs.providers)} providers and "
                      f"{len(children)} children in three synthetic councils")
        for child_id in DEMO_CHILDREN:
            child = demo_child(inputs, child_id)
            console.rule(f"{child_id}: age {child.age}, {child.primary_need}, need level {child.need_level}")
            _print_shortlist(shortlister.shortlist(child, k), inputs.source)


def _read_child_file(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PlacewiseError(f"--child: {path} not found") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise PlacewiseError(f"--child: {path} is not valid UTF-8 JSON (line {getattr(error, 'lineno', '?')}); "
                             "give one child as a JSON object") from None


def _print_shortlist(result: Shortlist, source: str) -> None:
    considered = result.candidate_count + sum(result.exclusion_counts.values())
    table = Table(title=f"Shortlist for {result.child_id}: {result.candidate_count} suitable of {considered} "
                        f"({source})")
    for column in ("#", "setting", "total", "suit", "avail", "travel", "perf", "value", "min", "£ a year"):
        table.add_column(column, justify="left" if column == "setting" else "right")
    for row in result.candidates.itertuples(index=False):
        table.add_row(str(row.rank), f"{row.name} ({row.provider_id})", f"{row.total_score:.2f}",
                      f"{row.suitability:.2f}", f"{row.availability:.2f}", f"{row.travel:.2f}",
                      f"{row.performance:.2f}", f"{row.value_for_money:.2f}", f"{row.travel_minutes:.0f}",
                      f"{row.annual_cost_gbp:,.0f}")
    console.print(table)
    for row in result.candidates.itertuples(index=False):
        console.print(f"  {row.rank}. {row.name}: " + "; ".join(row.reasons), highlight=False)
    for row in result.exclusions.itertuples(index=False):
        console.print(f"  not listed: {row.name} ({row.provider_id}): {row.explanation}", highlight=False)
    for wish in result.preferences:
        console.print(f"  parents' preference {wish['provider_id']}: {wish['message']}", highlight=False)


@contextmanager
def _clear_errors() -> Iterator[None]:
    """Turn bad input into one clear line on stderr and exit code 2, never a traceback."""
    try:
        yield
    except (PlacewiseError, OSError) as error:
        errors.print(f"[red]error:[/red] {escape(str(error))}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
