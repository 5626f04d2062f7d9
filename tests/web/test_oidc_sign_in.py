"""Signing in to the pages through an identity provider by OpenID Connect, against a small provider the tests start:
the code flow with PKCE signs in a user of the service; an ID token with the wrong audience, issuer, nonce or signature,
or expired, is refused and audited, and no session begins; so are a state that is not the browser's, a code used
twice, and a person the service does not know."""

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from api.platform.security.people import add_user
from api.platform.store.engine import sessions
from api.platform.store.models import AuditEvent, HeldSession
from api.settings import Settings
from tests.helpers.oidc_provider import CLIENT_ID, CLIENT_SECRET, TestProvider
from tests.helpers.store import A

PASSWORD = "a-long-password-1"


@pytest.fixture()
def provider():
    served = TestProvider("admissions-2")
    yield served
    served.stop()


@pytest.fixture()
def client(provider, tmp_path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'store.db'}", oidc_issuer=provider.issuer,
                              oidc_client_id=CLIENT_ID, oidc_client_secret=CLIENT_SECRET))
    add_user(app.state.engine, "admissions-2", PASSWORD, "setting", [], [900002])
    add_user(app.state.engine, "cw-a", PASSWORD, "caseworker", [A])
    with TestClient(app) as test_client:
        yield test_client


def round_trip(client, state: str | None = None):
    """The browser's journey: to the provider and back with its code; the service's answer to the callback."""
    start = client.get("/sign-in/oidc", params={"next": "/portal"}, follow_redirects=False)
    assert start.status_code == 303 and start.headers["location"].startswith("http://127.0.0.1:")
    answer = httpx.get(start.headers["location"], follow_redirects=False)
    back = httpx.URL(answer.headers["location"])
    params = dict(back.params)
    if state is not None:
        params["state"] = state
    return client.get(back.path, params=params, follow_redirects=False), params


def sessions_held(client) -> list[str]:
    with sessions(client.app.state.engine)() as session:
        return list(session.scalars(select(HeldSession.username)))


def refusals(client) -> list[str]:
    with sessions(client.app.state.engine)() as session:
        return [row.detail for row in session.scalars(select(AuditEvent).where(AuditEvent.action == "sign_in"))]


def test_a_person_signs_in_through_the_identity_provider(client):
    page = client.get("/sign-in")
    assert "Sign in with your organisation" in page.text
    answer, _ = round_trip(client)
    assert answer.status_code == 303 and answer.headers["location"] == "/portal"
    assert "Your settings" in client.get("/portal").text
    assert sessions_held(client) == ["admissions-2"]
    assert refusals(client) == ["signed in by the identity provider"]


@pytest.mark.parametrize("fault, words", [("audience", "audience"), ("issuer", "issuer"), ("nonce", "nonce"),
                                          ("signature", "signature"), ("expired", "expiry")])
def test_a_wrong_id_token_is_refused_and_no_session_begins(client, provider, fault, words):
    provider.fault = fault
    answer, _ = round_trip(client)
    assert answer.status_code == 401 and f"the ID token&#39;s {words} does not hold" in answer.text
    assert sessions_held(client) == []
    assert refusals(client) == [f"refused: the ID token's {words} does not hold"]
    assert client.get("/portal", follow_redirects=False).status_code in (303, 401)  # not signed in


def test_a_state_not_the_browsers_a_code_used_twice_and_an_unknown_person_are_refused(client, provider):
    answer, _ = round_trip(client, state="not-this-browsers")
    assert answer.status_code == 401 and sessions_held(client) == []
    answer, params = round_trip(client)
    assert answer.status_code == 303
    again = client.get("/sign-in/oidc/callback", params=params, follow_redirects=False)
    assert again.status_code == 401  # the browser's state was used up with the first
    provider.username = "nobody-here"
    answer, _ = round_trip(client)
    assert answer.status_code == 401 and "not a user of this service" in answer.text
    assert sessions_held(client) == ["admissions-2"]


def test_without_a_provider_the_route_is_not_there(tmp_path):
    with TestClient(create_app(Settings(database_url=f"sqlite:///{tmp_path / 'store.db'}"))) as plain:
        assert "organisation" not in plain.get("/sign-in").text
        assert plain.get("/sign-in/oidc", follow_redirects=False).status_code == 404
