"""The decision maker's forms read into what the shared use cases take, and what is wrong with each field in words a
person can act on (never the value typed): dates in the GOV.UK three-field pattern, a decision's terms (the setting
named, the reasons, the statutory test for each setting the parents asked for, the override), and refusals of the
use cases turned into form errors by the field they name."""

from datetime import date

from pydantic import ValidationError
from starlette.datastructures import FormData

from core.errors import Conflict, Forbidden, PlacewiseError
from scenarios.statutory_tests import DecisionTerms

#: Words for each field of the decision form, in the GOV.UK style (say what to do).
MESSAGES = {
    "named_provider_id": "Choose the setting to name",
    "reasons": "Enter your reasons for the decision in your own words (at least 10 characters)",
    "override_reasons": "Enter why you go on with the decision despite the warnings, or change it",
    "test": "Choose the test you applied to this setting",
    "test_reasons": "Enter your reasons for this setting in your own words (at least 10 characters)",
    "requested_cost": "Enter the whole cost a year of this setting, transport included, in pounds",
    "named_cost": "Enter the whole cost a year of the setting named, transport included, in pounds",
}


def form_date(form: FormData, name: str) -> date | None:
    """A date from the fields ``name-day``, ``name-month`` and ``name-year`` (None where it is not a real date)."""
    try:
        return date(*(int(str(form.get(f"{name}-{part}", "")).strip()) for part in ("year", "month", "day")))
    except ValueError:
        return None


def date_values(form: FormData, name: str) -> dict[str, str]:
    """What a date's three fields show again (digits only, so nothing typed is echoed that is not a date part)."""
    return {part: value if (value := str(form.get(f"{name}-{part}", "")).strip()).isdigit() else ""
            for part in ("day", "month", "year")}


def _number(text: object) -> int | None:
    cleaned = str(text or "").replace(",", "").replace("£", "").strip()
    return int(cleaned) if cleaned.isdigit() else None


def decision_terms(form: FormData, preferences: list[int]) -> tuple[DecisionTerms | None, dict[str, str]]:
    """The decision's terms from the form, or the fields that are wrong with a message each."""
    named = _number(form.get("named_provider_id"))
    tests = []
    for provider in preferences:
        test = {"provider_id": provider, "test": str(form.get(f"test-{provider}", "")),
                "reasons": str(form.get(f"reasons-{provider}", ""))}
        for field, key in (("requested_annual_cost_gbp", "requested_cost"), ("named_annual_cost_gbp", "named_cost")):
            value = _number(form.get(f"{key}-{provider}"))
            if value is not None:
                test[field] = value
        tests.append(test)
    override = str(form.get("override_reasons", "")).strip()
    values = {"named_provider_id": named, "reasons": str(form.get("reasons", "")), "preferences": tests,
              "override_reasons": override or None}
    try:
        return DecisionTerms.model_validate(values), {}
    except ValidationError as error:
        return None, _validation_errors(error, preferences)


def _validation_errors(error: ValidationError, preferences: list[int]) -> dict[str, str]:
    problems: dict[str, str] = {}
    for item in error.errors(include_input=False, include_url=False):
        where = item["loc"]
        if where and where[0] == "preferences" and len(where) >= 3 and isinstance(where[1], int):
            provider, field = preferences[where[1]], str(where[2])
            key = {"test": "test", "reasons": "test_reasons", "requested_annual_cost_gbp": "requested_cost",
                   "named_annual_cost_gbp": "named_cost"}.get(field, "test")
            problems.setdefault(f"{key.replace('test_reasons', 'reasons')}-{provider}", MESSAGES[key])
        elif where and str(where[0]) in MESSAGES:
            problems.setdefault(str(where[0]), MESSAGES[str(where[0])])
        else:
            problems.setdefault("named_provider_id", MESSAGES["named_provider_id"])
    return problems


def refusal_errors(refused: Exception, preferences: list[int]) -> dict[str, str]:
    """A refusal of the shared use cases as form errors: the message (which never holds a value sent) on the field
    it names, anchored at the form's first field of that kind."""
    assert isinstance(refused, PlacewiseError)
    if isinstance(refused, (Conflict, Forbidden)):  # the consultation's state, not a field: said as it is
        return {"named_provider_id": refused.message[:300]}
    field = refused.field or "named_provider_id"
    words = refused.message.split(": ", 1)[-1]
    words = words[:1].upper() + words[1:]
    if field.startswith("preferences") and preferences:
        part = field.split(".")[-1]
        anchor = {"reasons": "reasons", "requested_annual_cost_gbp": "requested_cost"}.get(part, "test")
        return {f"{anchor}-{preferences[0]}": words}
    if field in ("officer", "council_contacts"):
        return {"named_provider_id": words}
    return {field: words}
