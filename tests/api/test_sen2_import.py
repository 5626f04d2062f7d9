"""Importing a SEN2 return through the API and the command line: the children are stored (all or none), and no
name, birth date, UPN, ULN or postcode from the return appears anywhere after it: in the store (every table,
audit included), the logs, the answers, the files written or the command's output."""

import logging
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect, text
from typer.testing import CliRunner

from api.app import create_app
from api.cli import app as cli
from api.platform.security.keys import create_key
from api.platform.security.people import add_user
from api.settings import Settings
from geodata.sen2_return import ActivePlan
from tests.helpers.browser import PASSWORD
from tests.helpers.sen2 import person, personal_values, placement, write_sample_return
from tests.helpers.store import A, auth

KEY = "a pseudonym key of at least thirty-two characters"


def sample(folder):
    """Two valid persons of Northvale and one that breaks a rule (no need ranked 1)."""
    persons = [person(1), person(2, birth_date="2011-05-05", uln="1234567890",
                                 active_plans=(ActivePlan((placement(urn="900009"),), (("SEMH", "1"),)),)),
               person(3, active_plans=(ActivePlan((placement(),), (("ASD", "2"),)),))]
    return write_sample_return(folder, persons), persons


def everything_stored(engine) -> str:
    """Every row of every table of the store, as text."""
    with engine.connect() as connection:
        return "\n".join(str(row) for table in inspect(engine).get_table_names()
                         for row in connection.execute(text(f'SELECT * FROM "{table}"')))


@pytest.fixture
def service(tmp_path):
    path, persons = sample(tmp_path)
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'store.db'}", postcodes=tmp_path / "postcodes.csv",
                        pseudonym_key=KEY, max_return_mb=0.05)
    app = create_app(settings)
    key = create_key(app.state.engine, "commissioner A", "commissioner", [A])
    return TestClient(app), key, app.state.engine, path.read_bytes(), persons


def test_the_api_stores_the_children_and_nothing_personal_anywhere(service, caplog):
    client, key, engine, body, persons = service
    caplog.set_level(logging.DEBUG)
    refused = client.post(f"/v1/cohorts/sen2?council={A}", content=body, headers=auth(key))
    assert refused.status_code == 422 and "person 3: SENtypeRank: no need ranked 1" in refused.text
    answer = client.post(f"/v1/cohorts/sen2?council={A}&skip_invalid=true", content=body, headers=auth(key))
    assert answer.status_code == 201, answer.text
    found = answer.json()
    assert (found["imported"], found["skipped_invalid"], found["by_current_kind"]) == (
        2, 1, {"special_academy": 1, "independent_special": 1})
    assert found["skipped"] == [{"position": 3, "item": "SENtypeRank",
                                 "problem": "no need ranked 1; rank the primary need 1"}]
    listed = client.get("/v1/children", headers=auth(key)).json()
    assert len(listed) == 2 and all(child["child_id"].startswith("S2-") for child in listed)
    again = client.post(f"/v1/cohorts/sen2?council={A}&skip_invalid=true", content=body, headers=auth(key))
    assert again.status_code == 409  # all or none: the same children are not stored twice
    stored = everything_stored(engine)
    assert "S2-" in stored and "import" in stored  # the children and their audit rows are there
    seen = "\n".join([stored, caplog.text, refused.text, answer.text, again.text])
    for value in personal_values(persons):
        assert value not in seen, "a personal item of the return reached the store, the logs or an answer"


def test_the_api_refuses_another_councils_return_attacks_and_large_bodies(service):
    client, key, _, body, _ = service
    assert client.post("/v1/cohorts/sen2?council=E06900002", content=body, headers=auth(key)).status_code == 403
    other = body.replace(b"<LEA>901</LEA>", b"<LEA>902</LEA>")
    answer = client.post(f"/v1/cohorts/sen2?council={A}", content=other, headers=auth(key))
    assert answer.status_code == 422 and "another council's" in answer.text
    bomb = b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><Message>&b;</Message>'
    answer = client.post(f"/v1/cohorts/sen2?council={A}", content=bomb, headers=auth(key))
    assert answer.status_code == 422 and "refused" in answer.text
    assert client.post(f"/v1/cohorts/sen2?council={A}", content=b"x" * 60_000,
                       headers=auth(key)).status_code == 413


def test_the_command_writes_a_cohort_and_a_report_with_nothing_personal(tmp_path, monkeypatch):
    path, persons = sample(tmp_path)
    monkeypatch.setenv("PLACEWISE_PSEUDONYM_KEY", KEY)
    monkeypatch.delenv("PLACEWISE_DATA", raising=False)
    out = tmp_path / "out" / "cohort.csv"
    arguments = ["cohort", "import-sen2", str(path), "--council", A, "--out", str(out), "--postcodes",
                 str(tmp_path / "postcodes.csv")]
    refused = CliRunner().invoke(cli, arguments)
    assert refused.exit_code == 2 and "nothing was imported" in refused.output and not out.exists()
    result = CliRunner().invoke(cli, [*arguments, "--skip-invalid"])
    assert result.exit_code == 0, result.output
    cohort, report = out.read_text(), out.with_suffix(".skipped.csv").read_text()
    assert len(cohort.splitlines()) == 3 and "900009,independent_special,day" in cohort
    assert report.splitlines() == ["council,position,item,problem",
                                   f"{A},3,SENtypeRank,no need ranked 1; rank the primary need 1"]
    for value in personal_values(persons):
        assert value not in cohort + report + refused.output + result.output


def test_the_command_needs_the_key_and_one_council_a_return(tmp_path, monkeypatch):
    path, _ = sample(tmp_path)
    monkeypatch.delenv("PLACEWISE_PSEUDONYM_KEY", raising=False)
    result = CliRunner().invoke(cli, ["cohort", "import-sen2", str(path), "--council", A])
    assert result.exit_code == 2 and "PLACEWISE_PSEUDONYM_KEY" in result.output
    monkeypatch.setenv("PLACEWISE_PSEUDONYM_KEY", KEY)
    result = CliRunner().invoke(cli, ["cohort", "import-sen2", str(path), "--council", A, "--council", A])
    assert result.exit_code == 2 and "one council for each return" in result.output


def test_the_commissioners_page_imports_the_return_and_lists_who_was_left_out(tmp_path):
    path, persons = sample(tmp_path)
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'store.db'}", postcodes=tmp_path / "postcodes.csv",
                              pseudonym_key=KEY))
    add_user(app.state.engine, "co-a", PASSWORD, "commissioner", [A])
    client = TestClient(app, base_url="https://testserver")
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in").text).group(1)
    signed = client.post("/sign-in", data={"username": "co-a", "password": PASSWORD, "csrf_token": token})
    token = re.search(r'name="csrf_token" value="([^"]+)"', signed.text).group(1)
    form = client.get("/cohorts/sen2")
    assert form.status_code == 200 and "Import an SEN2 return" in form.text
    upload = {"file": ("return.xml", path.read_bytes(), "application/xml")}
    refused = client.post("/cohorts/sen2", data={"council": A, "csrf_token": token}, files=upload)
    assert refused.status_code == 422 and "govuk-error-summary" in refused.text and "nothing was imported" in \
        refused.text
    done = client.post("/cohorts/sen2", data={"council": A, "skip_invalid": "yes", "csrf_token": token},
                       files=upload)
    assert done.status_code == 201 and "2 children of" in done.text and "SENtypeRank" in done.text
    assert client.post("/cohorts/sen2", data={"council": "E06900002", "csrf_token": token},
                       files=upload).status_code == 422  # not a council the commissioner acts for
    for value in personal_values(persons):
        assert value not in refused.text + done.text + everything_stored(app.state.engine)
