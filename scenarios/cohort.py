"""The cohort of a scenario: a CSV of children, or a synthetic cohort drawn from the councils' SEN2 counts.

Synthetic (real data): for each council, the children in specialist placements (special schools of every
kind, resourced provision and units) in January 2025 by age and type of placement, exactly as SEN2 counts them
(times ``share``). Each child keeps the type of placement it was drawn from (``drawn_as``), and:
- its primary need is drawn from SEN2's plans by primary need in that type of placement (the "Type of placement"
  breakdown of ``sen_needs_all_plans.csv``), the council's where published, else its region's (with a warning);
- its year group (``ncy``) is the one of its age (age less 4: Reception at 4, Year 12 at 16);
- it needs a residential place in the proportion SEN2's ``residential_settings.csv`` counts in residential
  settings for that council and type of placement (else its region's), as whole children drawn at random;
- its home is the centroid of one of the council's MSOAs drawn at random (MSOAs hold about equal populations);
- its need level is drawn from the cohort's ``need_levels`` by type of placement (by default 3-4 in special
  schools, 1-2 in resourced provision and units: an assumption, since SEN2 publishes none; see
  ``scenarios.schema.NeedLevels``).
Ids are pseudonymous (council code and a number).
"""

import csv
import io
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import TypeAdapter

from core.errors import PlacewiseError
from core.vocabulary import NCY_AGE_OFFSET, SPECIAL_KINDS
from geodata.areas import load_council_msoas
from geodata.table_cache import Tables
from geodata.travel_cache import digest
from matcher.child import Child, parse_child
from scenarios.published_inputs import kept_tables
from scenarios.schema import CohortSpec
from scenarios.sen2_fill import Sen2Counts

MAX_ERRORS_SHOWN = 10
LIST_FIELDS = ("secondary_needs", "preferences", "packages")


def synthetic_cohort(data_dir: Path, councils: tuple[str, ...], spec: CohortSpec,
                     warnings: list[str] | None = None, cache_dir: Path | None = None) -> pd.DataFrame:
    """Draw a cohort matching the councils' SEN2 specialist placements by age and type (see the module).

    Where SEN2 suppresses a council's cells, they are filled from its region (``sen2_fill``) and ``warnings``
    hears which council and how; a council with no children at all is left out, and said so. ``cache_dir`` keeps
    the SEN2 counts, and the cohort drawn with its warnings, for the next run (under a hash of the data folder, the
    engine's code, the councils and the spec: the same draw, read back exactly).
    """
    said = warnings if warnings is not None else []
    drawn = kept_tables(data_dir, cache_dir, f"cohort-{_draw_key(councils, spec)}",
                        lambda: _drawn_tables(data_dir, councils, spec, cache_dir))
    said.extend(warning for warning in drawn["warnings"].tolist() if warning not in said)
    return drawn["cohort"]


def _draw_key(councils: tuple[str, ...], spec: CohortSpec) -> str:
    """A hash of what a synthetic cohort is drawn from besides the data folder and the engine's code (which
    ``kept_tables`` hashes): the councils in order, and the spec's seed, share, ages and need levels."""
    drawn_by = spec.model_dump_json(include={"seed", "share", "ages", "need_levels"})
    return digest(drawn_by.encode(), *(council.encode() for council in councils))


def _drawn_tables(data_dir: Path, councils: tuple[str, ...], spec: CohortSpec, cache_dir: Path | None) -> Tables:
    """The cohort drawn afresh, and the warnings the draw said (each fill of a council's suppressed cells)."""
    warnings: list[str] = []
    cohort = _draw_cohort(data_dir, councils, spec, warnings, cache_dir)
    return {"cohort": cohort, "warnings": pd.Series(warnings, dtype=object, name="warning")}


def _draw_cohort(data_dir: Path, councils: tuple[str, ...], spec: CohortSpec, said: list[str],
                 cache_dir: Path | None) -> pd.DataFrame:
    rng = np.random.default_rng(spec.seed)
    sen2 = Sen2Counts.load(data_dir, cache_dir)
    msoas = kept_tables(data_dir, cache_dir, "council-msoas", lambda: {"msoas": load_council_msoas(data_dir, cache_dir)}
                        )["msoas"]
    frames = []
    for council in councils:
        rows = sen2.placements_of(council, said)
        rows = rows[rows["age"].between(*spec.ages)]
        homes = msoas[msoas["council"] == council]
        if rows.empty or rows["count"].sum() * spec.share < 0.5:
            said.append(f"{council}: no children in specialist placements in SEN2 at these ages; left out")
            continue
        if homes.empty:
            raise PlacewiseError(f"councils: {council} has no MSOA centroids in the data to place homes at")
        counts = _shared_counts(rows["count"].to_numpy(dtype=float), spec.share)
        ages = np.repeat(rows["age"].to_numpy(), counts)
        kinds = np.repeat(rows["placement_type"].to_numpy(), counts)
        drawn_needs = np.empty(len(ages), dtype=object)
        residential = np.zeros(len(ages), dtype=bool)
        for kind in np.unique(kinds):
            mix = sen2.placement_need_mix(council, str(kind), said)
            at = np.flatnonzero(kinds == kind)
            drawn_needs[at] = rng.choice(mix.index.to_numpy(), size=len(at), p=(mix / mix.sum()).to_numpy())
            boarders = int(round(sen2.residential_share(council, str(kind)) * len(at)))
            residential[rng.choice(at, size=min(boarders, len(at)), replace=False)] = True
        home = rng.integers(0, len(homes), len(ages))
        special = np.isin(kinds, list(SPECIAL_KINDS))
        low, high = spec.need_levels.special
        levels = np.where(special, rng.integers(low, high + 1, len(ages)),
                          rng.integers(spec.need_levels.unit[0], spec.need_levels.unit[1] + 1, len(ages)))
        frames.append(pd.DataFrame({
            "child_id": [f"{council}-{number:05d}" for number in range(1, len(ages) + 1)],
            "home_council": council, "easting": homes["easting"].to_numpy()[home].round(-1),
            "northing": homes["northing"].to_numpy()[home].round(-1), "age": ages,
            "ncy": np.clip(ages - NCY_AGE_OFFSET, -2, 14), "primary_need": drawn_needs, "need_level": levels,
            "sex": rng.choice(["M", "M", "F"], len(ages)), "requires_residential": residential,
            "placement_type": kinds, "drawn_as": kinds,
        }))
    if not frames:
        raise PlacewiseError("councils: none of these councils has children in specialist placements in SEN2")
    return pd.concat(frames, ignore_index=True).set_index("child_id")


def _shared_counts(counts: np.ndarray, share: float) -> np.ndarray:
    """A share of each cell's count, in whole children, keeping the council's total (largest remainders first),
    so that a small share still draws every council's children in proportion."""
    wanted = counts * share
    whole = np.floor(wanted).astype(int)
    extra = int(round(wanted.sum())) - int(whole.sum())
    if extra > 0:
        whole[np.argsort(-(wanted - whole), kind="stable")[:extra]] += 1
    return whole


def children_from_frame(frame: pd.DataFrame) -> list[Child]:
    """Turn a cohort table (index child_id) into validated children (the table's own rows are trusted): each row's
    given fields, in the table's order, as Python's own values (as ``to_dict("records")`` gives them), read column
    by column rather than record by record, and validated as one list (pydantic's own loop, not one call a child)."""
    table = frame.reset_index()
    names = [name for name in table.columns if name in Child.model_fields]
    columns = [_python_values(table[name]) for name in names]
    given = [_given_cells(table[name], values) for name, values in zip(names, columns, strict=True)]
    if all(all(shown) for shown in given):  # every cell given (a synthetic cohort): each row's fields as they are
        records = [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]
    else:
        records = [{name: value for name, value, shown in zip(names, row, shown_row, strict=True) if shown}
                   for row, shown_row in zip(zip(*columns, strict=True), zip(*given, strict=True), strict=True)]
    return _children_adapter().validate_python(records)


@cache
def _children_adapter() -> TypeAdapter[list[Child]]:
    return TypeAdapter(list[Child])


def _python_values(column: pd.Series) -> list:
    """A column's values as Python's own (numbers and booleans unboxed from numpy's scalars; text as it is, a
    missing cell as the column's own marker)."""
    if isinstance(column.dtype, np.dtype) and column.dtype != object or isinstance(column.dtype, pd.StringDtype):
        return column.tolist()
    return [value.item() if isinstance(value, (np.number, np.bool_)) else value for value in column]


def _given_cells(column: pd.Series, values: list) -> list[bool]:
    """Whether each value is given (``_given``), at once for a column of numbers."""
    if column.dtype.kind in "biu":
        return [True] * len(values)
    if column.dtype.kind == "f":
        return (~np.isnan(column.to_numpy())).tolist()
    return [_given(value) for value in values]


def read_cohort_csv(path: Path) -> list[dict]:
    """Read and validate a cohort CSV file (see ``parse_cohort_csv``)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise PlacewiseError(f"cohort.csv: {path} not found") from None
    except UnicodeDecodeError:
        raise PlacewiseError(f"cohort.csv: {path} is not UTF-8 text; save it as CSV UTF-8") from None
    return parse_cohort_csv(text, f"cohort.csv {path}")


def parse_cohort_csv(text: str, where: str) -> list[dict]:
    """Validate children given as CSV text; every error names its row and field, never the values.

    Lists (``secondary_needs``, ``preferences``) are separated by semicolons. All or nothing: one bad row (a
    wrong field, a repeated id, more or fewer cells than the header) and the whole file is refused, with up to
    ten problems listed.
    """
    try:
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    except csv.Error as error:
        raise PlacewiseError(f"{where}: not a readable CSV file ({error})") from None
    if len(rows) < 2:
        raise PlacewiseError(f"{where}: has no children; give a header row and one row a child")
    header = [name.strip() for name in rows[0]]
    problems: list[str] = []
    records: list[dict] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            problems.append(f"row {number}: has {len(cells)} cells where the header has {len(header)}")
            continue
        record = {key: _cell(key, value) for key, value in zip(header, cells, strict=True) if key and _given(value)}
        try:
            child = parse_child(record, where=f"row {number}")
        except PlacewiseError as error:
            problems.append(str(error))
            continue
        if child.child_id in seen:
            problems.append(f"row {number}: child_id: repeats the id of row {seen[child.child_id]}; ids must be "
                            "unique")
        seen.setdefault(child.child_id, number)
        records.append(record)
    if problems:
        shown = "; ".join(problems[:MAX_ERRORS_SHOWN])
        more = f" (and {len(problems) - MAX_ERRORS_SHOWN} more)" if len(problems) > MAX_ERRORS_SHOWN else ""
        raise PlacewiseError(f"{where}: {shown}{more}; nothing was loaded")
    if not records:
        raise PlacewiseError(f"{where}: has no children; give a header row and one row a child")
    return records


def _cell(key: str, value: str) -> object:
    value = value.strip()
    if key in LIST_FIELDS:
        return [item.strip() for item in value.split(";") if item.strip()]
    return value


def _given(value: object) -> bool:
    if isinstance(value, str):
        return value.strip() != ""
    return value is not None and not (isinstance(value, float) and np.isnan(value))


def grow_demand(frame: pd.DataFrame, growth: dict[str, float], seed: int, label: str) -> pd.DataFrame:
    """Grow (or shrink) the cohort by need: new children resampled from those of the same need, with new ids
    (``label`` tells one growth from another), no current setting and no preferences."""
    rng = np.random.default_rng(seed)
    parts = [frame]
    for need, rate in growth.items():
        of_need = frame.index[frame["primary_need"] == need]
        change = int(round(rate * len(of_need)))
        if change > 0 and len(of_need):
            drawn = frame.loc[rng.choice(of_need, change)].copy()
            drawn.index = pd.Index([f"{child_id}-{label}{need}{number}" for number, child_id in
                                    enumerate(drawn.index, 1)], name=frame.index.name)
            for column in ("current_provider_id", "preferences"):
                if column in drawn:
                    drawn[column] = [None if column == "current_provider_id" else () for _ in range(len(drawn))]
            parts.append(drawn)
        elif change < 0:
            parts[0] = parts[0].drop(rng.choice(of_need, min(-change, len(of_need)), replace=False))
    return pd.concat(parts)


