"""The base of every scenario file section: unknown keys refused, values frozen, no infinities or NaN."""

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
