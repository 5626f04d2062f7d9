"""The policy a shortlist or allocation is made under: one model for the engine and the scenario file's ``policy:``.

Defaults, and why:
- Weights: those of ``matcher.criteria`` (suitability 0.30, travel 0.25, availability, performance and value for
  money 0.15 each). An empty mapping means the defaults; criteria left out of a given mapping weigh zero.
- Travel caps: the statutory guidance's 45 minutes each way for primary-age children and 75 for secondary
  (applied also to early years and post-16 respectively); a child's own ``max_travel_minutes`` overrides. Phases
  left out keep their default.
- Value for money: whole cost (placement + transport) against the band, scoring 1 at half the band or less,
  0.5 at the band and 0 at one and a half times the band.
- Allocation: children already placed stay unless ``allow_moves``, or they are at a phase transfer (``ncy`` in
  ``transition_years``: 0, 7 or 12) or their setting no longer suits them; a parents' preferred suitable setting
  is honoured unless its whole cost exceeds the best-ranked alternative's by more than
  ``preference_cost_limit_gbp`` (the efficient-use-of-resources test; £5,000 a year by default, about a fifth of a
  state special place).
"""

from typing import Annotated, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from core.errors import PlacewiseError
from core.vocabulary import Council, Phase, TransportMode
from matcher.child import describe_validation_error
from matcher.criteria import CRITERIA, DEFAULT_WEIGHTS, Criterion

DEFAULT_CAPS_MINUTES: dict[str, float] = {"early_years": 45.0, "primary": 45.0, "secondary": 75.0, "post16": 75.0}
Objective = Literal["weighted", "lexicographic"]


class Policy(BaseModel):
    """Weights of the five criteria, the hard rules' options, and what an allocation must respect."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    weights: dict[Criterion, Annotated[float, Field(ge=0)]] = Field(
        default_factory=lambda: cast(dict[Criterion, float], dict(DEFAULT_WEIGHTS)))
    travel_caps_minutes: dict[Phase, Annotated[float, Field(gt=0, le=240)]] = Field(
        default_factory=lambda: cast(dict[Phase, float], dict(DEFAULT_CAPS_MINUTES)))
    #: Take in special schools that publish no designated needs, as candidates with lower suitability and the
    #: sentence "designations not published: ask the setting whether it meets ..." (59% of England's independent
    #: special schools publish none). False excludes them as ``designation_not_published``.
    include_unpublished_designations: bool = True
    #: The percentile of each journey's estimate the travel cap is applied to (1-99): 50, the central estimate, by
    #: default; 80 holds journeys to the cap 8 times in 10 (``matcher.travel_caps``).
    travel_cap_percentile: int = Field(default=50, ge=1, le=99)
    #: Keep, as a flagged exception, a setting over the cap whose band's low end is within it ("may be over the cap:
    #: check the route"), its total score lowered by ``uncertain_travel_penalty``; children placed through one are
    #: counted. Off by default: an uncertain journey is never the way to place a region.
    keep_uncertain_travel: bool = False
    uncertain_travel_penalty: float = Field(default=0.25, ge=0, le=1)
    #: Exclude settings whose last Ofsted grade was inadequate.
    exclude_inadequate: bool = False
    #: How many of the nearest exclusions (near misses) a shortlist and an unplaced child's reason report.
    nearest_exclusions: int = Field(default=5, ge=0, le=50)
    #: Allocation: ``weighted`` maximises the weighted total; ``lexicographic`` the criteria in ``priority`` order
    #: one after another (the weighted total breaks the last ties). Placing children always comes first.
    objective: Objective = "weighted"
    priority: tuple[Criterion, ...] = ()
    #: Annual whole cost (placements + transport) the allocation may commit, in total and by home council.
    budget_gbp: float | None = Field(default=None, ge=0)
    council_budgets_gbp: dict[Council, Annotated[float, Field(ge=0)]] = Field(default_factory=dict)
    #: Most of a council's placed children that may be placed outside its own area (0..1).
    max_out_of_area_share: float | None = Field(default=None, ge=0, le=1)
    #: Transport options: each mode's cost relative to a shared minibus seat (``shared_route`` 1, a taxi for one
    #: ``single_occupancy`` 2.5, ``personal_budget`` 0.4, ``independent_travel_training`` 0.15 by default), and the
    #: mix of modes for children whose own is not given (the s251 mix by default: 75% shared, 20% single, 5%
    #: personal budgets; ``matcher.transport``). Give part of the mix to independent travel training to cost it.
    #: Price a journey within the statutory walking distance (2 miles under 8, 3 from 8) at nothing; off by default,
    #: as children with EHC plans in specialist settings are eligible whatever the distance where their needs mean
    #: they cannot walk it (s251 spend per eligible child assumes so of every child).
    free_within_walking_distance: bool = False
    transport_mode_parts: dict[TransportMode, Annotated[float, Field(ge=0)]] = Field(default_factory=dict)
    transport_mode_mix: dict[TransportMode, Annotated[float, Field(ge=0, le=1)]] = Field(default_factory=dict)
    allow_moves: bool = False
    transition_years: tuple[Annotated[int, Field(ge=-2, le=14)], ...] = (0, 7, 12)
    preference_cost_limit_gbp: float = Field(default=5_000.0, ge=0)

    @field_validator("weights", mode="after")
    @classmethod
    def _default_weights(cls, weights: dict[str, float]) -> dict[str, float]:
        if not weights:
            return dict(DEFAULT_WEIGHTS)
        if sum(weights.values()) <= 0:
            raise ValueError("at least one weight must be above zero")
        return weights

    @field_validator("travel_caps_minutes", mode="after")
    @classmethod
    def _default_caps(cls, caps: dict[str, float]) -> dict[str, float]:
        return {**DEFAULT_CAPS_MINUTES, **caps}

    @field_validator("transport_mode_mix", mode="after")
    @classmethod
    def _mix_sums_to_one(cls, mix: dict[str, float]) -> dict[str, float]:
        if mix and abs(sum(mix.values()) - 1.0) > 0.01:
            raise ValueError(f"the shares sum to {sum(mix.values()):.2f}; give shares of the modes that sum to 1")
        return mix

    def transport_mix(self) -> dict[str, float]:
        """The mix of modes for children whose own is not given."""
        from matcher.transport import MODE_MIX

        return {str(mode): share for mode, share in self.transport_mode_mix.items()} or dict(MODE_MIX)

    def transport_parts(self) -> dict[str, float]:
        """Each mode's cost relative to the others."""
        from matcher.transport import MODE_PARTS

        return {**MODE_PARTS, **{str(mode): parts for mode, parts in self.transport_mode_parts.items()}}

    @model_validator(mode="after")
    def _priority_for_lexicographic(self) -> "Policy":
        if self.objective == "lexicographic" and not self.priority:
            raise ValueError(f"priority: the lexicographic objective needs criteria in order ({', '.join(CRITERIA)})")
        return self

    @classmethod
    def from_fields(cls, where: str = "policy", **fields: object) -> "Policy":
        """Build a policy from given fields, as a clear error naming each bad field (never the values)."""
        try:
            return cls.model_validate(fields)
        except ValidationError as error:
            raise PlacewiseError(f"{where}: " + describe_validation_error(error)) from None

    def normalised_weights(self) -> dict[str, float]:
        """Return the weights of all five criteria, summing to one (a missing criterion weighs zero)."""
        weights = cast(dict[str, float], self.weights)
        total = sum(weights.values())
        return {name: weights.get(name, 0.0) / total for name in CRITERIA}
