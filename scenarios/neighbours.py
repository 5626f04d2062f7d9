"""Placewise's own statistical neighbours: the councils most like a chosen one on published measures of its EHC plans
and its spending.

The DfE publishes a statistical neighbour list (ten a council, from its children's services benchmarking tool), but
it is not in the data folder, so the 0-25 dashboard computes its own set and says so wherever it is shown. Each
measure is standardised over every council that has them all (its mean taken away, divided by its standard
deviation), and councils are ranked by their Euclidean distance from the chosen council on those scores, every
measure weighted alike:

    distance(c, d) = sqrt( sum_m ((x[c, m] - x[d, m]) / sd[m])^2 )

A council missing any measure is never a neighbour, and has none.
"""

import numpy as np
import pandas as pd

from core.errors import PlacewiseError

#: The measures, as (column of the measures table, words for the page). Where each comes from is in
#: ``scenarios.dashboard``: SEN2 January 2025 (and 2019 for growth), the s251 outturn 2023-24.
NEIGHBOUR_MEASURES = (
    ("log_plans_2025", "EHC plans, January 2025 (compared as ratios, on a log scale)"),
    ("growth_a_year", "growth in plans a year since January 2019"),
    ("special schools", "share of plans in special schools"),
    ("out_of_area_proxy", "share of plans in independent and non-maintained special schools"),
    ("aged_16_to_25", "share of plans for young people aged 16 to 25"),
    ("high_needs_per_plan", "high-needs spend per plan, 2023-24"),
)
NEIGHBOUR_COUNT = 10


def standardise_measures(measures: pd.DataFrame) -> pd.DataFrame:
    """Each measure as a z-score over the councils (rows) that have every measure; the others are dropped.
    A measure every council shares (no spread) scores 0."""
    complete = measures.dropna()
    spread = complete.std(ddof=0).replace(0.0, np.nan)
    return ((complete - complete.mean()) / spread).fillna(0.0)


def nearest_councils(measures: pd.DataFrame, council: str, count: int = NEIGHBOUR_COUNT) -> pd.DataFrame:
    """The ``count`` councils nearest ``council`` on the standardised measures, nearest first.

    Parameters: ``measures``, one row per council (index: ONS code), one column per measure. Returns the
    neighbours' rows of ``measures`` with ``distance`` (on the standardised scale) and ``rank`` (1 = nearest).
    Raises ``PlacewiseError`` where the council is not in the table or lacks a measure.
    """
    scores = standardise_measures(measures)
    if council not in scores.index:
        missing = [str(name) for name in measures.columns if council not in measures.index
                   or pd.isna(measures.loc[council, name])]
        raise PlacewiseError(f"council: {council} has no statistical neighbours, as it lacks "
                             f"{', '.join(missing) or 'the measures'}; choose another council")
    others = scores.drop(index=council)
    distance = np.sqrt(((others - scores.loc[council]) ** 2).sum(axis=1)).rename("distance")
    nearest = distance.sort_values(kind="stable").head(count)
    table = measures.loc[nearest.index].assign(distance=nearest, rank=range(1, len(nearest) + 1))
    return table.rename_axis("council")
