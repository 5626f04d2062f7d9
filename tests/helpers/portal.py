"""Helpers of the settings' portal tests and the setting's browser journey: a setting's person, a consultation
addressed to a setting, and a decided case with an offer."""

from api.platform.security.people import add_user
from api.records.officers import OfficerDetails, set_officer
from tests.helpers.decisions import PASSWORD, auth

SIGNATORY = OfficerDetails(full_name="Amira Haddad", job_title="Head of Admissions",
                           authority="Signs placement agreements for the academy trust, scheme of delegation 3.1")
TERMS = {"annual_fee_gbp": 24_500, "start_on": "2099-01-04", "hours_per_week": 32.5, "package": "SP-CI"}


def setting_person(client, engine, username: str, provider_ids: list[int], named: bool = True) -> dict:
    """A setting's person's bearer token (the embedded default's sign-in), with their name recorded to sign."""
    add_user(engine, username, PASSWORD, "setting", [], provider_ids)
    if named:
        set_officer(engine, username, SIGNATORY, "admin")
    answer = client.post("/v1/token", json={"username": username, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return auth(answer.json()["access_token"])
