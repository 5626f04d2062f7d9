"""A scenario's policy from the commissioner's form: the five criteria's weights, the travel caps by phase, a
budget, the most placed outside their council, and whether children may move; checked by the policy's own model
(``matcher.policy.Policy``, as a scenario file's ``policy:`` is), with what is wrong by field in words."""

from pydantic import ValidationError
from starlette.datastructures import FormData

from matcher.criteria import CRITERIA, DEFAULT_WEIGHTS
from matcher.policy import DEFAULT_CAPS_MINUTES, Policy

WEIGHT_WORDS = {"suitability": "Suits the child's needs", "availability": "Places free", "travel": "Travel",
                "performance": "Quality (Ofsted)", "value_for_money": "Value for money"}
CAP_PHASES = ("primary", "secondary")
FIELDS = (*(f"weight_{name}" for name in CRITERIA), *(f"cap_{phase}" for phase in CAP_PHASES), "budget",
          "out_of_area", "allow_moves")
MESSAGES = {**{f"weight_{name}": f"Enter a weight for “{WEIGHT_WORDS[name]}” of 0 or more" for name in CRITERIA},
            **{f"cap_{phase}": f"Enter the {phase} travel cap in minutes, from 1 to 240" for phase in CAP_PHASES},
            "budget": "Enter the budget in pounds a year, 0 or more, or leave it empty",
            "out_of_area": "Enter the most placed outside their council as a percentage from 0 to 100, or leave it "
                           "empty", "weights": "Give at least one criterion a weight above 0"}


def _number(text: str) -> float | str | None:
    text = text.strip().replace(",", "").lstrip("£").rstrip("%")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return text  # refused by the model, by field


def policy_values(form: FormData) -> dict[str, str]:
    """The form's policy fields as typed (for showing the form again)."""
    return {name: str(form.get(name, "")) for name in FIELDS}


def form_policy(form: FormData, base: dict) -> tuple[dict | None, dict[str, str]]:
    """The base scenario's policy with the form's changes (fields left empty keep the base's), or the fields that
    are wrong, each with a message."""
    values = policy_values(form)
    policy = dict(base)
    weights = {name: _number(values[f"weight_{name}"]) for name in CRITERIA}
    if any(weight is not None for weight in weights.values()):
        current = {**DEFAULT_WEIGHTS, **(base.get("weights") or {})}
        policy["weights"] = {name: current.get(name, 0.0) if weight is None else weight
                             for name, weight in weights.items()}
    caps = {phase: _number(values[f"cap_{phase}"]) for phase in CAP_PHASES}
    if any(cap is not None for cap in caps.values()):
        policy["travel_caps_minutes"] = {**DEFAULT_CAPS_MINUTES, **(base.get("travel_caps_minutes") or {}),
                                         **{phase: cap for phase, cap in caps.items() if cap is not None}}
    budget, share = _number(values["budget"]), _number(values["out_of_area"])
    if budget is not None:
        policy["budget_gbp"] = budget
    if share is not None:
        policy["max_out_of_area_share"] = share / 100 if isinstance(share, float) else share
    if values["allow_moves"] == "yes":
        policy["allow_moves"] = True
    try:
        Policy.model_validate(policy)
    except ValidationError as error:
        return None, _problems(error)
    return policy, {}


def _problems(error: ValidationError) -> dict[str, str]:
    """Each wrong field of the form with its message (in the form's order)."""
    found: dict[str, str] = {}
    for item in error.errors(include_input=False, include_url=False):
        location = [str(part) for part in item["loc"]]
        if location[:1] == ["weights"]:
            field = f"weight_{location[1]}" if len(location) > 1 else "weights"
        elif location[:1] == ["travel_caps_minutes"] and len(location) > 1:
            field = f"cap_{location[1]}"
        elif location[:1] == ["budget_gbp"]:
            field = "budget"
        elif location[:1] == ["max_out_of_area_share"]:
            field = "out_of_area"
        else:
            continue
        found.setdefault(field, MESSAGES.get(field, MESSAGES["weights"]))
    order = [*FIELDS, "weights"]
    return {name: found[name] for name in order if name in found} or {"weights": MESSAGES["weights"]}
