"""Vacancy reports from the councils that host a setting."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from core.vocabulary import Need


class VacancyUpdate(BaseModel):
    """Places free now: for the whole setting, and optionally by need (SEN2 codes)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    vacancies: int = Field(ge=0, le=5_000)
    by_need: dict[Need, Annotated[int, Field(ge=0, le=5_000)]] = Field(default_factory=dict, max_length=12)
