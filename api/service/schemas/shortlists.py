"""A shortlist request: a child profile or a stored child's id (the child record is ``matcher.child.Child``)."""

from pydantic import BaseModel, ConfigDict, Field, model_validator

from api.platform.security.audit import CASE_REFERENCE_PATTERN, Purpose
from matcher.child import CHILD_ID_PATTERN, Child
from matcher.shortlist import MAX_K


class ShortlistRequest(BaseModel):
    """A child profile, or the id of a stored child of the caller's council; how many settings; the purpose (a code)
    and the case it is for (a reference of fixed shape): never free text, which could hold a child's details."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    child: Child | None = None
    child_id: str | None = Field(default=None, pattern=CHILD_ID_PATTERN)
    k: int = Field(default=10, ge=1, le=MAX_K)
    purpose: Purpose
    case_reference: str | None = Field(default=None, pattern=CASE_REFERENCE_PATTERN)

    @model_validator(mode="after")
    def _one_child(self) -> "ShortlistRequest":
        if (self.child is None) == (self.child_id is None):
            raise ValueError("give either child (a profile) or child_id (a stored child)")
        return self
