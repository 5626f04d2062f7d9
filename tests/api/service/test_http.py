"""The HTTP API on both stores: councils kept apart, roles, clear 4xx errors that echo nothing, audit."""

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select, text

from api.app import create_app
from api.platform.security.keys import create_key
from api.platform.store.engine import sessions as make_sessions
from api.platform.store.models import AuditEvent, ChildRecord
from api.settings import Settings
from tests.helpers.store import CHILD, POSTGRES, A, B, as_councils, auth, snapshot

SEARCH = {"child": CHILD, "k": 10, "purpose": "placement_search"}


def test_health_and_readiness(api):
    client, _, _ = api
    assert client.get("/v1/health").json() == {"status": "ok"}
    assert client.get("/v1/ready").json()["status"] == "ready"


def test_roles_and_keys(api):
    client, keys, _ = api
    assert client.get("/v1/children").status_code == 401
    assert client.get("/v1/children", headers=auth("pw_not-a-key")).status_code == 401
    assert client.get("/v1/children", headers=auth(keys["planner"])).status_code == 403
    assert client.get("/v1/providers?limit=5", headers=auth(keys["planner"])).status_code == 200


def test_update_and_delete_within_the_council(api):
    client, keys, engine = api
    client.post("/v1/children", json=CHILD, headers=auth(keys["a"]))
    changed = {**CHILD, "age": 10}
    assert client.put("/v1/children/A-17", json=changed, headers=auth(keys["a"])).status_code == 200
    assert client.get("/v1/children/A-17", headers=auth(keys["a"])).json()["age"] == 10
    assert client.delete("/v1/children/A-17", headers=auth(keys["a"])).status_code == 204
    assert client.get("/v1/children/A-17", headers=auth(keys["a"])).status_code == 404


def test_bad_input_is_a_clear_4xx_that_echoes_nothing_and_changes_nothing(api):
    client, keys, engine = api
    before = snapshot(engine)
    secret = {**CHILD, "primary_need": "SECRET-NEED-WORDS", "age": float("nan")}
    body = json.dumps(secret, allow_nan=True)
    answer = client.post("/v1/children", content=body, headers={**auth(keys["a"]), "content-type": "application/json"})
    assert answer.status_code == 422 and "SECRET" not in answer.text and "nan" not in answer.text.lower()
    assert {problem["field"] for problem in answer.json()["detail"]} >= {"primary_need", "age"}
    extra = client.post("/v1/children", json={**CHILD, "name": "Real Name"}, headers=auth(keys["a"]))
    assert extra.status_code == 422 and "Real Name" not in extra.text
    huge = client.post("/v1/children", content=b"x" * 1_100_000, headers={**auth(keys["a"]),
                                                                        "content-type": "application/json"})
    assert huge.status_code == 413
    assert snapshot(engine) == before


def test_shortlists_by_profile_or_stored_child_are_audited_without_needs(api):
    client, keys, engine = api
    by_profile = client.post("/v1/shortlists", json={"child": CHILD, "k": 3, "purpose": "annual_review"},
                             headers=auth(keys["a"]))
    assert by_profile.status_code == 200 and len(by_profile.json()["candidates"]) <= 3
    client.post("/v1/children", json=CHILD, headers=auth(keys["a"]))
    stored = client.post("/v1/shortlists", json={"child_id": "A-17", "k": 3, "purpose": "annual_review"},
                         headers=auth(keys["a"]))
    assert stored.json()["candidates"] == by_profile.json()["candidates"]
    with make_sessions(engine)() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "shortlist")).all()
        assert len(events) == 2 and {event.object_id for event in events} == {"A-17"}
        assert session.scalar(select(func.count()).select_from(AuditEvent)) >= 3
        words = json.dumps([[e.actor, e.council, e.action, e.object_type, e.object_id, e.detail] for e in events])
    assert "ASD" not in words and "420000" not in words


def test_vacancy_updates_by_the_host_councils_commissioner_persist_and_reach_shortlists(api):
    client, keys, engine = api
    commissioner_a = create_key(engine, "commissioner A", "commissioner", [A])
    commissioner_b = create_key(engine, "commissioner B", "commissioner", [B])
    body = {"vacancies": 0, "by_need": {"ASD": 0}}
    assert client.put("/v1/providers/900001/vacancies", json=body, headers=auth(keys["a"])).status_code == 403
    assert client.put("/v1/providers/900001/vacancies", json=body, headers=auth(commissioner_b)).status_code == 403
    assert client.put("/v1/providers/1/vacancies", json=body, headers=auth(commissioner_a)).status_code == 404
    bad = client.put("/v1/providers/900001/vacancies", json={"vacancies": -3}, headers=auth(commissioner_a))
    assert bad.status_code == 422
    before = client.post("/v1/shortlists", json=SEARCH, headers=auth(keys["a"])).json()
    answer = client.put("/v1/providers/900002/vacancies", json={"vacancies": 0}, headers=auth(commissioner_a))
    assert answer.status_code == 200 and answer.json()["vacancies"] == 0
    after = client.post("/v1/shortlists", json=SEARCH, headers=auth(keys["a"])).json()
    listed = {row["provider_id"] for row in after["candidates"]}
    assert 900002 not in listed and after["exclusion_counts"].get("no_vacancy", 0) >= 1
    assert 900002 in {row["provider_id"] for row in before["candidates"]}
    restarted = TestClient(create_app(Settings(database_url=engine.url.render_as_string(hide_password=False))))
    assert restarted.get("/v1/providers/900002", headers=auth(keys["a"])).json()["vacancies"] == 0


CSV_HEADER = "child_id,home_council,easting,northing,age,primary_need,secondary_needs\n"


def test_a_csv_import_stores_all_or_nothing_with_row_numbered_errors(api):
    client, keys, engine = api
    headers = {**auth(keys["a"]), "content-type": "text/csv"}
    good = CSV_HEADER + f"A-1,{A},420000,570000,9,ASD,SLCN;SEMH\nA-2,{A},421000,571000,12,SEMH,\n"
    assert client.post("/v1/children/import", content=good, headers=headers).json() == {"imported": 2}
    before = snapshot(engine)
    cases = {
        CSV_HEADER + f"A-3,{A},420000,570000,9,ASD,\nA-3,{A},420000,570000,9,ASD,\n": "row 3: child_id: repeats",
        CSV_HEADER + f"A-4,{A},420000,570000,9,SECRET-NEED,\n": "row 2: primary_need",
        CSV_HEADER + f"A-5,{A},420000,570000,9,ASD,,extra\n": "row 2: has 8 cells where the header has 7",
        CSV_HEADER + f"A-6,{A},420000,570000,9,ASD,\nA-1,{A},420000,570000,9,ASD,\n": "row 3: child_id: already held",
        CSV_HEADER + f"A-7,{B},420000,570000,9,ASD,\n": "row 2: home_council",
        CSV_HEADER: "has no children",
    }
    for body, expected in cases.items():
        answer = client.post("/v1/children/import", content=body, headers=headers)
        assert answer.status_code in (403, 409, 422) and expected in answer.text, (expected, answer.text)
        assert "SECRET" not in answer.text
    latin = client.post("/v1/children/import", content=(CSV_HEADER + f"A-8,{A},1,1,9,ASD,café\n").encode("latin-1"),
                        headers=headers)
    assert latin.status_code == 422 and "UTF-8" in latin.text
    assert snapshot(engine) == before


def test_bearer_tokens_from_an_identity_provider_are_checked_strictly(api, monkeypatch, tmp_path):
    import time

    import jwt
    from cryptography.hazmat.primitives.asymmetric import rsa

    client, _, _ = api
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key(), as_dict=True)
    (tmp_path / "jwks.json").write_text(json.dumps({"keys": [{**jwk, "kid": "k1", "alg": "RS256", "use": "sig"}]}))
    settings = client.app.state.settings
    client.app.state.settings = settings.model_copy(update={
        "jwks_file": tmp_path / "jwks.json", "jwt_issuer": "https://idp.example", "jwt_audience": "placewise"})
    claims = {"sub": "caseworker@a", "role": "caseworker", "councils": [A], "iss": "https://idp.example",
              "aud": "placewise", "exp": int(time.time()) + 300}

    def token(changes: dict, key=private, algorithm="RS256") -> dict:
        return auth(jwt.encode({**claims, **changes}, key, algorithm=algorithm, headers={"kid": "k1"}))

    assert client.post("/v1/children", json=CHILD, headers=token({})).status_code == 201
    for bad in ({"exp": int(time.time()) - 10}, {"aud": "other"}, {"iss": "https://evil.example"},
                {"role": "superuser"}):
        assert client.get("/v1/children", headers=token(bad)).status_code == 401, bad
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert client.get("/v1/children", headers=token({}, key=other)).status_code == 401
    assert client.get("/v1/children", headers=token({}, key="secret", algorithm="HS256")).status_code == 401


def test_an_idempotency_key_returns_the_first_answer_and_refuses_another_body(api):
    from api.platform.store.models import IdempotencyKey

    client, keys, engine = api
    headers = {**auth(keys["a"]), "Idempotency-Key": "create-A-17"}
    first = client.post("/v1/children", json=CHILD, headers=headers)
    again = client.post("/v1/children", json=CHILD, headers=headers)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    other = client.post("/v1/children", json={**CHILD, "age": 11}, headers=headers)
    assert other.status_code == 422 and "another body" in other.text
    import hashlib

    caller = hashlib.sha256(f"Bearer {keys['a']}".encode()).hexdigest()
    with make_sessions(engine).begin() as session:
        session.add(IdempotencyKey(caller=caller, key="in-flight",
                                   body_hash=hashlib.sha256(json.dumps(CHILD).encode()).hexdigest()))
    busy = client.post("/v1/children", content=json.dumps(CHILD),
                       headers={**auth(keys["a"]), "Idempotency-Key": "in-flight", "content-type": "application/json"})
    assert busy.status_code == 409
    with make_sessions(engine).begin() as session:
        as_councils(session, "*")
        assert session.scalar(select(func.count()).select_from(ChildRecord)) == 1  # created once


def test_requests_per_caller_per_minute_are_capped_by_credential_not_address(tmp_path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'limits.db'}", requests_per_minute=3))
    client = TestClient(app)
    first, second = create_key(app.state.engine, "a", "planner", []), create_key(app.state.engine, "b", "planner", [])
    answers = [client.get("/v1/providers?limit=1", headers=auth(first)).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert client.get("/v1/providers?limit=1", headers=auth(second)).status_code == 200  # same address, other key
    assert client.get("/v1/health").status_code == 200


def test_row_level_security_is_a_second_wall_on_postgresql(api):
    client, keys, engine = api
    if engine.dialect.name != "postgresql":
        pytest.skip("row-level security is PostgreSQL's")
    client.post("/v1/children", json=CHILD, headers=auth(keys["a"]))
    with engine.begin() as connection:  # the service's own role: no superuser, no BYPASSRLS
        connection.execute(text("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'placewise_app') "
                                "THEN CREATE ROLE placewise_app LOGIN NOSUPERUSER NOBYPASSRLS; END IF; END $$"))
        connection.execute(text("GRANT SELECT, INSERT, UPDATE, DELETE ON children TO placewise_app"))
    service = create_engine(POSTGRES.replace("postgres@", "placewise_app@"))
    counts = {}
    for councils in (None, B, A, "*"):
        with make_sessions(service).begin() as session:
            if councils is not None:
                as_councils(session, councils)
            counts[councils] = session.scalar(select(func.count()).select_from(ChildRecord))
    assert counts == {None: 0, B: 0, A: 1, "*": 1}


def test_a_child_given_by_postcode_is_stored_by_its_lsoa_and_the_postcode_never_kept(tmp_path):
    from tests.helpers.samples import HEADER, ROWS

    postcodes = tmp_path / "onspd.csv"
    postcodes.write_text("\n".join([HEADER, *ROWS]) + "\n")
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'postcodes.db'}", postcodes=postcodes))
    client = TestClient(app)
    key = create_key(app.state.engine, "caseworker A", "caseworker", [A])
    record = {key_: value for key_, value in CHILD.items() if key_ not in ("easting", "northing")}
    created = client.post("/v1/children", json={**record, "home_postcode": "ne1 4lp"}, headers=auth(key))
    assert created.status_code == 201, created.text
    stored = client.get(f"/v1/children/{CHILD['child_id']}", headers=auth(key)).json()
    assert stored["home_lsoa"] == "E01008395" and stored["home_postcode"] is None
    with make_sessions(app.state.engine)() as session:
        assert "4LP" not in json.dumps([row.record for row in session.scalars(select(ChildRecord))]).upper()
    refused = client.post("/v1/children", json={**record, "child_id": "A-18", "home_postcode": "NE1 9ZZ"},
                          headers=auth(key))
    assert refused.status_code == 422 and "terminated" in refused.text and "9ZZ" not in refused.text


PROBES = ["<script>alert(1)</script>", "real_name_of_child", "Jane Smith", "x" * 80]


@pytest.mark.parametrize("word", PROBES)
def test_an_error_names_the_expected_field_never_a_word_of_the_request(api, word):
    client, keys, engine = api
    commissioner = create_key(engine, "commissioner A", "commissioner", [A])
    answers = [
        client.post("/v1/children", json={**CHILD, word: "y"}, headers=auth(keys["a"])),  # an unknown field
        client.post("/v1/shortlists", json={**SEARCH, "child": {**CHILD, word: 1}}, headers=auth(keys["a"])),
        client.put("/v1/providers/900001/vacancies", json={"vacancies": 1, "by_need": {word: 1}},
                   headers=auth(commissioner)),  # a mapping's key
        client.put("/v1/providers/900001/vacancies", json={"vacancies": 1, "by_need": {word: -1}},
                   headers=auth(commissioner)),
    ]
    for answer in answers:
        assert answer.status_code == 422, answer.text
        assert word not in answer.text and word.lower() not in answer.text.lower()
        fields = {problem["field"] for problem in answer.json()["detail"]}
        assert fields <= {"", "child", "by_need"}, fields


def test_a_query_parameter_given_twice_is_refused_by_name(api):
    client, keys, engine = api
    answer = client.get("/v1/providers?kind=special_academy&kind=" + "x" * 300, headers=auth(keys["a"]))
    assert answer.status_code == 422 and answer.json()["detail"][0]["field"] == "kind"
    assert "x" * 50 not in answer.text
    assert client.get("/v1/providers?kind=special_academy", headers=auth(keys["a"])).status_code == 200
