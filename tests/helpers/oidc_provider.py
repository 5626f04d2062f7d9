"""A small OpenID Connect provider for the tests, served on 127.0.0.1: discovery, an authorisation endpoint that signs
in its one person at once (as a provider would after their password and second factor), a token endpoint that checks
the client's secret and the PKCE verifier, and its keys. ``fault`` makes its next ID tokens wrong in one way: another
``audience``, ``issuer`` or ``nonce``, a ``signature`` by a key it does not publish, or ``expired``."""

import base64
import hashlib
import secrets
import time
from urllib.parse import urlencode

from fastapi import FastAPI, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from tests.helpers.browser import Served

CLIENT_ID, CLIENT_SECRET = "placewise-pages", "a-test-client-secret-of-some-length"


class TestProvider:
    """The provider's state: its key, the person it signs in, the codes it gave, and the fault to make."""

    __test__ = False  # not a test class, whatever its name

    def __init__(self, username: str) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-1", "use": "sig", "alg": "RS256"},
                                       private=True)
        self.other_key = RSAKey.generate_key(2048, parameters={"kid": "test-1"}, private=True)
        self.username, self.fault = username, None
        self.codes: dict[str, dict] = {}
        self.app = self._app()
        self.served = Served(self.app)
        self.issuer = self.served.base

    def stop(self) -> None:
        self.served.stop()

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": CLIENT_ID, "sub": f"idp-{self.username}", "nonce": nonce,
                  "preferred_username": self.username, "iat": now, "exp": now + 300, "auth_time": now,
                  "amr": ["pwd", "otp"]}
        changes = {"audience": {"aud": "another-client"}, "issuer": {"iss": "https://another.example"},
                   "nonce": {"nonce": "another-nonce"}, "expired": {"iat": now - 900, "exp": now - 600}}
        claims.update(changes.get(self.fault or "", {}))
        key = self.other_key if self.fault == "signature" else self.key
        return jwt.encode({"alg": "RS256", "kid": "test-1"}, claims, key)

    def _app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/.well-known/openid-configuration")
        def configuration() -> dict:
            return {"issuer": self.issuer, "authorization_endpoint": f"{self.issuer}/authorize",
                    "token_endpoint": f"{self.issuer}/token", "jwks_uri": f"{self.issuer}/jwks",
                    "response_types_supported": ["code"], "id_token_signing_alg_values_supported": ["RS256"],
                    "code_challenge_methods_supported": ["S256"]}

        @app.get("/jwks")
        def keys() -> dict:
            return KeySet([self.key]).as_dict(private=False)

        @app.get("/authorize")
        def authorize(client_id: str, redirect_uri: str, state: str, nonce: str, code_challenge: str,
                      code_challenge_method: str, response_type: str, scope: str = "") -> RedirectResponse:
            assert client_id == CLIENT_ID and response_type == "code" and code_challenge_method == "S256"
            assert "openid" in scope.split()
            code = secrets.token_urlsafe(16)
            self.codes[code] = {"nonce": nonce, "challenge": code_challenge, "redirect_uri": redirect_uri}
            return RedirectResponse(f"{redirect_uri}?{urlencode({'code': code, 'state': state})}", status_code=302)

        @app.post("/token")
        def token(request: Request, grant_type: str = Form(), code: str = Form(), code_verifier: str = Form(),
                  redirect_uri: str = Form()) -> JSONResponse:
            expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
            given = self.codes.pop(code, None)
            challenge = base64.urlsafe_b64encode(hashlib.sha256(code_verifier.encode()).digest()).rstrip(b"=")
            if (request.headers.get("authorization") != f"Basic {expected}" or given is None
                    or grant_type != "authorization_code" or challenge.decode() != given["challenge"]
                    or redirect_uri != given["redirect_uri"]):
                return JSONResponse({"error": "invalid_grant"}, status_code=400)
            return JSONResponse({"access_token": secrets.token_urlsafe(16), "token_type": "Bearer",
                                 "expires_in": 300, "id_token": self.id_token(given["nonce"])})

        return app
