"""Per-child agreement, need mix and residential share of a run against SEN2, on a hand-counted case."""

import pandas as pd
import pytest

from scenarios.calibration import GROUPS, Sen2Reference, summarise_truth


def case():
    # Four children: A drawn from an independent school, placed in a state special school; B and C drawn from and
    # placed in state special schools (B in an academy though drawn from a maintained one); D drawn from a
    # resourced provision, unplaced. B needs a residential place and is placed where boarding is not published.
    assignments = pd.DataFrame({"child_id": ["A", "B", "C", "D"], "provider_id": pd.array([1, 2, 1, pd.NA],
                                                                                         dtype="Int64"),
                                "kind": ["special_maintained", "special_academy", "special_maintained", None]})
    cohort = pd.DataFrame({"drawn_as": ["independent_special", "special_maintained", "special_maintained",
                                        "resourced_provision"], "primary_need": ["ASD", "SLD", "ASD", "SLCN"],
                           "requires_residential": [False, True, False, False]}, index=["A", "B", "C", "D"])
    boarding = pd.Series([False, pd.NA], index=[1, 2], dtype="boolean")
    needs = pd.DataFrame({group: [0.0, 0.0, 0.0] for group in GROUPS}, index=["ASD", "SLCN", "SLD"])
    needs["state_special"] = [50.0, 10.0, 40.0]
    by_kind = pd.DataFrame({"special_maintained": [50.0, 10.0, 40.0]}, index=["ASD", "SLCN", "SLD"])
    return assignments, cohort, boarding, Sen2Reference(needs, by_kind, residential=2.0, plans=100.0)


def test_agreement_counts_the_group_of_setting_and_the_unplaced_as_disagreeing():
    truth = summarise_truth(*case())
    assert truth["per_child_agreement"] == pytest.approx(2 / 4)  # B and C; A in another group; D unplaced
    assert truth["per_child_exact_kind_agreement"] == pytest.approx(1 / 4)  # C alone
    assert truth["agreement_by_group"] == {"independent_and_non_maintained_special": 0.0, "state_special": 1.0,
                                           "inclusion_base": 0.0}


def test_need_mix_and_residential_share_against_sen2():
    truth = summarise_truth(*case())
    mix = truth["need_mix"]["state_special"]  # A, B and C: ASD 2/3, SLD 1/3 against 50%, 40% (SLCN 10%: 0)
    gaps = {row["need"]: row["difference_points"] for row in mix["needs"]}
    assert gaps == {"ASD": pytest.approx(16.67, abs=0.01), "SLCN": -10.0, "SLD": pytest.approx(-6.67, abs=0.01)}
    assert mix["largest_gap_points"] == pytest.approx(16.67, abs=0.01) and mix["children"] == 3
    assert set(truth["need_mix_by_kind"]) == {"special_maintained"}  # A and C, both maintained
    residential = truth["residential"]
    assert residential["run_share"] == pytest.approx(0.25) and residential["sen2_share"] == pytest.approx(0.02)
    assert residential["placed_where_boarding_not_published"] == 1 and residential["placed_where_boarding_known"] == 0
