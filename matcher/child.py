"""One child's record, validated: pseudonymous id, coarse location, needs, age and wishes."""

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from core.errors import PlacewiseError
from core.vocabulary import (
    AREA_PATTERN,
    CHILD_ID_PATTERN,
    COUNCIL_PATTERN,
    NCY_AGE_OFFSET,
    NCY_AGE_TOLERANCE,
    NEEDS,
    Attendance,
    Kind,
    Phase,
    Sex,
    TransportMode,
    phase_of_age,
)


def _need_code(value: object) -> object:
    if isinstance(value, str) and value.strip().upper() in NEEDS:
        return value.strip().upper()
    if isinstance(value, str):
        raise ValueError(f"unknown need code; use one of {', '.join(NEEDS)}")
    return value


class Child(BaseModel):
    """A pseudonymised child record with the architecture's field names; never a name or an address."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    child_id: str = Field(pattern=CHILD_ID_PATTERN)
    home_council: str = Field(pattern=COUNCIL_PATTERN)
    easting: float | None = None
    northing: float | None = None
    home_lsoa: str | None = Field(default=None, pattern=AREA_PATTERN)
    #: A postcode is only ever a way in: it is turned into its LSOA (``scenarios.inputs.locate_child``) and dropped,
    #: never stored, logged or echoed.
    home_postcode: str | None = Field(default=None, min_length=5, max_length=8, repr=False)
    age: int = Field(ge=0, le=25)
    ncy: int | None = Field(default=None, ge=-2, le=14)
    primary_need: str
    secondary_needs: Annotated[tuple[str, ...], Field(max_length=11)] = ()
    need_level: int | None = Field(default=None, ge=1, le=4)
    sex: Sex | None = None
    requires_residential: bool = False
    current_provider_id: int | None = None
    #: The kind of the current setting and how the child attends it, as the council's return records them (the
    #: baseline a run is compared with; ``scenarios.sen2_cohort``): never used to choose a setting.
    current_kind: Kind | None = None
    current_attendance: Attendance | None = None
    preferences: Annotated[tuple[int, ...], Field(max_length=10)] = ()
    max_travel_minutes: float | None = Field(default=None, gt=0, le=240)
    transport_mode: TransportMode | None = None
    #: The child's Specialist Provision Packages (ids of the deployment's catalogue, ``matcher.packages``): one,
    #: several (parts of several), or none where the plan names none yet.
    packages: Annotated[tuple[Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{1,40}$")], ...],
                        Field(max_length=10)] = ()

    _check_primary = field_validator("primary_need", mode="before")(_need_code)

    @field_validator("secondary_needs", mode="before")
    @classmethod
    def _check_secondary(cls, value: object) -> object:
        if isinstance(value, (list, tuple)):
            return tuple(_need_code(item) for item in value)
        return value

    @model_validator(mode="after")
    def _check_location(self) -> "Child":
        has_point = self.easting is not None and self.northing is not None
        if not has_point and self.home_lsoa is None and self.home_postcode is None:
            raise ValueError("give easting and northing (EPSG:27700), home_lsoa or home_postcode")
        if (self.easting is None) != (self.northing is None):
            raise ValueError("give both easting and northing, or neither")
        return self

    @model_validator(mode="after")
    def _check_year_group(self) -> "Child":
        if self.ncy is not None and abs(self.ncy + NCY_AGE_OFFSET - self.age) > NCY_AGE_TOLERANCE:
            raise ValueError(f"ncy: the year group is more than {NCY_AGE_TOLERANCE} years from the child's age (a "
                             f"child in year n is n + {NCY_AGE_OFFSET} on 31 August); check ncy and age")
        return self

    @property
    def year_age(self) -> int:
        """The age the child's year group is taught at (NCY + 4, on 31 August), else the child's age."""
        return self.age if self.ncy is None else self.ncy + NCY_AGE_OFFSET

    @property
    def phase(self) -> Phase:
        """The school phase, from the national curriculum year where given, else from age."""
        if self.ncy is not None:
            return "early_years" if self.ncy < 0 else "primary" if self.ncy <= 6 else (
                "secondary" if self.ncy <= 11 else "post16")
        return phase_of_age(self.age)


def parse_child(record: object, where: str = "child") -> Child:
    """Validate a child record (a dict) and return a Child.

    Raises:
        PlacewiseError: naming every bad field and how to fix it, without echoing the child's values.
    """
    if not isinstance(record, dict):
        raise PlacewiseError(f"{where}: expected a JSON object with the child's fields")
    try:
        return Child.model_validate(record)
    except ValidationError as error:
        raise PlacewiseError(f"{where}: " + describe_validation_error(error)) from None


def describe_validation_error(error: ValidationError) -> str:
    """Say which fields are wrong and why, without the values that were given (they may be personal data)."""
    problems = []
    for item in error.errors(include_input=False, include_url=False):
        field = ".".join(str(part) for part in item["loc"]) or "record"
        message = re.sub(r"^Value error, ", "", item["msg"])
        if item["type"] == "extra_forbidden":
            message = "unknown field; remove it (field names are those of the architecture's child record)"
        problems.append(f"{field}: {message}")
    return "; ".join(problems)
