"""The shared scenario library of a commissioning body, on both stores (SQLite, and PostgreSQL where it answers):
saved from the form under a name, listed, downloaded as YAML, run and deleted by whoever saved it; seen by every
person of the same body and by nobody of another (404, as for a missing one); bad input stores nothing."""

import re

import yaml
from sqlalchemy import func, select

from api.platform.security.people import add_user
from api.platform.store.engine import sessions
from api.platform.store.models import AuditEvent, Job
from api.platform.store.saved_scenarios import SavedScenario
from tests.helpers.browser import PASSWORD
from tests.helpers.pages import signed_in
from tests.helpers.store import snapshot

BODY = ["E06900001", "E06900002", "E06900003"]
OPENED = {"open_urn": "990001", "open_name": "Northvale Autism Base", "open_kind": "special_academy",
          "open_council": "E06900001", "open_easting": "420000", "open_northing": "570000", "open_needs": "ASD",
          "open_age_low": "4", "open_age_high": "11", "open_places": "40"}


def _people(engine) -> None:  # type: ignore[no-untyped-def]
    for username, role, councils in (("co-all", "commissioner", BODY), ("co-two", "commissioner", BODY),
                                     ("pl-all", "planner", BODY), ("co-one", "commissioner", BODY[:1]),
                                     ("pl-one", "planner", BODY[:1])):
        add_user(engine, username, PASSWORD, role, councils)


def _count(engine, table) -> int:  # type: ignore[no-untyped-def]
    with sessions(engine)() as session:
        return session.scalar(select(func.count()).select_from(table))


def _save(client, token: str, **fields: str):  # type: ignore[no-untyped-def]
    return client.post("/scenarios/saved", data={"library": "demo", "csrf_token": token, **fields},
                       follow_redirects=False)


def _saved_id(client) -> str:  # type: ignore[no-untyped-def]
    return re.search(r'/scenarios/saved/([0-9a-f-]{36})/scenario\.yaml', client.get("/scenarios").text).group(1)


def test_a_commissioner_saves_a_scenario_that_the_body_lists_downloads_runs_and_only_its_saver_deletes(api):
    client, _keys, engine = api
    _people(engine)
    owner, token = signed_in(client.app, "co-all")
    saved = _save(owner, token, save_name="New autism base", save_description="Opens a base.\nCloses 900009.",
                  close_setting="900009", weight_travel="0.5", **OPENED)
    assert saved.status_code == 303 and saved.headers["location"].startswith("/scenarios?saved=1")
    saved_id = _saved_id(owner)
    listing = owner.get("/scenarios").text
    assert "New autism base" in listing and "opens Northvale Autism Base (40 places)" in listing
    assert f'value="saved-{saved_id}"' in listing  # offered on the form, to copy and change
    answer = owner.get(f"/scenarios/saved/{saved_id}/scenario.yaml")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/yaml")
    document = yaml.safe_load(answer.text)
    assert document["name"] == "New autism base" and document["policy"]["weights"]["travel"] == 0.5
    assert document["deltas"][0] == {"close": 900009} and document["deltas"][1]["open"]["provider_id"] == 990001
    again = owner.post("/scenarios", files={"upload": ("mine.yaml", answer.content, "application/yaml")},
                       data={"csrf_token": token}, follow_redirects=False)
    assert again.status_code == 303  # the download runs as a file
    copied = owner.get(f"/scenarios?from=saved-{saved_id}").text
    assert f'value="saved-{saved_id}" checked' in copied
    colleague, other_token = signed_in(client.app, "co-two")
    assert "New autism base" in colleague.get("/scenarios").text
    run = colleague.post(f"/scenarios/saved/{saved_id}/run", data={"csrf_token": other_token},
                         follow_redirects=False)
    assert run.status_code == 303 and "New autism base" in colleague.get(run.headers["location"]).text
    planner, planner_token = signed_in(client.app, "pl-all")
    assert "New autism base" in planner.get("/scenarios").text
    assert _save(planner, planner_token, save_name="Mine").status_code == 403  # planners run, commissioners save
    assert colleague.post(f"/scenarios/saved/{saved_id}/delete", data={"csrf_token": other_token}).status_code == 403
    gone = owner.post(f"/scenarios/saved/{saved_id}/delete", data={"csrf_token": token}, follow_redirects=False)
    assert gone.status_code == 303 and _count(engine, SavedScenario) == 0
    assert owner.get(f"/scenarios/saved/{saved_id}/scenario.yaml").status_code == 404
    with sessions(engine)() as session:
        actions = {(event.action, event.council) for event in session.scalars(
            select(AuditEvent).where(AuditEvent.object_type == "saved_scenario", AuditEvent.object_id == saved_id))}
    assert {(action, council) for action in ("save", "list", "export", "run", "delete") for council in BODY} <= actions


def test_another_body_cannot_list_read_run_download_copy_or_delete_a_saved_scenario(api):
    client, _keys, engine = api
    _people(engine)
    owner, token = signed_in(client.app, "co-all")
    assert _save(owner, token, save_name="Body only").status_code == 303
    saved_id = _saved_id(owner)
    missing = "00000000-0000-0000-0000-000000000000"
    before = snapshot(engine)
    for username in ("co-one", "pl-one"):
        other, other_token = signed_in(client.app, username)
        assert "Body only" not in other.get("/scenarios").text
        for path in (saved_id, missing):  # another body's scenario answers exactly as a missing one
            assert other.get(f"/scenarios/saved/{path}/scenario.yaml").status_code == 404
            assert other.post(f"/scenarios/saved/{path}/run", data={"csrf_token": other_token}).status_code == 404
            assert other.post(f"/scenarios/saved/{path}/delete", data={"csrf_token": other_token}).status_code == 404
            assert other.post("/scenarios", data={"library": f"saved-{path}", "csrf_token": other_token}
                              ).status_code == 404
    assert snapshot(engine) == before and _count(engine, SavedScenario) == 1 and _count(engine, Job) == 0
    with sessions(engine)() as session:
        refused = session.scalars(select(AuditEvent).where(AuditEvent.action == "refused",
                                                           AuditEvent.actor == "co-one")).all()
    assert refused  # the refusals are audited, as another council's run's are


def test_bad_input_is_refused_by_field_and_nothing_is_stored_or_queued(api):
    client, _keys, engine = api
    _people(engine)
    owner, token = signed_in(client.app, "co-all")
    for fields, field in (({"save_name": "x" * 101}, "save_name"), ({"save_name": "tab\there"}, "save_name"),
                          ({"save_name": ""}, "save_name"),
                          ({"save_name": "ok", "save_description": "bell\x07ring"}, "save_description"),
                          ({"save_name": "ok", "close_setting": "123456"}, "close_setting"),
                          ({"save_name": "ok", "expand_setting": "123456", "expand_places": "5"}, "expand_setting"),
                          ({"save_name": "ok", "quota_setting": "123456", "quota_E06900001": "5"}, "quota_setting"),
                          ({"save_name": "ok", **OPENED, "open_urn": "900002"}, "open_urn"),
                          ({"save_name": "ok", "weight_travel": "-1"}, "weight_travel"),
                          ({"save_name": "ok", "cap_primary": "241"}, "cap_primary")):
        refused = _save(owner, token, **fields)
        assert refused.status_code == 422 and "govuk-error-summary" in refused.text, fields
        assert f'href="#{field}"' in refused.text, fields
        for typed in ("tab\there", "bell\x07ring", "x" * 101):
            assert typed not in refused.text
        if field not in ("save_name", "save_description"):  # the same change refused when run
            run = owner.post("/scenarios", data={"library": "demo", "csrf_token": token, **fields})
            assert run.status_code == 422 and f'href="#{field}"' in run.text, fields
    unknown = yaml.safe_dump({"name": "Unknown URN", "councils": BODY, "cohort": {"synthetic": True},
                              "deltas": [{"close": 123456}]}).encode()
    refused = owner.post("/scenarios/saved", files={"upload": ("bad.yaml", unknown, "application/yaml")},
                         data={"csrf_token": token, "save_name": "Bad"})
    assert refused.status_code == 422 and 'href="#library"' in refused.text and "check the URN" in refused.text
    assert _count(engine, SavedScenario) == 0 and _count(engine, Job) == 0
