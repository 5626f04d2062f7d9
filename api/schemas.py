"""Request models of the HTTP API that are not the engine's own (the child record is ``matcher.child.Child``)."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from matcher.child import CHILD_ID_PATTERN, Child
from matcher.shortlist import MAX_K
from scenarios.schema import Need

MAX_PAGE = 500  # rows a list answers at most; page on with offset


class LoginRequest(BaseModel):
    """A person of the embedded default: username and password (``placewise users add``)."""

    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)


class TokenAnswer(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class VacancyUpdate(BaseModel):
    """Places free now: for the whole setting, and optionally by need (SEN2 codes)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    vacancies: int = Field(ge=0, le=5_000)
    by_need: dict[Need, Annotated[int, Field(ge=0, le=5_000)]] = Field(default_factory=dict, max_length=12)


class ShortlistRequest(BaseModel):
    """A child profile, or the id of a stored child of the caller's council; how many settings; why."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    child: Child | None = None
    child_id: str | None = Field(default=None, pattern=CHILD_ID_PATTERN)
    k: int = Field(default=10, ge=1, le=MAX_K)
    reason: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _one_child(self) -> "ShortlistRequest":
        if (self.child is None) == (self.child_id is None):
            raise ValueError("give either child (a profile) or child_id (a stored child)")
        return self
