"""The policy a shortlist or allocation is made under: criteria weights, travel caps and scoring bands.

Defaults, and why:
- Weights: suitability 0.30, travel 0.25, availability 0.15, performance 0.15, value for money 0.15.
  Suitability leads because a setting that cannot meet the need fails the child whatever else it offers;
  travel next because long journeys harm children and cost councils most; the other three share the rest.
- Travel caps: the statutory guidance's 45 minutes each way for primary-age children and 75 for secondary
  (applied also to early years and post-16 respectively); a child's own ``max_travel_minutes`` overrides.
- Value for money: whole cost (placement + transport) against the band, scoring 1 at half the band or less,
  0.5 at the band and 0 at one and a half times the band.
- Allocation: children already placed stay unless ``allow_moves``, or they are at a phase transfer (``ncy`` 0, 7
  or 12) or their setting no longer suits them; a parents' preferred suitable setting is honoured unless its
  whole cost exceeds the best-ranked alternative's by more than ``preference_cost_limit_gbp`` (the
  efficient-use-of-resources test; £5,000 a year by default, about a fifth of a state special place).
"""

from dataclasses import dataclass, field
from typing import Literal

from core.errors import PlacewiseError

CRITERIA: tuple[str, ...] = ("suitability", "availability", "travel", "performance", "value_for_money")

DEFAULT_WEIGHTS = {
    "suitability": 0.30, "availability": 0.15, "travel": 0.25, "performance": 0.15, "value_for_money": 0.15,
}
DEFAULT_CAPS_MINUTES = {"early_years": 45.0, "primary": 45.0, "secondary": 75.0, "post16": 75.0}


@dataclass(frozen=True)
class Policy:
    """Weights of the five criteria and the hard rules of eligibility."""

    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    travel_caps_minutes: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_CAPS_MINUTES))
    #: Take in special schools that publish no designated needs (as candidates with lower suitability);
    #: by default they are excluded as ``designation_not_published`` and shown among the near misses.
    include_unpublished_designations: bool = False
    #: Exclude settings whose last Ofsted grade was inadequate.
    exclude_inadequate: bool = False
    #: How many of the nearest exclusions a shortlist reports.
    nearest_exclusions: int = 5
    #: Allocation: ``weighted`` maximises the weighted total; ``lexicographic`` the criteria in ``priority`` order
    #: one after another (the weighted total breaks the last ties). Placing children always comes first.
    objective: Literal["weighted", "lexicographic"] = "weighted"
    priority: tuple[str, ...] = ()
    #: Annual whole cost (placements + transport) the allocation may commit, in total and by home council.
    budget_gbp: float | None = None
    council_budgets_gbp: dict[str, float] = field(default_factory=dict)
    #: Most of a council's placed children that may be placed outside its own area (0..1).
    max_out_of_area_share: float | None = None
    allow_moves: bool = False
    transition_years: tuple[int, ...] = (0, 7, 12)
    preference_cost_limit_gbp: float = 5_000.0

    def __post_init__(self) -> None:
        unknown = sorted(set(self.weights) - set(CRITERIA))
        if unknown:
            raise PlacewiseError(f"policy.weights: unknown criteria {', '.join(unknown)}; use {', '.join(CRITERIA)}")
        bad = [name for name, value in self.weights.items() if not value >= 0]
        if bad or sum(self.weights.values()) <= 0:
            raise PlacewiseError("policy.weights: weights must be zero or more, and not all zero")
        bad_caps = [phase for phase, cap in self.travel_caps_minutes.items() if not cap > 0]
        if bad_caps or set(self.travel_caps_minutes) != set(DEFAULT_CAPS_MINUTES):
            raise PlacewiseError("policy.travel_caps_minutes: give a positive cap in minutes for each of "
                                 + ", ".join(DEFAULT_CAPS_MINUTES))
        unknown_priority = sorted(set(self.priority) - set(CRITERIA))
        if unknown_priority or (self.objective == "lexicographic" and not self.priority):
            raise PlacewiseError("policy.priority: list one or more of " + ", ".join(CRITERIA)
                                 + " in order, for the lexicographic objective")
        budgets = {"budget_gbp": self.budget_gbp, **{f"council_budgets_gbp.{council}": value
                                                     for council, value in self.council_budgets_gbp.items()}}
        negative = [name for name, value in budgets.items() if value is not None and not value >= 0]
        if negative:
            raise PlacewiseError(f"policy.{negative[0]}: a budget must be zero or more (pounds a year)")
        share = self.max_out_of_area_share
        if share is not None and not 0 <= share <= 1:
            raise PlacewiseError("policy.max_out_of_area_share: give a share from 0 to 1")
        if not self.preference_cost_limit_gbp >= 0:
            raise PlacewiseError("policy.preference_cost_limit_gbp: give zero or more pounds a year")

    def normalised_weights(self) -> dict[str, float]:
        """Return the weights of all five criteria, summing to one (a missing criterion weighs zero)."""
        total = sum(self.weights.values())
        return {name: self.weights.get(name, 0.0) / total for name in CRITERIA}
