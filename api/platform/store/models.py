"""The service's tables as SQLAlchemy 2 models (a decision and what follows it are in ``decision_models``); the
schema itself is made and changed only by the migrations."""

from datetime import UTC, date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


def now() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """A time read back from the store, in UTC (SQLite gives back naive datetimes; they were written in UTC)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class ApiKey(Base):
    """A machine client's key: only its hash is kept. ``councils`` are those it may act for."""

    __tablename__ = "api_keys"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    role: Mapped[str] = mapped_column(String(20))
    councils: Mapped[list] = mapped_column(JSON, default=list)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class ChildRecord(Base):
    """One pseudonymised child of one council; ``record`` holds the architecture's child fields."""

    __tablename__ = "children"
    __table_args__ = (UniqueConstraint("council", "child_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    council: Mapped[str] = mapped_column(String(9), index=True)
    child_id: Mapped[str] = mapped_column(String(64))
    record: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now, onupdate=now)


class AuditEvent(Base):
    """Who did what to which object, when and for what purpose; never the child's needs or location. Append-only:
    triggers refuse every update and delete (migration 0008)."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    actor: Mapped[str] = mapped_column(String(100))
    council: Mapped[str | None] = mapped_column(String(9), nullable=True)
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    detail: Mapped[str | None] = mapped_column(String(200), nullable=True)  # made by the service, never typed in
    purpose: Mapped[str | None] = mapped_column(String(20), nullable=True)  # a code of ``Purpose``
    case_reference: Mapped[str | None] = mapped_column(String(20), nullable=True)  # ``CASE_REFERENCE_PATTERN``


class User(Base):
    """A person of the embedded default (no identity provider): only a scrypt hash of the password is kept."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))
    councils: Mapped[list] = mapped_column(JSON, default=list)
    provider_ids: Mapped[list | None] = mapped_column(JSON, nullable=True)  # a setting's person: its URNs (0014)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class SigningKey(Base):
    """The secret that signs the embedded default's own tokens (made on first use, kept in the store)."""

    __tablename__ = "signing_keys"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    secret: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class VacancyReport(Base):
    """Places free at a provider for the whole setting (``need`` ALL) or one need (and, where given, one need
    level), by the host council or the setting itself (``reporter``); the latest report holds, and every report is
    kept: the history of who changed what and when. ``reason`` says why a setting reports places for a need it is
    not designated for."""

    __tablename__ = "vacancy_reports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider_id: Mapped[int] = mapped_column(Integer, index=True)
    need: Mapped[str] = mapped_column(String(4))
    vacancies: Mapped[int] = mapped_column(Integer)
    reported_by: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    need_level: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    reporter: Mapped[str] = mapped_column(String(10), default="council")  # council or setting


class IdempotencyKey(Base):
    """The first answer to a POST made with an ``Idempotency-Key`` (none yet while it is in flight), with the child
    it concerns (if one), so that it goes when the child does; it expires after the ``idempotency_hours`` setting."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("caller", "key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    caller: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(200))
    body_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    response: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    media_type: Mapped[str | None] = mapped_column(String(100), nullable=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now, index=True)
    council: Mapped[str | None] = mapped_column(String(9), nullable=True)
    child_id: Mapped[str | None] = mapped_column(String(64), nullable=True)


class Job(Base):
    """A scenario run: queued, running (under a lease its worker renews), then succeeded, failed or cancelled."""

    __tablename__ = "jobs"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    submitted_by: Mapped[str] = mapped_column(String(100))
    councils: Mapped[list] = mapped_column(JSON, default=list)
    spec: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker: Mapped[str | None] = mapped_column(String(100), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    result: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    progress: Mapped[str | None] = mapped_column(String(200), nullable=True)
    error: Mapped[str | None] = mapped_column(String(500), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now, onupdate=now)
    #: The run's name and label as its owner gives them (migration 0013); the scenario's own description.
    name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    label: Mapped[str | None] = mapped_column(String(100), nullable=True)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    kind: Mapped[str | None] = mapped_column(String(20), nullable=True)  # None: a scenario run


class Consultation(Base):
    """The settings consulted about one child's placement (Children and Families Act 2014 s39), by one council;
    ``open`` until it is closed or decided on. Row-level security by council on PostgreSQL (migration 0009)."""

    __tablename__ = "consultations"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    council: Mapped[str] = mapped_column(String(9), index=True)
    child_id: Mapped[str] = mapped_column(String(64), index=True)
    case_reference: Mapped[str | None] = mapped_column(String(20), nullable=True)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    status: Mapped[str] = mapped_column(String(10), default="open")  # open or closed
    closed_by: Mapped[str | None] = mapped_column(String(100), nullable=True)


class ConsultedSetting(Base):
    """One setting consulted: when it was sent and its statutory deadline, its reply (can meet; cannot, with a
    reason category; no reply), who recorded it, and the named officer who considered it, with a note about the
    setting's reply (never the child's details)."""

    __tablename__ = "consulted_settings"
    __table_args__ = (UniqueConstraint("consultation_id", "provider_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[str] = mapped_column(String(36), ForeignKey("consultations.id"), index=True)
    council: Mapped[str] = mapped_column(String(9), index=True)
    provider_id: Mapped[int] = mapped_column(Integer)
    provider_name: Mapped[str] = mapped_column(String(200))
    sent_on: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date, index=True)
    reply: Mapped[str | None] = mapped_column(String(20), nullable=True)
    reason: Mapped[str | None] = mapped_column(String(40), nullable=True)
    replied_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    recorded_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    considered_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    considered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    note: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    considered_reply: Mapped[str | None] = mapped_column(String(80), nullable=True)  # the reply as considered
    setting_words: Mapped[str | None] = mapped_column(String(1000), nullable=True)  # the setting's own words
    replied_via: Mapped[str | None] = mapped_column(String(10), nullable=True)  # setting (its portal) or council


class HeldSession(Base):
    """A session the server holds: a page's sign-in (its cookie) or a token. ``id`` is the SHA-256 of the secret the
    cookie or token carries, never the secret; a session ends when its row goes (sign-out, the person disabled or
    their password changed), when idle past the idle timeout, or at ``expires_at`` (migration 0012)."""

    __tablename__ = "sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(String(100), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # page or token
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class SignInFailure(Base):
    """A wrong password: when, and keyed hashes of the username and the client's address (never either)."""

    __tablename__ = "sign_in_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now, index=True)
    username_key: Mapped[str] = mapped_column(String(64), index=True)
    address_key: Mapped[str] = mapped_column(String(64), index=True)


class KnownSignIn(Base):
    """A person signed in from an address (a keyed hash of the two) at ``at``: guesses by others from that address
    do not hold them back."""

    __tablename__ = "known_sign_ins"
    pair_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now, index=True)


class RequestCount(Base):
    """Requests a caller (a hash of its credential) made in one minute (minutes since the epoch), for the limit
    every server process shares."""

    __tablename__ = "request_counts"
    caller: Mapped[str] = mapped_column(String(64), primary_key=True)
    minute: Mapped[int] = mapped_column(Integer, primary_key=True, index=True)
    count: Mapped[int] = mapped_column(Integer)
