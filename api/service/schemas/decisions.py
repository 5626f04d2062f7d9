"""Decisions on the wire: the first decision on a consultation, and a reconsideration of it."""

from pydantic import BaseModel, ConfigDict, Field

from api.service.security.audit import CASE_REFERENCE_PATTERN
from core.vocabulary import ReconsiderationReason

ID_PATTERN = r"^[0-9a-f-]{36}$"


class DecisionRequest(BaseModel):
    """Decide, on a consultation whose every reply has been considered, the setting to name. The decider is the
    caller: a named person holding the decision_maker role."""

    model_config = ConfigDict(extra="forbid")

    consultation_id: str = Field(pattern=ID_PATTERN)
    named_provider_id: int = Field(gt=0)
    case_reference: str | None = Field(default=None, pattern=CASE_REFERENCE_PATTERN)


class ReconsiderationRequest(BaseModel):
    """Decide again: why (mediation, the tribunal's remittal, the council's review), the setting now named, and
    (optionally) a new consultation whose replies have all been considered; else the last version's stands."""

    model_config = ConfigDict(extra="forbid")

    reason: ReconsiderationReason
    named_provider_id: int = Field(gt=0)
    consultation_id: str | None = Field(default=None, pattern=ID_PATTERN)
