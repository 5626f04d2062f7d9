"""The pages for the people who use Placewise, on the same app as the API: caseworkers, commissioners, planners.

Server-rendered (Jinja2, htmx where it helps) with GOV.UK Frontend's components and patterns, without the crown or
the GDS Transport font; every asset served by the app (``assets``). People sign in with a session cookie
(``sessions``); every form carries a CSRF token; every page is audited like its API route and keeps councils apart
exactly as the API does, because it calls the same use cases (``api.records``) on the same platform
(``api.platform``); it never imports the API's door (``api.service``). Bad input comes back as a GOV.UK error summary,
never a traceback and never a child's values (``errors``, ``forms``).
"""

from fastapi import FastAPI

from api.web.assets import mount_assets
from api.web.errors import add_page_handlers
from api.web.headers import PageHeaders
from api.web.oidc import OidcClient, Provider
from api.web.preparing import add_preparer
from api.web.sessions import Sessions, session_secret


def add_pages(app: FastAPI) -> None:
    """Add the pages, their assets, sessions and error pages to the service's app."""
    from api.web.routes import (
        account,
        api_docs,
        children,
        cohorts,
        comparisons,
        dashboard,
        finder,
        offer_pages,
        oidc_sign_in,
        packs,
        plan_jobs,
        planning,
        portal,
        runs,
        saved_scenarios,
        scenarios,
        shortlists,
        vacancies,
    )
    from api.web.routes import consultations as consultation_pages
    from api.web.routes import decisions as decision_pages

    settings = app.state.settings
    app.state.oidc = OidcClient(Provider(settings.oidc_issuer, settings.oidc_client_id or "", (
        settings.oidc_client_secret.get_secret_value() if settings.oidc_client_secret else ""),
        settings.oidc_username_claim)) if settings.oidc_issuer else None
    mount_assets(app)
    add_page_handlers(app)
    add_preparer(app)
    if app.state.register.current().inputs.data_dir is not None:  # the planner's pages' figures, made in the background
        planning.prepared_forecast(app)
        dashboard.prepared_dashboard(app)
    for module in (api_docs, account, children, cohorts, shortlists, finder, comparisons, runs, saved_scenarios,
                   scenarios, vacancies, packs, plan_jobs, planning, dashboard, consultation_pages, decision_pages,
                   offer_pages, portal, oidc_sign_in):
        app.include_router(module.router)
    app.add_middleware(PageHeaders)
    app.add_middleware(Sessions, secret=session_secret(app.state.engine),  # type: ignore[arg-type]
                       hours=app.state.settings.session_hours)
