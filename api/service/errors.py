"""How the service answers what went wrong: one handler per kind of failure, and routes hold no try/except.

Bad input (the project's error or pydantic's) is 422 with field paths and messages and never the values sent;
HTTP errors keep their status (a 405 says which methods the path takes), and a refusal (401, 403, or 404 on an
object, which is how another council's object answers) is audited; a store that cannot be reached or written (a
cut connection, a full disk) or an audit that cannot be written is a 503 with ``Retry-After``, since nothing was read
or stored and the same request may succeed in a moment; an unexpected failure is a plain 500 that says nothing of the
request, and is logged without it.
"""

import logging
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from api.platform.refusals import RETRY_AFTER_S, STORE_UNAVAILABLE, retry_headers, status_of, unavailable_message
from api.platform.security.audit import audit_awaited
from api.platform.security.auth import anonymous_name
from core.errors import PlacewiseError

log = logging.getLogger(__name__)


def add_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(PlacewiseError, _bad_input)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http_error)  # type: ignore[arg-type]
    for unavailable in STORE_UNAVAILABLE:
        app.add_exception_handler(unavailable, _store_unavailable)
    app.add_exception_handler(Exception, _unexpected)


def api_routes(app: FastAPI) -> list[APIRoute]:
    """The API's own route table (its paths under ``/v1``), with the routes of included routers (FastAPI keeps
    those behind a wrapper); the pages of ``api.web`` on the same app are not the API's."""
    found, pending = [], list(app.routes)
    while pending:
        route = pending.pop(0)
        if isinstance(route, APIRoute):
            if route.path.startswith("/v1/"):
                found.append(route)
        elif hasattr(route, "original_router"):
            pending.extend(route.original_router.routes)
    return found


#: Routes whose refusals are not audited: the service itself, the public register, and sign-in (audited itself).
UNAUDITED = {"/v1/health", "/v1/ready", "/v1/token", "/v1/providers", "/v1/providers/{provider_id}", "/v1/packages"}
#: The kind of object a route's path is about, for the audit.
OBJECT_TYPES = {"children": "child", "shortlists": "child", "scenarios": "scenario", "providers": "vacancies",
                "packages": "child", "consultations": "consultation", "decisions": "decision"}


async def _audit_refusal(request: Request, status: int) -> None:
    route = request.scope.get("route")
    if status not in (401, 403, 404) or not isinstance(route, APIRoute) or route.path in UNAUDITED:
        return
    caller = getattr(request.state, "caller", None) or anonymous_name(request)
    kind = OBJECT_TYPES.get(route.path.split("/")[2], "route")
    params = request.path_params
    object_id = (params.get("child_id") or params.get("job_id") or params.get("consultation_id")
                 or params.get("decision_id") or params.get("provider_id"))
    await audit_awaited(request, caller, "refused", kind, str(object_id)[:100] if object_id else None, None,
                        f"{status} {request.method} {route.path}"[:200])


async def _http_error(request: Request, error: HTTPException) -> JSONResponse:
    await _audit_refusal(request, error.status_code)
    headers = dict(error.headers or {})
    if error.status_code == 405:  # say which methods the path does take
        routes = api_routes(request.app)
        exact = [route for route in routes if route.path == request.url.path]
        methods = {method for route in exact or [route for route in routes if route.path_regex.match(
            request.url.path)] for method in route.methods or ()}
        headers["Allow"] = ", ".join(sorted(methods))
    return JSONResponse({"detail": error.detail}, status_code=error.status_code, headers=headers)


async def _validation_error(_request: Request, error: RequestValidationError) -> JSONResponse:
    problems = [{"field": expected_field(item), "message": _message(item)} for item in error.errors()]
    return JSONResponse({"detail": problems}, status_code=422)


def expected_field(item: Mapping[str, Any]) -> str:
    """The field an error is about, as the API names it, never a word of the request's own: an unknown field is
    reported on the object that holds it, and a path stops at its first part that is not a field of the project's
    models (a mapping's key, such as a need code or a council, is the client's word)."""
    path = [part for part in item["loc"] if part != "body"]
    if item.get("type") == "extra_forbidden":
        path = path[:-1]
    named: list[str] = []
    known = _field_names()
    for part in path:
        if isinstance(part, int) or part in known:
            named.append(str(part))
        else:
            break
    return ".".join(named)


@lru_cache(maxsize=1)
def _field_names() -> frozenset[str]:
    """Every field name and alias of the project's own pydantic models (its schemas, children and scenarios)."""
    names: set[str] = set()
    pending = list(BaseModel.__subclasses__())
    while pending:
        model = pending.pop()
        pending.extend(model.__subclasses__())
        if model.__module__.split(".")[0] in OWN_PACKAGES:
            for name, field in model.model_fields.items():
                names.update(alias for alias in (name, field.alias, field.validation_alias) if isinstance(alias, str))
    return frozenset(names)


OWN_PACKAGES = {"api", "scenarios", "matcher", "geodata", "core"}


def _message(item: Mapping[str, Any]) -> str:
    if item.get("type") == "extra_forbidden":
        return "a field this request does not take: remove it (the API documentation lists the fields)"
    return str(item["msg"])


async def _bad_input(request: Request, error: PlacewiseError) -> JSONResponse:
    status = status_of(error)
    if status != 422:
        await _audit_refusal(request, status)
        return JSONResponse({"detail": error.message}, status_code=status, headers=retry_headers(error))
    return JSONResponse({"detail": [error.detail()]}, status_code=422)



async def _store_unavailable(request: Request, error: Exception) -> JSONResponse:
    log.warning("503 on %s %s: %s", request.method, request.url.path, type(error.__cause__ or error).__name__)
    return JSONResponse({"detail": unavailable_message(error)}, status_code=503,
                        headers={"Retry-After": str(RETRY_AFTER_S)})


async def _unexpected(request: Request, error: Exception) -> JSONResponse:
    if isinstance(error, STORE_UNAVAILABLE):  # raised in a middleware (idempotency), outside the routes' handlers
        return await _store_unavailable(request, error)
    log.error("unexpected %s on %s %s", type(error).__name__, request.method, request.url.path)
    return JSONResponse({"detail": "the service failed; the failure is logged without the request"}, 500)
