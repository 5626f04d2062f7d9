"""API keys for machine clients: made at random, shown once, kept only as a hash; listed and revoked."""

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.engine import Engine

from api.platform.store.engine import sessions
from api.platform.store.models import ApiKey
from core.errors import PlacewiseError

KEY_PREFIX = "pw_"


def hash_key(key: str) -> str:
    """Keys are 32 random bytes, so a plain SHA-256 is enough to keep them only as a hash."""
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(engine: Engine, name: str, role: str, councils: list[str]) -> str:
    """Store a new API key's hash and return the key, which is shown once and never kept."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    with sessions(engine).begin() as session:
        session.add(ApiKey(name=name, key_hash=hash_key(key), role=role, councils=councils))
    return key


def list_keys(engine: Engine) -> list[ApiKey]:
    with sessions(engine)() as session:
        return list(session.scalars(select(ApiKey).order_by(ApiKey.id)))


def revoke_key(engine: Engine, key_id: int) -> str:
    """Mark a key revoked (it stays listed, so the audit can still name it); its name."""
    with sessions(engine).begin() as session:
        key = session.get(ApiKey, key_id)
        if key is None:
            raise PlacewiseError(f"key id: no key has id {key_id}; see placewise keys list")
        key.revoked = True
        return key.name
