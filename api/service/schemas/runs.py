"""Wire models of a run's own words: its new name and label, and a copy's name."""

from pydantic import BaseModel, ConfigDict, Field


class RunChange(BaseModel):
    """A run's new name (at most 100 characters, no control characters) and label (empty or absent clears it)."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=1_000, description="What people call the run; at most 100 characters")
    label: str | None = Field(default=None, max_length=1_000, description="A short tag, such as 'for cabinet'")


class RunCopy(BaseModel):
    """The copy's name; without it, "Copy of" the run's."""

    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(default=None, max_length=1_000)
