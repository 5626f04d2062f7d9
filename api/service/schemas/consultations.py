"""Consultations on the wire: consulting settings about a stored child, a setting's reply, its consideration.

The officer's note is free text about the setting's reply (what it said, what the officer made of it); it must
never hold the child's details, and a note that looks as if it does (a postcode, a small-area code, a date, the
child's id) is refused with a 422 that does not echo it. Nothing else here is free text.
"""

from datetime import date
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from api.platform.security.audit import CASE_REFERENCE_PATTERN
from core.vocabulary import CHILD_ID_PATTERN, FREE_TEXT_PATTERN, CannotMeetReason, ConsultationReply

MAX_SETTINGS = 20


def _iso_day(value: object) -> object:
    """A day only as the text YYYY-MM-DD (pydantic would take a number as seconds since 1970)."""
    if not isinstance(value, str | date):
        raise ValueError("give a day as YYYY-MM-DD")
    return value


StrictDate = Annotated[date, BeforeValidator(_iso_day), Field(description="YYYY-MM-DD")]
NOTE_WORDS = ("About the setting's reply only: never the child's name, address, postcode, date of birth or "
              "other details (refused where it looks as if it holds them).")


class ConsultationRequest(BaseModel):
    """Consult settings (URNs, from the package list or the parents' naming) about a stored child. ``sent_on`` is
    the day the consultation went (today by default; at most 60 days back); each setting's deadline follows it by
    the ``consultation_days`` setting (15)."""

    model_config = ConfigDict(extra="forbid")

    child_id: str = Field(pattern=CHILD_ID_PATTERN)
    provider_ids: list[int] = Field(min_length=1, max_length=MAX_SETTINGS)
    sent_on: StrictDate | None = None
    case_reference: str | None = Field(default=None, pattern=CASE_REFERENCE_PATTERN)

    @model_validator(mode="after")
    def _each_once(self) -> "ConsultationRequest":
        if len(set(self.provider_ids)) != len(self.provider_ids):
            raise ValueError("provider_ids: name each setting once")
        return self


class ReplyRequest(BaseModel):
    """A setting's reply: it can meet the needs; it cannot (with the reason's category); or it did not reply by the
    deadline (only once the deadline has passed)."""

    model_config = ConfigDict(extra="forbid")

    reply: ConsultationReply
    reason: CannotMeetReason | None = None
    replied_on: StrictDate | None = None

    @model_validator(mode="after")
    def _reason_with_cannot(self) -> "ReplyRequest":
        if (self.reply == "cannot_meet") != (self.reason is not None):
            raise ValueError("reason: give a reason category with cannot_meet, and only then")
        if self.reply == "no_reply" and self.replied_on is not None:
            raise ValueError("replied_on: a setting that did not reply has no reply date")
        return self


class ConsiderationRequest(BaseModel):
    """The named officer (the caller, signed in) has considered the setting's reply; the note says how."""

    model_config = ConfigDict(extra="forbid")

    note: str = Field(min_length=10, max_length=1_000, pattern=FREE_TEXT_PATTERN, description=NOTE_WORDS)


class ConsultedSettingAnswer(BaseModel):
    """One setting consulted: its deadline, the day a reminder is due, its reply (recorded by the council or given
    in the setting's portal) and who considered it, with the note. Days are YYYY-MM-DD; times ISO 8601."""

    model_config = ConfigDict(extra="forbid")

    provider_id: int = Field(description="The setting's URN")
    provider_name: str
    sent_on: str
    deadline: str
    reminder_on: str | None = Field(description="The day after the deadline, while no reply is recorded")
    reply: str | None = Field(description="can_meet, cannot_meet or no_reply; null until one is recorded")
    reason: str | None = Field(description="The reason's category, with cannot_meet")
    replied_on: str | None
    recorded_by: str | None
    considered_by: str | None
    considered_at: str | None
    note: str | None = Field(description="The officer's note about the reply")
    considered_reply: str | None = Field(description="The reply as the officer considered it (reply:reason)")
    setting_words: str | None = Field(description="The setting's own words, where it replied in its portal")
    replied_via: str | None = Field(description="council or setting: who recorded the reply")


class ConsultationAnswer(BaseModel):
    """A consultation with every setting consulted."""

    model_config = ConfigDict(extra="forbid")

    consultation_id: str
    child_id: str
    council: str
    case_reference: str | None
    status: str = Field(description="open or closed")
    created_by: str
    created_at: str
    settings: list[ConsultedSettingAnswer]


class ConsultationSummary(BaseModel):
    """A consultation as a list shows it (without its settings)."""

    model_config = ConfigDict(extra="forbid")

    consultation_id: str
    child_id: str
    council: str
    status: str = Field(description="open or closed")
    created_at: str


class OverdueHead(BaseModel):
    """Which consultation an overdue reply belongs to, and by how many days (the fields an overdue row opens with)."""

    model_config = ConfigDict(extra="forbid")

    consultation_id: str
    child_id: str
    council: str
    days_overdue: int


class OverdueReply(ConsultedSettingAnswer, OverdueHead):
    """A setting of an open consultation whose deadline has passed with no reply recorded (its consultation's
    fields first, then the setting's)."""
