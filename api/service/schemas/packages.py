"""Specialist Provision Packages on the wire: a package list request (a child profile with its packages, or a
stored child's id, and the purpose) and the package list it answers. The catalogue itself answers as
``matcher.packages.Catalogue``."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from api.service.schemas.shortlists import ShortlistAnswer, ShortlistRequest
from matcher.packages import Package


class PackageListRequest(ShortlistRequest):
    """A child profile, or the id of a stored child of the caller's council (its record names its packages); how
    many settings the shortlist beside the list ranks; the purpose (a code) and the case (a fixed shape): the
    shortlist request's fields and checks."""


class CatalogueSource(BaseModel):
    """Where the catalogue's packages and price bands come from, and whether they are illustrative."""

    model_config = ConfigDict(extra="forbid")

    source: str
    illustrative: bool


class NotListed(BaseModel):
    """A setting within reach left off the list: the packages it cannot deliver."""

    model_config = ConfigDict(extra="forbid")

    provider_id: int
    name: str
    reason: str


class DeliveredPackage(BaseModel):
    """One of the child's packages a listed setting can deliver: its places for it, and on what evidence."""

    model_config = ConfigDict(extra="forbid")

    package: str
    name: str
    places: int | float | None
    source: str = Field(description="Where the capability comes from (the capability table, or the register)")
    because: str


class ListedSetting(BaseModel):
    """A setting on the package list: its kind, the journey, the costs a year in whole pounds against the national
    price band, the packages it delivers, why it is listed, and its rank and scores as advice."""

    model_config = ConfigDict(extra="forbid")

    provider_id: int = Field(description="The setting's URN")
    name: str
    kind: str
    kind_words: str
    host_council: str
    travel_minutes: float | None
    distance_km: float | None
    placement_cost_gbp: int | None
    transport_cost_gbp: int | None
    annual_cost_gbp: int | None
    price_band_gbp: int | None = Field(description="The national price band; null where the kind has none")
    within_price_band: bool | None
    value_for_money: str
    packages: list[DeliveredPackage]
    reason: str
    rank: int
    total_score: float
    scores: dict[str, float] = Field(description="The score on each criterion, by the criterion's name")
    reasons: list[str] = Field(description="One sentence per criterion")


class PackageListAnswer(BaseModel):
    """A child's package list: every setting within reach that can deliver the child's packages (alphabetical, not
    a ranking), each with its reason and costs; the parents' named settings weighed; the ranked shortlist beside it
    as advice."""

    model_config = ConfigDict(extra="forbid")

    child_id: str
    packages: list[Package] = Field(description="The child's packages, from the catalogue")
    catalogue: CatalogueSource
    order: str = Field(description="How the list is ordered, in words")
    settings: list[ListedSetting]
    not_listed: list[NotListed] = Field(description="Some settings within reach that cannot deliver the packages")
    warnings: list[str] = Field(description="Where a package does not serve the child's need level")
    preferences: list[dict[str, Any]] = Field(description="Each setting the parents named: whether it is listed and "
                                              "whether it passes the efficient-use test")
    shortlist: ShortlistAnswer
