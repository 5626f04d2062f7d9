"""Children on the wire, as the service answers: a stored child's id and council, its record, and what an import
stored (a CSV of children, or a council's SEN2 return)."""


from pydantic import BaseModel, ConfigDict, Field


class ChildReference(BaseModel):
    """A stored child: its pseudonymous id and home council (what a create, an update and a list give)."""

    model_config = ConfigDict(extra="forbid")

    child_id: str
    home_council: str = Field(description="The ONS code of the child's home council")


class ChildrenImported(BaseModel):
    """How many children a CSV import stored (all of them, or none)."""

    model_config = ConfigDict(extra="forbid")

    imported: int


class StoredChild(BaseModel):
    """A stored child's record, as the child was stored (``matcher.child.Child``); the home postcode is turned into
    its LSOA before storing and is never kept."""

    model_config = ConfigDict(extra="allow")

    child_id: str
    home_council: str
    easting: float | None = None
    northing: float | None = None
    home_lsoa: str | None = None
    home_postcode: str | None = Field(default=None, description="Always empty: a postcode is never kept")
    age: int
    ncy: int | None = None
    primary_need: str
    secondary_needs: list[str] = []
    need_level: int | None = None
    sex: str | None = None
    requires_residential: bool = False
    current_provider_id: int | None = None
    current_kind: str | None = None
    current_attendance: str | None = None
    preferences: list[int] = []
    max_travel_minutes: float | None = None
    transport_mode: str | None = None
    packages: list[str] = []


class Sen2Problem(BaseModel):
    """A person left out of a SEN2 import: its position in the return, the item and the problem (never a value)."""

    model_config = ConfigDict(extra="forbid")

    position: int
    item: str
    problem: str


class Sen2Imported(BaseModel):
    """What a SEN2 import did, in figures (no child's data), and the persons left out with ``skip_invalid``."""

    model_config = ConfigDict(extra="forbid")

    council: str
    year: int = Field(description="The return's collection year")
    persons_in_return: int
    imported: int
    skipped_invalid: int
    out_of_scope: dict[str, int] = Field(description="Persons not imported, by why they are out of scope")
    at_phase_transfer: int = Field(description="Children imported in a year of phase transfer (NCY 0, 7 or 12)")
    by_current_kind: dict[str, int] = Field(description="Children imported by the kind of their current setting")
    skipped: list[Sen2Problem]
