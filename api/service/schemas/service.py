"""The service's own answers: whether it is alive, and whether it is ready to serve."""

from pydantic import BaseModel, ConfigDict, Field


class ServiceStatus(BaseModel):
    """Whether the service answers (``ok``), or cannot reach its store (``store unavailable``)."""

    model_config = ConfigDict(extra="forbid")

    status: str = Field(description="ok, or store unavailable")


class Readiness(BaseModel):
    """The service is ready: its store answers, and its register holds this many providers."""

    model_config = ConfigDict(extra="forbid")

    status: str = Field(description="ready")
    providers: int = Field(description="Providers in the register")
