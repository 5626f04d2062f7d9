"""Request models of the HTTP API that are not the engine's own (the child record is ``matcher.child.Child``)."""

from typing import Annotated

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field, model_validator

from matcher.child import CHILD_ID_PATTERN, Child
from matcher.shortlist import MAX_K
from scenarios.schema import Need

MAX_PAGE = 500  # rows a list answers at most; page on with offset
MAX_OFFSET = 10**9
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Rows at most")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip")]
_MEANING = {400: "The body is not well-formed JSON", 401: "No valid token or key",
            403: "The role or council may not do this", 404: "No such object (or one of another council)",
            409: "In conflict with what is stored, or still being answered",
            413: "The body is too large", 422: "Bad input: the fields and what is wrong, never the values sent",
            429: "Over a limit; try again after Retry-After seconds", 503: "The store is not answering"}


class FieldProblem(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """Every error answer: a sentence, or (for bad input) the fields and what is wrong with each."""

    detail: str | list[FieldProblem]


def problems(*codes: int) -> dict[int | str, dict]:
    """The error answers a route may give, for its OpenAPI description."""
    return {code: {"model": Problem, "description": _MEANING[code]} for code in codes}


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
