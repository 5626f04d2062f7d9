"""A child's alternative provision placement: its planned length, review dates, the mainstream school to return to,
dual registration, and its outcomes; the council's AP policy checks it, and the AP performance framework's outcomes
(configuration: the published five by default) are summarised over a council's placements where the data says so.

Bad input is refused by field (and by row in a file), all or nothing: an end date or a return school missing where the
policy requires them, a planned length over the policy's limit, reviews outside the placement or further apart than
the policy allows, an outcome dated before the placement began.
"""

from datetime import date
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.errors import PlacewiseError
from core.vocabulary import CHILD_ID_PATTERN
from geodata.tables import read_csv_checked
from matcher.child import describe_validation_error

Destination = Literal["education", "employment_with_training", "training", "neet", "not_known"]
#: The AP performance framework's outcomes, as published, the default where a council's configuration names none.
DEFAULT_OUTCOMES = ("attendance", "reintegration", "sustained_reintegration", "english_and_maths", "post16_destination")
OUTCOME_WORDS = {
    "attendance": "average attendance while in AP",
    "reintegration": "share returned to a mainstream school",
    "sustained_reintegration": "share of those returned still there two terms later",
    "english_and_maths": "share of those assessed with English and maths at grade 4 or above",
    "post16_destination": "share of those leaving at 16 in education, employment or training",
}


class APPolicyRules(BaseModel):
    """The council's rules for AP placements."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    require_end_date: bool = True
    require_return_school: bool = True
    max_weeks: int = Field(default=39, ge=1, le=156, description="The longest planned placement (three terms: 39)")
    review_every_weeks: int = Field(default=6, ge=1, le=52, description="The longest gap between reviews")
    outcomes: tuple[str, ...] = DEFAULT_OUTCOMES


class APOutcome(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    attendance_share: float | None = Field(default=None, ge=0, le=1)
    returned_on: date | None = None
    sustained_two_terms: bool | None = None
    english_and_maths: bool | None = None
    post16_destination: Destination | None = None


class APPlacement(BaseModel):
    """One child's AP placement (pseudonymous id; the setting by ``ap_id``, the return school by URN)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    child_id: str = Field(pattern=CHILD_ID_PATTERN)
    ap_id: str = Field(min_length=1, max_length=40)
    started_on: date
    planned_end_on: date | None = None
    review_dates: tuple[date, ...] = ()
    return_school_urn: int | None = Field(default=None, ge=100_000, le=999_999)
    dual_registered: bool = False
    outcome: APOutcome = APOutcome()

    def planned_weeks(self) -> float | None:
        return None if self.planned_end_on is None else (self.planned_end_on - self.started_on).days / 7


def check_placement(placement: APPlacement, rules: APPolicyRules) -> None:
    """Refuse a placement that breaks the council's rules, naming the field (see the module)."""
    end = placement.planned_end_on
    if end is None and rules.require_end_date:
        raise PlacewiseError("planned_end_on: AP is time-limited here; give the day the placement is planned to "
                             "end", field="planned_end_on")
    if placement.return_school_urn is None and rules.require_return_school:
        raise PlacewiseError("return_school_urn: name the mainstream school the child returns to (its URN); the "
                             "shortlist's return options help", field="return_school_urn")
    weeks = placement.planned_weeks()
    if weeks is not None and not 0 < weeks <= rules.max_weeks:
        raise PlacewiseError(f"planned_end_on: plan from 1 day to {rules.max_weeks} weeks after started_on",
                             field="planned_end_on")
    reviews = sorted(placement.review_dates)
    last = end or max(reviews, default=placement.started_on)
    if any(not placement.started_on <= review <= last for review in reviews):
        raise PlacewiseError("review_dates: give days within the placement", field="review_dates")
    gaps = [(after - before).days for before, after in zip([placement.started_on, *reviews], [*reviews, last],
                                                           strict=True)]
    if end is not None and max(gaps) > rules.review_every_weeks * 7:
        raise PlacewiseError(f"review_dates: review at least every {rules.review_every_weeks} weeks, to the end",
                             field="review_dates")
    returned = placement.outcome.returned_on
    if returned is not None and returned < placement.started_on:
        raise PlacewiseError("outcome.returned_on: the child cannot return before the placement began",
                             field="outcome.returned_on")


def load_ap_placements(path: Path, rules: APPolicyRules) -> list[APPlacement]:
    """A CSV of AP placements (``APPlacement``'s fields; ``review_dates`` separated by ``;``; outcomes as
    ``attendance_share, returned_on, sustained_two_terms, english_and_maths, post16_destination``), every row checked
    against the rules: all or nothing, errors by row and field, never a value."""
    table = read_csv_checked(Path(path), ["child_id", "ap_id", "started_on"], dtype=str, keep_default_na=False)
    outcome_fields = set(APOutcome.model_fields)
    placements, problems = [], []
    for number, row in enumerate(table.to_dict("records"), start=2):
        given = {key: value.strip() for key, value in row.items() if isinstance(value, str) and value.strip()}
        document: dict = {key: value for key, value in given.items() if key not in outcome_fields}
        document["review_dates"] = [day for day in given.get("review_dates", "").split(";") if day.strip()]
        document["outcome"] = {key: value for key, value in given.items() if key in outcome_fields}
        try:
            placement = APPlacement.model_validate(document)
            check_placement(placement, rules)
            placements.append(placement)
        except ValidationError as error:
            problems.append(f"row {number}: {describe_validation_error(error)}")
        except PlacewiseError as error:
            problems.append(f"row {number}: {error.message}")
    if problems:
        raise PlacewiseError(f"{path}: " + "; ".join(problems[:10]) + "; nothing was read", field="placements")
    return placements


def summarise_outcomes(placements: list[APPlacement], outcomes: tuple[str, ...] = DEFAULT_OUTCOMES) -> dict:
    """Each configured outcome over the placements, where the data says so (None where no placement records it),
    with how many placements it rests on."""
    frame = pd.DataFrame([{**placement.outcome.model_dump(), "child_id": placement.child_id}
                          for placement in placements])
    if frame.empty:
        return {name: {"value": None, "placements": 0, "words": OUTCOME_WORDS.get(name, name)} for name in outcomes}
    returned = frame["returned_on"].notna()
    measures = {
        "attendance": frame["attendance_share"].dropna().astype(float),
        "reintegration": returned.astype(float),
        "sustained_reintegration": frame.loc[returned, "sustained_two_terms"].dropna().astype(float),
        "english_and_maths": frame["english_and_maths"].dropna().astype(float),
        "post16_destination": frame["post16_destination"].dropna().isin(
            ["education", "employment_with_training", "training"]).astype(float),
    }
    unknown = [name for name in outcomes if name not in measures]
    if unknown:
        raise PlacewiseError(f"outcomes: {', '.join(unknown)} is not an outcome Placewise measures; use "
                             f"{', '.join(DEFAULT_OUTCOMES)}", field="outcomes")
    return {name: {"value": round(float(measures[name].mean()), 3) if len(measures[name]) else None,
                   "placements": int(len(measures[name])), "words": OUTCOME_WORDS[name]} for name in outcomes}
