"""The reform plan pack from a baseline run and an action: the baseline and mitigated side by side by need and age
band (adding up to the runs' own totals), each action's impact, capacity, the assumptions with sources; as a page,
a PDF and an Excel workbook with every figure a number; no baseline or no action refused by field."""

import io

import pandas as pd

from api.platform.jobs.worker import run_worker
from tests.helpers.pages import DEMO_CHANGES, commissioners_app, signed_in
from tests.helpers.workbooks import text_numbers


def _run(client, token, app, **fields) -> str:
    made = client.post("/scenarios", data={"library": "demo", "csrf_token": token, **fields}, follow_redirects=False)
    run_worker(app.state.engine, app.state.settings, once=True)
    return made.headers["location"].rsplit("/", 1)[1]


def test_the_pack_from_a_baseline_and_an_action(tmp_path):
    app = commissioners_app(tmp_path)
    client, token = signed_in(app, "co-all")
    baseline = _run(client, token, app, run_name="Baseline 2026")
    action = _run(client, token, app, run_name="Growth, expansion, closure", **DEMO_CHANGES)
    assert client.get("/packs").status_code == 200
    query = f"body=Northvale+partnership&actions={action}"
    refused = client.get(f"/packs/pack?{query}")
    assert refused.status_code == 422 and 'href="#baseline"' in refused.text
    assert 'href="#actions"' in client.get(f"/packs/pack?body=X&baseline={baseline}").text
    assert 'href="#body"' in client.get(f"/packs/pack?body={'x' * 101}&baseline={baseline}&actions={action}").text
    refused_year = client.get(f"/packs/pack?{query}&baseline={baseline}&year=nineteen")
    assert refused_year.status_code == 422 and 'href="#year"' in refused_year.text and "nineteen" not in \
        refused_year.text.split('id="year"')[0]
    html = client.get(f"/packs/pack?{query}&baseline={baseline}&year=2029")
    assert html.status_code == 200 and "The forecast is not available on the embedded demo" in html.text
    for words in ("Baseline 2026", "Growth, expansion, closure", "By need", "By age band", "Assumptions register",
                  "Specialist capacity needed or released", "Capital cost of a new place", "Autism"):
        assert words in html.text, words
    sheets = pd.read_excel(io.BytesIO(client.get(f"/packs/pack?{query}&baseline={baseline}&form=xlsx").content),
                           sheet_name=None)
    kpis = [client.get(f"/scenarios/{run}/results.xlsx") for run in (baseline, action)]
    assert all(answer.status_code == 200 for answer in kpis)
    for sheet in ("By need", "By age band"):
        assert sheets[sheet]["children, baseline"].sum() == 240  # every child, once
        assert sheets[sheet]["children, mitigated"].sum() == 262  # with autism demand grown by 25%
    assert sheets["By age band"]["age band"].tolist()[0] in ("Under 5", "5 to 10")
    workbook = client.get(f"/packs/pack?{query}&baseline={baseline}&form=xlsx").content
    assert text_numbers(workbook) == []
    impacts = sheets["Actions"].iloc[0]
    assert impacts["specialist places added"] == 20 and impacts["settings closed"] == 1
    assert sheets["Forecast"]["forecast"].tolist() == ["not available"]  # the demo has no SEN2 series
    pdf = client.get(f"/packs/pack?{query}&baseline={baseline}&form=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
