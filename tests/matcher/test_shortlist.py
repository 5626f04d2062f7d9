"""Shortlists: exact ranks and scores on a case solved by hand, wishes, and rules re-checked on the demo."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import PlacewiseError
from core.vocabulary import NEEDS
from geodata.demo import build_demo
from matcher.child import Child
from matcher.policy import Policy
from matcher.shortlist import build_shortlister
from tests.helpers.factories import make_child, make_providers

ALL_NEEDS = tuple(NEEDS)


def hand_case():
    """A: specialist ASD academy 6 km east; B: generic resourced provision 2 km north; C: SEMH only."""
    return make_providers(
        {"name": "A", "kind": "special_academy", "designated_needs": ("ASD",), "vacancies": 10, "ofsted": 2,
         "easting": 406_000.0},
        {"name": "B", "kind": "resourced_provision", "designated_needs": ALL_NEEDS, "vacancies": 2, "ofsted": None,
         "northing": 302_000.0},
        {"name": "C", "designated_needs": ("SEMH",), "easting": 401_000.0},
    )


def test_hand_solved_ranks_and_scores():
    # A: suitability 0.6 + 0.25 + 0.15 = 1; availability 10/5 -> 1; 7.8 km at 30 km/h = 15.6 min -> 1 - 15.6/45;
    #    Good -> 0.75; £25,188 + £7,878 x (7.8 / 9.76)^0.253 = £32,632 -> 1.5 - 32,632 / 25,856.
    # B: 0.6 + 0.25 + 0 = 0.85; 2/5 = 0.4; 2.6 km = 5.2 min -> 1 - 5.2/45; no grade 0.5; £14,045 + £7,878 x (2.6 /
    #    9.76)^0.253 (eligible for transport whatever the distance) -> 1.5 - 19,682 / 25,856.
    a = [1.0, 1.0, 1 - 15.6 / 45, 0.75, 1.5 - (25_188 + 7_878 * (7.8 / 9.76) ** 0.253) / 25_856]
    b = [0.85, 0.4, 1 - 5.2 / 45, 0.5, 1.5 - (14_045 + 7_878 * (2.6 / 9.76) ** 0.253) / 25_856]
    weights = np.array([0.30, 0.15, 0.25, 0.15, 0.15])
    result = build_shortlister(hand_case()).shortlist(make_child(), k=5)
    table = result.candidates_frame()
    assert table["name"].tolist() == ["A", "B"]
    assert table["rank"].tolist() == [1, 2]
    criteria = ["suitability", "availability", "travel", "performance", "value_for_money"]
    assert table[criteria].to_numpy() == pytest.approx(np.array([a, b]), abs=1e-4)
    assert table["total_score"].tolist() == pytest.approx([weights @ a, weights @ b], abs=1e-4)
    assert result.exclusion_counts == {"need_not_designated": 1}
    assert [row["reason"] for row in result.exclusions] == ["need_not_designated"]


def test_weights_change_the_ranking():
    travel_only = Policy(weights={"travel": 1.0})
    result = build_shortlister(hand_case(), policy=travel_only).shortlist(make_child(), k=5)
    assert [row["name"] for row in result.candidates] == ["B", "A"]


def test_reasons_read_as_sentences():
    reasons = build_shortlister(hand_case()).shortlist(make_child(), k=1).candidates[0]["reasons"]
    assert reasons[0] == "special academy or free school designated for autism"
    assert reasons[1] == "10 places free (reported)"
    assert reasons[2].startswith("about 16 minutes by car each way (7.8 km")
    assert reasons[3] == "rated Good by Ofsted"
    assert reasons[4] == "£32,632 a year (placement £25,188 + transport £7,444), above the band of £25,856"


def test_every_named_preference_is_reported():
    result = build_shortlister(hand_case()).shortlist(make_child(preferences=(2, 3, 99)), k=1)
    named, excluded, unknown = result.preferences
    assert named["status"] == "candidate" and named["rank"] == 2 and named["in_shortlist"] is False
    assert named["best_alternative_id"] == 1
    assert named["extra_cost_gbp"] == round(14_045 + 7_878 * (2.6 / 9.76) ** 0.253
                                            - (25_188 + 7_878 * (7.8 / 9.76) ** 0.253))
    assert excluded == {"provider_id": 3, "name": "C", "status": "excluded", "reason": "need_not_designated",
                        "message": "not suitable: not designated for the child's primary need"}
    assert unknown["status"] == "not_in_register"


def test_k_and_location_are_checked():
    shortlister = build_shortlister(hand_case())
    with pytest.raises(PlacewiseError, match="k: give a shortlist length"):
        shortlister.shortlist(make_child(), k=0)
    unlocated = Child(child_id="C2", home_council="E06900001", home_lsoa="E01000001", age=9, primary_need="ASD")
    with pytest.raises(PlacewiseError, match="locate the child first"):
        shortlister.shortlist(unlocated)


DEMO = build_demo()
DEMO_SHORTLISTER = build_shortlister(DEMO.providers)


def check_shortlist_against_rules(child: Child, result, providers: pd.DataFrame) -> None:
    """An independent checker: re-derive each hard rule from the raw providers table, in pandas."""
    listed = providers.loc[[row["provider_id"] for row in result.candidates]]
    assert listed["designated_needs"].map(lambda needs: child.primary_need in needs).all()
    assert ((listed["age_low"] <= child.age) & (listed["age_high"] >= child.age)).all()
    assert (listed["status"] != "closed").all()
    assert (listed["vacancies"].fillna(1) > 0).all()
    distance_km = np.hypot(listed["easting"] - child.easting, listed["northing"] - child.northing) / 1000 * 1.3
    cap = 45 if child.age <= 10 else 75
    assert (distance_km * 2 <= cap + 1e-9).all()
    assert (np.diff([row["total_score"] for row in result.candidates]) <= 1e-12).all()
    assert result.candidate_count + sum(result.exclusion_counts.values()) == len(providers)


@settings(max_examples=60, deadline=None)
@given(child_number=st.integers(0, len(DEMO.children) - 1), k=st.integers(1, 12))
def test_demo_shortlists_obey_every_rule(child_number, k):
    record = DEMO.children.iloc[child_number]
    child = Child(child_id=record.name, home_council=record["home_council"], easting=record["easting"],
                  northing=record["northing"], age=int(record["age"]), primary_need=record["primary_need"],
                  sex=record["sex"])
    result = DEMO_SHORTLISTER.shortlist(child, k)
    assert len(result.candidates) == min(k, result.candidate_count)
    check_shortlist_against_rules(child, result, DEMO.providers)


def test_same_inputs_same_shortlist():
    child = make_child(easting=420_000.0, northing=565_000.0, home_council="E06900001")
    first = DEMO_SHORTLISTER.shortlist(child, 10).to_dict()
    assert first == build_shortlister(build_demo().providers).shortlist(child, 10).to_dict()
