"""Offers and placement agreements, as the service answers them to the council and to the setting alike."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from api.records.offers import OfferStatus, OfferTerms


class OfferAnswer(BaseModel):
    """An offer of a place: the decision it rests on, the setting, the terms, where it stands (``locked`` once
    confirmed or declined) and who did what, when (ISO 8601)."""

    model_config = ConfigDict(extra="forbid")

    offer_id: str
    decision_id: str
    decision_version: int
    decision_hash: str
    council: str
    child_id: str
    provider_id: int
    provider_name: str
    terms: OfferTerms
    status: OfferStatus
    locked: bool
    made_by: str
    made_at: str
    answered_by: str | None
    answered_at: str | None
    decline_reason: str | None
    decline_words: str | None = Field(description="The setting's own words, with a decline")
    confirmed_by: str | None
    confirmed_at: str | None


class AgreementAnswer(BaseModel):
    """A signed placement agreement, with its check against its hash and the audit's anchor."""

    model_config = ConfigDict(extra="forbid")

    offer_id: str
    decision_id: str
    agreement_hash: str
    signed_by: str
    signed_at: str
    valid: bool
    problems: list[str] = Field(description="What does not hold, in words; empty where the agreement is valid")
    agreement: dict[str, Any] = Field(description="The agreement as signed (schema placewise.placement_agreement): "
                                      "the offer's terms, the decision it rests on, and who signed, when")
