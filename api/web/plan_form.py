"""A capacity plan from the planner's form: a library plan scenario with its ``plan:`` changed field by field and
checked by the scenario's own model (``scenarios.schema.PlanSpec``), with what is wrong by field in words."""

from pydantic import ValidationError
from starlette.datastructures import FormData

from api.platform.security.auth import Principal
from api.records.register import RegisterView
from api.records.run_records import check_run_text
from core.errors import PlacewiseError
from scenarios.schema import PlanSpec, SweepSpec

PLAN_FIELDS = ("library", "year", "places_per_site", "fixed_cost_gbp", "max_sites", "cap_minutes", "budget_gbp",
               "capital_cost", "sweep_draws", "run_name")
MESSAGES = {"library": "Choose a plan from the library",
            "needs": "Choose at least one need",
            "year": "Enter the year to plan for, from 2026 to 2030",
            "places_per_site": "Enter the places of a new unit, from 1 to 500",
            "fixed_cost_gbp": "Enter a unit's fixed cost a year in pounds, 0 or more",
            "max_sites": "Enter the most sites to open, from 0 to 100",
            "cap_minutes": "Enter the longest journey in minutes, from 1 to 240",
            "budget_gbp": "Enter the budget a year in pounds, 0 or more, or leave it empty",
            "capital_cost": "Enter the capital cost of a place in pounds, above 0, or leave it empty",
            "sweep_draws": "Enter the sweep's draws of demand, from 1 to 50, or leave it empty for the plan alone"}


def plan_library(view: RegisterView, caller: Principal) -> dict[str, dict]:
    """The library's plan scenarios the caller may run on this server's data."""
    from api.web.routes.scenarios import library

    return {key: entry for key, entry in library().items() if entry["plan"] and all(
        code in view.councils and caller.may_see(code) for code in entry["councils"])}


def _number(text: str) -> float | str | None:
    text = text.strip().replace(",", "").lstrip("£")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return text


def plan_document(form: FormData, entries: dict, capital_default: float
                  ) -> tuple[dict | None, str, float, dict[str, str]]:
    """The scenario to plan (its ``plan:`` and ``sweep:`` as the form changes them), whether it is a plan or a
    sweep, the capital cost a place, and the fields that are wrong."""
    key = str(form.get("library", ""))
    if key not in entries:
        return None, "plan", capital_default, {"library": MESSAGES["library"]}
    document = dict(entries[key]["document"])
    plan = dict(document.get("plan") or {})
    errors: dict[str, str] = {}
    needs = [str(need) for need in form.getlist("needs")]
    if needs:
        plan["needs"] = needs
    for field in ("year", "places_per_site", "max_sites"):
        value = _number(str(form.get(field, "")))
        if value is not None:
            plan[field] = int(value) if isinstance(value, float) and value.is_integer() else value
    for field in ("fixed_cost_gbp", "cap_minutes", "budget_gbp"):
        value = _number(str(form.get(field, "")))
        if value is not None:
            plan[field] = value
    try:
        PlanSpec.model_validate(plan)
    except ValidationError as error:
        for item in error.errors(include_input=False, include_url=False):
            field = str(item["loc"][0]) if item["loc"] else "library"
            errors.setdefault(field if field in MESSAGES else "library", MESSAGES.get(field, MESSAGES["library"]))
    capital = _number(str(form.get("capital_cost", "")))
    if capital is not None and (not isinstance(capital, float) or capital <= 0 or capital > 10_000_000):
        errors["capital_cost"] = MESSAGES["capital_cost"]
    draws = _number(str(form.get("sweep_draws", "")))
    kind = "plan"
    if draws is not None:
        if not isinstance(draws, float) or not draws.is_integer() or not 1 <= draws <= 50:
            errors["sweep_draws"] = MESSAGES["sweep_draws"]
        else:
            sweep = dict(document.get("sweep") or {})
            document["sweep"] = SweepSpec.model_validate({**sweep, "draws": int(draws)}).model_dump(mode="json")
            kind = "sweep"
    try:
        check_run_text(str(form.get("run_name", "")), "name")
    except PlacewiseError as refused:
        errors["run_name"] = refused.message.split(": ", 1)[-1].capitalize()
    document["plan"] = plan
    ordered = {name: errors[name] for name in (*PLAN_FIELDS, "needs") if name in errors}
    return (None if ordered else document), kind, capital if isinstance(capital, float) else capital_default, ordered
