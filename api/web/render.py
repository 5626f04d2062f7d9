"""Rendering pages: Jinja2 templates (autoescaped) with the layout's context and filters that write figures the
way a person reads them (pounds, shares, minutes, names instead of codes)."""

import math
from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from api.web.sessions import csrf_token, signed_in
from core.vocabulary import KIND_WORDS, NEED_WORDS, NEEDS

TEMPLATES = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")
#: Each role's sections in the header, in order.
NAVIGATION = {
    "caseworker": [("Children", "/children"), ("Find a setting", "/find-a-setting")],
    "commissioner": [("Children", "/children"), ("Find a setting", "/find-a-setting"), ("SEN2 return", "/cohorts/sen2"),
                     ("Scenarios", "/scenarios"),
                     ("Vacancies", "/vacancies"), ("Planning", "/planning"), ("0-25 dashboard", "/dashboard")],
    "planner": [("Scenarios", "/scenarios"), ("Planning", "/planning"), ("Reform plan pack", "/packs"),
                ("0-25 dashboard", "/dashboard")],
    "decision_maker": [("Decisions", "/decisions")],
    "setting": [("Your settings", "/portal")],
    "admin": [("Children", "/children"), ("SEN2 return", "/cohorts/sen2"), ("Scenarios", "/scenarios"),
              ("Vacancies", "/vacancies"), ("Planning", "/planning"), ("0-25 dashboard", "/dashboard")],
}


def _finite(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def money(value: object) -> str:
    number = _finite(value)
    return "not known" if number is None else f"-£{-number:,.0f}" if number < 0 else f"£{number:,.0f}"


def signed_money(value: object) -> str:
    number = _finite(value)
    return "not known" if number is None else ("+" if number > 0 else "") + money(number)


def whole(value: object) -> str:
    number = _finite(value)
    return "not known" if number is None else f"{number:,.0f}"


def share(value: object, places: int = 1) -> str:
    number = _finite(value)
    return "not known" if number is None else f"{number:.{places}%}"


def minutes(value: object) -> str:
    number = _finite(value)
    return "not known" if number is None else f"{number:.0f} minutes"


def sentence(text: object) -> str:
    """The text with its first letter a capital, the rest as written (Ofsted stays Ofsted)."""
    words = str(text)
    return words[:1].upper() + words[1:]


TEMPLATES.env.filters.update(sentence=sentence, money=money, signed_money=signed_money, whole=whole, share=share,
                             minutes=minutes,
                             kind_words=lambda kind: KIND_WORDS.get(str(kind), str(kind).replace("_", " ")),
                             need_words=lambda need: NEED_WORDS.get(str(need), str(need)))
TEMPLATES.env.globals.update(NEED_WORDS=NEED_WORDS, KIND_WORDS=KIND_WORDS,
                             NEEDS=[(code, NEED_WORDS[code]) for code in NEEDS])


def page(request: Request, template: str, status: int = 200, **context: object) -> Response:
    """A page of the layout: the signed-in person, their sections, the CSRF token for its forms."""
    caller = getattr(request.state, "caller", None) or signed_in(request)
    navigation = NAVIGATION.get(caller.role, []) if caller else []
    return TEMPLATES.TemplateResponse(request, template, {
        "caller": caller, "navigation": navigation, "csrf": csrf_token(request), "path": request.url.path,
        "oidc": getattr(request.app.state, "oidc", None) is not None,
        **context}, status_code=status)
