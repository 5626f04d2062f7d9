"""The shortlist's fast path (the rules that need no journey kept per pool, journeys only within reach and only
where they can matter) against a straightforward reference: every provider of the register evaluated in full."""

import numpy as np
import pytest

from geodata.demo import build_demo
from geodata.density import grid_from_points
from matcher.allocation.compiled_scores import score_compiled
from matcher.candidates import evaluate_child, nearest_exclusions, score_evaluation
from matcher.child import Child
from matcher.criteria import CRITERIA, explain
from matcher.evaluation import build_children, evaluate
from matcher.policy import Policy
from matcher.rules import REASONS
from matcher.scoring import Scoring
from matcher.shortlist import Shortlister, build_shortlister
from matcher.travel.ends import BEARINGS, TABLE_LOG_KM, EndTable
from matcher.travel.national import NationalTravel
from matcher.travel.straight_line import StraightLineTravel
from tests.helpers.factories import make_child, make_providers

DEMO = build_demo()
RNG = np.random.default_rng(20250602)
#: A grid of LSOA-like points over the demo's squares, coarse so that it is quick to build: densities that vary.
GRID = grid_from_points(np.column_stack([RNG.uniform(400_000, 460_000, 3_000), RNG.uniform(530_000, 590_000, 3_000)]),
                        cell_m=2_000.0)
#: End corrections at LSOA-like points over the same squares (random residuals), so the corrected path is checked too.
ENDS = EndTable(RNG.uniform(400_000, 460_000, 400), RNG.uniform(530_000, 590_000, 400),
                RNG.uniform(-0.5, 0.5, (400, BEARINGS, len(TABLE_LOG_KM))).astype(np.float32),
                RNG.uniform(-0.5, 0.5, (400, len(TABLE_LOG_KM))).astype(np.float32),
                RNG.uniform(0.05, 0.3, 400).astype(np.float32))
TRAVEL = {"straight line": StraightLineTravel(), "national": NationalTravel(GRID),
          "national with ends": NationalTravel(GRID, ENDS)}
POLICIES = {"default": Policy(), "strict": Policy(keep_uncertain_travel=False, exclude_inadequate=True,
                                                  include_unpublished_designations=False, nearest_exclusions=8)}


def varied_children(count: int) -> list[Child]:
    """Demo children with the fields the demo leaves out drawn at random (a current setting, wishes, needs)."""
    rng = np.random.default_rng(7)
    provider_ids = DEMO.providers.index.to_numpy()
    children = []
    for number, (_, record) in enumerate(DEMO.children.sample(count, random_state=3).iterrows()):
        needs = DEMO.providers["designated_needs"].explode().dropna().unique()
        children.append(Child(
            child_id=f"R{number}", home_council=record["home_council"], easting=record["easting"],
            northing=record["northing"], age=int(record["age"]), primary_need=record["primary_need"],
            sex=record["sex"], secondary_needs=tuple(rng.choice(needs, rng.integers(0, 3), replace=False)),
            need_level=None if rng.random() < 0.4 else int(rng.integers(1, 5)),
            requires_residential=bool(rng.random() < 0.1),
            current_provider_id=int(rng.choice(provider_ids)) if rng.random() < 0.3 else None,
            preferences=tuple(int(wish) for wish in rng.choice(provider_ids, rng.integers(0, 3), replace=False)),
            max_travel_minutes=float(rng.integers(10, 90)) if rng.random() < 0.3 else None))
    return children


def reference(shortlister: Shortlister, child: Child, k: int) -> dict:
    """The shortlist's content from every provider of the register evaluated in full, with no pools or reach."""
    index, policy = shortlister.index, shortlister.policy
    everyone = np.arange(len(index.provider_id))
    full = evaluate(build_children([child], policy), index, policy, shortlister.travel, shortlister.costs,
                    np.zeros(len(everyone), dtype=np.int64), everyone)
    pairs, scores, total = score_evaluation(full, policy)
    order = np.lexsort((index.provider_id[pairs], full.travel.minutes[pairs], -total))[:k]
    scoring = Scoring(full)
    counts = np.bincount(full.reason_code, minlength=len(REASONS))
    missed = nearest_exclusions(full, everyone, policy.nearest_exclusions)
    return {
        "candidates": [(int(index.provider_id[pairs[at]]), round(float(total[at]), 4),
                        [round(float(score), 4) for score in scores[at]], explain(scoring, int(pairs[at])),
                        round(float(full.travel.minutes[pairs[at]]), 1)) for at in order],
        "candidate_count": len(pairs),
        "exclusion_counts": {reason: int(count) for reason, count in zip(REASONS[1:], counts[1:], strict=True)
                             if count},
        "exclusions": [(int(index.provider_id[pair]), REASONS[full.reason_code[pair]]) for pair in missed],
    }


def shaped(result) -> dict:
    return {
        "candidates": [(row["provider_id"], row["total_score"], [row["scores"][name] for name in CRITERIA],
                        row["reasons"], row["travel_minutes"]) for row in result.candidates],
        "candidate_count": result.candidate_count,
        "exclusion_counts": result.exclusion_counts,
        "exclusions": [(row["provider_id"], row["reason"]) for row in result.exclusions],
    }


@pytest.mark.parametrize("travel", TRAVEL)
@pytest.mark.parametrize("policy", POLICIES)
def test_the_shortlist_is_that_of_every_provider_evaluated_in_full(travel, policy):
    shortlister = build_shortlister(DEMO.providers, policy=POLICIES[policy], travel=TRAVEL[travel])
    children = varied_children(40)
    for child in children:
        assert shaped(shortlister.shortlist(child, 12)) == reference(shortlister, child, 12), child.child_id
    assert any(reference(shortlister, child, 12)["exclusions"] for child in children)


def test_journeys_only_for_those_passing_the_other_rules_and_the_nearest_that_fail_them():
    # 30 settings for older children at 1 to 30 km east, three for the child's age beyond them.
    providers = make_providers(*[{"age_low": 11, "easting": 400_000.0 + 1_000.0 * step} for step in range(1, 31)],
                               *[{"easting": 431_000.0 + 1_000.0 * step} for step in range(3)])
    shortlister = build_shortlister(providers, travel=TRAVEL["national"])
    child = make_child(easting=400_000.0, northing=300_000.0)
    checked = evaluate_child(child, shortlister.index, shortlister.policy, shortlister.travel, shortlister.costs)
    evaluated = shortlister.index.provider_id[checked.pool.rows[checked.evaluation.provider]]
    assert len(checked.near) == 33
    assert evaluated.tolist() == [1, 2, 3, 4, 5, 31, 32, 33]  # the nearest five that fail, and those that pass
    assert shaped(shortlister.shortlist(child, 5)) == reference(shortlister, child, 5)


@pytest.mark.parametrize("travel", TRAVEL)
@pytest.mark.parametrize("policy", POLICIES)
def test_a_shortlist_s_compiled_scores_are_the_numpy_reference_s_bit_for_bit(travel, policy):
    shortlister = build_shortlister(DEMO.providers, policy=POLICIES[policy], travel=TRAVEL[travel])
    mixed = 0  # evaluations with pairs that are not candidates, as most shortlists' are
    for child in varied_children(40):
        checked = evaluate_child(child, shortlister.index, shortlister.policy, shortlister.travel, shortlister.costs,
                                 shortlister.destinations)
        mixed += not checked.evaluation.is_candidate.all()
        for got, expected in zip(score_compiled(checked.evaluation, shortlister.policy),
                                 score_evaluation(checked.evaluation, shortlister.policy), strict=True):
            assert got.dtype == expected.dtype and got.shape == expected.shape
            np.testing.assert_array_equal(got.view(np.uint8), expected.view(np.uint8))
    assert mixed
