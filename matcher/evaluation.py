"""Children evaluated against providers, pair by pair, as arrays: reason codes, travel, vacancies and costs.

One code path serves a shortlist (one child against its need's pool) and a cohort (blocks of children against
the pool providers within reach of each): ``build_children`` lays a block of children out as arrays
(``matcher.pair_arrays.Children``), ``evaluate`` takes (child, provider) pairs and applies the travel model, the hard
rules (``matcher.rules``) and the costs.
"""

from collections.abc import Sequence
from functools import cache
from operator import attrgetter

import numpy as np

from core.vocabulary import Phase
from matcher.child import Child
from matcher.costs import CostModel
from matcher.packages import pair_bands
from matcher.pair_arrays import NO_PROVIDER, Children, Evaluation
from matcher.placement_costs import placement_costs
from matcher.policy import Policy
from matcher.provider_index import NEED_COLUMN, ProviderIndex
from matcher.rules import RuleInputs, first_failures, known_vacancies
from matcher.transport import mode_weights, transport_costs, walking_km
from matcher.travel.protocol import TravelEstimate, TravelModel

_RECORD_FIELDS_NAMED = ("easting", "northing", "age", "sex", "requires_residential", "primary_need", "need_level",
                        "home_council", "transport_mode", "packages", "current_provider_id")
_RECORD_FIELDS = attrgetter(*_RECORD_FIELDS_NAMED)  # what build_children reads of each child's record


def travel_cap_minutes(child: Child, policy: Policy, phase: Phase | None = None) -> float:
    """The child's own cap (``max_travel_minutes``) where given, else the policy's cap for the child's phase
    (``phase``, where the caller has it already)."""
    return child.max_travel_minutes or policy.travel_caps_minutes[phase or child.phase]


def build_children(children: Sequence[Child], policy: Policy) -> Children:
    """Lay a block of located children out as arrays, with the policy's caps, transport mix and walking distance.

    The fields of each child's record are read together (``_RECORD_FIELDS``, a national cohort being some 200,000
    records) and laid out column by column."""
    missing = [child.child_id for child in children if child.easting is None or child.northing is None]
    if missing:
        raise ValueError(f"child {missing[0]}: locate every child before evaluating it")
    records = list(map(_RECORD_FIELDS, children))  # each child's fields read at once, in C
    (easting, northing, age, sex, residential, primary_needs, need_level, council, modes, packages,
     current) = zip(*records, strict=True) if records else ((),) * len(_RECORD_FIELDS_NAMED)
    phases = [child.phase for child in children]
    sex_codes = {"F": 1, "M": 2}
    secondary = np.zeros((len(children), len(NEED_COLUMN)), dtype=bool)
    for row, child in enumerate(children):
        if child.secondary_needs:
            others = [NEED_COLUMN[other] for other in child.secondary_needs if other != child.primary_need]
            secondary[row, others] = True
    ages = np.array(age, dtype=float)
    walking_by_age = _walking_km_by_age(policy.free_within_walking_distance, int(ages.max(initial=0)))
    return Children(
        children=tuple(children),
        easting=np.array(easting, dtype=float),
        northing=np.array(northing, dtype=float),
        age=ages,
        year_age=np.array([child.year_age for child in children], dtype=float),
        post16=np.array([phase == "post16" for phase in phases], dtype=bool),
        other_sex=np.array([sex_codes.get(code or "", -1) for code in sex], dtype=np.int8),
        requires_residential=np.array(residential, dtype=bool),
        need=np.array([NEED_COLUMN[code] for code in primary_needs], dtype=np.int64),
        need_level=np.array([level or 0 for level in need_level], dtype=np.int64),
        secondary=secondary,
        cap_minutes=np.array([travel_cap_minutes(child, policy, phase) for child, phase in zip(children, phases,
                                                                                               strict=True)],
                             dtype=float),
        current=np.array([NO_PROVIDER if provider is None else provider for provider in current], dtype=np.int64),
        council=np.array(council, dtype=object),
        mode_weights=mode_weights(list(modes), policy.transport_mix()),
        mode_parts=policy.transport_parts(),
        walking_km=walking_by_age[ages.astype(np.int64)],
        packages=tuple(map(tuple, packages)),
        primary_needs=primary_needs,
    )


@cache
def _walking_km_by_age(free_within_walking_distance: bool, oldest: int) -> np.ndarray:
    """Each age's free distance, from 0 to ``oldest``: the statutory walking distance where the policy says so,
    else none (one table a policy and oldest age, worked out once; read only)."""
    table = np.array([walking_km(each) if free_within_walking_distance else 0.0 for each in range(oldest + 1)],
                     dtype=float)
    table.flags.writeable = False
    return table


def evaluate(children: Children, index: ProviderIndex, policy: Policy, travel: TravelModel, costs: CostModel,
             child: np.ndarray, provider: np.ndarray, without_journey: np.ndarray | None = None,
             journeys: TravelEstimate | None = None) -> Evaluation:
    """Apply the travel model, the hard rules and the costs to each (child, provider) pair (given each pair's
    first failure among the rules that need no journey, ``without_journey``, only the others are tested;
    ``journeys``: the pairs' journeys where the caller has estimated them already, for children sharing a home)."""
    if journeys is None:
        one = len(children) == 1  # one origin (a shortlist): given once, for the model to broadcast
        journeys = travel.estimate(children.easting if one else children.easting[child],
                                   children.northing if one else children.northing[child], index.easting[provider],
                                   index.northing[provider])
    need = children.need[child]
    vacancies, known = known_vacancies(index, provider, need)
    cap = children.cap_minutes[child]
    reason_code = first_failures(RuleInputs(children, index, policy, child, provider, journeys, cap, need,
                                            vacancies, known), without_journey)
    placement = placement_costs(costs, children, index, child, provider)
    transport = transport_costs(costs, children, child, journeys.km)
    band, price_band = value_bands(costs, children, index, child, provider, transport)
    return Evaluation(
        children=children, index=index, child=child, provider=provider, reason_code=reason_code, travel=journeys,
        cap_minutes=cap, vacancies=vacancies,
        placement_cost_gbp=placement, transport_cost_gbp=transport,
        band_gbp=band, price_band=price_band,
    )


def value_bands(costs: CostModel, children: Children, index: ProviderIndex, child: np.ndarray,
                provider: np.ndarray, transport: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The band whole cost is judged against, pair by pair: where a package is given and the band table prices it,
    the national price band of the child's packages at the provider's kind plus the pair's journey (the band prices
    the place, and value for money weighs the whole cost); else the council's band (a state special place); and
    where the price band was used."""
    council_band = costs.bands_for(children.council)[child]
    if costs.catalogue is None or not costs.catalogue.bands:
        return council_band, np.zeros(len(child), dtype=bool)
    given = np.array([bool(packages) for packages in children.packages], dtype=bool)[child]
    priced = pair_bands(costs.catalogue, list(children.packages), list(children.primary_needs),
                        children.requires_residential, index.kind_code[provider], child, fallback=False)
    used = given & ~np.isnan(priced)
    return np.where(used, priced + transport, council_band), used


def candidate_pairs(children: Children, index: ProviderIndex, policy: Policy, child: np.ndarray,
                    provider: np.ndarray) -> np.ndarray:
    """The pairs (positions) that pass every hard rule that needs no journey: a cohort's candidates can only be
    among them, so journeys are estimated for these alone."""
    need = children.need[child]
    vacancies, known = known_vacancies(index, provider, need)
    nowhere = np.zeros(len(provider))
    journeys = TravelEstimate(nowhere, nowhere, nowhere, nowhere, np.zeros(len(provider), dtype=np.int8))
    codes = first_failures(RuleInputs(children, index, policy, child, provider, journeys,
                                      children.cap_minutes[child], need, vacancies, known))
    return np.flatnonzero(codes == 0)
