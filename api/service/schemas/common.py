"""What every route shares: error answers and their OpenAPI description, and paging."""

from typing import Annotated

from fastapi import Path, Query
from pydantic import BaseModel

from api.service.security.audit import CASE_REFERENCE_PATTERN, Purpose
from core.vocabulary import CHILD_ID_PATTERN

MAX_PAGE = 500  # rows a list answers at most; page on with offset
MAX_OFFSET = 10**9
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Rows at most")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip")]
ChildId = Annotated[str, Path(pattern=CHILD_ID_PATTERN, description="The child's pseudonymous id")]
PurposeQuery = Annotated[Purpose | None, Query(description="Why the child's record is read (for the audit)")]
CaseQuery = Annotated[str | None, Query(pattern=CASE_REFERENCE_PATTERN, description="The case it is read for")]
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


def links(status: int, description: str, parameter: str, operations: dict[str, str]) -> dict[int | str, dict]:
    """An answer's OpenAPI links: the operations that take the id it returns (``$response.body#/<parameter>``),
    so clients and stateful tests can follow a create to its reads."""
    return {status: {"description": description, "links": {
        name: {"operationId": operation, "parameters": {parameter: f"$response.body#/{parameter}"}}
        for name, operation in operations.items()}}}
