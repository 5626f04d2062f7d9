"""The capacity-planning sections of a scenario file: ``plan:`` (where to open units) and ``sweep:`` (many variants
of the plan); see ``scenarios.schema`` for the file as a whole."""

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, model_validator

from core.vocabulary import Need
from scenarios.strict import Strict

MAX_VARIANTS = 10_000
DEFAULT_SPECIALIST_SHARE = {"PMLD": 0.9, "MSI": 0.6, "VI": 0.3, "HI": 0.3}


class PlanSpec(Strict):
    """Capacity planning for low-incidence needs: where to open units, for which demand (see matcher.planning.sites).

    Assumptions a planner should set for their area (defaults in brackets): the share of children with each need
    who need a specialist place (PMLD 0.9, MSI 0.6, VI 0.3, HI 0.3); the places (12), fixed cost a year (£150,000:
    a unit's share of building and leadership) and cost per place (the state special school band) of a new unit at
    a candidate site; the fallback, a distant independent place (its calibrated cost plus twice the average
    journey's transport); and the share of existing free places these needs may take (0.25).
    """

    needs: tuple[Need, ...] = Field(default=("PMLD", "MSI", "VI", "HI"), min_length=1)
    year: int = Field(default=2028, ge=2026, le=2030)
    #: Needs left out take DEFAULT_SPECIALIST_SHARE, else 0.5.
    specialist_share: dict[Need, Annotated[float, Field(ge=0, le=1)]] = Field(default_factory=dict)
    places_per_site: int = Field(default=12, gt=0, le=500)
    fixed_cost_gbp: float = Field(default=150_000.0, ge=0)
    max_sites: int = Field(default=5, ge=0, le=100)
    cap_minutes: float = Field(default=60.0, gt=0, le=240)
    #: Your own candidate sites (CSV: site_id, easting, northing, places, fixed_cost_gbp, optional name), relative
    #: to the scenario file; without it, every state special school the councils host.
    candidate_sites: Path | None = None
    #: Share of existing settings' free places open to these needs (the growth in other needs takes the rest).
    existing_free_share: float = Field(default=0.25, ge=0, le=1)
    budget_gbp: float | None = Field(default=None, ge=0)
    #: Without ``candidate_sites``: units at the councils' state special schools, or inclusion bases (priced as
    #: ``inclusion_base`` places) at their mainstream secondary schools of at least ``min_on_roll`` pupils.
    sites: Literal["special_schools", "mainstream_secondary"] = "special_schools"
    min_on_roll: int = Field(default=0, ge=0, le=5_000)
    #: Sites (their ``site_id``) that must be opened and filled to their places, as a commitment already made
    #: (spopt's ``fulfill_predefined_fac``); they count within ``max_sites``. A ``candidate_sites`` file may also
    #: mark them in a ``required`` column (yes/no).
    required_sites: tuple[Annotated[str, Field(min_length=1, max_length=100)], ...] = Field(default=(),
                                                                                           max_length=100)


class SweepSpec(Strict):
    """Many variants of the plan: demand drawn from the forecast's uncertainty, times a grid of policies."""

    draws: int = Field(default=20, ge=1, le=10_000)
    max_sites: tuple[Annotated[int, Field(ge=0, le=100)], ...] = Field(default=(3, 5), min_length=1, max_length=20)
    cap_minutes: tuple[Annotated[float, Field(gt=0, le=240)], ...] = Field(default=(45.0, 60.0), min_length=1,
                                                                           max_length=20)
    seed: int = 1

    @model_validator(mode="after")
    def _cap_variants(self) -> "SweepSpec":
        if self.variants > MAX_VARIANTS:
            raise ValueError(f"draws x max_sites x cap_minutes gives {self.variants:,} variants; at most "
                             f"{MAX_VARIANTS:,} run in one sweep")
        return self

    @property
    def variants(self) -> int:
        return self.draws * len(self.max_sites) * len(self.cap_minutes)
