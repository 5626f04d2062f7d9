"""The HTTP API (FastAPI), versioned under ``/v1``: the service, providers, children and shortlists, scenarios.

Routes stay thin over ``scenarios`` and ``matcher`` and live in one module per resource. Bad input is 422 with
field paths and messages and never the values sent; bodies over ``MAX_BODY_BYTES`` are 413; nothing is
half-written (one transaction a request); an unexpected failure is a plain 500 that says nothing of the request.
"""

import logging
import os
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.middleware.base import BaseHTTPMiddleware

from api.service.routes import children as children_routes
from api.service.routes import providers as provider_routes
from api.service.routes import scenarios as scenario_routes
from api.service.routes import service as service_routes
from api.service.security.idempotency import Idempotency
from api.service.security.limits import RateLimit
from api.service.security.people import Logins
from api.service.store.models import make_engine, sessions
from core.errors import PlacewiseError
from scenarios.inputs import load_inputs

MAX_BODY_BYTES = 1_000_000
DEFAULT_PER_MINUTE = 600
log = logging.getLogger(__name__)


class BodyLimit(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next):  # type: ignore[no-untyped-def]
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            return JSONResponse({"detail": f"the body is over {MAX_BODY_BYTES:,} bytes"}, status_code=413)
        return await call_next(request)


def create_app(database_url: str | None = None, data_dir: Path | None = None,
               requests_per_minute: int | None = None) -> FastAPI:
    """The application on a store (default: PLACEWISE_DATABASE_URL or SQLite) and a register (default: demo);
    each caller may make ``requests_per_minute`` (default PLACEWISE_REQUESTS_PER_MINUTE, else 600)."""
    app = FastAPI(title="Placewise", version="1", docs_url="/v1/docs", openapi_url="/v1/openapi.json")
    app.add_middleware(Idempotency)
    limit = requests_per_minute or int(os.environ.get("PLACEWISE_REQUESTS_PER_MINUTE", DEFAULT_PER_MINUTE))
    app.add_middleware(RateLimit, per_minute=limit)
    app.add_middleware(BodyLimit)
    engine = make_engine(database_url)
    app.state.engine, app.state.sessions = engine, sessions(engine)
    app.state.logins = Logins(engine)
    app.state.register = load_inputs(data_dir)
    provider_routes.use_vacancies(app)
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(PlacewiseError, _bad_input)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected)
    for module in (service_routes, provider_routes, children_routes, scenario_routes):
        app.include_router(module.router)
    return app


def api_routes(app: FastAPI) -> list[APIRoute]:
    """The app's own route table, with the routes of included routers (FastAPI keeps those behind a wrapper)."""
    found, pending = [], list(app.routes)
    while pending:
        route = pending.pop(0)
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            pending.extend(route.original_router.routes)
    return found


async def _http_error(request: Request, error: HTTPException) -> JSONResponse:
    headers = dict(error.headers or {})
    if error.status_code == 405:  # say which methods the path does take
        routes = api_routes(request.app)
        exact = [route for route in routes if route.path == request.url.path]
        methods = {method for route in exact or [route for route in routes if route.path_regex.match(
            request.url.path)] for method in route.methods or ()}
        headers["Allow"] = ", ".join(sorted(methods))
    return JSONResponse({"detail": error.detail}, status_code=error.status_code, headers=headers)


async def _validation_error(_request: Request, error: RequestValidationError) -> JSONResponse:
    problems = [{"field": ".".join(str(part) for part in item["loc"] if part != "body"), "message": item["msg"]}
                for item in error.errors()]
    return JSONResponse({"detail": problems}, status_code=422)


async def _bad_input(_request: Request, error: PlacewiseError) -> JSONResponse:
    return JSONResponse({"detail": [{"field": "", "message": str(error)}]}, status_code=422)


async def _unexpected(request: Request, error: Exception) -> JSONResponse:
    log.error("unexpected %s on %s %s", type(error).__name__, request.method, request.url.path)
    return JSONResponse({"detail": "the service failed; the failure is logged without the request"}, 500)
