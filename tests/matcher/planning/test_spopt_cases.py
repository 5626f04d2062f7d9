"""PySAL spopt's own real-world test cases, reproduced from their numbers (tests/matcher/planning/data, from spopt's
test data, BSD-3-Clause): the capacitated school case with its predefined sites open and filled, and the San
Francisco p-median.

- School case (spopt ``test_c_p_median.py``, ``TestRealWorldLocate``): 10 students, 74 schools with places
  (``Count``), minutes by public transport (10,000 where no journey is given); p = 10 schools, of which the 7 of
  priority 1 are predefined and filled to their capacity (``fulfill_predefined_fac``). spopt's mean time is 87.2
  minutes: 872 minutes in all. With the predefined sites merely open (``always_open``), the total is lower.
- San Francisco (spopt ``test_p_median.py``): 205 census tracts weighted by population, 16 candidate stores,
  network metres, p = 4; spopt's mean distance is 2,982.1268579890657 metres.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.errors import PlacewiseError
from matcher.planning.facility import capacitated_p_median, p_median

DATA = Path(__file__).parent / "data"
UNSERVED = 100_000.0


def school_case():
    minutes = pd.read_csv(DATA / "spopt_school_minutes.csv", index_col="student")
    sites = pd.read_csv(DATA / "spopt_school_sites.csv")
    assert list(minutes.columns) == sites["school"].tolist()
    return (np.ones(len(minutes), dtype=np.int64), minutes.to_numpy(dtype=float), sites["places"].to_numpy(),
            np.flatnonzero(sites["priority"].to_numpy() == 1))


def test_the_school_case_with_its_predefined_sites_filled_reaches_spopts_872():
    supply, cost, places, predefined = school_case()
    plan = capacitated_p_median(supply, cost, places, 10 - len(predefined), UNSERVED, filled=predefined)
    assert plan.objective == pytest.approx(872.0)
    assert np.array_equal(plan.assignment[:, predefined].sum(axis=0), places[predefined])  # each filled
    assert plan.assignment.sum() == len(supply) and len(plan.open_sites) == 10


def test_merely_open_predefined_sites_cost_less_than_filled_ones():
    supply, cost, places, predefined = school_case()
    opened = capacitated_p_median(supply, cost, places, 10 - len(predefined), UNSERVED, always_open=predefined)
    filled = capacitated_p_median(supply, cost, places, 10 - len(predefined), UNSERVED, filled=predefined)
    assert opened.objective < filled.objective
    assert (opened.assignment[:, predefined].sum(axis=0) < places[predefined]).any()


def test_required_sites_with_more_places_than_children_are_refused_with_the_numbers():
    supply, cost, places, _ = school_case()
    with pytest.raises(PlacewiseError, match="the required sites hold 91 places but there are 10 children"):
        capacitated_p_median(supply, cost, places, 0, UNSERVED, filled=np.arange(len(places)))


def test_the_san_francisco_p_median_reaches_spopts_mean_distance():
    table = pd.read_csv(DATA / "spopt_sf_distances.csv", index_col="tract")
    weights = table.pop("population").to_numpy(dtype=float)
    plan = p_median(weights, table.to_numpy(dtype=float), 4)
    assert plan.objective / weights.sum() == pytest.approx(2982.1268579890657, rel=1e-12)
