"""Return shares from a council's own history of AP placements, and a history with bad rows refused by row."""

from datetime import date

import pandas as pd
import pytest

from core.errors import PlacewiseError
from scenarios.ap_scenario import load_history, return_shares_from_history

HEADER = "placement_id,council,started_on,ended_on,outcome\n"


def test_shares_count_only_the_placements_followed_long_enough():
    """As of 1 September 2026 (terms of 91 days): P1 returned after 80 days (1 term), P2 after 150 days (2 terms),
    P3 went on to specialist, P4 is ongoing; P5 started 100 days before, so it is followed for 1 term only.
    Within 1 term: P1 of P1..P5 = 1/5; within 2 terms: P1, P2 of P1..P4 = 2/4."""
    history = pd.DataFrame({
        "placement_id": ["P1", "P2", "P3", "P4", "P5"], "council": ["E06000001"] * 5,
        "started_on": ["2025-09-01", "2025-09-01", "2025-09-01", "2026-01-05", "2026-05-24"],
        "ended_on": ["2025-11-20", "2026-01-29", "2026-06-01", None, None],
        "outcome": ["returned", "returned", "specialist", "ongoing", "ongoing"]})
    assert return_shares_from_history(history, 2, date(2026, 9, 1)) == (0.2, 0.5)


def test_a_history_with_bad_rows_is_refused_by_row(tmp_path):
    path = tmp_path / "history.csv"
    path.write_text(HEADER + "P1,E06000001,2025-09-01,2025-10-01,returned\nP2,E06000001,1 Sept,,ongoing\n"
                    "P3,E06000001,2025-09-01,,returned\nP4,E06000001,2025-09-01,2025-08-01,specialist\n")
    with pytest.raises(PlacewiseError) as refused:
        load_history(path)
    assert "row 3: started_on" in str(refused.value) and "row 4: ended_on" in str(refused.value)
    assert "row 5: ended_on is before" in str(refused.value) and "row 2" not in str(refused.value)


def test_flows_by_council_and_school_year():
    from scenarios.ap_scenario import history_flows

    history = pd.DataFrame({
        "placement_id": ["P1", "P2", "P3", "P4"], "council": ["E06000001", "E06000001", "E06000001", "E06000002"],
        "started_on": ["2025-09-01", "2025-06-01", "2026-01-05", "2025-10-01"],
        "ended_on": ["2025-11-20", "2025-10-01", None, "2026-09-02"],
        "outcome": ["returned", "specialist", "ongoing", "returned"]})
    flows = history_flows(history)
    assert flows.loc[("E06000001", "2025/26")].tolist() == [2, 1, 1]  # P1, P3 in; P1 back; P2 on to specialist
    assert flows.loc[("E06000001", "2024/25")].tolist() == [1, 0, 0]  # P2 began in June 2025
    assert flows.loc[("E06000002", "2026/27")].tolist() == [0, 1, 0]
