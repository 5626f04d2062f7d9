"""The start page, signing in and signing out: the same people, passwords, backoff and audit as ``POST /v1/token``."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from api.platform.security.audit import audit
from api.platform.security.sign_in import client_address
from api.web.render import page
from api.web.sessions import AnyPerson, Form, begin_session, end_this_session, local_path, signed_in

router = APIRouter(include_in_schema=False)
SECTIONS = {
    "caseworker": [("Children", "/children", "Children's profiles, their shortlists and a page for families.")],
    "commissioner": [("Children", "/children", "Children's profiles, their shortlists and a page for families."),
                     ("Scenarios", "/scenarios", "Run what-if scenarios across councils and compare them."),
                     ("Vacancies", "/vacancies", "Report the places free at the settings your councils host."),
                     ("Planning", "/planning", "Forecasts of plans, capacity plans and sweeps."),
                     ("0-25 dashboard", "/dashboard", "Plans, placements and spend beside the region and England.")],
    "planner": [("Scenarios", "/scenarios", "Run what-if scenarios across councils and compare them."),
                ("Planning", "/planning", "Forecasts of plans, capacity plans and sweeps."),
                ("0-25 dashboard", "/dashboard", "Plans, placements and spend beside the region and England.")],
}
SECTIONS["decision_maker"] = [("Decisions", "/decisions", "Package lists, consultations, decisions with the law's "
                                                          "tests and reasons, letters, bundles and reconsiderations.")]
SECTIONS["setting"] = [("Your settings", "/portal", "Your vacancies, the consultations and offers addressed to your "
                                                   "settings, and placement agreements to sign.")]
SECTIONS["admin"] = SECTIONS["commissioner"]


@router.get("/")
def home(request: Request, caller: AnyPerson) -> Response:
    view = request.app.state.register.current()
    if caller.role == "setting":
        councils = ", ".join(view.provider_name(provider_id) for provider_id in caller.provider_ids)
    else:
        councils = ", ".join(view.council_name(code) for code in caller.councils) or "every council (administrator)"
    return page(request, "home.html", title="Placewise", sections=SECTIONS.get(caller.role, []), councils=councils)


@router.get("/sign-in")
def sign_in_page(request: Request, next: str = "/") -> Response:
    if signed_in(request) is not None:
        return RedirectResponse(local_path(next), status_code=303)
    return page(request, "sign_in.html", title="Sign in", errors={}, username="", next=local_path(next))


@router.post("/sign-in")
def sign_in(request: Request, form: Form) -> Response:
    username, password = str(form.get("username", ""))[:100], str(form.get("password", ""))[:200]
    target = local_path(str(form.get("next", "/")))
    errors = {}
    if not username:
        errors["username"] = "Enter your username"
    if not password:
        errors["password"] = "Enter your password"
    if errors:
        return page(request, "sign_in.html", 422, title="Sign in", errors=errors, username=username, next=target)
    logins = request.app.state.logins
    address = client_address(request)
    attempt = logins.attempt(username, password, address)
    if attempt.wait_seconds:
        wait = attempt.wait_seconds
        audit(request, username, "sign_in", "session", None, None, f"refused: wait {wait} s")
        return page(request, "sign_in.html", 429, title="Sign in", username=username, next=target,
                    errors={"password": f"Too many wrong passwords. Wait {wait} seconds, then try again"})
    if attempt.user is None:
        audit(request, username, "sign_in", "session", None, None, "wrong username or password")
        return page(request, "sign_in.html", 401, title="Sign in", username=username, next=target,
                    errors={"username": "The username or password is not right"})
    with request.app.state.sessions.begin() as session:  # the session and its audit row, together or not at all
        logins.signed_in(session, username, address)
        begin_session(request, session, username)
        audit(request, username, "sign_in", "session", None, None, "signed in", session=session)
    return RedirectResponse(target, status_code=303)


@router.post("/sign-out")
def sign_out(request: Request, caller: AnyPerson, form: Form) -> Response:
    """End the session in the store (a copy of the cookie is refused from now on), audited."""
    with request.app.state.sessions.begin() as session:
        end_this_session(request, session)
        audit(request, caller, "sign_out", "session", None, None, "signed out", session=session)
    return RedirectResponse("/sign-in", status_code=303)
