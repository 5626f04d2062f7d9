"""People of the embedded default, where no council identity provider is set up: ``placewise users add`` stores a
username, role and councils with a scrypt hash of the password; ``POST /v1/token`` exchanges them for a bearer
token that the service signs itself (HS256, issuer ``placewise``, the ``token_minutes`` setting long, 60 by
default).

Each request re-reads the person, so disabling someone or changing their role holds at once; disabling them or
changing their password also ends every session they hold (``sessions``). Signing in, and what wrong passwords
cost, is ``sign_in``.
"""

import functools
import hashlib
import hmac
import secrets

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from api.platform.security.sessions import end_sessions
from api.platform.store.engine import sessions
from api.platform.store.models import SigningKey, User
from core.errors import PlacewiseError

ISSUER = AUDIENCE = "placewise"
ALGORITHM = "HS256"
MIN_PASSWORD = 12
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${digest.hex()}"


def password_matches(password: str, stored: str) -> bool:
    _, n, r, p, salt, digest = stored.split("$")
    found = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32)
    return hmac.compare_digest(found.hex(), digest)


def add_user(engine: Engine, username: str, password: str, role: str, councils: list[str],
             provider_ids: list[int] | None = None) -> None:
    """Store a person (a setting's person with the URNs of its settings, and no council); refuses a short password,
    a username already held, or a setting's person without settings."""
    if (role == "setting") != bool(provider_ids) or (role == "setting" and councils):
        raise PlacewiseError("providers: a setting's person names its settings (URNs) and no council; nobody else "
                             "names settings", field="providers")
    if len(password) < MIN_PASSWORD:
        raise PlacewiseError(f"password: give at least {MIN_PASSWORD} characters")
    if not 0 < len(username) <= 100 or not username.isprintable():
        raise PlacewiseError("username: give 1 to 100 printable characters")
    try:
        with sessions(engine).begin() as session:
            session.add(User(username=username, password_hash=hash_password(password), role=role,
                             councils=councils, provider_ids=list(provider_ids) if provider_ids else None))
    except IntegrityError:
        raise PlacewiseError(f"username: {username!r} is already held; choose another") from None


def disable_user(engine: Engine, username: str) -> None:
    with sessions(engine).begin() as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise PlacewiseError(f"username: nobody is called {username!r}; see who with the store's users table")
        user.disabled = True
        end_sessions(session, username)


def change_password(engine: Engine, username: str, password: str) -> int:
    """Give a person a new password (kept only as its scrypt hash) and end every session they hold, pages and
    tokens; how many sessions ended."""
    if len(password) < MIN_PASSWORD:
        raise PlacewiseError(f"password: give at least {MIN_PASSWORD} characters")
    with sessions(engine).begin() as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise PlacewiseError(f"username: nobody is called {username!r}; see who with the store's users table")
        user.password_hash = hash_password(password)
        return end_sessions(session, username)


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
