"""Decisions on the wire: the first decision on a consultation, a reconsideration of it, and the grounds a
reconsideration rests on (a mediation record, the SEND Tribunal's order)."""

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from api.platform.security.audit import CASE_REFERENCE_PATTERN
from api.service.schemas.consultations import StrictDate
from core.vocabulary import FREE_TEXT_PATTERN, MediationOutcome, ReconsiderationReason, TribunalOutcome
from scenarios.statutory_tests import DecisionTerms

ID_PATTERN = r"^[0-9a-f-]{36}$"


class DecisionRequest(DecisionTerms):
    """Decide, on a consultation whose every reply has been considered: the setting named, the officer's reasons,
    the statutory test and reasons for every setting the parents asked for, and (where the decision raises
    warnings) why it goes on. The decider is the caller: a named person holding the decision_maker role."""

    consultation_id: str = Field(pattern=ID_PATTERN)
    case_reference: str | None = Field(default=None, pattern=CASE_REFERENCE_PATTERN)


class ReconsiderationRequest(DecisionTerms):
    """Decide again: why (mediation, the SEND Tribunal's order, the council's own review) with the record it rests
    on, the setting now named with reasons and tests, and (optionally) a new consultation whose replies have all
    been considered; else the last version's stands."""

    reason: ReconsiderationReason
    consultation_id: str | None = Field(default=None, pattern=ID_PATTERN)
    mediation_id: str | None = Field(default=None, pattern=ID_PATTERN)
    tribunal_order_id: str | None = Field(default=None, pattern=ID_PATTERN)


class MediationRequest(BaseModel):
    """Mediation after the decision: the day it was held, the mediator or service, the certificate's date and the
    outcome; each day on or after the decision's latest version and not in the future."""

    model_config = ConfigDict(extra="forbid")
    held_on: StrictDate
    mediator: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200,
                                               pattern=FREE_TEXT_PATTERN)]
    certificate_on: StrictDate
    outcome: MediationOutcome


class TribunalOrderRequest(BaseModel):
    """The SEND Tribunal's order on an appeal against the decision: its date, outcome, the setting it ordered named
    (with ``setting_ordered`` only) and the appeal's reference."""

    model_config = ConfigDict(extra="forbid")
    ordered_on: StrictDate
    outcome: TribunalOutcome
    ordered_provider_id: int | None = Field(default=None, gt=0)
    appeal_reference: str = Field(pattern=r"^[A-Z0-9/-]{1,30}$")


__all__ = ["DecisionRequest", "MediationRequest", "ReconsiderationRequest", "TribunalOrderRequest", "date"]
