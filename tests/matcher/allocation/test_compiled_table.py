"""The compiled candidate table gives the same arrays as its numpy reference, to the last bit: the same arcs, scores,
costs, priorities, reserve and near misses; and each compiled step agrees with its reference on random cases."""

import numpy as np
import pytest

from matcher.allocation.best_arcs import drop_beyond_best
from matcher.allocation.block_kernels import dropped_arcs, keep_best, origin_starts, passing_pairs
from matcher.allocation.candidate_table import ARC_FIELDS
from matcher.allocation.cohort_candidates import _joined_in_order, build_candidate_table
from matcher.policy import Policy
from matcher.provider_index import build_provider_index
from scenarios.inputs import demo_child, load_inputs


def assert_same_tables(compiled, reference) -> None:
    for name in (*ARC_FIELDS, "uncertain", "child_cap_minutes"):
        mine, theirs = getattr(compiled, name), getattr(reference, name)
        assert mine.dtype == theirs.dtype, name
        np.testing.assert_array_equal(mine, theirs, err_msg=name, strict=True)
    assert compiled.near_misses == reference.near_misses
    assert compiled.notes == reference.notes
    assert (compiled.reserve is None) == (reference.reserve is None)
    if compiled.reserve is not None:
        for name in ("child", "provider", "points"):
            np.testing.assert_array_equal(getattr(compiled.reserve, name), getattr(reference.reserve, name),
                                          err_msg=name, strict=True)


def varied_cohort(inputs) -> list:
    """The demo's children, and copies of some with what the rules and criteria read changed: secondary needs,
    residential need, a need level, a current setting, preferences, another cap and sex."""
    children = [demo_child(inputs, f"DEMO-{number:04d}") for number in range(1, 241)]
    provider_ids = inputs.providers.index.to_numpy()
    variants = []
    for at, child in enumerate(children[:60]):
        change = [{"secondary_needs": ("SEMH", "SLCN") if child.primary_need != "SEMH" else ("ASD",)},
                  {"requires_residential": True}, {"need_level": 1 + at % 4}, {"sex": "F" if child.sex == "M" else "M"},
                  {"current_provider_id": int(provider_ids[at % len(provider_ids)])},
                  {"preferences": (int(provider_ids[(3 * at) % len(provider_ids)]),)},
                  {"max_travel_minutes": 20.0 + at}][at % 7]
        variants.append(child.model_copy(update={"child_id": f"{child.child_id}-V", **change}))
    return children + variants


@pytest.mark.parametrize("policy, best", [
    (Policy(), None), (Policy(), 3),
    (Policy(keep_uncertain_travel=True, travel_cap_percentile=80), 4),
    (Policy(keep_uncertain_travel=True, travel_cap_percentile=30, exclude_inadequate=True,
            include_unpublished_designations=False), 1),
])
def test_the_compiled_table_is_the_numpy_table(policy, best):
    inputs = load_inputs()
    index = build_provider_index(inputs.providers)
    children = varied_cohort(inputs)
    compiled = build_candidate_table(children, index, policy, inputs.travel, inputs.costs, best_arcs=best)
    reference = build_candidate_table(children, index, policy, inputs.travel, inputs.costs, best_arcs=best,
                                      compiled=False)
    assert len(reference.child) + (0 if best is None else len(reference.reserve.child)) > 1_000
    assert reference.notes and reference.near_misses and (reference.priority > 0).any()
    assert reference.uncertain_arcs.any() == (policy.keep_uncertain_travel and policy.travel_cap_percentile > 50)
    assert_same_tables(compiled, reference)
    if best is not None:  # the arcs left out are completed as the whole table has them, either way
        some = np.arange(0, len(compiled.reserve.child), 7)
        done = compiled.reserve.complete(compiled.reserve.child[some], compiled.reserve.provider[some])
        again = reference.reserve.complete(reference.reserve.child[some], reference.reserve.provider[some])
        np.testing.assert_array_equal(done.scores, again.scores, strict=True)
        np.testing.assert_array_equal(np.rint(done.total_score * 10_000), compiled.reserve.points[some])


@pytest.mark.parametrize("seed", range(20))
def test_keeping_each_child_s_best_arcs_compiled_drops_what_the_reference_drops(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 400))
    pair_child = np.sort(rng.integers(0, 12, n))
    total = rng.choice(np.r_[rng.uniform(-0.25, 1.0, 6), 0.5], n)  # few values: many ties
    limited, kept = rng.random(n) < 0.8, rng.random(n) < 0.9
    best = int(rng.integers(0, 8))
    expected, found = kept.copy(), kept.copy()
    drop_beyond_best(expected, pair_child, np.arange(n), total, limited, best)
    keep_best(found, pair_child, total, limited, best)
    np.testing.assert_array_equal(found, expected)


@pytest.mark.parametrize("seed", range(10))
def test_passing_pairs_are_every_child_s_pairs_its_class_passes(seed):
    rng = np.random.default_rng(seed)
    n_origins, n_providers, n_classes = 7, 30, 3
    pair_origin = np.sort(rng.integers(0, n_origins, 120))
    pair_provider = rng.integers(0, n_providers, 120)
    origin_of = rng.integers(0, n_origins, 25)
    class_of = rng.integers(0, n_classes, 25)
    passes = rng.random((n_classes, n_providers)) < 0.5
    child, pair = passing_pairs(origin_of, origin_starts(pair_origin, n_origins), pair_provider, class_of, passes)
    expected = [(c, q) for c in range(25) for q in np.flatnonzero(pair_origin == origin_of[c])
                if passes[class_of[c], pair_provider[q]]]
    assert list(zip(child.tolist(), pair.tolist(), strict=True)) == expected


@pytest.mark.parametrize("seed", range(5))
def test_the_arcs_a_cut_drops_are_held_as_the_reserve_s_numpy_reference_holds_them(seed):
    rng = np.random.default_rng(seed)
    n = 300
    before, keep = rng.random(n) < 0.8, rng.random(n) < 0.4
    positions, pair_child, rows = rng.permutation(50), rng.integers(0, 50, n), rng.integers(0, 900, n)
    total = np.r_[(np.arange(20) + 0.5) / 10_000, rng.uniform(-0.3, 1.0, n - 20)]  # ties round to even
    dropped = before & ~keep
    expected = (positions[pair_child[dropped]].astype(np.int32), rows[dropped].astype(np.int32),
                np.rint(total[dropped] * 10_000).astype(np.int32))
    for found, wanted in zip(dropped_arcs(before, keep, positions, pair_child, rows, total, 10_000.0), expected,
                             strict=True):
        np.testing.assert_array_equal(found, wanted, strict=True)


@pytest.mark.parametrize("seed", range(5))
def test_the_blocks_arcs_are_joined_by_child_each_child_s_in_its_block_s_order(seed):
    rng = np.random.default_rng(seed)
    n_children = 50
    order = rng.permutation(n_children)
    per_child = rng.integers(0, 6, n_children)
    parts: dict[str, list[np.ndarray]] = {"child": [], "provider": [], "scores": []}
    for block in np.array_split(order, 4):
        child = np.repeat(block, per_child[block])
        parts["child"].append(child)
        parts["provider"].append(rng.integers(0, 100, len(child)))
        parts["scores"].append(rng.random((len(child), 5)))
    whole = {name: np.concatenate(values) for name, values in parts.items()}
    by_child = np.argsort(whole["child"], kind="stable")
    joined = _joined_in_order(parts, n_children)
    for name, values in whole.items():
        np.testing.assert_array_equal(joined[name], values[by_child], strict=True)
