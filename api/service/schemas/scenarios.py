"""Scenario runs on the wire, as the service answers: a queued job, a run's summary and its state, its results, two
runs compared, and a comparison decomposed by change. A run's KPIs and result tables are the engine's own
(``scenarios.kpis``, ``scenarios.reports``) and stay free-form here."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from api.platform.jobs.queue import JobStatus


class JobQueued(BaseModel):
    """A job just queued (or a cancel's outcome): its id, to follow it, and its status."""

    model_config = ConfigDict(extra="forbid")

    job_id: str
    status: str = Field(description="queued for a new job; for a cancel, cancelled, cancelling (a running job "
                        "stops within seconds) or the status it had ended with")


class RunSummary(BaseModel):
    """A run as a list shows it: who submitted it, for which councils, what it is called, and where it stands."""

    model_config = ConfigDict(extra="forbid")

    job_id: str
    name: str | None
    kind: str = Field(description="scenario, or the kind of job (a plan, a decomposition)")
    label: str | None = Field(description="A short tag, such as 'for cabinet'")
    description: str | None
    status: JobStatus
    councils: list[str] = Field(description="The ONS codes of the councils the scenario names")
    submitted_by: str
    created_at: str = Field(description="ISO 8601, with its offset")
    updated_at: str = Field(description="ISO 8601, with its offset")


class RunState(RunSummary):
    """A run with its attempts, progress, error and, once it has succeeded, its KPIs."""

    attempts: int
    progress: str | None
    error: str | None
    kpis: dict[str, Any] | None = Field(description="The run's KPIs by name (once it has succeeded)")


class RunResults(BaseModel):
    """A run's results, an export, as the engine wrote them: for a scenario, the KPIs, the allocation (a row a child:
    child_id, home_council, primary_need, provider_id (-1: not placed), kind, travel_minutes, distance_km,
    placement_cost_gbp, transport_cost_gbp and age), the unplaced children with their reasons and the cost basis; for
    a plan, the plan and any sweep; for a decomposition, the decomposition. Only the parts a job has are given."""

    model_config = ConfigDict(extra="allow")

    job_id: str
    status: JobStatus
    kpis: dict[str, Any] | None = Field(default=None, description="The run's KPIs by name")
    unplaced: list[dict[str, Any]] | None = Field(default=None, description="Each unplaced child and why (at most "
                                                  "5,000)")
    allocation: list[dict[str, Any]] | None = Field(default=None, description="A row a child (at most 50,000)")
    cost_basis: dict[str, Any] | None = Field(default=None, description="Where the run's costs come from")
    plan: dict[str, Any] | None = Field(default=None, description="A plan job's summary")
    sweep: dict[str, Any] | None = Field(default=None, description="A sweep's variants, beside the plan")
    decomposition: dict[str, Any] | None = Field(default=None, description="A decomposition job's changes alone "
                                                 "and in order")


class KpiComparison(BaseModel):
    """One headline KPI in two runs, and the difference (second minus first), as figures and as people read them."""

    model_config = ConfigDict(extra="forbid")

    kpi: str
    first: int | float
    second: int | float
    difference: int | float
    shown: list[str] = Field(description="The first, the second and the difference, formatted for people")


class RunComparison(BaseModel):
    """Two succeeded runs' headline KPIs side by side."""

    model_config = ConfigDict(extra="forbid")

    first: str = Field(description="The first run's job id")
    second: str = Field(description="The second run's job id")
    kpis: list[KpiComparison]


class DecompositionState(RunSummary):
    """The latest decomposition of two runs: where it stands and, once it has succeeded, each change alone and in
    order, the total and what is unexplained."""

    error: str | None
    progress: str | None
    decomposition: dict[str, Any] | None = Field(description="Each change alone and in order, the total and what is "
                                                 "unexplained (once it has succeeded)")
