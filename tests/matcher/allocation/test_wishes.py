"""Stability and parents' preferences, through the real rules: who stays, who moves, whose wish is honoured."""

import numpy as np

from matcher.allocation.allocate import allocate
from matcher.allocation.capacity import capacities_from_providers
from matcher.allocation.cohort_candidates import build_candidate_table
from matcher.allocation.wishes import PREFERRED, STAY
from matcher.costs import default_costs
from matcher.policy import Policy
from matcher.provider_index import build_provider_index
from matcher.travel.straight_line import StraightLineTravel
from tests.helpers.factories import make_child, make_providers

# Three settings for autism, all within the primary cap of a child at (400000, 300000):
# 1 a special academy 2 km away; 2 an independent special school 6 km away (about £61k a year, against
# about £25k for the academy, so more than £5,000 above the best alternative); 3 a special academy 5 km away.
PROVIDERS = make_providers(
    {"easting": 402_000.0},
    {"easting": 406_000.0, "kind": "independent_special"},
    {"easting": 405_000.0, "places": 1, "vacancies": 1},
)


def table_for(*children, policy=None):
    return build_candidate_table(list(children), build_provider_index(PROVIDERS), policy or Policy(),
                                 StraightLineTravel(), default_costs())


def arcs_of(table, position=0):
    mine = table.child == position
    return dict(zip(table.provider_ids[table.provider[mine]].tolist(), table.priority[mine].tolist(), strict=True))


def test_a_placed_child_stays_put():
    table = table_for(make_child(current_provider_id=2))
    assert arcs_of(table) == {2: STAY} and table.notes[0] == "stays in the current setting"


def test_a_phase_transfer_or_a_policy_allowing_moves_opens_every_candidate():
    for table in (table_for(make_child(current_provider_id=2, ncy=7, age=11)),
                  table_for(make_child(current_provider_id=2), policy=Policy(allow_moves=True))):
        assert arcs_of(table) == {1: 0, 2: 0, 3: 0}


def test_a_child_whose_setting_no_longer_suits_moves_and_is_told_why():
    table = table_for(make_child(current_provider_id=2, age=20))
    assert table.notes[0] == ("moves: the current setting no longer suits (does not teach children of this age or "
                              "year group)")


def test_a_preference_costing_far_more_than_the_best_alternative_is_not_honoured():
    table = table_for(make_child(preferences=(2,)))
    assert PREFERRED not in arcs_of(table).values()
    assert "not honoured" in table.notes[0] and "over the limit of £5,000" in table.notes[0]


def test_a_reasonable_preference_is_honoured_over_a_better_score():
    table = table_for(make_child(preferences=(3,)))
    assert arcs_of(table)[3] == PREFERRED
    allocation = allocate(table, capacities_from_providers(PROVIDERS), Policy())
    rows = allocation.assignments()
    assert rows.loc[0, "provider_id"] == 3 and rows.loc[0, "note"] == "preference 3 honoured"
    assert table.total_score[table.provider == 0].item() > table.total_score[table.provider == 2].item()


def test_a_preference_without_room_is_reported_as_not_met():
    first, second = make_child(child_id="A", preferences=(3,)), make_child(child_id="B", preferences=(3,))
    allocation = allocate(table_for(first, second), capacities_from_providers(PROVIDERS), Policy())
    notes = allocation.assignments().set_index("child_id")["note"]
    assert sorted(notes) == ["preference 3 honoured", "preference 3 not met: its places went to children with "
                                                      "stronger claims"]
    assert np.count_nonzero(allocation.chosen_arc >= 0) == 2


def test_a_child_who_must_move_still_has_a_reasonable_preference_honoured():
    providers = make_providers({"easting": 402_000.0}, {"easting": 406_000.0, "status": "closed"},
                               {"easting": 405_000.0})
    table = build_candidate_table([make_child(current_provider_id=2, preferences=(3,))],
                                  build_provider_index(providers), Policy(), StraightLineTravel(), default_costs())
    assert arcs_of(table) == {1: 0, 3: PREFERRED}
    assert table.notes[0] == ("moves: the current setting no longer suits (closed); preference 3 honoured where it "
                              "has room")
