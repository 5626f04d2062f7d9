"""The settings' portal on the wire: a setting's vacancies by need and level, its reply to a consultation, its answer
to an offer; and the council's offer. Words are free text about the setting's reply or answer only (refused where
they look as if they hold a person's details, and never echoed). The answers: a setting's vacancy reports, and
the consultations addressed to it."""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from api.records.offers import DeclineReason, OfferTerms
from api.service.schemas.consultations import ConsultedSettingAnswer
from core.vocabulary import FREE_TEXT_PATTERN, CannotMeetReason, Need

WORDS = Field(default=None, min_length=1, max_length=1_000, pattern=FREE_TEXT_PATTERN,
              description="About the setting's answer only: never a person's name, address, postcode or date of birth")


class VacancyFigure(BaseModel):
    """Places free now for one need (``ALL``: the whole setting), at one need level (1-4) or all of them; a need the
    setting is not designated for needs a ``reason``."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    need: Need | Literal["ALL"]
    need_level: int | None = Field(default=None, ge=1, le=4)
    vacancies: int = Field(ge=0, le=5_000)
    reason: str | None = Field(default=None, min_length=1, max_length=500, pattern=FREE_TEXT_PATTERN)


class SettingVacancies(BaseModel):
    """The setting's figures, stored all or none."""

    model_config = ConfigDict(extra="forbid")

    figures: list[VacancyFigure] = Field(min_length=1, max_length=60)


class SettingReply(BaseModel):
    """The setting's reply: it can meet the needs, or it cannot (with the reason's category), in its words."""

    model_config = ConfigDict(extra="forbid")

    reply: Literal["can_meet", "cannot_meet"]
    reason: CannotMeetReason | None = None
    words: str | None = WORDS

    @model_validator(mode="after")
    def _reason_with_cannot(self) -> "SettingReply":
        if (self.reply == "cannot_meet") != (self.reason is not None):
            raise ValueError("reason: give a reason category with cannot_meet, and only then")
        return self


class OfferDecline(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: DeclineReason
    words: str | None = WORDS


class OfferRequest(BaseModel):
    """Offer the setting a decision names a place, on these terms."""

    model_config = ConfigDict(extra="forbid")

    decision_id: str = Field(min_length=1, max_length=36, pattern=r"^[0-9a-f-]+$")
    terms: OfferTerms


class VacancyReportAnswer(BaseModel):
    """One vacancy report of a setting: places free for a need (``ALL``: the whole setting) at a level, who reported
    it (the setting or its council) and when (ISO 8601)."""

    model_config = ConfigDict(extra="forbid")

    need: str
    need_level: int | None
    vacancies: int
    reason: str | None
    reporter: str = Field(description="setting or council")
    reported_by: str | None
    at: str


class AddressedHead(BaseModel):
    """The consultation a setting's row belongs to (the fields its answers open with)."""

    model_config = ConfigDict(extra="forbid")

    consultation_id: str
    council: str
    child_id: str
    status: str = Field(description="open or closed")


class AddressedConsultation(ConsultedSettingAnswer, AddressedHead):
    """A consultation addressed to one of the caller's settings: the consultation, then that setting's row in it."""


class SettingConsultationHead(AddressedHead):
    """The consultation, and what the setting needs to judge of the child."""

    child: dict[str, Any] = Field(description="age, ncy, sex, primary_need, secondary_needs, need_level, packages "
                                  "and requires_residential (null where not recorded)")


class SettingConsultation(ConsultedSettingAnswer, SettingConsultationHead):
    """The consultation as the setting sees it: what it needs to judge of the child (age, year group, sex, needs,
    packages, residential; never a location), and its own row."""


class SettingReplyAnswer(AddressedConsultation):
    """The setting's reply as stored, and when it was given (ISO 8601)."""

    replied_at: str
