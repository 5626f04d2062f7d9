"""The app factory: one FastAPI app over two doors, side by side and never importing each other.

- ``api.service``: the JSON API under ``/v1`` (its routes, one module per resource, and wire models in ``schemas/``);
  bad input is 422 with field paths and messages and never the values sent (``api.service.errors``).
- ``api.web``: the pages for people.

Below both: ``api.records``, the use cases both doors call, and ``api.platform``, what they stand on (the store,
the job queue, security, and how refusals answer). The app is built from one ``Settings`` (read once), handed to
routes by dependency.
"""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from starlette.responses import HTMLResponse

from api.platform.security.audit_writer import AuditWriter
from api.platform.security.gate import RequestGate
from api.platform.security.idempotency import Idempotency
from api.platform.security.limits import BodyLimit, RequestCounter
from api.platform.security.sign_in import Logins
from api.platform.store.engine import bypasses_row_security, make_engine, sessions
from api.records.register import LiveRegister
from api.records.sen2_imports import SEN2_PATHS
from api.service import errors
from api.service.routes import (
    children,
    cohorts,
    comparisons,
    consultations,
    decisions,
    offers,
    officers,
    packages,
    portal,
    providers,
    runs,
    scenarios,
    service,
    shortlists,
)
from api.settings import Settings
from core.errors import PlacewiseError
from scenarios.council_contacts import DEMO_CONTACTS, load_contacts
from scenarios.inputs import UserFiles, load_inputs
from scenarios.packages_config import package_setup

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The application on the settings' store and register (the embedded demo without a data folder)."""
    settings = settings or Settings()
    app = FastAPI(title="Placewise", version="1", docs_url=None, redoc_url=None, openapi_url="/v1/openapi.json",
                  lifespan=_lifespan)
    engine = make_engine(settings.database_url)
    app.add_middleware(Idempotency, hours=settings.idempotency_hours)
    app.state.request_counter = RequestCounter(engine, settings.requests_per_minute)
    app.add_middleware(RequestGate, counter=app.state.request_counter)
    app.add_middleware(BodyLimit, larger=dict.fromkeys(SEN2_PATHS, int(settings.max_return_mb * 1e6)))
    if bypasses_row_security(engine):
        log.warning("SECURITY: the service's database role is a superuser or has BYPASSRLS, so row-level security "
                    "on children does not hold; run the service as a role without them (see store/engine.py)")
    app.state.settings = settings
    app.state.engine, app.state.sessions = engine, sessions(engine)
    app.state.audit_writer = AuditWriter(engine)
    app.state.logins = Logins(engine, settings.token_minutes)
    inputs = load_inputs(settings.data, UserFiles(postcodes=settings.postcodes), settings.cache)
    app.state.register = LiveRegister(inputs, engine, package_setup(inputs.providers, settings.packages,
                                                                    settings.capability),
                                      settings.vacancy_max_age_days)
    app.state.contacts = load_contacts(settings.council_contacts or (DEMO_CONTACTS if settings.data is None else None))
    errors.add_handlers(app)
    for module in (service, providers, children, cohorts, shortlists, comparisons, scenarios, runs, packages,
                   consultations, decisions, officers, offers, portal):
        app.include_router(module.router, dependencies=[Depends(each_query_parameter_once)])
    app.add_api_route("/v1/docs/swagger", _docs, include_in_schema=False)  # the page itself: api/web/routes/api_docs
    from api.web import add_pages  # the pages for people, on the same app

    add_pages(app)
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """On shutdown, the audit rows still queued are committed (their requests are answered) before the app ends, and
    the rate count's own connections are closed (the store's are the app's owner's: ``engine.dispose``)."""
    yield
    await asyncio.to_thread(app.state.audit_writer.close)
    app.state.request_counter.engine.dispose()


def _docs() -> HTMLResponse:
    """The OpenAPI page, with Swagger UI's files served by the app (``api.web.assets``), so it works offline."""
    return get_swagger_ui_html(openapi_url="/v1/openapi.json", title="Placewise API",
                               swagger_js_url="/assets/swagger/swagger-ui-bundle.js",
                               swagger_css_url="/assets/swagger/swagger-ui.css",
                               swagger_favicon_url="/assets/swagger/favicon-32x32.png",
                               swagger_ui_parameters={"validatorUrl": None})


async def each_query_parameter_once(request: Request) -> None:
    """No API route takes a list in its query: a parameter given twice is refused by name, not read as its last
    value (which would let a value the schema refuses slip past behind an accepted one). On the event loop: it only
    reads the request, so it costs no hop to a worker thread."""
    for name in request.query_params:
        if len(request.query_params.getlist(name)) > 1 and name in _declared_query_names(request):
            raise PlacewiseError(f"{name}: give it once", field=name, hint="repeat no query parameter")


def _declared_query_names(request: Request) -> set[str]:
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    names: set[str] = set()
    pending = [dependant] if dependant is not None else []
    while pending:  # the route's own parameters and its dependencies'
        current = pending.pop()
        names.update(param.alias for param in current.query_params)
        pending.extend(current.dependencies)
    return names
