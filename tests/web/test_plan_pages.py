"""On the demo the planner's form says planning needs the open data, and a plan posted anyway is refused by field
with nothing stored; the old in-request plan and sweep pages lead to the form."""

from sqlalchemy import func, select

from api.service.store.engine import sessions
from api.service.store.models import Job
from tests.helpers.pages import commissioners_app, signed_in


def test_on_the_demo_planning_says_it_needs_the_open_data_and_stores_nothing(tmp_path):
    app = commissioners_app(tmp_path)
    client, token = signed_in(app, "co-all")
    assert "reads the open data" in client.get("/planning/jobs/new").text
    refused = client.post("/planning/jobs", data={"library": "north-east-plan", "csrf_token": token})
    assert refused.status_code == 422 and "govuk-error-summary" in refused.text
    for old in ("/planning/plan", "/planning/sweep"):
        assert client.get(old, follow_redirects=False).headers["location"].startswith("/planning/jobs/new")
    with sessions(app.state.engine)() as session:
        assert session.scalar(select(func.count()).select_from(Job)) == 0
