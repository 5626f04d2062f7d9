"""Signing in through the council's or the setting's identity provider by OpenID Connect (the authorisation code flow
with PKCE), with Authlib's OAuth 2 client and its JOSE library (joserfc) for the ID token.

The identity provider says who the person is (and does their multi-factor sign-in); the store says what they may do:
the ID token's ``oidc_username_claim`` (``preferred_username`` by default) names a person of ``placewise users add``,
whose role, councils or settings hold, exactly as after a password. An ID token is accepted only when its signature
holds against the provider's published keys (RS256 or ES256, never ``none`` or a shared secret), its issuer is the
configured one, its audience holds our client id, its nonce is the one this browser was given, and it has not
expired; anything else is refused, audited, and no session begins.
"""

import secrets
import time
from dataclasses import dataclass
from urllib.parse import urlparse

import httpx
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import OAuth2Client
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jwt import ClaimsOption

from core.errors import PlacewiseError

ALGORITHMS = ["RS256", "ES256"]
LEEWAY_SECONDS = 60
DISCOVERY_SECONDS = 300  # how long the provider's configuration and keys are kept before they are read again
TIMEOUT_SECONDS = 10


class TokenRefused(Exception):
    """The provider's answer or its ID token does not hold; ``reason`` says which check failed (for the audit)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Provider:
    """The identity provider: its issuer, our client's registration, and the claim that names the person."""

    issuer: str
    client_id: str
    client_secret: str
    username_claim: str = "preferred_username"
    scope: str = "openid profile"

    def __post_init__(self) -> None:
        parts = urlparse(self.issuer)
        local = parts.hostname in ("127.0.0.1", "localhost", "::1")
        if parts.scheme != "https" and not (parts.scheme == "http" and local):
            raise PlacewiseError("oidc_issuer: give the identity provider's https address (http only on this "
                                 "machine, for tests)", field="oidc_issuer")


class OidcClient:
    """One provider's discovery document and keys (read when first needed, then every ``DISCOVERY_SECONDS``), the
    authorisation request and the code's exchange for a checked ID token."""

    def __init__(self, provider: Provider) -> None:
        self.provider = provider
        self._configuration: dict | None = None
        self._keys: KeySet | None = None
        self._read_at = 0.0

    def configuration(self) -> dict:
        if self._configuration is None or time.monotonic() - self._read_at > DISCOVERY_SECONDS:
            url = self.provider.issuer.rstrip("/") + "/.well-known/openid-configuration"
            try:
                found = httpx.get(url, timeout=TIMEOUT_SECONDS).raise_for_status().json()
                keys = KeySet.import_key_set(httpx.get(found["jwks_uri"], timeout=TIMEOUT_SECONDS)
                                             .raise_for_status().json())
            except (httpx.HTTPError, KeyError, ValueError, JoseError):
                raise TokenRefused("the identity provider's configuration or keys could not be read") from None
            if found.get("issuer") != self.provider.issuer:
                raise TokenRefused("the identity provider's configuration names another issuer")
            self._configuration, self._keys, self._read_at = found, keys, time.monotonic()
        return self._configuration

    def _client(self, redirect_uri: str) -> OAuth2Client:
        return OAuth2Client(self.provider.client_id, self.provider.client_secret, scope=self.provider.scope,
                            redirect_uri=redirect_uri, code_challenge_method="S256", timeout=TIMEOUT_SECONDS)

    def authorisation(self, redirect_uri: str) -> tuple[str, dict]:
        """Where to send the browser, and what this browser's session keeps to check the answer (state, nonce and
        the PKCE verifier)."""
        state, nonce, verifier = secrets.token_urlsafe(24), secrets.token_urlsafe(24), generate_token(64)
        with self._client(redirect_uri) as client:
            url, _ = client.create_authorization_url(self.configuration()["authorization_endpoint"], state=state,
                                                     nonce=nonce, code_verifier=verifier)
        return url, {"state": state, "nonce": nonce, "verifier": verifier}

    def signed_in_username(self, redirect_uri: str, code: str, kept: dict) -> str:
        """Exchange the code for tokens and check the ID token (see the module); the username it names."""
        configuration = self.configuration()
        try:
            with self._client(redirect_uri) as client:
                tokens = client.fetch_token(configuration["token_endpoint"], code=code,
                                            code_verifier=kept["verifier"], grant_type="authorization_code")
        except Exception:  # noqa: BLE001 - any failure of the exchange is a refusal, said in one way
            raise TokenRefused("the identity provider did not exchange the code") from None
        claims = self.checked_claims(str(tokens.get("id_token", "")), kept["nonce"])
        username = claims.get(self.provider.username_claim)
        if not isinstance(username, str) or not 0 < len(username) <= 100:
            raise TokenRefused(f"the ID token has no {self.provider.username_claim}")
        return username

    def checked_claims(self, id_token: str, nonce: str) -> dict:
        """The ID token's claims once its signature, issuer, audience, nonce and times hold; ``TokenRefused``
        naming the first that does not."""
        assert self._keys is not None
        try:
            token = jwt.decode(id_token, self._keys, algorithms=ALGORITHMS)
        except (JoseError, ValueError):
            raise TokenRefused("the ID token's signature does not hold") from None
        checks: dict[str, tuple[str, ClaimsOption]] = {  # the times first: every registry checks them too
            "exp": ("expiry", {"essential": True}),
            "iss": ("issuer", {"essential": True, "value": self.provider.issuer}),
            "aud": ("audience", {"essential": True, "value": self.provider.client_id}),
            "nonce": ("nonce", {"essential": True, "value": nonce}), "sub": ("subject", {"essential": True})}
        for claim, (words, rule) in checks.items():
            try:
                registry = jwt.JWTClaimsRegistry(leeway=LEEWAY_SECONDS, **{claim: rule})  # type: ignore[arg-type]
                registry.validate(token.claims)
            except JoseError:
                raise TokenRefused(f"the ID token's {words} does not hold") from None
        return dict(token.claims)
