"""Cohorts from councils' own data: ``cohort import-sen2`` (a SEN2 person-level return as a cohort CSV), and the
``demo`` group (the main job on the embedded demo, and ``demo sen2-return``, synthetic returns to try it with)."""

from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import DataOption, clear_errors, console, settings
from core.errors import PlacewiseError

cohort_app = typer.Typer(help="Cohorts from councils' own data.", no_args_is_help=True)
demo_app = typer.Typer(help="The main job on the embedded demo; with a command, demo data to try other paths.",
                       invoke_without_command=True)


@cohort_app.command("import-sen2")
def import_sen2(
        returns: Annotated[list[Path], typer.Argument(help="SEN2 person-level returns (XML), one a council.")],
        council: Annotated[list[str], typer.Option("--council", help="The ONS code of each return's council, in "
                                                   "the returns' order (E06000001 ...).")],
        out: Annotated[Path, typer.Option("--out", help="The cohort CSV to write.")] = Path("cohort.csv"),
        skip_invalid: Annotated[bool, typer.Option("--skip-invalid", help="Leave out persons that break a rule, "
                                                   "listed in a report, instead of importing nothing.")] = False,
        report: Annotated[Path | None, typer.Option("--report", help="Where the report of persons left out goes "
                                                    "(default: beside the cohort, .skipped.csv).")] = None,
        postcodes: Annotated[Path | None, typer.Option("--postcodes", help="Your ONS Postcode Directory or NSPL "
                                                       "CSV (else the postcodes setting).")] = None,
        data: DataOption = None) -> None:
    """Turn councils' SEN2 returns into a pseudonymised cohort with each child's real placement as the baseline."""
    with clear_errors():
        from geodata.postcodes import load_postcode_directory
        from geodata.sen2_return import read_return_file
        from scenarios.sen2_cohort import checks_register, import_returns, pseudonym_key, write_cohort

        if len(returns) != len(council):
            raise PlacewiseError("--council: give one council for each return, in the same order", field="council")
        config = settings()
        key = pseudonym_key(config.pseudonym_key.get_secret_value() if config.pseudonym_key else None)
        directory = postcodes or config.postcodes
        register = checks_register(data or config.data)
        limit = int(config.max_return_mb * 1e6)
        read = [(read_return_file(path, limit), code) for path, code in zip(returns, council, strict=True)]
        imports = import_returns(read, register, load_postcode_directory(directory) if directory else None, key,
                                 skip_invalid)
        import pandas as pd

        cohort = pd.concat([found.cohort for found in imports], ignore_index=True)
        if cohort.empty:
            raise PlacewiseError("return: no child with an active plan in a specialist place of the register; "
                                 "nothing was written", field="return")
        written = [write_cohort(cohort, out)]
        skipped = pd.concat([found.skipped.assign(council=found.council) for found in imports], ignore_index=True)
        if skip_invalid:
            target = report or out.with_suffix(".skipped.csv")
            skipped[["council", "position", "item", "problem"]].to_csv(target, index=False)
            written.append(target)
        for found in imports:
            _print_summary(found.summary())
        console.print("Wrote " + ", ".join(str(path) for path in written))


@demo_app.callback()
def demo(context: typer.Context,
         out: Annotated[Path, typer.Option("--out", help="Folder for the demo run's files.")] = Path("runs/demo"),
         ) -> None:
    """Run the main job on the embedded demo: allocate its cohort across three councils, then one shortlist."""
    if context.invoked_subcommand is None:
        from api.cli.runs import demo as main_demo

        main_demo(out)


@demo_app.command("sen2-return")
def sen2_return(
        council: Annotated[list[str], typer.Option("--council", help="A council's ONS code (repeat for more).")],
        children: Annotated[int | None, typer.Option("--children", min=1, help="Children for each council "
                                                     "(default: as many as SEN2 counts in specialist places).")] = None,
        seed: Annotated[int, typer.Option("--seed", help="The draw's seed.")] = 2025,
        year: Annotated[int, typer.Option("--year", help="The specification: 2023 or 2024.")] = 2024,
        out: Annotated[Path, typer.Option("--out", help="Folder for the returns and postcodes.csv.")] = Path(
            "runs/sen2-returns"),
        data: DataOption = None) -> None:
    """Write synthetic SEN2 person-level returns (one a council) from the published SEN2 mix, with the postcode
    directory their invented postcodes need."""
    with clear_errors():
        from scenarios.sen2_demo import generate_returns

        folder = data or settings().data
        if folder is None:
            raise PlacewiseError("--data: the returns are drawn from the published SEN2 files; give a folder laid "
                                 "out like ../shared/data", field="data")
        generated = generate_returns(folder, tuple(council), out, seed, year, children)
        console.print(f"{generated.children:,} children in {len(generated.returns)} returns: " +
                      ", ".join(str(path) for path in generated.returns.values()))
        console.print(f"Postcode directory: {generated.postcodes}")


def _print_summary(summary: dict) -> None:
    outside = ", ".join(f"{why} {count:,}" for why, count in summary["out_of_scope"].items()) or "none"
    console.print(f"{summary['council']} ({summary['year']} return): {summary['persons_in_return']:,} persons, "
                  f"{summary['imported']:,} imported, {summary['skipped_invalid']:,} left out as invalid; "
                  f"outside the specialist places: {outside}; {summary['at_phase_transfer']:,} at a phase transfer")
