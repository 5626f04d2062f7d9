"""What every route shares: error answers and their OpenAPI description, and paging links (the parameters
themselves are ``api.platform.parameters``, which the pages take too)."""

from pydantic import BaseModel

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
