"""A package list request: a child profile (with its packages) or a stored child's id, and the purpose."""

from pydantic import BaseModel, ConfigDict, Field, model_validator

from api.service.security.audit import CASE_REFERENCE_PATTERN, Purpose
from matcher.child import CHILD_ID_PATTERN, Child
from matcher.shortlist import MAX_K


class PackageListRequest(BaseModel):
    """A child profile, or the id of a stored child of the caller's council (its record names its packages); how
    many settings the shortlist beside the list ranks; the purpose (a code) and the case (a fixed shape)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    child: Child | None = None
    child_id: str | None = Field(default=None, pattern=CHILD_ID_PATTERN)
    k: int = Field(default=10, ge=1, le=MAX_K)
    purpose: Purpose
    case_reference: str | None = Field(default=None, pattern=CASE_REFERENCE_PATTERN)

    @model_validator(mode="after")
    def _one_child(self) -> "PackageListRequest":
        if (self.child is None) == (self.child_id is None):
            raise ValueError("give either child (a profile) or child_id (a stored child)")
        return self
