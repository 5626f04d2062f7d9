"""The report's child-by-child section: the figures of kpis["truth"] in words, and nothing without them."""

from scenarios.calibration import PARAMETERS
from scenarios.reports.truth_section import truth_section

TRUTH = {
    "per_child_agreement": 0.7512, "per_child_exact_kind_agreement": 0.5, "agreement_by_group": {"state_special": 0.8},
    "need_mix": {"state_special": {"children": 120, "largest_gap_points": 4.2, "needs": [
        {"need": "SLD", "run_share": 0.1, "sen2_share": 0.142, "difference_points": -4.2, "held_to_target": True},
        {"need": "VI", "run_share": 0.01, "sen2_share": 0.01, "difference_points": 0.0, "held_to_target": False}]}},
    "residential": {"run_share": 0.005, "sen2_share": 0.006, "difference_points": -0.1, "needing_one": 7,
                    "placed_where_boarding_known": 2, "placed_where_boarding_not_published": 5},
    "parameters": PARAMETERS,
}


def test_the_section_gives_agreement_need_mix_residential_and_what_moves_them():
    section = truth_section({"truth": TRUTH})
    assert "75.1% of the children are placed in the group of setting SEN2 counts them" in section
    assert "severe learning difficulty</td><td>10.0%</td><td>14.2%</td><td>-4.2</td>" in section
    assert "visual impairment" not in section  # needs under 5% of the group are not held to the target
    assert "of the 7 who need one, 2 are placed where boarding is known and 5 where it is not published" in section
    assert "cohort.need_levels" in section


def test_no_section_for_a_cohort_not_drawn_from_sen2():
    assert truth_section({}) == ""
