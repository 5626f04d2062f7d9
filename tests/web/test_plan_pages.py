"""The demo has its own capacity plan, run as a job from the planner's form: the sites by name, whom each serves, the
map and the downloads; a sweep, which draws from a forecast the demo does not have, is refused by field, as is a cap
over 240 minutes, with nothing stored; the old in-request plan and sweep pages lead to the form."""

from sqlalchemy import func, select

from api.platform.jobs.worker import run_worker
from api.platform.store.engine import sessions
from api.platform.store.models import Job
from tests.helpers.pages import commissioners_app, signed_in
from tests.helpers.workbooks import text_numbers


def _jobs(app) -> int:
    with sessions(app.state.engine)() as session:
        return session.scalar(select(func.count()).select_from(Job))


def test_the_demo_plans_as_a_job_and_refuses_a_sweep_and_bad_input(tmp_path):
    app = commissioners_app(tmp_path)
    client, token = signed_in(app, "co-all")
    form = client.get("/planning/jobs/new").text
    assert "demo-plan" in form and "no forecast" in form
    for fields, wrong in (({"sweep_draws": "2"}, "sweep_draws"), ({"cap_minutes": "241"}, "cap_minutes"),
                          ({"max_sites": "-1"}, "max_sites"), ({"capital_cost": "free"}, "capital_cost")):
        refused = client.post("/planning/jobs", data={"library": "demo-plan", "csrf_token": token, **fields})
        assert refused.status_code == 422 and f'href="#{wrong}"' in refused.text, fields
    assert _jobs(app) == 0
    for old in ("/planning/plan", "/planning/sweep"):
        assert client.get(old, follow_redirects=False).headers["location"].startswith("/planning/jobs/new")
    made = client.post("/planning/jobs", data={"library": "demo-plan", "capital_cost": "50000", "csrf_token": token},
                       follow_redirects=False)
    assert made.status_code == 303
    run_worker(app.state.engine, app.state.settings, once=True)
    job = app.state.sessions().scalars(select(Job)).one()
    assert job.status == "succeeded" and job.kind == "plan", job.error
    plan = job.result["plan"]
    page = client.get(made.headers["location"]).text
    assert plan["sites"] and all(site["name"] in page for site in plan["sites"])
    assert plan["capital"]["per_place_gbp"] == 50_000 and "Map of the proposed sites" in page
    assert sum(site["children"] for site in plan["sites"]) + sum(
        flow["children"] for flow in plan["flows"] if flow["kind"] == "existing") == plan["placed_locally"]
    assert "leaflet" in client.get(f"/planning/jobs/{job.id}/map").text.lower()
    assert text_numbers(client.get(f"/planning/jobs/{job.id}/plan.xlsx").content) == []
