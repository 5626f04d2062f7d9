"""Signing in with a password (the embedded default's people): the check, and what wrong passwords cost, counted in
the store so that every server process shares the count.

Wrong passwords slow sign-in down rather than lock anyone out, by username and by address separately:

- **A username**: after ``FREE_FAILURES`` wrong passwords for it within ``WINDOW`` (from anywhere), an address that
  has itself guessed wrong for it waits 1, 2, 4 ... at most ``MAX_DELAY_S`` seconds after the last wrong one before
  trying it again. An address that has not guessed wrong for it is never held back, so guesses from elsewhere never
  keep its owner out.
- **An address**: after ``ADDRESS_FREE_FAILURES`` wrong passwords from it within ``WINDOW`` (any usernames: a spray),
  it waits 1, 2, 4 ... at most ``MAX_ADDRESS_DELAY_S`` seconds after its last wrong one, except for a person who has
  signed in from it within ``KNOWN_FOR``: the people of an office behind one address keep signing in while someone
  there guesses.

The address is the connection's, or the one a proxy named in the ``forwarded_allow_ips`` setting says it forwarded
for (``api.server``); nothing else the client sends moves it. Usernames and addresses are kept only as keyed
hashes (HMAC-SHA-256 under the store's signing secret), and wrong passwords only for ``WINDOW``. The wait is read
before the password is checked, so a waiting guesser learns nothing.
"""

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from fastapi import Request
from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from api.platform.security.people import ALGORITHM, AUDIENCE, ISSUER, active_user, password_matches, signing_secret
from api.platform.security.sessions import start_session
from api.platform.store.engine import sessions
from api.platform.store.models import KnownSignIn, SignInFailure, User, aware

FREE_FAILURES = 3
MAX_DELAY_S = 60.0
ADDRESS_FREE_FAILURES = 30
MAX_ADDRESS_DELAY_S = 300.0
WINDOW = timedelta(minutes=15)
KNOWN_FOR = timedelta(days=30)
_DUMMY_HASH = "scrypt$16384$8$1$00$00"  # checked against for unknown names, so timing does not tell who exists


def now() -> datetime:
    """The clock sign-in limits are timed by (tests move it)."""
    return datetime.now(UTC)


def client_address(request: Request) -> str:
    """The client's address: the connection's, or what a trusted proxy said (uvicorn applies
    ``forwarded_allow_ips``); never a header the app reads itself."""
    return request.client.host if request.client else "unknown"


@dataclass(frozen=True)
class Attempt:
    """A sign-in's outcome: the person (right password), or how long to wait first, or neither (wrong)."""

    user: User | None = None
    wait_seconds: int = 0


class Logins:
    """Password checks with the waits above; the answer never says whether the name exists."""

    def __init__(self, engine: Engine, token_minutes: float = 60.0) -> None:
        self.engine, self.token_minutes = engine, token_minutes

    def _key(self, *parts: str) -> str:
        message = "\x1f".join(parts).encode()
        return hmac.new(signing_secret(self.engine).encode(), message, hashlib.sha256).hexdigest()

    def wait_seconds(self, username: str, address: str) -> int:
        """Seconds before this address may try this username again (0: now)."""
        moment, name, place = now(), self._key("username", username), self._key("address", address)
        since = moment - WINDOW
        with sessions(self.engine)() as session:
            waits = [0.0]
            if _count(session, since, SignInFailure.username_key == name, SignInFailure.address_key == place)[0]:
                failures, last = _count(session, since, SignInFailure.username_key == name)
                waits.append(_wait(failures, FREE_FAILURES, MAX_DELAY_S, moment, last))
            failures, last = _count(session, since, SignInFailure.address_key == place)
            if failures >= ADDRESS_FREE_FAILURES and not self._known(session, username, address, moment):
                waits.append(_wait(failures, ADDRESS_FREE_FAILURES, MAX_ADDRESS_DELAY_S, moment, last))
        return max(0, math.ceil(max(waits)))

    def _known(self, session: Session, username: str, address: str, moment: datetime) -> bool:
        seen = session.get(KnownSignIn, self._key("pair", username, address))
        return seen is not None and aware(seen.at) > moment - KNOWN_FOR

    def attempt(self, username: str, password: str, address: str) -> Attempt:
        """Check a password unless this address must wait first; a wrong one is counted (in its own transaction,
        so that it holds whatever happens next)."""
        wait = self.wait_seconds(username, address)
        if wait:
            return Attempt(wait_seconds=wait)
        user = active_user(self.engine, username)
        if not password_matches(password, user.password_hash if user else _DUMMY_HASH) or user is None:
            moment = now()
            with sessions(self.engine).begin() as session:
                session.execute(delete(SignInFailure).where(SignInFailure.at < moment - WINDOW))
                session.add(SignInFailure(at=moment, username_key=self._key("username", username),
                                          address_key=self._key("address", address)))
            return Attempt()
        return Attempt(user=user)

    def signed_in(self, session: Session, username: str, address: str) -> None:
        """In the sign-in's transaction: the address is known for the person, and its wrong guesses at the name
        are forgotten (the count starts again)."""
        moment = now()
        pair = self._key("pair", username, address)
        known = session.get(KnownSignIn, pair)
        if known is None:
            session.add(KnownSignIn(pair_key=pair, at=moment))
        else:
            known.at = moment
        session.execute(delete(SignInFailure).where(SignInFailure.username_key == self._key("username", username),
                                                    SignInFailure.address_key == self._key("address", address)))
        session.execute(delete(KnownSignIn).where(KnownSignIn.at < moment - KNOWN_FOR))

    def token(self, session: Session, user: User, address: str) -> tuple[str, int]:
        """In the sign-in's transaction: a signed token naming a new session (``jti``), and its lifetime in
        seconds."""
        self.signed_in(session, user.username, address)
        lifetime = int(self.token_minutes * 60)
        secret = start_session(session, user.username, "token", timedelta(seconds=lifetime))
        issued = now()
        claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": user.username, "jti": secret,
                  "exp": issued + timedelta(seconds=lifetime), "iat": issued}
        return jwt.encode(claims, signing_secret(self.engine), algorithm=ALGORITHM), lifetime


def _count(session: Session, since: datetime, *where) -> tuple[int, datetime | None]:  # type: ignore[no-untyped-def]
    """Wrong passwords since ``since`` that match, and the last one's time."""
    found = session.execute(select(func.count(), func.max(SignInFailure.at)).where(SignInFailure.at >= since,
                                                                                   *where)).one()
    return int(found[0]), (aware(found[1]) if found[1] is not None else None)


def _wait(failures: int, free: int, longest: float, moment: datetime, last: datetime | None) -> float:
    """Seconds still to wait: 1, 2, 4 ... (at most ``longest``) after the last wrong password, once past ``free``."""
    if failures < free or last is None:
        return 0.0
    delay = min(2.0 ** (failures - free), longest)
    return delay - (moment - last).total_seconds()
