"""The register and costs of a published data folder: built from its files, or read from the cache folder.

Building them reads a dozen CSV files and the council boundaries, places providers and small areas in councils and
measures each council's journeys (about 2 s); the cache folder keeps the result (``geodata.table_cache``) under a
hash of the files in ``INPUT_FOLDERS`` and of the engine's code, so any change to either builds it afresh.
"""

from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd

import core
import geodata
import matcher
import scenarios
from geodata.table_cache import Tables, cached_tables
from geodata.travel_cache import files_digest
from matcher.costs import CostModel

#: The data folder's sub-folders the register and the costs are read from (a test checks that no other is read).
INPUT_FOLDERS = ("boundaries", "centroids", "finance", "gias", "lookups", "sen2")
#: The packages whose code builds them.
ENGINE_PACKAGES = (core, geodata, matcher, scenarios)
COST_PERIOD = 202324  # SEN2's January 2024, beside the s251 outturn of 2023-24


@dataclass(frozen=True)
class Published:
    """A data folder's providers, the rows left out of them (reason -> count) and the calibrated costs."""

    providers: pd.DataFrame
    dropped: pd.Series
    costs: CostModel


def load_published(data_dir: Path, gias_extract: Path | None = None, cache_dir: Path | None = None) -> Published:
    """The data folder's providers (from the user's own GIAS extract where one is given) and costs, from the cache
    folder where they are kept there (the published register's only)."""
    if cache_dir is None or gias_extract is not None:
        return build_published(data_dir, gias_extract)
    key = published_key(data_dir, cache_dir)
    return _from_tables(cached_tables(cache_dir, f"inputs-{key}", lambda: _to_tables(build_published(data_dir))))


def published_key(data_dir: Path, cache_dir: Path | None) -> str:
    """A hash of the folder's ``INPUT_FOLDERS`` and of the engine's code: what names every table derived from them
    in the cache folder."""
    return files_digest([*input_files(data_dir), *engine_files()], "published inputs", cache_dir)


def kept_tables(data_dir: Path, cache_dir: Path | None, name: str, build: Callable[[], Tables]) -> Tables:
    """Tables derived from the folder's published files: ``build()``'s, kept in the cache folder where one is given
    (under ``name`` and ``published_key``)."""
    if cache_dir is None:
        return build()
    return cached_tables(cache_dir, f"{name}-{published_key(data_dir, cache_dir)}", build)


def build_published(data_dir: Path, gias_extract: Path | None = None) -> Published:
    """Read and calibrate the register and the costs from the folder's files (and the user's GIAS extract)."""
    from geodata.finance import load_high_needs_spend
    from geodata.register import load_register
    from geodata.sen2 import load_need_counts, load_placements, load_unit_children
    from matcher.costs import calibrate_costs
    from scenarios.transport_calibration import calibrate_transport, council_journeys, setting_mix

    register = load_register(data_dir, gias_extract)
    spend, placements = load_high_needs_spend(data_dir), load_placements(data_dir)
    units = load_unit_children(data_dir, COST_PERIOD)
    journeys = council_journeys(data_dir, register.providers, load_need_counts(data_dir),
                                setting_mix(placements, units))
    costs = calibrate_transport(calibrate_costs(spend, placements), spend, placements, units, journeys)
    return Published(register.providers, register.dropped, costs)


def input_files(data_dir: Path) -> list[Path]:
    """Every file of the folder's ``INPUT_FOLDERS``, in a fixed order."""
    return sorted(path for folder in INPUT_FOLDERS for path in (Path(data_dir) / folder).rglob("*") if path.is_file())


def engine_files() -> list[Path]:
    """The engine's source files, in a fixed order."""
    return sorted(path for package in ENGINE_PACKAGES for path in Path(str(package.__file__)).parent.rglob("*.py"))


def _to_tables(published: Published) -> Tables:
    tables: Tables = {"providers": published.providers, "dropped": published.dropped}
    for field in fields(published.costs):
        value = getattr(published.costs, field.name)
        if isinstance(value, pd.DataFrame | pd.Series):
            tables[f"costs/{field.name}"] = value
        elif isinstance(value, str | float | int | bool):
            tables[f"cost value/{field.name}"] = pd.Series([value])
        elif value is not None:
            raise TypeError(f"costs.{field.name}: not a table or a plain value")
    return tables


def _from_tables(tables: Tables) -> Published:
    costs = {name.removeprefix("costs/"): table for name, table in tables.items() if name.startswith("costs/")}
    values = {name.removeprefix("cost value/"): _plain(table.iloc[0]) for name, table in tables.items()
              if name.startswith("cost value/")}
    return Published(tables["providers"], tables["dropped"], CostModel(**costs, **values))  # type: ignore[arg-type]


def _plain(value: object) -> object:
    """A NumPy scalar as Python's own (a float stays a float, a flag a bool)."""
    return value.item() if hasattr(value, "item") else value
