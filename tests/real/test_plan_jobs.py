"""On the open data: a capacity plan and its sweep as jobs from the planner's form (the page answers at once, the
job reports progress), their results with the sites by name, whom each serves, the map and the downloads, the
sweep explained against the plan; and settings' addresses read by URN for the finder."""

import io
import re
import threading
import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from api.platform.jobs.worker import run_worker
from api.platform.security.people import add_user
from api.platform.store.models import Job
from api.settings import Settings
from geodata.setting_addresses import load_setting_addresses
from tests.helpers.browser import PASSWORD
from tests.helpers.workbooks import text_numbers

NORTH_EAST = ["E06000001", "E06000002", "E06000003", "E06000004", "E06000005", "E06000047", "E06000057",
              "E08000021", "E08000022", "E08000023", "E08000024", "E08000037"]


def test_the_published_addresses_are_read_by_urn(data_dir):
    addresses = load_setting_addresses(data_dir)
    assert len(addresses) > 20_000 and addresses.index.is_unique
    assert addresses.loc[100000, "postcode"] == "EC3A 5DE" and addresses.loc[100000, "town"] == "London"


@pytest.fixture(scope="module")
def planner(data_dir, tmp_path_factory):
    folder = tmp_path_factory.mktemp("plan-jobs")
    app = create_app(Settings(database_url=f"sqlite:///{folder / 'store.db'}", data=data_dir, cache=folder / "cache"))
    add_user(app.state.engine, "planner-ne", PASSWORD, "planner", NORTH_EAST)
    client = TestClient(app, base_url="https://testserver")
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in").text).group(1)
    answer = client.post("/sign-in", data={"username": "planner-ne", "password": PASSWORD, "csrf_token": token})
    return app, client, re.search(r'name="csrf_token" value="([^"]+)"', answer.text).group(1)


def test_a_plan_and_its_sweep_run_as_jobs_from_the_form(planner):
    app, client, token = planner
    form = client.get("/planning/jobs/new")
    assert form.status_code == 200 and "north-east-plan" in form.text
    refused = client.post("/planning/jobs", data={"library": "north-east-plan", "cap_minutes": "241",
                                                  "csrf_token": token})
    assert refused.status_code == 422 and 'href="#cap_minutes"' in refused.text
    assert app.state.sessions().scalars(select(Job)).all() == []  # nothing stored
    made = client.post("/planning/jobs", data={"library": "north-east-plan", "sweep_draws": "1", "max_sites": "3",
                                               "csrf_token": token}, follow_redirects=False)
    assert made.status_code == 303
    run = made.headers["location"]
    assert "Stop this run" in client.get(run).text  # queued: the page answers at once, the work is in the job
    worker = threading.Thread(target=run_worker, args=(app.state.engine, app.state.settings),
                              kwargs={"once": True})
    worker.start()
    seen = set()
    while worker.is_alive():  # what the run page shows as the job goes
        with app.state.sessions() as session:
            seen.add(session.scalars(select(Job.progress)).one())
        time.sleep(0.2)
    job = app.state.sessions().scalars(select(Job)).one()
    assert job.status == "succeeded", job.error
    assert any("weighing every candidate site" in str(text) for text in seen)
    assert any("sweep: variant" in str(text) for text in seen)  # the job reported its progress
    page = client.get(run).text
    plan = job.result["plan"]
    assert 1 <= len(plan["sites"]) <= 3 and all(site["name"] in page for site in plan["sites"])
    assert all(not site["name"].endswith("-unit") for site in plan["sites"])
    assert sum(site["children"] for site in plan["sites"]) == plan["placed_locally"] - sum(
        flow["children"] for flow in plan["flows"] if flow["kind"] == "existing")
    assert "The sweep, and why the plan differs" in page and plan["capital"]["capital_gbp"] > 0
    sweep = job.result["sweep"]
    assert sweep["variants"] == 8 and sweep["same_limits"] == 1  # one draw x (3, 6 sites) x 4 caps; 3 sites, 60 min
    assert {row["site_id"] for row in sweep["frequency"] if row["in_plan"]} == {site["site_id"] for site in
                                                                                plan["sites"]}
    drawn = client.get(f"/planning/jobs/{job.id}/map").text
    assert "leaflet" in drawn.lower() and plan["sites"][0]["name"] in drawn
    body = client.get(f"/planning/jobs/{job.id}/plan.xlsx").content
    assert text_numbers(body) == []
    import pandas as pd

    sheets = pd.read_excel(io.BytesIO(body), sheet_name=None)
    assert len(sheets["Sites"]) == len(plan["sites"]) and "Sweep" in sheets


def test_settings_are_found_by_town_and_postcode_on_the_open_data(planner):
    _, client, _ = planner
    by_postcode = client.get("/find-a-setting?q=NE4").text  # Newcastle's west end: the outward code, whole
    assert "settings found" in by_postcode and " NE4 " in by_postcode and " NE40 " not in by_postcode
    by_town = client.get("/find-a-setting?q=Sunderland").text
    assert "Sunderland" in by_town and "settings found" in by_town
    urn = re.search(r'href="/find-a-setting/(\d+)"', by_town).group(1)
    page = client.get(f"/find-a-setting/{urn}").text
    assert re.search(r"SR\d", page) and "Designated for" in page  # its address, from the performance tables


def test_every_kind_of_setting_has_a_page_on_the_open_data(planner):
    app, client, _ = planner
    providers = app.state.register.current().inputs.providers
    sample = providers.groupby("kind", group_keys=False).apply(lambda group: group.sample(min(len(group), 15),
                                                                                        random_state=0))
    for urn in sample.index:  # settings of every kind, with and without ages, designations, Ofsted grades, places
        answer = client.get(f"/find-a-setting/{urn}")
        assert answer.status_code == 200, urn
