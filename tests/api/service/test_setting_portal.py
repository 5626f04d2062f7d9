"""The settings' portal on both stores: a setting's person keeps its vacancies (and a caseworker's shortlist then says
"reported by the setting on <date>"), answers the consultation addressed to it (and the officer considers it), accepts
an offer that the council then accepts (and it locks), and signs the placement agreement once; the decision's record
and bundle reference it. Bad input is refused by field, with nothing stored."""

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from api.platform.security.keys import create_key
from api.platform.store.engine import sessions
from api.platform.store.models import VacancyReport
from scenarios.vacancy_evidence import day_words
from tests.helpers.decisions import CHILD, OTHER_PREFERENCE, decided_case, person
from tests.helpers.portal import TERMS, setting_person
from tests.helpers.store import A, assert_append_only, auth, snapshot

ACADEMY = OTHER_PREFERENCE  # 900002, Northvale special academy 2: designated ASD, MLD, SLCN
EASTMOOR = 900011  # a special academy of council B
NOTE = {"note": "Read the reply against the plan's packages and the offer."}


def consulted(client, engine, providers: list[int], days_ago: int = 2) -> tuple[str, dict, dict]:
    """Council A's child consulted about with the given settings; the consultation, a caseworker and an officer."""
    caseworker = auth(create_key(engine, "case system A", "caseworker", [A]))
    officer = person(client, engine, "officer.a", "decision_maker", [A])
    assert client.post("/v1/children", json=CHILD, headers=caseworker).status_code == 201
    made = client.post("/v1/consultations", json={"child_id": CHILD["child_id"], "provider_ids": providers,
                                                  "sent_on": (date.today() - timedelta(days=days_ago)).isoformat()},
                       headers=caseworker)
    assert made.status_code == 201, made.text
    return made.json()["consultation_id"], caseworker, officer


def test_a_setting_keeps_its_vacancies_and_the_shortlist_says_who_reported_them(api):
    client, _, engine = api
    caseworker = auth(create_key(engine, "case system A", "caseworker", [A]))
    academy = setting_person(client, engine, "admissions.2", [ACADEMY])
    before = client.post("/v1/shortlists", json={"child": CHILD, "k": 30, "purpose": "assessment"},
                         headers=caseworker).json()
    listed = {row["provider_id"]: row for row in before["candidates"]}
    assert listed[ACADEMY]["vacancies_evidence"] == "reported"
    figures = [{"need": "ASD", "need_level": 2, "vacancies": 2}, {"need": "ASD", "need_level": 3, "vacancies": 1},
               {"need": "ALL", "vacancies": 4}]
    answer = client.put(f"/v1/portal/settings/{ACADEMY}/vacancies", json={"figures": figures}, headers=academy)
    assert answer.status_code == 200, answer.text
    history = answer.json()
    assert [(row["need"], row["need_level"], row["vacancies"], row["reporter"], row["reported_by"])
            for row in history] == [("ALL", None, 4, "setting", "admissions.2"), ("ASD", 3, 1, "setting",
                                                                                  "admissions.2"),
                                    ("ASD", 2, 2, "setting", "admissions.2")]
    after = client.post("/v1/shortlists", json={"child": CHILD, "k": 30, "purpose": "assessment"},
                        headers=caseworker).json()
    row = next(item for item in after["candidates"] if item["provider_id"] == ACADEMY)
    said = f"reported by the setting on {day_words(date.today())}"
    assert row["vacancies"] == 3  # the ASD levels' figures, 2 + 1, for a child with autism
    assert row["vacancies_evidence"] == said
    assert f"3 places free ({said})" in row["reasons"]


def test_bad_vacancies_are_refused_by_field_and_nothing_is_stored(api):
    client, _, engine = api
    academy = setting_person(client, engine, "admissions.2", [ACADEMY])
    before = snapshot(engine)
    not_designated = client.put(f"/v1/portal/settings/{ACADEMY}/vacancies",
                                json={"figures": [{"need": "ASD", "vacancies": 1}, {"need": "PMLD", "vacancies": 1}]},
                                headers=academy)
    assert not_designated.status_code == 422
    assert "row 2" in str(not_designated.json()) and "reason" in str(not_designated.json())
    negative = client.put(f"/v1/portal/settings/{ACADEMY}/vacancies",
                          json={"figures": [{"need": "ALL", "vacancies": -1}]}, headers=academy)
    assert negative.status_code == 422 and "vacancies" in str(negative.json())
    other = client.put(f"/v1/portal/settings/{EASTMOOR}/vacancies", json={"figures": [{"need": "ALL",
                                                                                        "vacancies": 1}]},
                       headers=academy)
    assert other.status_code == 404
    assert snapshot(engine) == before
    with_reason = client.put(f"/v1/portal/settings/{ACADEMY}/vacancies", json={"figures": [
        {"need": "PMLD", "vacancies": 1, "reason": "A new sensory room and staff trained for profound needs."}]},
        headers=academy)
    assert with_reason.status_code == 200, with_reason.text
    with sessions(engine)() as session:
        assert session.scalars(select(VacancyReport.reason)).all() == [
            "A new sensory room and staff trained for profound needs."]


def test_a_setting_answers_its_consultation_and_the_officer_considers_it(api):
    client, _, engine = api
    consultation, caseworker, officer = consulted(client, engine, [ACADEMY, EASTMOOR])
    academy = setting_person(client, engine, "admissions.2", [ACADEMY])
    eastmoor = setting_person(client, engine, "admissions.11", [EASTMOOR])
    mine = client.get("/v1/portal/consultations", headers=academy).json()
    assert [(row["consultation_id"], row["provider_id"]) for row in mine] == [(consultation, ACADEMY)]
    read = client.get(f"/v1/portal/consultations/{consultation}/settings/{ACADEMY}", headers=academy)
    assert read.status_code == 200 and read.json()["child"]["primary_need"] == "ASD"
    assert "easting" not in read.json()["child"] and "home_lsoa" not in read.json()["child"]
    before = snapshot(engine)
    not_addressed = client.put(f"/v1/portal/consultations/{consultation}/settings/{ACADEMY}/reply",
                               json={"reply": "can_meet"}, headers=eastmoor)
    assert not_addressed.status_code == 404  # another setting's row, exactly as a missing one
    no_reason = client.put(f"/v1/portal/consultations/{consultation}/settings/{EASTMOOR}/reply",
                           json={"reply": "cannot_meet"}, headers=eastmoor)
    assert no_reason.status_code == 422
    assert snapshot(engine) == before
    words = "Our autism base has a place from January and staff trained in the child's packages."
    replied = client.put(f"/v1/portal/consultations/{consultation}/settings/{ACADEMY}/reply",
                         json={"reply": "can_meet", "words": words}, headers=academy)
    assert replied.status_code == 200, replied.text
    assert (replied.json()["reply"], replied.json()["replied_via"], replied.json()["setting_words"]) == (
        "can_meet", "setting", words)
    overwritten = client.put(f"/v1/consultations/{consultation}/replies/{ACADEMY}", json={"reply": "cannot_meet",
                                                                                         "reason": "no_places"},
                             headers=caseworker)
    assert overwritten.status_code == 409  # the council does not type over the setting's own reply
    considered = client.post(f"/v1/consultations/{consultation}/replies/{ACADEMY}/considered", json=NOTE,
                             headers=officer)
    assert considered.status_code == 200 and considered.json()["considered_reply"] == "can_meet"
    late = client.put(f"/v1/portal/consultations/{consultation}/settings/{ACADEMY}/reply",
                      json={"reply": "cannot_meet", "reason": "no_places"}, headers=academy)
    assert late.status_code == 409


def test_an_offer_locks_once_the_council_accepts_and_the_agreement_is_signed_once(api):
    client, _, engine = api
    decision = decided_case(client, engine, versions=1)  # names the academy (OTHER_PREFERENCE)
    officer = person(client, engine, "officer.offers", "decision_maker", [A])
    academy = setting_person(client, engine, "admissions.2", [ACADEMY])
    eastmoor = setting_person(client, engine, "admissions.11", [EASTMOOR])
    made = client.post("/v1/offers", json={"decision_id": decision, "terms": TERMS}, headers=officer)
    assert made.status_code == 201, made.text
    offer = made.json()["offer_id"]
    assert client.post("/v1/offers", json={"decision_id": decision, "terms": TERMS},
                       headers=officer).status_code == 409  # one open offer a decision
    assert [row["offer_id"] for row in client.get("/v1/portal/offers", headers=academy).json()] == [offer]
    assert client.get("/v1/portal/offers", headers=eastmoor).json() == []
    assert client.post(f"/v1/portal/offers/{offer}/accept", headers=eastmoor).status_code == 404
    assert client.post(f"/v1/portal/offers/{offer}/agreement", headers=academy).status_code == 409  # not confirmed
    assert client.post(f"/v1/offers/{offer}/confirm", headers=officer).status_code == 409  # not yet accepted
    accepted = client.post(f"/v1/portal/offers/{offer}/accept", headers=academy)
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    confirmed = client.post(f"/v1/offers/{offer}/confirm", headers=officer)
    assert confirmed.status_code == 200 and confirmed.json()["locked"] is True
    declined = client.post(f"/v1/portal/offers/{offer}/decline", json={"reason": "no_places"}, headers=academy)
    assert declined.status_code == 409  # locked
    signed = client.post(f"/v1/portal/offers/{offer}/agreement", headers=academy)
    assert signed.status_code == 201, signed.text
    agreement = signed.json()
    assert agreement["valid"] and agreement["agreement"]["terms"] == TERMS
    assert agreement["agreement"]["signed_by"]["full_name"] == "Amira Haddad"
    assert client.post(f"/v1/portal/offers/{offer}/agreement", headers=academy).status_code == 409  # twice
    record = client.get(f"/v1/decisions/{decision}", headers=officer).json()
    assert [item["agreement_hash"] for item in record["placement_agreements"]] == [agreement["agreement_hash"]]
    assert record["placement_agreements"][0]["agreement"]["decision_hash"] == record["record_hash"]
    bundle = client.get(f"/v1/decisions/{decision}/bundle", params={"format": "html"}, headers=officer)
    assert agreement["agreement_hash"] in bundle.text and "Amira Haddad" in bundle.text
    pdf = client.get(f"/v1/decisions/{decision}/bundle", params={"format": "pdf"}, headers=officer)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert_append_only(engine, "placement_agreements", "signed_by")


def test_a_signatory_without_a_recorded_name_cannot_sign(api):
    client, _, engine = api
    decision = decided_case(client, engine, versions=1)
    officer = person(client, engine, "officer.offers", "decision_maker", [A])
    academy = setting_person(client, engine, "admissions.2", [ACADEMY], named=False)
    offer = client.post("/v1/offers", json={"decision_id": decision, "terms": TERMS},
                        headers=officer).json()["offer_id"]
    client.post(f"/v1/portal/offers/{offer}/accept", headers=academy)
    client.post(f"/v1/offers/{offer}/confirm", headers=officer)
    refused = client.post(f"/v1/portal/offers/{offer}/agreement", headers=academy)
    assert refused.status_code == 422 and "officer" in json.dumps(refused.json())


@pytest.mark.parametrize("role", ["caseworker", "commissioner", "decision_maker"])
def test_council_roles_never_reach_the_settings_portal(api, role):
    client, _, engine = api
    key = auth(create_key(engine, f"{role} A", role, [A]))
    assert client.get("/v1/portal/consultations", headers=key).status_code == 403


def test_a_run_through_the_service_rests_on_the_settings_own_figures(tmp_path):
    """A scenario job on free places, after the academy kept its vacancies: the worker lays the store's reports over
    the register, and the job's KPIs count the figure reported by the setting."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.platform.jobs.worker import run_worker
    from api.settings import Settings

    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'jobs.db'}"))
    client = TestClient(app)
    academy = setting_person(client, app.state.engine, "admissions.2", [ACADEMY])
    assert client.put(f"/v1/portal/settings/{ACADEMY}/vacancies", json={"figures": [{"need": "ALL", "vacancies": 2}]},
                      headers=academy).status_code == 200
    councils = ["E06900001", "E06900002", "E06900003"]
    commissioner = auth(create_key(app.state.engine, "commissioner", "commissioner", councils))
    job = client.post("/v1/scenarios", json={"name": "On free places", "data": "demo", "councils": councils,
                                             "cohort": {"synthetic": True}, "capacity": "vacancies"},
                      headers=commissioner)
    assert job.status_code == 202, job.text
    assert run_worker(app.state.engine, app.state.settings, once=True) == 1
    answer = client.get(f"/v1/scenarios/{job.json()['job_id']}", headers=commissioner).json()
    assert answer["status"] == "succeeded", answer
    assert answer["kpis"]["vacancy_evidence"]["reported_by_the_setting"] == 1
