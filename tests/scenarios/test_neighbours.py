"""Placewise's own statistical neighbours on hand-made measures: standardised, ranked by distance, the council itself
and councils missing a measure left out, and a council without its measures refused by name."""

import numpy as np
import pandas as pd
import pytest

from core.errors import PlacewiseError
from scenarios.neighbours import nearest_councils, standardise_measures


def measures() -> pd.DataFrame:
    return pd.DataFrame({"special": [0.30, 0.32, 0.50, 0.29, 0.40],
                         "spend": [10_000.0, 30_000.0, 10_000.0, 10_500.0, np.nan]},
                        index=["A", "B", "C", "D", "E"])


def test_measures_are_scored_over_the_councils_with_all_of_them():
    scores = standardise_measures(measures())
    assert list(scores.index) == ["A", "B", "C", "D"]  # E lacks spend
    assert scores.mean().abs().max() == pytest.approx(0.0, abs=1e-12)
    assert scores.std(ddof=0).to_numpy() == pytest.approx([1.0, 1.0])


def test_a_measure_every_council_shares_scores_zero():
    same = measures().assign(spend=5.0)
    assert (standardise_measures(same)["spend"] == 0.0).all()


def test_the_nearest_councils_come_first_with_their_distance_by_hand():
    table = measures()
    scores = standardise_measures(table)
    nearest = nearest_councils(table, "A", count=2)
    assert list(nearest.index) == ["D", "C"]  # B is far on spend; E has no spend
    expected = np.sqrt(((scores.loc["D"] - scores.loc["A"]) ** 2).sum())
    assert nearest.loc["D", "distance"] == pytest.approx(expected)
    assert list(nearest["rank"]) == [1, 2]
    assert nearest.loc["D", "spend"] == 10_500.0  # the measures as given, not their scores


def test_a_council_lacking_a_measure_is_refused_by_name():
    with pytest.raises(PlacewiseError, match="E has no statistical neighbours, as it lacks spend"):
        nearest_councils(measures(), "E")
    with pytest.raises(PlacewiseError, match="Z has no statistical neighbours"):
        nearest_councils(measures(), "Z")
