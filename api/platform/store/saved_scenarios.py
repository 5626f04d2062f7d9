"""The shared scenario library's table: scenarios a commissioner saved for its commissioning body (migration 0015).

A body is the set of councils its people act for; ``body`` keys each saved scenario by those councils (their ONS
codes, sorted, joined by commas), so every person of the same body finds it and nobody of another body does.
"""

from datetime import datetime

from sqlalchemy import JSON, DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from api.platform.store.models import Base, now

#: The longest body key: every council of England (153 codes of 9 characters and their commas) fits.
BODY_LENGTH = 2_000


class SavedScenario(Base):
    """A scenario document saved under a name (at most 100 characters) with a description, by one person."""

    __tablename__ = "saved_scenarios"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    body: Mapped[str] = mapped_column(String(BODY_LENGTH), index=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: The councils the scenario names, and the whole scenario as the service runs it.
    councils: Mapped[list] = mapped_column(JSON, default=list)
    document: Mapped[dict] = mapped_column(JSON)
    saved_by: Mapped[str] = mapped_column(String(100))
    saved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


def body_key(councils: tuple[str, ...] | list[str]) -> str:
    """The key of the body that acts for these councils: their codes, once each, sorted, joined by commas."""
    return ",".join(sorted(set(councils)))
