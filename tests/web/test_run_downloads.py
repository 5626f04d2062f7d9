"""A run's downloads as a finance officer reads them: the CSV has each child's need, kind of setting and costs,
rounded as people read them; the Excel workbook stores every figure as a number (never as text), with units in its
headers; the results page states the cost basis."""

import io

import pandas as pd
from openpyxl import load_workbook

from api.platform.jobs.worker import run_worker
from tests.helpers.pages import commissioners_app as _app
from tests.helpers.pages import signed_in as _signed_in
from tests.helpers.workbooks import numeric_columns, text_numbers


def test_the_downloads_hold_numbers_and_the_page_the_cost_basis(tmp_path):
    app = _app(tmp_path)
    client, token = _signed_in(app, "co-all")
    run = client.post("/scenarios", data={"library": "demo", "csrf_token": token},
                      follow_redirects=False).headers["location"]
    run_worker(app.state.engine, app.state.settings, once=True)
    page = client.get(run).text
    assert "What the costs rest on" in page and "2023-24" in page and "None of these figures is illustrative" in page
    assert page.count('class="pw-chart"') == 2 and 'alt="Whole cost a year by home council: Northvale' in page
    table = pd.read_csv(io.BytesIO(client.get(f"{run}/results.csv").content), encoding="utf-8-sig")
    placed_count = int(table["provider_id"].notna().sum())
    assert f'alt="Journeys each way of the {placed_count} children placed: half under' in page  # charts in words too
    for column in ("primary need", "kind of setting", "placement a year (£)", "transport a year (£)",
                   "whole cost a year (£)", "journey each way (minutes)"):
        assert column in table.columns, column
    placed = table.dropna(subset=["provider_id"])
    assert len(placed) > 200 and placed["primary need"].notna().all() and placed["kind of setting"].notna().all()
    assert (placed["whole cost a year (£)"] == placed["placement a year (£)"] + placed["transport a year (£)"]).all()
    minutes = placed["journey each way (minutes)"]
    assert ((minutes * 10).round() == minutes * 10).all()  # to 0.1 of a minute, never 17 figures
    assert (placed["whole cost a year (£)"] == placed["whole cost a year (£)"].round()).all()
    body = client.get(f"{run}/results.xlsx").content
    assert text_numbers(body) == []
    columns = numeric_columns(body)
    assert columns["Allocation"]["whole cost a year (£)"] == len(placed)
    assert columns["By council"]["placed outside the council (%)"] == 3
    book = load_workbook(io.BytesIO(body))
    figures = {row[0].value: row[1].value for row in book["Key figures"].iter_rows(min_row=2)}
    assert isinstance(figures["Whole cost a year"], int)
    assert 0 <= figures["Share placed outside their home council"] <= 100  # a percentage, as its unit says
    urns = [row[4].value for row in book["Allocation"].iter_rows(min_row=2) if row[4].value is not None]
    assert urns and all(isinstance(urn, int) for urn in urns)  # a URN is 900008, never "900008.0"


def test_a_budget_run_states_its_budget_in_words_from_the_stored_figures(tmp_path):
    app = _app(tmp_path)
    client, token = _signed_in(app, "co-all")
    run = client.post("/scenarios", data={"library": "demo", "budget": "6500000", "csrf_token": token},
                      follow_redirects=False).headers["location"]
    run_worker(app.state.engine, app.state.settings, once=True)
    page = client.get(run).text
    assert "The budget" in page and "£6,500,000 a year" in page and "Yes: the allocation the places alone allow" in page
    assert "Children the budget leaves unplaced" in page and "To place one more child" in page
    assert "Another £1,000 a year would raise the children's total match score by about 0.0" in page
