"""Decisions on the wire: the first decision on a consultation, a reconsideration of it, and the grounds a
reconsideration rests on (a mediation record, the SEND Tribunal's order); and the answers: a decision with its
chain's check, its versions and grounds, and the offers and agreements resting on it."""

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from api.platform.security.audit import CASE_REFERENCE_PATTERN
from api.service.schemas.consultations import StrictDate
from api.service.schemas.offers import AgreementAnswer, OfferAnswer
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


class ChainCheck(BaseModel):
    """The hash chain's check: every version's SHA-256 against its canonical JSON and stored columns, the links
    between versions, and the hashes anchored in the audit."""

    model_config = ConfigDict(extra="forbid")

    valid: bool
    versions: int
    anchored: int = Field(description="Versions whose hash the audit anchors")
    problems: list[str] = Field(description="What does not hold, in words; empty where the chain is valid")
    latest_hash: str


class DecisionWarning(BaseModel):
    """A warning a decision raised (the setting named is not on the package list, say), answered by its override."""

    model_config = ConfigDict(extra="forbid")

    code: str
    message: str


class DecisionAnswer(BaseModel):
    """A decision's latest version: its hash, the warnings it raised and why it went on (the override), and the
    chain's check."""

    model_config = ConfigDict(extra="forbid")

    decision_id: str
    child_id: str
    council: str
    version: int
    record_hash: str
    warnings: list[DecisionWarning] = Field(description="Each warning the decision raised")
    override: dict[str, Any] | None = Field(description="Why the decision goes on despite its warnings (the "
                                            "reasons and the warnings' codes); null where it raised none")
    chain: ChainCheck


class DecisionVersion(BaseModel):
    """One version of a decision: its hash, the hash before it, who decided when, and the record as hashed."""

    model_config = ConfigDict(extra="forbid")

    version: int
    record_hash: str
    previous_hash: str | None
    decided_by: str
    decided_at: str
    record: dict[str, Any] = Field(description="The decision's record (schema placewise.decision_record), as hashed")


class MediationAnswer(BaseModel):
    """A mediation record after a decision. Days are YYYY-MM-DD."""

    model_config = ConfigDict(extra="forbid")

    id: str
    decision_id: str
    held_on: str
    mediator: str
    certificate_on: str
    outcome: str
    recorded_by: str


class TribunalOrderAnswer(BaseModel):
    """The SEND Tribunal's order on an appeal against a decision. Days are YYYY-MM-DD."""

    model_config = ConfigDict(extra="forbid")

    id: str
    decision_id: str
    ordered_on: str
    outcome: str
    ordered_provider_id: int | None
    ordered_provider_name: str | None
    appeal_reference: str
    recorded_by: str


class DecisionRecordAnswer(DecisionAnswer):
    """A decision in full: every version, its mediation records and tribunal orders, and the offers made on it and
    the placement agreements signed (each with its check)."""

    versions: list[DecisionVersion]
    mediation_records: list[MediationAnswer]
    tribunal_orders: list[TribunalOrderAnswer]
    offers: list[OfferAnswer]
    placement_agreements: list[AgreementAnswer]


class DecisionSummary(BaseModel):
    """A decision as a list shows it: its latest version."""

    model_config = ConfigDict(extra="forbid")

    decision_id: str
    child_id: str
    council: str
    version: int
    decided_by: str
    decided_at: str


class DecisionReference(BaseModel):
    """The decision an answer is about."""

    model_config = ConfigDict(extra="forbid")

    decision_id: str


class DecisionVerification(ChainCheck, DecisionReference):
    """Whether every version of the decision holds, and is the one anchored in the audit when it was stored."""


__all__ = ["ChainCheck", "DecisionAnswer", "DecisionRecordAnswer", "DecisionReference", "DecisionRequest",
           "DecisionSummary", "DecisionVerification", "DecisionVersion", "DecisionWarning", "MediationAnswer",
           "MediationRequest", "ReconsiderationRequest", "TribunalOrderAnswer", "TribunalOrderRequest", "date"]
