"""A shortlist on the wire: the request (a child profile or a stored child's id; the child record is
``matcher.child.Child``) and the explained shortlist it answers."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from api.platform.security.audit import CASE_REFERENCE_PATTERN, Purpose
from matcher.child import CHILD_ID_PATTERN, Child
from matcher.shortlist import MAX_K


class ShortlistRequest(BaseModel):
    """A child profile, or the id of a stored child of the caller's council; how many settings; the purpose (a code)
    and the case it is for (a reference of fixed shape): never free text, which could hold a child's details."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    child: Child | None = None
    child_id: str | None = Field(default=None, pattern=CHILD_ID_PATTERN)
    k: int = Field(default=10, ge=1, le=MAX_K)
    purpose: Purpose
    case_reference: str | None = Field(default=None, pattern=CASE_REFERENCE_PATTERN)

    @model_validator(mode="after")
    def _one_child(self) -> "ShortlistRequest":
        if (self.child is None) == (self.child_id is None):
            raise ValueError("give either child (a profile) or child_id (a stored child)")
        return self


class ShortlistCandidate(BaseModel):
    """A setting on the shortlist: its rank and scores (each criterion's, 0 to 1), the journey (minutes each way,
    with the range the travel model gives), the costs a year in whole pounds, its vacancies and their evidence, and
    one sentence per criterion saying why. A figure the engine cannot know is null."""

    model_config = ConfigDict(extra="forbid")

    provider_id: int = Field(description="The setting's URN")
    name: str
    kind: str
    host_council: str
    rank: int
    total_score: float
    scores: dict[str, float] = Field(description="The score on each criterion, by the criterion's name")
    travel_minutes: float | None
    low_minutes: float | None
    high_minutes: float | None
    travel_method: str
    may_exceed_cap: bool = Field(description="Whether the journey may be longer than the child's cap")
    distance_km: float | None
    placement_cost_gbp: int | None
    transport_cost_gbp: int | None
    annual_cost_gbp: int | None
    vacancies: int | None = Field(description="Places free now, where reported")
    vacancies_evidence: str = Field(description="Where the vacancy figure comes from, and how old it is")
    reasons: list[str] = Field(description="One sentence per criterion")


class ShortlistExclusion(BaseModel):
    """A setting near the child that a hard rule leaves out: the rule, in words, and the journey where known."""

    model_config = ConfigDict(extra="forbid")

    provider_id: int
    name: str
    reason: str = Field(description="The code of the first rule it fails")
    explanation: str
    travel_minutes: float | None


class ShortlistAnswer(BaseModel):
    """The explained shortlist for one child (the CLI's ``--json`` shape): the top candidates with their scores and
    reasons, the nearest settings left out and why, and how the parents' named settings fare."""

    model_config = ConfigDict(extra="forbid")

    child_id: str
    candidates: list[ShortlistCandidate] = Field(description="The ranked candidates, best first")
    exclusions: list[ShortlistExclusion] = Field(description="The nearest settings left out")
    preferences: list[dict[str, Any]] = Field(description="Each setting the parents named and how it fares")
    candidate_count: int = Field(description="Settings that passed every hard rule")
    exclusion_counts: dict[str, int] = Field(description="Settings left out, by the rule that left them out")
    travel_model: str = Field(description="The travel model the minutes come from")
    cost_source: str = Field(description="Where the costs come from")
