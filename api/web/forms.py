"""A child's profile from a form: the fields a caseworker types, turned into a ``matcher.child.Child``, and what is
wrong with each field in words a person can act on (never the value typed, which may be a child's details).

Where the form is shown again after an error, the fields with an error come back empty, the postcode always does
(it is never kept), and the other fields keep what was typed so that nothing has to be typed twice.
"""

from pydantic import ValidationError
from starlette.datastructures import FormData

from core.vocabulary import NEEDS, TRANSPORT_MODES
from matcher.child import Child

FIELDS = ("child_id", "home_council", "home_postcode", "home_lsoa", "easting", "northing", "age", "ncy",
          "primary_need", "need_level", "sex", "max_travel_minutes", "transport_mode", "preferences")
#: Words for what is wrong with each field, in the GOV.UK style (say what to do).
MESSAGES = {
    "child_id": "Enter the child's reference: letters, numbers, full stops, hyphens or underscores, at most 64",
    "home_council": "Choose the child's home council",
    "home_postcode": "Enter a full postcode in England, like AB1 2CD",
    "home_lsoa": "Enter an LSOA code (E01 and 6 numbers) or an MSOA code (E02 and 6 numbers)",
    "easting": "Enter the easting and the northing in metres (British National Grid), both or neither",
    "northing": "Enter the easting and the northing in metres (British National Grid), both or neither",
    "age": "Enter the child's age in whole years, from 0 to 25",
    "ncy": "Enter the national curriculum year as a whole number from -2 to 14, or leave it empty",
    "primary_need": "Choose the child's primary need",
    "secondary_needs": "Choose at most 11 other needs",
    "need_level": "Choose a level of need from 1 to 4, or none",
    "sex": "Choose female, male or not given",
    "max_travel_minutes": "Enter the longest journey in minutes, from 1 to 240, or leave it empty",
    "transport_mode": "Choose how the child travels, or not given",
    "preferences": "Enter at most 10 settings, by name or URN, separated by commas",
    "location": "Enter the child's home postcode, the LSOA, or the easting and northing",
}


def _number(text: str, whole: bool) -> int | float | str | None:
    text = text.strip()
    if not text:
        return None
    try:
        return int(text) if whole else float(text)
    except ValueError:
        return text  # left for the model to refuse, by field


def child_record(form: FormData) -> dict:
    """The form as a child record (empty fields left out, numbers as numbers)."""
    text = {name: str(form.get(name, "")).strip() for name in FIELDS}
    record: dict = {"child_id": text["child_id"], "home_council": text["home_council"],
                    "primary_need": text["primary_need"],
                    "secondary_needs": [str(need) for need in form.getlist("secondary_needs")
                                        if str(need) != text["primary_need"]],
                    "requires_residential": form.get("requires_residential") == "yes"}
    for name in ("home_postcode", "home_lsoa", "sex", "transport_mode"):
        if text[name]:
            record[name] = text[name].upper() if name in ("home_postcode", "home_lsoa") else text[name]
    for name, whole in (("easting", False), ("northing", False), ("age", True), ("ncy", True),
                        ("need_level", True), ("max_travel_minutes", False)):
        value = _number(text[name], whole)
        if value is not None:
            record[name] = value
    if text["preferences"]:
        record["preferences"] = [_number(item, True) for item in text["preferences"].split(",") if item.strip()]
    return record


def parse_child_form(form: FormData) -> tuple[Child | None, dict[str, str]]:
    """The child, or the fields that are wrong with a message each (in the form's order)."""
    record = child_record(form)
    try:
        return Child.model_validate(record), {}
    except ValidationError as error:
        problems: dict[str, str] = {}
        for item in error.errors(include_input=False, include_url=False):
            field = str(item["loc"][0]) if item["loc"] else "location"
            problems.setdefault(field if field in MESSAGES else "location", MESSAGES.get(field, MESSAGES["location"]))
        if "age" not in record and "age" in problems:
            problems["age"] = "Enter the child's age"
        ordered = {name: problems[name] for name in (*FIELDS, "secondary_needs", "location") if name in problems}
        return None, ordered


def form_values(record: dict, errors: dict[str, str]) -> dict:
    """What the form shows again: the record's values, without the fields in error and without the postcode."""
    shown = {name: record.get(name) for name in FIELDS if name not in errors and name != "home_postcode"}
    preferences = shown.get("preferences")
    if isinstance(preferences, list | tuple):
        shown["preferences"] = ", ".join(str(item) for item in preferences)
    shown["secondary_needs"] = [] if "secondary_needs" in errors else list(record.get("secondary_needs") or [])
    shown["requires_residential"] = bool(record.get("requires_residential"))
    return shown


NEED_OPTIONS = NEEDS
TRANSPORT_OPTIONS = TRANSPORT_MODES
