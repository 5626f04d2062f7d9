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


class PackageListAnswer(BaseModel):
    """A child's package list: every setting within reach that can deliver the child's packages (alphabetical, not
    a ranking), each with its reason and costs; the parents' named settings weighed; the ranked shortlist beside it
    as advice."""

    model_config = ConfigDict(extra="forbid")

    child_id: str
    packages: list[Package] = Field(description="The child's packages, from the catalogue")
    catalogue: CatalogueSource
    order: str = Field(description="How the list is ordered, in words")
    settings: list[dict[str, Any]] = Field(description="The settings listed: each one's kind, travel, costs against "
                                           "its price band, the packages it delivers, its reason, rank and scores")
    not_listed: list[NotListed] = Field(description="Some settings within reach that cannot deliver the packages")
    warnings: list[str] = Field(description="Where a package does not serve the child's need level")
    preferences: list[dict[str, Any]] = Field(description="Each setting the parents named: whether it is listed and "
                                              "whether it passes the efficient-use test")
    shortlist: ShortlistAnswer
