"""People of the embedded default: added from the command line, signed in for a token, slowed down (never locked
out) after wrong passwords, limited per client address (the counts kept as keyed hashes, for the window only), and
shut out at once when disabled."""

from datetime import UTC, datetime, timedelta

import jwt
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from api.app import create_app
from api.cli import app as cli
from api.platform.security import people as users
from api.platform.security import sign_in as limits
from api.platform.store.engine import sessions
from api.platform.store.models import SignInFailure, User
from api.settings import Settings
from tests.helpers.store import CHILD, A, auth

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


def test_wrong_passwords_say_nothing_of_who_exists(tmp_path, monkeypatch):
    client = added(tmp_path, monkeypatch)
    nobody = client.post("/v1/token", json={"username": "nobody", "password": "x" * 20})
    wrong = sign_in(client, "not the password")
    assert nobody.status_code == wrong.status_code == 401 and nobody.json() == wrong.json()


def test_wrong_passwords_slow_a_username_down_without_locking_its_owner_out(tmp_path, monkeypatch):
    clock = [datetime(2025, 1, 6, 9, 0, tzinfo=UTC)]
    monkeypatch.setattr(limits, "now", lambda: clock[0])
    client = added(tmp_path, monkeypatch)
    for _ in range(limits.FREE_FAILURES):
        assert sign_in(client, "not the password").status_code == 401
    waits = []
    for _ in range(4):  # each wrong guess doubles the wait before the next try
        answer = sign_in(client, "not the password")
        assert answer.status_code == 429
        waits.append(int(answer.headers["Retry-After"]))
        clock[0] += timedelta(seconds=waits[-1])
        assert sign_in(client, "not the password").status_code == 401
    assert waits == [1, 2, 4, 8]
    clock[0] += timedelta(seconds=16)  # the owner, once the wait is over, signs in with the right password
    assert sign_in(client).status_code == 200
    assert sign_in(client, "not the password").status_code == 401  # and the count starts again


def test_one_client_may_guess_only_so_often_across_usernames(tmp_path, monkeypatch):
    clock = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
    monkeypatch.setattr(limits, "now", lambda: clock)
    client = added(tmp_path, monkeypatch)
    answers = [client.post("/v1/token", json={"username": f"user-{number}", "password": "x" * 20}).status_code
               for number in range(60)]
    assert answers[:limits.ADDRESS_FREE_FAILURES] == [401] * limits.ADDRESS_FREE_FAILURES
    assert set(answers[limits.ADDRESS_FREE_FAILURES:]) == {429}


def test_wrong_passwords_are_kept_as_keyed_hashes_and_only_for_the_window(tmp_path, monkeypatch):
    clock = [datetime(2025, 1, 6, 9, 0, tzinfo=UTC)]
    monkeypatch.setattr(limits, "now", lambda: clock[0])
    client = added(tmp_path, monkeypatch)
    for number in range(20):
        client.post("/v1/token", json={"username": f"user-{number}", "password": "x" * 20})
    with sessions(client.app.state.engine)() as session:
        kept = session.scalars(select(SignInFailure)).all()
    assert len(kept) == 20
    assert not any("user-" in row.username_key or "testclient" in row.address_key for row in kept)
    clock[0] += limits.WINDOW + timedelta(seconds=1)
    client.post("/v1/token", json={"username": "user-x", "password": "x" * 20})
    with sessions(client.app.state.engine)() as session:
        assert len(session.scalars(select(SignInFailure)).all()) == 1  # the old ones went as the new one came


def test_a_disabled_person_is_shut_out_at_once_and_forged_tokens_fail(tmp_path, monkeypatch):
    client = added(tmp_path, monkeypatch)
    token = sign_in(client).json()["access_token"]
    forged = jwt.encode({"iss": users.ISSUER, "aud": users.AUDIENCE, "sub": "cw-a-01", "exp": 4_102_444_800},
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


def test_a_settings_person_is_added_with_its_urns_and_no_council(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'people.db'}"
    monkeypatch.setenv("PLACEWISE_DATABASE_URL", url)
    added = runner.invoke(cli, ["users", "add", "adm-2", "--role", "setting", "--providers", "900002,900011",
                                "--password-stdin"], input=PASSWORD + "\n")
    assert added.exit_code == 0, added.output
    with_council = runner.invoke(cli, ["users", "add", "adm-3", "--role", "setting", "--providers", "900002",
                                       "--councils", A, "--password-stdin"], input=PASSWORD + "\n")
    unknown = runner.invoke(cli, ["users", "add", "adm-4", "--role", "setting", "--providers", "123456",
                                  "--password-stdin"], input=PASSWORD + "\n")
    none = runner.invoke(cli, ["users", "add", "adm-5", "--role", "setting", "--password-stdin"],
                         input=PASSWORD + "\n")
    council_person = runner.invoke(cli, ["users", "add", "cw-9", "--role", "caseworker", "--councils", A,
                                         "--providers", "900002", "--password-stdin"], input=PASSWORD + "\n")
    key = runner.invoke(cli, ["keys", "create", "--role", "setting", "--name", "a setting's system"])
    assert with_council.exit_code == unknown.exit_code == none.exit_code == council_person.exit_code == 2
    assert key.exit_code == 2 and "users add --role setting" in key.output
    assert "123456" in unknown.output and "--providers" in none.output
    with sessions(create_app(Settings(database_url=url)).state.engine)() as session:
        people = {row.username: (row.role, row.councils, row.provider_ids) for row in session.scalars(select(User))}
    assert people == {"adm-2": ("setting", [], [900002, 900011])}
