"""How the pages answer what went wrong: an HTML page with words a person can act on, never a traceback, and the
same refusals audited as the API's (403, and 404 on an object: another council's child answers exactly as a
missing one). Requests under ``/v1`` keep the API's own JSON answers."""

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Route

from api.platform.refusals import RETRY_AFTER_S, STORE_UNAVAILABLE, retry_headers, status_of, unavailable_message
from api.platform.security.audit import audit_awaited
from api.web.render import page
from api.web.sessions import SignInNeeded, signed_in
from core.errors import PlacewiseError

log = logging.getLogger(__name__)
#: The kind of object a page's path is about, for the audit of a refusal.
OBJECT_TYPES = {"children": "child", "scenarios": "scenario", "vacancies": "vacancies"}
TITLES = {400: "The request could not be read", 403: "You cannot use this page",
          404: "Page not found", 405: "Page not found", 409: "Not ready yet", 413: "The file is too large",
          422: "There is a problem", 429: "Too many requests"}


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/v1/") or request.url.path == "/v1"


def add_page_handlers(app: FastAPI) -> None:
    """Put the pages' handlers before the API's: each hands a request under /v1 to the API's own."""
    handlers = dict(app.exception_handlers)

    async def http_error(request: Request, error: HTTPException) -> Response:
        if is_api(request):
            return await handlers[HTTPException](request, error)
        await _audit_refusal(request, error.status_code)
        return page(request, "error.html", error.status_code, title=TITLES.get(error.status_code, "Sorry"),
                    message=error.detail if error.status_code != 404 else None, code=error.status_code)

    async def bad_input(request: Request, error: Exception) -> Response:
        if is_api(request):
            return await handlers[PlacewiseError if isinstance(error, PlacewiseError) else type(error)](request,
                                                                                                     error)
        status = status_of(error) if isinstance(error, PlacewiseError) else 422
        if status != 422:
            await _audit_refusal(request, status)
            answer = page(request, "error.html", status, title=TITLES.get(status, "Sorry"),
                          message=str(error) if status != 404 else None, code=status)
            answer.headers.update(retry_headers(error))  # type: ignore[arg-type]
            return answer
        return page(request, "error.html", 422, title="There is a problem",
                    message="Something in the request was not right; go back and check the form.", code=422)

    async def sign_in_needed(request: Request, _error: SignInNeeded) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        response = RedirectResponse(f"/sign-in?next={target}", status_code=303)
        if request.headers.get("hx-request"):
            response.headers["HX-Redirect"] = "/sign-in"
        return response

    async def store_unavailable(request: Request, error: Exception) -> Response:
        if is_api(request):
            return await handlers[type(error)](request, error)
        log.warning("503 on %s %s: %s", request.method, request.url.path, type(error.__cause__ or error).__name__)
        message = unavailable_message(error).replace("the store", "the service's store", 1)
        message = message[0].upper() + message[1:] + "."
        try:
            answer = page(request, "error.html", 503, title="Sorry, the service cannot answer just now",
                          message=message, code=503)
        except Exception:  # noqa: BLE001 - the page itself needs the store: plain words
            answer = Response(f"Sorry, the service cannot answer just now. {message}", 503, media_type="text/plain")
        answer.headers["Retry-After"] = str(RETRY_AFTER_S)
        return answer

    async def unexpected(request: Request, error: Exception) -> Response:
        if is_api(request):
            return await handlers[Exception](request, error)
        if isinstance(error, STORE_UNAVAILABLE):  # raised in a middleware, outside the pages' handlers
            return await store_unavailable(request, error)
        log.error("unexpected %s on %s %s", type(error).__name__, request.method, request.url.path)
        try:
            return page(request, "error.html", 500, title="Sorry, there is a problem with the service",
                        message="Nothing of what you sent is shown or logged. Try again later; if it goes on, tell "
                                "the service's operators the time it happened.", code=500)
        except Exception:  # noqa: BLE001 - the page itself failed (the store is down): plain words
            return Response("Sorry, there is a problem with the service. Try again later.", 500,
                            media_type="text/plain")

    app.add_exception_handler(HTTPException, http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, bad_input)
    app.add_exception_handler(PlacewiseError, bad_input)
    app.add_exception_handler(SignInNeeded, sign_in_needed)  # type: ignore[arg-type]
    for unavailable in STORE_UNAVAILABLE:
        app.add_exception_handler(unavailable, store_unavailable)
    app.add_exception_handler(Exception, unexpected)


async def _audit_refusal(request: Request, status: int) -> None:
    route = request.scope.get("route")
    if status not in (403, 404) or not isinstance(route, Route) or route.path.startswith("/assets"):
        return
    caller = getattr(request.state, "caller", None) or signed_in(request)
    if caller is None and status == 404:
        return  # a page nobody signed in asked for: nothing of anyone's is behind it
    kind = OBJECT_TYPES.get(route.path.split("/")[1], "page")
    params = request.path_params
    object_id = params.get("child_id") or params.get("job_id") or params.get("provider_id")
    await audit_awaited(request, caller or "nobody signed in", "refused", kind,
                        str(object_id)[:100] if object_id else None, None,
                        f"{status} {request.method} {route.path} (page)"[:200])
