"""A scenario's changes from the commissioner's form: demand growth for a need, places added at a setting (for every
need, or for one), a setting closed, a council quota at a jointly commissioned setting, a new setting opened, and
every price capped at its national band.

Each change the form gives becomes one delta, checked by the scenario's own model (``scenarios.schema.Delta``, as a
file's ``deltas:`` are); a setting the change names must be in the register (a new one must not be). What is wrong
comes back by field, in fixed words that never repeat what was typed.
"""

from collections.abc import Callable

from pydantic import ValidationError
from starlette.datastructures import FormData

from core.vocabulary import GENDERS, KIND_WORDS, KINDS, NEED_WORDS, NEEDS
from scenarios.schema import Delta

OPEN_FIELDS = ("open_urn", "open_name", "open_kind", "open_council", "open_easting", "open_northing", "open_age_low",
               "open_age_high", "open_places", "open_gender")
FIELDS = ("growth_need", "growth_percent", "expand_setting", "expand_places", "close_setting", "add_setting",
          "add_need", "add_places", "quota_setting", *OPEN_FIELDS, "open_residential", "cap_prices")
#: Where each field of ``OpenProvider`` is typed on the form.
OPEN_FORM_FIELDS = {"provider_id": "open_urn", "name": "open_name", "kind": "open_kind",
                    "host_council": "open_council", "easting": "open_easting", "northing": "open_northing",
                    "designated_needs": "open_needs", "age_low": "open_age_low", "age_high": "open_age_high",
                    "places": "open_places", "residential": "open_residential", "gender": "open_gender"}
MESSAGES = {
    "growth_percent": "Choose a need and enter its growth as a whole percentage from -100 to 1000",
    "expand_places": "Choose a setting and enter the places to add (or remove, below zero)",
    "expand_setting": "Choose a setting from the list",
    "close_setting": "Choose a setting to close from the list",
    "add_setting": "Choose a setting from the list for the places for a need",
    "add_need": "Choose the need the new places are for",
    "add_places": "Enter the places for the need as a whole number from 1 to 5000",
    "quota_setting": "Choose the jointly commissioned setting the quotas are for",
    "quota": "Enter each council's quota as a whole number of places from 0 to 5000, for at least one council",
    "open_urn": "Enter a new URN for the setting: a whole number above 0 that no setting in the register has",
    "open_name": "Enter the new setting's name, at most 200 characters",
    "open_kind": "Choose the kind of the new setting",
    "open_council": "Choose the council that hosts the new setting",
    "open_easting": "Enter the easting in metres (EPSG:27700), a point in England",
    "open_northing": "Enter the northing in metres (EPSG:27700), a point in England",
    "open_needs": "Choose at least one need the new setting is designated for",
    "open_age_low": "Enter the youngest age, from 0 to 25",
    "open_age_high": "Enter the oldest age, from 0 to 25 and not below the youngest",
    "open_places": "Enter the new setting's places as a whole number from 1 to 5000",
    "open_residential": "Say whether the new setting is residential",
    "open_gender": "Choose whether the new setting is mixed, for boys or for girls",
}


def delta_values(form: FormData, councils: tuple[str, ...]) -> dict[str, str]:
    """The form's change fields as typed (for showing the form again); needs ticked are joined by commas."""
    values = {name: str(form.get(name, "")) for name in FIELDS}
    values["open_needs"] = ",".join(str(need) for need in form.getlist("open_needs"))
    values.update({f"quota_{code}": str(form.get(f"quota_{code}", "")) for code in councils})
    return values


def form_deltas(values: dict[str, str], known: Callable[[int], bool],
                councils: tuple[str, ...]) -> tuple[list[dict], dict[str, str]]:
    """The deltas the form gives, in the form's order, or the fields that are wrong with their messages.

    ``known`` says whether a URN is a setting of the register; ``councils`` are those a quota may be given for."""
    deltas: list[dict] = []
    errors: dict[str, str] = {}
    for build in (_growth, _expand, _close, _add_places, _quota, _open, _cap_prices):
        delta, wrong = build(values, known, councils)
        errors.update(wrong)
        if delta is not None and not wrong:
            checked = _checked(delta)
            errors.update(checked)
            if not checked:
                deltas.append(delta)
    return deltas, errors


def _whole(text: str) -> int | str:
    """A whole number typed (commas allowed), else the text, refused by the model by field."""
    try:
        return int(text.strip().replace(",", ""))
    except ValueError:
        return text.strip()


def _setting(values: dict[str, str], field: str, known: Callable[[int], bool]) -> tuple[int | None, dict]:
    """The URN chosen in ``field``: None where empty, an error by field where it is not a setting of the register."""
    text = values[field].strip()
    if not text:
        return None, {}
    urn = _whole(text)
    if not isinstance(urn, int) or urn <= 0 or not known(urn):
        return None, {field: MESSAGES[field]}
    return urn, {}


def _growth(values: dict, _known: Callable, _councils: tuple) -> tuple[dict | None, dict]:
    need, percent = values["growth_need"], _whole(values["growth_percent"])
    if not need and not values["growth_percent"].strip():
        return None, {}
    if need not in NEEDS or not isinstance(percent, int) or not -100 <= percent <= 1000:
        return None, {"growth_percent": MESSAGES["growth_percent"]}
    return {"demand_growth": {need: percent / 100}}, {}


def _expand(values: dict, known: Callable, _councils: tuple) -> tuple[dict | None, dict]:
    urn, wrong = _setting(values, "expand_setting", known)
    places = _whole(values["expand_places"])
    if wrong or (urn is None and not values["expand_places"].strip()):
        return None, wrong
    if urn is None or not isinstance(places, int) or places == 0:
        return None, {"expand_places": MESSAGES["expand_places"]}
    return {"expand": {urn: places}}, {}


def _close(values: dict, known: Callable, _councils: tuple) -> tuple[dict | None, dict]:
    urn, wrong = _setting(values, "close_setting", known)
    return ({"close": urn} if urn is not None else None), wrong


def _add_places(values: dict, known: Callable, _councils: tuple) -> tuple[dict | None, dict]:
    urn, wrong = _setting(values, "add_setting", known)
    if wrong or (urn is None and not values["add_need"] and not values["add_places"].strip()):
        return None, wrong
    if urn is None:
        return None, {"add_setting": MESSAGES["add_setting"]}
    return {"add_places": {"provider_id": urn, "need": values["add_need"], "places": _whole(values["add_places"])}}, {}


def _quota(values: dict, known: Callable, councils: tuple) -> tuple[dict | None, dict]:
    urn, wrong = _setting(values, "quota_setting", known)
    places = {code: _whole(values.get(f"quota_{code}", "")) for code in councils
              if values.get(f"quota_{code}", "").strip()}
    if wrong or (urn is None and not places):
        return None, wrong
    if urn is None:
        return None, {"quota_setting": MESSAGES["quota_setting"]}
    return {"quota": {"provider_id": urn, "places": places}}, {}


def _open(values: dict, known: Callable, _councils: tuple) -> tuple[dict | None, dict]:
    if not any(values[name].strip() for name in (*OPEN_FIELDS[:2], *OPEN_FIELDS[4:9])) and not values["open_needs"]:
        return None, {}
    urn = _whole(values["open_urn"])
    if isinstance(urn, int) and urn > 0 and known(urn):
        return None, {"open_urn": MESSAGES["open_urn"]}
    spec = {"provider_id": urn, "name": values["open_name"].strip(), "kind": values["open_kind"],
            "host_council": values["open_council"], "easting": values["open_easting"].strip().replace(",", ""),
            "northing": values["open_northing"].strip().replace(",", ""),
            "designated_needs": [need for need in values["open_needs"].split(",") if need],
            "age_low": _whole(values["open_age_low"]), "age_high": _whole(values["open_age_high"]),
            "places": _whole(values["open_places"]), "residential": values["open_residential"] == "yes",
            "gender": values["open_gender"] or "mixed"}
    return {"open": spec}, {}


def _cap_prices(values: dict, _known: Callable, _councils: tuple) -> tuple[dict | None, dict]:
    return ({"cap_prices": True} if values["cap_prices"] == "yes" else None), {}


def _checked(delta: dict) -> dict[str, str]:
    """The delta checked by the scenario's own model: nothing where it holds, else its wrong fields by form field."""
    try:
        Delta.model_validate(delta)
    except ValidationError as error:
        return _problems(error)
    return {}


def _problems(error: ValidationError) -> dict[str, str]:
    found: dict[str, str] = {}
    for item in error.errors(include_input=False, include_url=False):
        location = [str(part) for part in item["loc"]]
        if location[:1] == ["open"]:
            field = OPEN_FORM_FIELDS.get(location[1]) if len(location) > 1 else (
                "open_easting" if "easting" in item["msg"] else "open_age_high")
        elif location[:1] == ["add_places"]:
            field = {"need": "add_need", "places": "add_places"}.get(location[1] if len(location) > 1 else "",
                                                                     "add_setting")
        elif location[:1] == ["quota"]:
            field = "quota"
        else:
            field = "growth_percent" if location[:1] == ["demand_growth"] else "expand_places"
        if field is not None:
            found.setdefault(field, MESSAGES[field])
    return found


def describe_delta(delta: dict, setting: Callable[[int], str] = str) -> str:
    """A delta in a few words, for the library's list (``setting`` names a URN)."""
    if "open" in delta:
        return f"opens {delta['open'].get('name', 'a setting')} ({delta['open'].get('places', 0)} places)"
    if "close" in delta:
        return f"closes {setting(int(delta['close']))}"
    if "expand" in delta:
        return "; ".join(f"{int(places):+} places at {setting(int(urn))}" for urn, places in delta["expand"].items())
    if "add_places" in delta:
        change = delta["add_places"]
        return (f"{change['places']} places for {NEED_WORDS.get(change['need'], change['need'])} at "
                f"{setting(int(change['provider_id']))}")
    if "quota" in delta:
        return f"council quotas at {setting(int(delta['quota']['provider_id']))}"
    if "demand_growth" in delta:
        return "; ".join(f"{NEED_WORDS.get(need, need)} demand {rate:+.0%}"
                         for need, rate in delta["demand_growth"].items())
    return "prices capped at their national bands" if "cap_prices" in delta else "a change"


#: The choices of the form's lists: kinds and genders as the register names them.
KIND_CHOICES = [("", "Choose a kind")] + [(kind, KIND_WORDS.get(kind, kind)) for kind in KINDS]
GENDER_CHOICES = [(gender, gender) for gender in GENDERS]
