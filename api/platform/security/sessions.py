"""Sessions the server holds, for the pages' cookies and for the embedded default's tokens.

A session is a random secret handed to the browser (inside the signed cookie) or put in a token (its ``jti``); the
store keeps only the secret's SHA-256, with the person, when it started, when it was last used and when it ends. It
is looked up on every request, so it ends at once when its row goes: on signing out, when the person is disabled,
and when their password changes (``end_sessions``). A page's session also ends after ``session_idle_minutes``
without a request (last use is written at most once a minute, so idle time is counted to the minute) and, however
busy, ``session_hours`` after signing in; a token's at its own expiry.
"""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import cast

from sqlalchemy import CursorResult, delete, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from api.platform.store.engine import sessions as store_sessions
from api.platform.store.models import HeldSession, aware

TOUCH_EVERY = timedelta(minutes=1)


def now() -> datetime:
    """The clock sessions are timed by (tests move it)."""
    return datetime.now(UTC)


def session_key(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def start_session(session: Session, username: str, kind: str, lifetime: timedelta) -> str:
    """Add a session for the person to the transaction (it ends after ``lifetime`` at most); its secret, which the
    caller hands out once and which is never stored."""
    secret = secrets.token_urlsafe(32)
    started = now()
    session.execute(delete(HeldSession).where(HeldSession.expires_at < started))  # the ended ones, as new ones come
    session.add(HeldSession(id=session_key(secret), username=username[:100], kind=kind, created_at=started,
                            last_seen_at=started, expires_at=started + lifetime))
    return secret


def session_user(engine: Engine, secret: str, idle: timedelta | None = None) -> str | None:
    """The person whose session the secret names, if it has not ended (and, given ``idle``, has been used within
    it); its last use noted (to the minute). None for an ended, unknown or idle session."""
    key = session_key(secret)
    moment = now()
    with store_sessions(engine).begin() as session:
        held = session.get(HeldSession, key)
        if held is None:
            return None
        last_seen, expires = aware(held.last_seen_at), aware(held.expires_at)
        if moment >= expires or (idle is not None and moment - last_seen > idle):
            session.delete(held)
            return None
        if moment - last_seen >= TOUCH_EVERY:
            session.execute(update(HeldSession).where(HeldSession.id == key).values(last_seen_at=moment))
        return held.username


def end_session(session: Session, secret: str) -> None:
    """End one session (signing out)."""
    session.execute(delete(HeldSession).where(HeldSession.id == session_key(secret)))


def end_sessions(session: Session, username: str) -> int:
    """End every session of the person, pages and tokens (disabled, or a new password); how many there were."""
    ended = cast(CursorResult, session.execute(delete(HeldSession).where(HeldSession.username == username)))
    return ended.rowcount or 0
