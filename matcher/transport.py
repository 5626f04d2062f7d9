"""Annual home-to-school transport cost of a journey, by distance and mode, calibrated to councils' spend.

Each council's spend on SEN transport over its plans in special schools and AP (``matcher.costs``) is the cost
of its average journey: 14.5 km (9 miles, the average special-school journey) by the average mix of modes. The
modes' costs relative to one another, and the mix, are assumptions stated here (no open data splits them):

- ``shared_route``: a seat on a minibus or taxi route shared with other children: 1 part;
- ``single_occupancy``: a taxi or minibus for one child (often with a passenger assistant): 2.5 parts;
- ``personal_budget``: a personal transport budget paid to the family (mileage and a little more): 0.4 parts;
- mix: 75% shared, 20% single occupancy, 5% personal budgets, which gives 1.27 parts on average.

So a shared seat costs the council's average over 1.27, and so on. Costs scale with distance; a journey within
the statutory walking distance (2 miles under 8, 3 miles from 8) costs nothing. A child with no mode given
costs the average of the mix.
"""

from typing import TYPE_CHECKING

import numpy as np

from core.vocabulary import TRANSPORT_MODES, TransportMode
from matcher.costs import CostModel

if TYPE_CHECKING:
    from matcher.evaluation import Children

AVERAGE_JOURNEY_KM = 14.5
WALKING_DISTANCE_KM = {"under_8": 3.22, "from_8": 4.83}
MODE_PARTS: dict[str, float] = {"shared_route": 1.0, "single_occupancy": 2.5, "personal_budget": 0.4}
MODE_MIX: dict[str, float] = {"shared_route": 0.75, "single_occupancy": 0.20, "personal_budget": 0.05}
assert set(MODE_PARTS) == set(MODE_MIX) == set(TRANSPORT_MODES), "every mode has its parts and share"
AVERAGE_PARTS = sum(MODE_PARTS[mode] * share for mode, share in MODE_MIX.items())


def mode_factor(mode: TransportMode | None) -> float:
    """A mode's cost relative to the average mix (1 where no mode is given)."""
    return 1.0 if mode is None else MODE_PARTS[mode] / AVERAGE_PARTS


def walking_km(age: int) -> float:
    """The statutory walking distance for a child of this age (2 miles under 8, 3 miles from 8)."""
    return WALKING_DISTANCE_KM["under_8" if age < 8 else "from_8"]


def journey_costs(model: CostModel, council: str, distance_km: np.ndarray, age: int = 10) -> np.ndarray:
    """The annual transport cost of journeys of these lengths for a child of one council and age (the average mix
    of modes; the national figures for ``national``), as planning prices a place."""
    per_journey = float(model.transport_for(np.array([council]))[0])
    return np.where(distance_km > walking_km(age), per_journey * distance_km / AVERAGE_JOURNEY_KM, 0.0)


def transport_costs(model: CostModel, children: "Children", child: np.ndarray, distance_km: np.ndarray) -> np.ndarray:
    """The annual transport cost of each journey: the council's average journey scaled by distance and by the
    child's mode; nothing within the statutory walking distance."""
    per_journey = model.transport_for(children.council)[child] * children.transport_factor[child]
    return np.where(distance_km > children.walking_km[child], per_journey * distance_km / AVERAGE_JOURNEY_KM, 0.0)
