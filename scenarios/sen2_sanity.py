"""Sanity checks of the SEN2 figures a run draws on, council by council, said in the run's warnings.

- **A change of more than 30% in a year** (``YEARLY_CHANGE``) in a council's EHC plans (January to January) is
  rarely real growth: a return short of records (Newham's halved in January 2025) or a boundary change.
- **Placement counts that disagree with the council's own total**: its plans by type of placement (mainstream,
  special, AP/PRU, FE, educated elsewhere, early years, not recorded) summed against its plans in all, and its
  specialist placements by age summed against the same by type over all ages, by more than 2% (``AGREEMENT``).

Neither is corrected: SEN2 as published is the only count there is, so the run draws from it as it stands and says
so, naming the council and the figures, for the council to check its return.
"""

from pathlib import Path

import pandas as pd

from geodata.sen2 import (
    CASELOAD_FILE,
    SEN2_DIR,
    load_placement_totals,
    load_plan_series,
    load_specialist_by_age,
    load_specialist_totals,
)
from geodata.table_cache import Tables
from scenarios.published_inputs import kept_tables

YEARLY_CHANGE = 0.30
AGREEMENT = 0.02
DONE = "the run draws from SEN2 as published; check the council's return"


def check_sen2_figures(data_dir: Path, councils: tuple[str, ...], cache_dir: Path | None = None) -> list[str]:
    """One warning per council and problem found (see the module), naming the council and the figures (the SEN2
    tables the checks read kept in the cache folder, where one is given)."""
    if not (Path(data_dir) / SEN2_DIR / CASELOAD_FILE).is_file():
        return []
    tables = kept_tables(data_dir, cache_dir, "sen2-checks", lambda: _check_tables(data_dir))
    series, totals = tables["plan_series"], tables["placement_totals"]
    assert isinstance(series, pd.DataFrame) and isinstance(totals, pd.DataFrame)
    warnings = _yearly_changes(series, councils)
    for council in councils:
        if council not in totals.index:
            continue
        plans, by_type = totals.loc[council, "ehcplans"], totals.loc[council, "by_type"]
        if pd.notna(plans) and pd.notna(by_type) and plans > 0 and abs(by_type - plans) > AGREEMENT * plans:
            warnings.append(f"{council}: SEN2 plans by type of placement sum to {by_type:,.0f} against its "
                            f"{plans:,.0f} plans in all; {DONE}")
    by_age, overall = tables["specialist_by_age"], tables["specialist_totals"]
    for council in councils:
        aged, whole = by_age.get(council), overall.get(council)
        if aged is not None and whole is not None and whole > 0 and abs(aged - whole) > AGREEMENT * whole:
            warnings.append(f"{council}: SEN2 specialist placements by age sum to {aged:,.0f} against "
                            f"{whole:,.0f} over all ages; {DONE}")
    return warnings


def _check_tables(data_dir: Path) -> Tables:
    return {"plan_series": load_plan_series(data_dir), "placement_totals": load_placement_totals(data_dir),
            "specialist_by_age": load_specialist_by_age(data_dir).groupby("council")["count"].sum(),
            "specialist_totals": load_specialist_totals(data_dir)}


def _yearly_changes(series: pd.DataFrame, councils: tuple[str, ...]) -> list[str]:
    if series.shape[1] < 2:
        return []
    last, before = series.columns[-1], series.columns[-2]
    warnings = []
    for council in councils:
        if council not in series.index:
            continue
        now, then = series.at[council, last], series.at[council, before]
        if pd.notna(now) and pd.notna(then) and then > 0 and abs(now / then - 1) > YEARLY_CHANGE:
            warnings.append(f"{council}: SEN2 plans changed by {now / then - 1:+.0%} in a year ({then:,.0f} in "
                            f"January {before}, {now:,.0f} in January {last}); {DONE}")
    return warnings
