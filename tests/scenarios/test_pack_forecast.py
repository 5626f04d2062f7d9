"""The reform plan pack's forecast on a case solved by hand: plans by need and age band as forecast and as mitigated
by the actions' demand changes, the specialist places the forecast needs, and the places the actions add or
remove; the demo's missing forecast said plainly; a bad year refused on its field."""

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from core.errors import PlacewiseError
from scenarios.forecast import Forecast
from scenarios.reports.pack_forecast import (
    EFFECT_WORDS,
    Outlook,
    check_year,
    forecast_for_pack,
    own_deltas,
    summarise_forecast,
)
from scenarios.reports.reform_pack import build_pack, pack_frames, pack_html
from scenarios.spreadsheet import workbook_bytes
from tests.helpers.workbooks import numeric_columns, text_numbers

DETAIL = pd.DataFrame([("A", 2025, 5, "ASD", 100.0), ("A", 2025, 12, "ASD", 50.0), ("A", 2025, 12, "SEMH", 50.0),
                       ("A", 2028, 5, "ASD", 120.0), ("A", 2028, 12, "ASD", 60.0), ("A", 2028, 17, "SEMH", 80.0)],
                      columns=["council", "year", "age", "need", "plans"])
FORECAST = Forecast(pd.DataFrame(), DETAIL, "a trend")
CHILDREN = [{"child_id": f"C{n}", "primary_need": "ASD" if n < 10 else "SEMH", "provider_id": 1, "kind": "x",
             "age": 9, "placement_cost_gbp": 1.0, "transport_cost_gbp": 0.0} for n in range(14)]
BASELINE = {"name": "Baseline", "kpis": {"children": 14, "placed": 14, "unplaced_by_reason": {"capacity": 3}},
            "allocation": CHILDREN, "deltas": [{"quota": {"provider_id": 1, "places": {"A": 2}}}]}
MITIGATED = {"name": "Actions", "kpis": {"children": 13}, "allocation": CHILDREN, "closed_places": {"900009": 4},
             "deltas": [{"quota": {"provider_id": 1, "places": {"A": 2}}}, {"demand_growth": {"ASD": -0.1}},
                        {"expand": {"900002": 5}}, {"close": 900009}]}
QUOTA_ONLY = {"name": "Quota", "kpis": {}, "allocation": CHILDREN, "deltas": [{"quota": {"provider_id": 2,
                                                                                          "places": {"A": 1}}}]}


def test_the_forecast_side_by_side_by_need_and_age_band():
    section = summarise_forecast(FORECAST, "", 2028, BASELINE, MITIGATED, [MITIGATED, QUOTA_ONLY])
    by_need = {row["group"]: row for row in section["by_need"]}
    assert (by_need["Autism"]["plans_2025"], by_need["Autism"]["baseline"]) == (150, 180)
    assert by_need["Autism"]["mitigated"] == pytest.approx(162) and by_need["Autism"]["difference"] == pytest.approx(
        -18)
    semh = next(row for group, row in by_need.items() if group != "Autism")
    assert (semh["plans_2025"], semh["baseline"], semh["mitigated"]) == (50, 80, 80)
    by_age = [(row["group"], row["plans_2025"], row["baseline"], round(row["mitigated"], 6))
              for row in section["by_age"]]
    assert by_age == [("5 to 10", 100, 120, 108), ("11 to 15", 100, 60, 54), ("16 to 19", 0, 80, 80)]


def test_the_specialist_capacity_the_forecast_needs_against_the_actions():
    section = summarise_forecast(FORECAST, "", 2028, BASELINE, MITIGATED, [MITIGATED, QUOTA_ONLY])
    places = {row["group"]: row for row in section["places_by_need"]}
    assert places["Autism"]["today"] == 10 and places["Autism"]["baseline"] == pytest.approx(12)
    assert places["Autism"]["mitigated"] == pytest.approx(10.8)
    assert (section["places_added"], section["places_removed"], section["shortfall_today"]) == (5, 4, 3)
    assert section["needed_baseline"] == pytest.approx(3 + 2 + 2.4)  # today's shortfall and the growth
    assert section["needed_mitigated"] == pytest.approx(3 + 0.8 + 2.4 - 5 + 4)
    effects = {row["name"]: row["effects"] for row in section["effects"]}
    assert effects == {"Actions": EFFECT_WORDS[("capacity", "demand")], "Quota": EFFECT_WORDS[("neither",)]}


def test_changes_the_baseline_already_makes_are_not_the_actions():
    assert own_deltas(MITIGATED, BASELINE) == MITIGATED["deltas"][1:]


def test_the_pack_shows_both_forecasts_and_its_workbook_holds_numbers():
    pack = build_pack("Body", BASELINE, [MITIGATED], outlook=Outlook(2028, FORECAST, ""))
    html = pack_html(pack)
    for words in ("baseline forecast and the mitigated forecast, January 2028", "Forecast by age band", "16 to 19",
                  "Autism x 0.90", "Capacity needed on the baseline forecast", "Forecast of EHC plans to January 2028"):
        assert words in html, words
    frames = pack_frames(pack)
    assert frames["Forecast by need"]["plans, January 2028, mitigated forecast (plans)"].tolist()[0] == 162
    body = workbook_bytes(frames)  # as the pack's download writes it
    assert text_numbers(body) == []
    for sheet in ("Forecast by need", "Forecast by age band", "Specialist places"):
        counts = numeric_columns(body)[sheet]
        assert len(counts) >= 3 and set(counts.values()) == {len(frames[sheet])}, sheet  # every figure a number
    capacity = load_workbook(io.BytesIO(body))["Capacity"]
    assert [cell.value for cell in capacity["B"]][1:] == [3, 5, 4, 7, 5]  # 7.4 and 5.2 places, rounded


def test_without_a_series_the_pack_says_the_forecast_is_not_available():
    outlook = forecast_for_pack(None, ["A"], 2028)
    pack = build_pack("Body", BASELINE, [MITIGATED], outlook=outlook)
    assert pack["forecast"]["available"] is False and "not available on the embedded demo" in pack_html(pack)
    assert list(pack_frames(pack)["Forecast"].columns) == ["forecast", "why"]


@pytest.mark.parametrize("typed", ["2025", "2031", "next year", ""])
def test_a_year_outside_the_forecast_is_refused_on_its_field(typed):
    with pytest.raises(PlacewiseError) as refused:
        check_year(typed)
    assert refused.value.field == "year" and "next" not in refused.value.message  # never the words typed
