"""People of the embedded default: added from the command line, signed in for a token, locked out after wrong
passwords, and shut out at once when disabled."""

from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from api.cli import app as cli
from api.service.app import create_app
from api.service.security import people as users
from api.service.store.engine import sessions
from api.service.store.models import User
from api.settings import Settings
from tests.api.service.conftest import CHILD, A, auth

runner = CliRunner()
PASSWORD = "correct horse battery"


def added(tmp_path, monkeypatch, role="caseworker", councils=A) -> TestClient:
    url = f"sqlite:///{tmp_path / 'people.db'}"
    monkeypatch.setenv("PLACEWISE_DATABASE_URL", url)
    result = runner.invoke(cli, ["users", "add", "cw-a-01", "--role", role, "--councils", councils,
                                 "--password-stdin"], input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    return TestClient(create_app(Settings(database_url=url)))


def sign_in(client: TestClient, password: str = PASSWORD):
    return client.post("/v1/token", json={"username": "cw-a-01", "password": password})


def test_a_person_added_on_the_command_line_signs_in_and_acts_for_their_council(tmp_path, monkeypatch):
    client = added(tmp_path, monkeypatch)
    with sessions(client.app.state.engine)() as session:
        stored = session.scalar(select(User))
    assert stored.password_hash.startswith("scrypt$") and PASSWORD not in stored.password_hash
    answer = sign_in(client)
    assert answer.status_code == 200 and answer.json()["token_type"] == "bearer"
    token = answer.json()["access_token"]
    assert client.post("/v1/children", json=CHILD, headers=auth(token)).status_code == 201
    other = {**CHILD, "child_id": "B-1", "home_council": "E06900002"}
    assert client.post("/v1/children", json=other, headers=auth(token)).status_code == 403


def test_wrong_passwords_say_nothing_of_who_exists_and_lock_the_name(tmp_path, monkeypatch):
    client = added(tmp_path, monkeypatch)
    nobody = client.post("/v1/token", json={"username": "nobody", "password": "x" * 20})
    wrong = sign_in(client, "not the password")
    assert nobody.status_code == wrong.status_code == 401 and nobody.json() == wrong.json()
    for _ in range(users.MAX_FAILURES - 1):
        sign_in(client, "not the password")
    locked = sign_in(client)  # even the right password waits out the lock
    assert locked.status_code == 429 and "too many wrong passwords" in locked.text


def test_a_disabled_person_is_shut_out_at_once_and_forged_tokens_fail(tmp_path, monkeypatch):
    client = added(tmp_path, monkeypatch)
    token = sign_in(client).json()["access_token"]
    forged = users.jwt.encode({"iss": users.ISSUER, "aud": users.AUDIENCE, "sub": "cw-a-01", "exp": 4_102_444_800},
                              "a guessed secret that is long enough to sign", algorithm="HS256")
    assert client.get("/v1/children", headers=auth(forged)).status_code == 401
    assert client.get("/v1/children", headers=auth(token)).status_code == 200
    assert runner.invoke(cli, ["users", "disable", "cw-a-01"]).exit_code == 0
    assert client.get("/v1/children", headers=auth(token)).status_code == 401
    assert sign_in(client).status_code == 401


def test_users_add_refuses_short_passwords_and_taken_names(tmp_path, monkeypatch):
    added(tmp_path, monkeypatch)
    again = runner.invoke(cli, ["users", "add", "cw-a-01", "--role", "caseworker", "--councils", A,
                                "--password-stdin"], input=PASSWORD + "\n")
    short = runner.invoke(cli, ["users", "add", "cw-a-02", "--role", "caseworker", "--councils", A,
                                "--password-stdin"], input="short\n")
    unscoped = runner.invoke(cli, ["users", "add", "pl-1", "--role", "planner", "--password-stdin"],
                             input=PASSWORD + "\n")
    assert again.exit_code == short.exit_code == unscoped.exit_code == 2
    assert "already held" in again.output and "at least 12" in short.output and "--councils" in unscoped.output
    assert PASSWORD not in again.output + short.output + unscoped.output
