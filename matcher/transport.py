"""Annual home-to-school transport cost of a journey, by distance and mode, calibrated to councils' spend.

Each council's spend on SEN transport over the children eligible for it (``matcher.costs``,
``scenarios.transport_calibration``) is the cost of its average journey, of the council's own average km (the
national 14.5 km, 9 miles, where not known), by the average mix of modes. A journey of km costs

    cost = average journey x mode factor x (km / council's average km) ** exponent

with the exponent fitted nationally across councils (spend per child against their journeys' length and density:
fixed costs make a journey twice as long cost less than twice as much). The modes' costs relative to one another,
and the mix, are assumptions stated here (no open data splits them), and a policy may change both:

- ``shared_route``: a seat on a minibus or taxi route shared with other children: 1 part;
- ``single_occupancy``: a taxi or minibus for one child (often with a passenger assistant): 2.5 parts;
- ``personal_budget``: a personal transport budget paid to the family (mileage and a little more): 0.4 parts;
- ``independent_travel_training``: a child trained to travel alone, by bus or train with a pass, the training
  spread over the years it serves: 0.15 parts;
- mix: 75% shared, 20% single occupancy, 5% personal budgets, no independent travel, which gives 1.27 parts on
  average (the mix s251 spend is taken to pay for).

So a shared seat costs the council's average over 1.27, and so on. Costs scale with distance. A child with an
EHC plan in a specialist setting is eligible whatever the distance where its needs mean it cannot be expected to
walk (the statutory guidance's special educational needs, disability or mobility category), which the spend per
eligible child assumes of every child; a policy with ``free_within_walking_distance`` prices a journey within the
statutory walking distance (2 miles under 8, 3 miles from 8) at nothing instead. A child with no mode given costs
the policy's mix of modes.
"""

from typing import TYPE_CHECKING

import numpy as np

from core.vocabulary import TRANSPORT_MODES, TransportMode
from matcher.costs import NATIONAL, CostModel

if TYPE_CHECKING:
    from matcher.pair_arrays import Children

WALKING_DISTANCE_KM = {"under_8": 3.22, "from_8": 4.83}
MODE_PARTS: dict[str, float] = {"shared_route": 1.0, "single_occupancy": 2.5, "personal_budget": 0.4,
                                "independent_travel_training": 0.15}
MODE_MIX: dict[str, float] = {"shared_route": 0.75, "single_occupancy": 0.20, "personal_budget": 0.05,
                              "independent_travel_training": 0.0}
assert set(MODE_PARTS) == set(MODE_MIX) == set(TRANSPORT_MODES), "every mode has its parts and share"
AVERAGE_PARTS = sum(MODE_PARTS[mode] * share for mode, share in MODE_MIX.items())


def mode_factor(mode: TransportMode | None) -> float:
    """A mode's cost relative to the average mix (1 where no mode is given)."""
    return 1.0 if mode is None else MODE_PARTS[mode] / AVERAGE_PARTS


def mode_weights(modes: "list[TransportMode | None]", mix: dict[str, float]) -> np.ndarray:
    """Children x modes (``TRANSPORT_MODES``' order): 1 at a child's own mode, else the policy's mix."""
    weights = np.tile(np.array([mix.get(mode, 0.0) for mode in TRANSPORT_MODES], dtype=float), (len(modes), 1))
    for row, mode in enumerate(modes):
        if mode is not None:
            weights[row] = 0.0
            weights[row, TRANSPORT_MODES.index(mode)] = 1.0
    return weights


def costs_by_mode(model: CostModel, councils: np.ndarray, parts: dict[str, float]) -> np.ndarray:
    """Councils x modes: the annual cost of each council's average journey by each mode: a transport-cost file's
    figure where it gives one (the council's row, else its national row), else the council's average journey (the
    s251 mix's) times the mode's parts over the mix's."""
    modelled = model.transport_for(councils)[:, None] * np.array(
        [parts.get(mode, MODE_PARTS[mode]) for mode in TRANSPORT_MODES])[None, :] / AVERAGE_PARTS
    given = model.mode_costs
    if given is None or given.empty:
        return modelled
    national = given.reindex([NATIONAL]).reindex(columns=list(TRANSPORT_MODES)).to_numpy(dtype=float)
    own = given.reindex(np.asarray(councils, dtype=object)).reindex(columns=list(TRANSPORT_MODES)).to_numpy(
        dtype=float)
    return np.where(np.isfinite(own), own, np.where(np.isfinite(national), national, modelled))


def walking_km(age: int) -> float:
    """The statutory walking distance for a child of this age (2 miles under 8, 3 miles from 8)."""
    return WALKING_DISTANCE_KM["under_8" if age < 8 else "from_8"]


def journey_costs(model: CostModel, council: str, distance_km: np.ndarray, age: int = 10) -> np.ndarray:
    """The annual transport cost of journeys of these lengths for a child of one council and age (the average mix
    of modes; the national figures for ``national``), as planning prices a place."""
    councils = np.array([council])
    per_journey = float(model.transport_for(councils)[0])
    scale = (np.asarray(distance_km, dtype=float) / model.journey_km_for(councils)[0]) ** model.transport_exponent
    return np.where(distance_km > walking_km(age), per_journey * scale, 0.0)


def transport_costs(model: CostModel, children: "Children", child: np.ndarray, distance_km: np.ndarray) -> np.ndarray:
    """The annual transport cost of each journey: the council's average journey by the child's mode (or the
    policy's mix of modes), scaled by distance; nothing within the child's free distance (the statutory walking
    distance where the policy says so, else none)."""
    if len(children) == 1:  # one child (a shortlist): its council as it is
        councils, at = children.council.astype(str), np.zeros(1, dtype=np.int64)
    else:
        councils, at = np.unique(children.council.astype(str), return_inverse=True)
    by_mode = costs_by_mode(model, councils, children.mode_parts)[at.ravel()]  # children x modes
    per_journey = (by_mode * children.mode_weights).sum(axis=1)
    average_km = model.journey_km_for(children.council)
    free_km = children.walking_km
    if len(children) == 1:  # one child's figures as they are, not copied pair by pair: the same arithmetic
        per_journey, average_km, free_km = per_journey[0], average_km[0], free_km[0]
    else:
        per_journey, average_km, free_km = per_journey[child], average_km[child], free_km[child]
    with np.errstate(invalid="ignore"):
        scale = (np.asarray(distance_km, dtype=float) / average_km) ** model.transport_exponent
    return np.where(distance_km > free_km, per_journey * scale, 0.0)
