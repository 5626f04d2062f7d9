"""Providers on the wire: a provider of the register as the service answers, and vacancy reports from the
councils that host a setting."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from core.vocabulary import Need


class VacancyUpdate(BaseModel):
    """Places free now: for the whole setting, and optionally by need (SEN2 codes)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    vacancies: int = Field(ge=0, le=5_000)
    by_need: dict[Need, Annotated[int, Field(ge=0, le=5_000)]] = Field(default_factory=dict, max_length=12)


class ProviderAnswer(BaseModel):
    """A provider of the register: its URN, name, kind, host council, ages, places, vacancies now, designated needs
    and location (British National Grid); a figure the register does not hold is null."""

    model_config = ConfigDict(extra="forbid")

    provider_id: int = Field(description="The provider's URN")
    designated_needs: list[str] = Field(description="SEN2 need codes the setting is designated for")
    name: str | None
    kind: str | None
    host_council: str | None = Field(description="The ONS code of the council that hosts it")
    age_low: float | None
    age_high: float | None
    places: float | None
    vacancies: float | None = Field(description="Places free now, as last reported")
    easting: float | None
    northing: float | None
