"""Sessions the server holds, for the pages' cookies and for tokens: signing out ends a session at once (a copy of
its cookie taken before is refused after), as do disabling the person and changing their password; a session ends
after the idle timeout and, however busy, at its absolute lifetime."""

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from api.cli import app as cli
from api.platform.security.people import add_user
from api.settings import Settings
from tests.helpers.store import CHILD, A, auth

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a new and longer passphrase"
runner = CliRunner()


def app_on(tmp_path, **settings):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'store.db'}", **settings))
    add_user(app.state.engine, "cw-a", PASSWORD, "caseworker", [A])
    return app


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def signed_in(app) -> tuple[TestClient, str]:
    """A browser signed in to the pages as cw-a, and its CSRF token."""
    client = TestClient(app, base_url="https://testserver")
    answer = client.post("/sign-in", data={"username": "cw-a", "password": PASSWORD,
                                           "csrf_token": csrf(client.get("/sign-in").text)})
    assert answer.status_code == 200 and "Sign out" in answer.text
    return client, csrf(answer.text)


def copy_of(client: TestClient, app) -> TestClient:
    """Another browser holding a copy of the client's session cookie, as a thief would."""
    thief = TestClient(app, base_url="https://testserver", follow_redirects=False)
    for cookie in client.cookies.jar:
        thief.cookies.set(cookie.name, cookie.value, domain=cookie.domain, path=cookie.path)
    return thief


def sees_children(client: TestClient) -> bool:
    answer = client.get("/children", follow_redirects=False)
    return answer.status_code == 200 and "Sign in" not in answer.text


def test_a_cookie_copied_before_sign_out_is_refused_after_it(tmp_path):
    app = app_on(tmp_path)
    client, token = signed_in(app)
    thief = copy_of(client, app)
    assert sees_children(thief)
    assert client.post("/sign-out", data={"csrf_token": token}).status_code == 200
    assert not sees_children(client) and not sees_children(thief)
    assert thief.get("/children").headers["location"].startswith("/sign-in")


def test_disabling_a_person_or_changing_their_password_ends_their_sessions_and_tokens(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("PLACEWISE_DATABASE_URL", url)
    app = app_on(tmp_path)
    page, _ = signed_in(app)
    token = page.post("/v1/token", json={"username": "cw-a", "password": PASSWORD}).json()["access_token"]
    assert sees_children(page) and page.get("/v1/children", headers=auth(token)).status_code == 200
    changed = runner.invoke(cli, ["users", "password", "cw-a", "--password-stdin"], input=NEW_PASSWORD + "\n")
    assert changed.exit_code == 0, changed.output
    assert not sees_children(page) and page.get("/v1/children", headers=auth(token)).status_code == 401
    assert page.post("/v1/token", json={"username": "cw-a", "password": PASSWORD}).status_code == 401
    again, _ = TestClient(app), None
    fresh = again.post("/v1/token", json={"username": "cw-a", "password": NEW_PASSWORD}).json()["access_token"]
    browser = TestClient(app, base_url="https://testserver")
    browser.post("/sign-in", data={"username": "cw-a", "password": NEW_PASSWORD,
                                   "csrf_token": csrf(browser.get("/sign-in").text)})
    assert sees_children(browser) and again.get("/v1/children", headers=auth(fresh)).status_code == 200
    assert runner.invoke(cli, ["users", "disable", "cw-a"]).exit_code == 0
    assert not sees_children(browser) and again.get("/v1/children", headers=auth(fresh)).status_code == 401


def test_a_session_ends_when_idle_and_at_its_absolute_lifetime(tmp_path, monkeypatch):
    from api.platform.security import sessions as held

    clock = [held.now()]
    monkeypatch.setattr(held, "now", lambda: clock[0])
    app = app_on(tmp_path, session_idle_minutes=30, session_hours=8)
    client, _ = signed_in(app)
    clock[0] += timedelta(minutes=29)
    assert sees_children(client)  # active: the idle clock starts again
    clock[0] += timedelta(minutes=31)
    assert not sees_children(client)  # idle for 31 minutes: ended
    client, _ = signed_in(app)
    for _ in range(8 * 3):  # busy all day, never idle for more than 20 minutes
        assert sees_children(client)
        clock[0] += timedelta(minutes=20)
    assert not sees_children(client)  # past 8 hours since signing in: ended however busy
    assert client.post("/v1/children", json=CHILD).status_code == 401  # the cookie never acts on the API
