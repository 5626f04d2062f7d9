"""The tables of a placement decision and what follows it, as SQLAlchemy 2 models: the decision (append-only,
hashed), the officers who make them, the letters as sent, mediation and tribunal records, the offer made to the
setting and the placement agreement it signs. The schema is made and changed only by the migrations."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from api.platform.store.models import Base, now


class Decision(Base):
    """One version of a placement decision: ``content`` is the canonical JSON of everything it rests on,
    ``record_hash`` its SHA-256, chained to the version before (``previous_hash``). Append-only: triggers refuse
    every update and delete (migration 0010)."""

    __tablename__ = "decisions"
    __table_args__ = (UniqueConstraint("decision_id", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decision_id: Mapped[str] = mapped_column(String(36), index=True)
    version: Mapped[int] = mapped_column(Integer)
    council: Mapped[str] = mapped_column(String(9), index=True)
    child_id: Mapped[str] = mapped_column(String(64), index=True)
    content: Mapped[str] = mapped_column(Text)
    record_hash: Mapped[str] = mapped_column(String(64), unique=True)
    previous_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    decided_by: Mapped[str] = mapped_column(String(100))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Officer(Base):
    """A person who considers replies or decides, by the real name, job title and delegated authority a family and a
    tribunal read; ``username`` is their pseudonymous sign-in (``users``, or an identity provider's ``sub``)."""

    __tablename__ = "officers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    job_title: Mapped[str] = mapped_column(String(200))
    authority: Mapped[str] = mapped_column(String(500))
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now, onupdate=now)


class DecisionLetter(Base):
    """The family's letter for one version of a decision, exactly as sent (its HTML and SHA-256). Append-only:
    triggers refuse every update and delete (migration 0011)."""

    __tablename__ = "decision_letters"
    __table_args__ = (UniqueConstraint("decision_id", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decision_id: Mapped[str] = mapped_column(String(36), index=True)
    version: Mapped[int] = mapped_column(Integer)
    council: Mapped[str] = mapped_column(String(9), index=True)
    child_id: Mapped[str] = mapped_column(String(64))
    html: Mapped[str] = mapped_column(Text)
    letter_hash: Mapped[str] = mapped_column(String(64))
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MediationRecord(Base):
    """Mediation after a decision: when it was held, by whom, the certificate's date and what came of it."""

    __tablename__ = "mediation_records"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    decision_id: Mapped[str] = mapped_column(String(36), index=True)
    council: Mapped[str] = mapped_column(String(9), index=True)
    child_id: Mapped[str] = mapped_column(String(64))
    held_on: Mapped[date] = mapped_column(Date)
    mediator: Mapped[str] = mapped_column(String(200))
    certificate_on: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(20))
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class TribunalOrder(Base):
    """The SEND Tribunal's order on an appeal against a decision: its date, outcome and the setting it ordered."""

    __tablename__ = "tribunal_orders"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    decision_id: Mapped[str] = mapped_column(String(36), index=True)
    council: Mapped[str] = mapped_column(String(9), index=True)
    child_id: Mapped[str] = mapped_column(String(64))
    ordered_on: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(20))
    ordered_provider_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    ordered_provider_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    appeal_reference: Mapped[str] = mapped_column(String(30))
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class Offer(Base):
    """A place offered to a setting on a decision (the version and hash it rests on), with its proposed terms:
    ``offered``, then ``accepted`` or ``declined`` by the setting, then ``confirmed`` by the council, after which
    nothing changes (migration 0014)."""

    __tablename__ = "offers"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    decision_id: Mapped[str] = mapped_column(String(36), index=True)
    decision_version: Mapped[int] = mapped_column(Integer)
    decision_hash: Mapped[str] = mapped_column(String(64))
    council: Mapped[str] = mapped_column(String(9), index=True)
    child_id: Mapped[str] = mapped_column(String(64))
    provider_id: Mapped[int] = mapped_column(Integer, index=True)
    provider_name: Mapped[str] = mapped_column(String(200))
    terms: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20))
    made_by: Mapped[str] = mapped_column(String(100))
    made_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    answered_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    decline_reason: Mapped[str | None] = mapped_column(String(40), nullable=True)
    decline_words: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    confirmed_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class PlacementAgreement(Base):
    """The placement agreement of a confirmed offer, signed by a named person of the setting: ``content`` is its
    canonical JSON (fee, start date, hours, package, the signatory, the decision it rests on), ``agreement_hash`` its
    SHA-256. One an offer; append-only: triggers refuse every update and delete (migration 0014)."""

    __tablename__ = "placement_agreements"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    offer_id: Mapped[str] = mapped_column(String(36), ForeignKey("offers.id"), unique=True)
    decision_id: Mapped[str] = mapped_column(String(36), index=True)
    council: Mapped[str] = mapped_column(String(9), index=True)
    child_id: Mapped[str] = mapped_column(String(64))
    provider_id: Mapped[int] = mapped_column(Integer, index=True)
    content: Mapped[str] = mapped_column(Text)
    agreement_hash: Mapped[str] = mapped_column(String(64), unique=True)
    signed_by: Mapped[str] = mapped_column(String(100))
    signed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
