"""Two runs compared as a finance officer reads them: the difference decomposed by change (each alone and in order,
the steps adding up to the whole difference within £1), the capital of new places with its payback, differences of
shares in points, and the comparison as a download with every figure a number."""

import io

import pandas as pd
from sqlalchemy import func, select

from api.platform.jobs.worker import run_worker
from api.platform.store.engine import sessions
from api.platform.store.models import Job
from tests.helpers.pages import DEMO_CHANGES
from tests.helpers.pages import commissioners_app as _app
from tests.helpers.pages import signed_in as _signed_in
from tests.helpers.workbooks import text_numbers

CHANGES = DEMO_CHANGES


def _run(client, token, app, **fields) -> str:
    made = client.post("/scenarios", data={"library": "demo", "csrf_token": token, **fields}, follow_redirects=False)
    assert made.status_code == 303, made.text[:2000]
    run_worker(app.state.engine, app.state.settings, once=True)
    return made.headers["location"].rsplit("/", 1)[1]


def test_the_difference_is_decomposed_by_change_and_adds_up(tmp_path):
    app = _app(tmp_path)
    client, token = _signed_in(app, "co-all")
    first = _run(client, token, app, run_name="Today")
    second = _run(client, token, app, run_name="Three changes", **CHANGES)
    compared = client.get(f"/scenarios/compare?first={first}&second={second}")
    assert compared.status_code == 200 and "Explain the difference change by change" in compared.text
    assert "points" in compared.text and "Capital and payback" in compared.text and "ILLUSTRATIVE" in compared.text
    assert 'alt="Whole cost a year by home council, first run then second: Northvale' in compared.text
    asked = client.post("/scenarios/compare/explain", data={"first": first, "second": second, "csrf_token": token},
                        follow_redirects=False)
    assert asked.status_code == 303
    assert run_worker(app.state.engine, app.state.settings, once=True) == 1
    answered = client.get(asked.headers["location"], follow_redirects=False)
    assert answered.status_code == 303 and "#decomposition" in answered.headers["location"]
    page = client.get(f"/scenarios/compare?first={first}&second={second}").text
    assert "Where the difference comes from" in page and "comes from this change: Close" in page
    found = app.state.sessions().scalars(select(Job).where(Job.kind == "decomposition")).one().result["decomposition"]
    assert len(found["rows"]) == 3  # growth, expansion and closure, each alone and in order
    for figure in ("annual_cost_gbp", "placed", "transport_cost_gbp"):
        steps = sum(row["in_order"][figure] for row in found["rows"])
        assert abs(steps - found["total"][figure]) <= 1, figure  # the steps in order add up to the whole
        assert abs(found["unexplained"][figure]) <= 1, figure  # and the last step is the stored second run
    assert found["total"]["annual_cost_gbp"] != 0
    # on the demo the closure saves less once the growth has filled the places: alone and in order differ
    assert any(row["alone"]["annual_cost_gbp"] != row["in_order"]["annual_cost_gbp"] for row in found["rows"])
    body = client.get(f"/scenarios/compare.xlsx?first={first}&second={second}").content
    assert text_numbers(body) == []
    sheets = pd.read_excel(io.BytesIO(body), sheet_name=None)
    assert {"Key figures", "By council", "Changes", "Decomposition", "Capital and payback"} <= set(sheets)
    decomposition = sheets["Decomposition"].set_index("change")
    assert abs(decomposition["Whole cost a year, in order (£)"].iloc[:3].sum()
               - decomposition.loc["Total difference", "Whole cost a year, in order (£)"]) <= 1
    csv = client.get(f"/scenarios/compare.csv?first={first}&second={second}")
    assert csv.status_code == 200 and "figure,first,second,difference,unit" in csv.text


def test_runs_that_differ_in_more_than_changes_are_not_decomposed_and_nothing_is_stored(tmp_path):
    app = _app(tmp_path)
    client, token = _signed_in(app, "co-all")
    first = _run(client, token, app)
    second = _run(client, token, app)  # the same scenario: nothing to decompose
    with sessions(app.state.engine)() as session:
        before = session.scalar(select(func.count()).select_from(Job))
    refused = client.post("/scenarios/compare/explain", data={"first": first, "second": second,
                                                              "csrf_token": token})
    assert refused.status_code == 422 and "nothing to decompose" in refused.text
    assert "govuk-error-summary" in refused.text
    with sessions(app.state.engine)() as session:
        assert session.scalar(select(func.count()).select_from(Job)) == before
