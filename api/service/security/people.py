"""People of the embedded default, where no council identity provider is set up: ``placewise users add`` stores a
username, role and councils with a scrypt hash of the password; ``POST /v1/token`` exchanges them for a bearer
token that the service signs itself (HS256, issuer ``placewise``, the ``token_minutes`` setting long, 60 by
default).

Each request re-reads the person, so disabling someone or changing their role holds at once. Wrong passwords slow
sign-in down rather than lock anyone out (which any stranger could do to a known user): after ``FREE_FAILURES``
wrong passwords for a username within ``WINDOW_S``, each further try waits twice as long as the last (1 s, 2 s,
4 s, ... at most ``MAX_DELAY_S``), and the right password is taken as soon as the wait is over. Each client (its
address: there is no credential yet) may make at most ``CLIENT_GUESSES`` wrong guesses a window, across all
usernames. Both are kept per process in bounded maps (``MAX_TRACKED`` entries, least recently used forgotten).
"""

import functools
import hashlib
import hmac
import math
import secrets
import time
from datetime import UTC, datetime, timedelta

import jwt
from cachetools import TTLCache
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from api.service.store.engine import sessions
from api.service.store.models import SigningKey, User
from core.errors import PlacewiseError

ISSUER = AUDIENCE = "placewise"
ALGORITHM = "HS256"
MIN_PASSWORD = 12
FREE_FAILURES = 3
MAX_DELAY_S = 60.0
CLIENT_GUESSES = 30
WINDOW_S = 900.0
MAX_TRACKED = 10_000
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
    """Password checks with backoff per username and a cap per client; the answer never says whether the name
    exists."""

    def __init__(self, engine: Engine, token_minutes: float = 60.0) -> None:
        self.engine, self.token_minutes = engine, token_minutes
        self.by_name: TTLCache[str, list[float]] = TTLCache(MAX_TRACKED, WINDOW_S, timer=time.monotonic)
        self.by_client: TTLCache[str, list[float]] = TTLCache(MAX_TRACKED, WINDOW_S, timer=time.monotonic)

    def wait_seconds(self, username: str, client: str) -> int:
        """Seconds before this client may try this username again (0: now)."""
        now = time.monotonic()
        guesses = [at for at in self.by_client.get(client, []) if now - at < WINDOW_S]
        client_wait = WINDOW_S - (now - guesses[0]) if len(guesses) >= CLIENT_GUESSES else 0.0
        failures = [at for at in self.by_name.get(username, []) if now - at < WINDOW_S]
        name_wait = 0.0
        if len(failures) >= FREE_FAILURES:
            delay = min(2.0 ** (len(failures) - FREE_FAILURES), MAX_DELAY_S)
            name_wait = delay - (now - failures[-1])
        return max(0, math.ceil(max(client_wait, name_wait)))

    def failed(self, username: str, client: str) -> None:
        for table, key in ((self.by_name, username), (self.by_client, client)):
            table[key] = [*table.get(key, [])[-100:], time.monotonic()]

    def token(self, username: str, password: str) -> tuple[str, int] | None:
        """A signed token and its lifetime in seconds, or None for a wrong name or password."""
        user = active_user(self.engine, username)
        if not password_matches(password, user.password_hash if user else _DUMMY_HASH) or user is None:
            return None
        self.by_name.pop(username, None)
        lifetime = int(self.token_minutes * 60)
        claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": user.username,
                  "exp": datetime.now(UTC) + timedelta(seconds=lifetime), "iat": datetime.now(UTC)}
        return jwt.encode(claims, signing_secret(self.engine), algorithm=ALGORITHM), lifetime
