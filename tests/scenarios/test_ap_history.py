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
