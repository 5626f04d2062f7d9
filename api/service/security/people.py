"""People of the embedded default, where no council identity provider is set up: ``placewise users add`` stores a
username, role and councils with a scrypt hash of the password; ``POST /v1/token`` exchanges them for a bearer
token that the service signs itself (HS256, issuer ``placewise``, the ``token_minutes`` setting long, 60 by
default).

Each request re-reads the person, so disabling someone or changing their role holds at once. Too many wrong
passwords for one username within ``LOCKOUT_WINDOW_S`` lock it for the rest of the window (per process).
"""

import functools
import hashlib
import hmac
import secrets
import time
from collections import defaultdict, deque
from datetime import UTC, datetime, timedelta

import jwt
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from api.service.store.engine import sessions
from api.service.store.models import SigningKey, User
from core.errors import PlacewiseError

ISSUER = AUDIENCE = "placewise"
ALGORITHM = "HS256"
MIN_PASSWORD = 12
MAX_FAILURES = 5
LOCKOUT_WINDOW_S = 900.0
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
_DUMMY_HASH = "scrypt$16384$8$1$00$00"  # checked against for unknown names, so timing does not tell who exists


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${digest.hex()}"


def password_matches(password: str, stored: str) -> bool:
    _, n, r, p, salt, digest = stored.split("$")
    found = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32)
    return hmac.compare_digest(found.hex(), digest)


def add_user(engine: Engine, username: str, password: str, role: str, councils: list[str]) -> None:
    """Store a person; refuses a short password or a username already held."""
    if len(password) < MIN_PASSWORD:
        raise PlacewiseError(f"password: give at least {MIN_PASSWORD} characters")
    if not 0 < len(username) <= 100 or not username.isprintable():
        raise PlacewiseError("username: give 1 to 100 printable characters")
    try:
        with sessions(engine).begin() as session:
            session.add(User(username=username, password_hash=hash_password(password), role=role,
                             councils=councils))
    except IntegrityError:
        raise PlacewiseError(f"username: {username!r} is already held; choose another") from None


def disable_user(engine: Engine, username: str) -> None:
    with sessions(engine).begin() as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise PlacewiseError(f"username: nobody is called {username!r}; see who with the store's users table")
        user.disabled = True


def active_user(engine: Engine, username: str) -> User | None:
    with sessions(engine)() as session:
        user = session.scalar(select(User).where(User.username == username))
    return None if user is None or user.disabled else user


@functools.cache
def signing_secret(engine: Engine) -> str:
    """The store's signing secret, made on first use (the oldest one wins if two processes race); read once per
    process, since it never changes."""
    with sessions(engine).begin() as session:
        found = session.scalar(select(SigningKey).order_by(SigningKey.id))
        if found is None:
            session.add(SigningKey(secret=secrets.token_urlsafe(48)))
    with sessions(engine)() as session:
        oldest = session.scalar(select(SigningKey).order_by(SigningKey.id))
    assert oldest is not None
    return oldest.secret


class Logins:
    """Password checks with a lockout per username; the answer never says whether the name exists."""

    def __init__(self, engine: Engine, token_minutes: float = 60.0) -> None:
        self.engine, self.token_minutes = engine, token_minutes
        self.failures: dict[str, deque[float]] = defaultdict(deque)

    def locked(self, username: str) -> bool:
        times, now = self.failures[username], time.monotonic()
        while times and now - times[0] > LOCKOUT_WINDOW_S:
            times.popleft()
        return len(times) >= MAX_FAILURES

    def token(self, username: str, password: str) -> tuple[str, int] | None:
        """A signed token and its lifetime in seconds, or None for a wrong name or password."""
        user = active_user(self.engine, username)
        if not password_matches(password, user.password_hash if user else _DUMMY_HASH) or user is None:
            self.failures[username].append(time.monotonic())
            return None
        lifetime = int(self.token_minutes * 60)
        claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": user.username,
                  "exp": datetime.now(UTC) + timedelta(seconds=lifetime), "iat": datetime.now(UTC)}
        return jwt.encode(claims, signing_secret(self.engine), algorithm=ALGORITHM), lifetime
