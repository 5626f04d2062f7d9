"""Build a cohort's candidate table: every located child against its need's pool, with the same evaluation, rules
and scores as a shortlist (``matcher.evaluation``), so the allocation and the shortlist can never disagree about
who is suitable; by need, in blocks of neighbouring children, from the providers within each child's reach."""

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from core.vocabulary import KINDS
from matcher.allocation.best_arcs import drop_beyond_best
from matcher.allocation.block_kernels import (
    ClassPasses,
    arc_places,
    dropped_arcs,
    dropped_arcs_reference,
    in_order,
    keep_best,
    kept_arcs,
    kept_arcs_reference,
    nearby_pairs,
    origin_starts,
    passing_pairs,
    put_rows,
    reached_pairs,
    rule_classes,
)
from matcher.allocation.candidate_table import SCORE_SCALE, CandidateTable, ReserveArcs
from matcher.allocation.compiled_scores import score_compiled
from matcher.allocation.pairs import children_pairs, homes_of, origin_pairs, shared_journeys, z_order
from matcher.allocation.shared_journeys import SharedJourneys
from matcher.allocation.wishes import apply_wishes
from matcher.candidates import near_miss_list, score_evaluation, uncertain_pairs
from matcher.child import Child
from matcher.costs import CostModel
from matcher.criteria import CRITERIA
from matcher.evaluation import build_children, candidate_pairs, evaluate
from matcher.pair_arrays import NO_PROVIDER, Children
from matcher.policy import Policy
from matcher.provider_index import NEED_COLUMN, NeedPool, ProviderIndex
from matcher.rules import FIRST_JOURNEY_RULE, REASONS
from matcher.solve_control import SolveControl
from matcher.travel.protocol import TravelEstimate, TravelModel

BLOCK = 2_000  # children evaluated at once (neighbours of one need, who share homes and nearby providers)
ARC_PARTS = ("child", "provider", "scores", "total", "minutes", "km", "placement", "transport", "priority",
             "uncertain")
RESERVE_PARTS = ("child", "provider", "points")
#: A block's arcs, the arcs its cut left out, near misses and notes (``_add_block``'s containers).
BlockArcs = tuple[dict[str, list[np.ndarray]], dict[str, list[np.ndarray]],
                  dict[int, list[tuple[int, str, float | None]]], dict[int, str]]


def build_candidate_table(children: Sequence[Child], index: ProviderIndex, policy: Policy, travel: TravelModel,
                          costs: CostModel, progress: Callable[[str, int, int], None] | None = None,
                          nearby_only: bool = True, best_arcs: int | None = None,
                          compiled: bool = True, threads: int = 2,
                          control: SolveControl | None = None) -> CandidateTable:
    """Apply the hard rules, scores, stability and preferences to every located child of a cohort.

    Children are taken by need, in blocks of ``BLOCK``, against their need's pool. With ``nearby_only`` a block's
    pairs come from a k-d tree of the pool's providers, within the straight-line reach of each child's cap (the
    travel model's ``reach_km``, an upper bound), so no child is ever checked against a setting it cannot reach;
    without it, against the whole pool (the same table, slower: tests compare the two). ``progress``, where
    given, hears ("candidates", done, total) after each block. ``best_arcs``, where given, keeps only each child's
    that many best-scoring arcs (a stay or a preference always kept): an approximation for very large runs, whose
    effect ``bench/national.py`` measures; without it every arc is kept and the allocation is exact. ``compiled``
    finds each block's pairs and cuts them with the compiled steps (``matcher.allocation.block_kernels``), blocks
    on ``threads`` threads (the compiled steps and numpy's loops let go of the interpreter), their arcs joined in
    the blocks' order; without it, with their numpy reference, one block at a time (the same table). ``control``,
    where given, is checked between blocks: once its deadline has passed, ``TimeLimitReached`` says how far the
    build got.
    """
    parts: dict[str, list[np.ndarray]] = {name: [] for name in ARC_PARTS}
    reserve_parts: dict[str, list[np.ndarray]] = {name: [] for name in RESERVE_PARTS}
    near_misses: dict[int, list[tuple[int, str, float | None]]] = {}
    notes: dict[int, str] = {}
    need = np.array([NEED_COLUMN[child.primary_need] for child in children], dtype=np.int64)
    home = np.array([(child.easting, child.northing) for child in children], dtype=float).reshape(-1, 2)
    travel.remember_destinations(np.r_[index.easting, home[:, 0]], np.r_[index.northing, home[:, 1]])
    shared = SharedJourneys(travel, home[:, 0], home[:, 1], index.easting, index.northing)  # across needs
    laid_out = build_children(children, policy)  # the cohort as arrays, once: each block takes its part
    blocks = []  # (need column, positions): neighbours of one need, who share homes and nearby providers
    classes: dict[int, ClassPasses | None] = {}  # by need: its classes of children, tested once each (compiled)
    for column in np.unique(need).tolist():
        positions = np.flatnonzero(need == column)
        positions = positions[np.argsort(z_order(home[positions]), kind="stable")]
        blocks += [(column, positions[start:start + BLOCK]) for start in range(0, len(positions), BLOCK)]
        classes[column] = {} if compiled else None

    def evaluate_block(column: int, block: np.ndarray) -> BlockArcs:
        found: BlockArcs = ({name: [] for name in ARC_PARTS}, {name: [] for name in RESERVE_PARTS}, {}, {})
        pool = index.pools[column]

        def journeys_of(child: np.ndarray, position: np.ndarray) -> TravelEstimate:  # the compiled steps'
            return shared.estimate(block[child], pool.rows[position])

        arrays = laid_out.part(block)  # with the block's records, in its order
        _add_block(*found, list(arrays.children), arrays, block, index, pool, nearby_only, best_arcs, policy, travel,
                   costs, classes[column], journeys_of)
        return found

    done = 0
    for found, (_, block) in zip(in_order(evaluate_block, blocks, threads if compiled else 1), blocks, strict=True):
        for name, values in found[0].items():
            parts[name] += values
        for name, values in found[1].items():
            reserve_parts[name] += values
        near_misses.update(found[2])
        notes.update(found[3])
        done += len(block)
        if control is not None:
            control.check(f"building the candidates ({done:,} of {len(children):,} children)")
        if progress is not None:
            progress("candidates", done, len(children))
    shared.let_go()  # its journeys are the blocks' now: freed before the blocks are joined
    people: dict[str, Any] = {
        "child_ids": np.array([child.child_id for child in children], dtype=object),
        "child_council": laid_out.council,
        "child_need": np.array(laid_out.primary_needs, dtype=object),
        "provider_ids": index.provider_id,
        "provider_council": index.host_council,
        "provider_kind": np.asarray(KINDS, dtype=object)[index.kind_code],
        "child_cap_minutes": laid_out.cap_minutes,
    }
    table = replace(_table_of(people, parts), near_misses=near_misses, notes=notes)
    if best_arcs is None:
        return table

    arrays = laid_out.without_records()  # not the children's records: a run lets go of them once the table is built

    def complete(child: np.ndarray, provider: np.ndarray) -> CandidateTable:
        return evaluated_arcs(table, arrays, child, provider, index, policy, travel, costs)

    child, provider, points = (np.concatenate(reserve_parts.pop(name)) if reserve_parts[name] else
                               np.zeros(0, dtype=np.int32) for name in RESERVE_PARTS)
    reserve = ReserveArcs(child, provider, points, complete)
    return replace(table, reserve=reserve)


def evaluated_arcs(table: CandidateTable, children: Children, child: np.ndarray, provider: np.ndarray,
                   index: ProviderIndex, policy: Policy, travel: TravelModel, costs: CostModel) -> CandidateTable:
    """The full arcs of some (child position, provider row) pairs that passed every rule when the table was built
    (a pair's scores never depend on the block it is evaluated in), with no priority: the arcs a cut left out."""
    own = np.flatnonzero(np.bincount(child, minlength=len(children)))  # np.unique, without its slow hashing
    local = np.searchsorted(own, child)
    evaluation = evaluate(children.part(own), index, policy, travel, costs, local, provider.astype(np.int64))
    pairs, scores, total = score_evaluation(evaluation, policy)
    if len(pairs) != len(child):
        raise RuntimeError("an arc left out by the cut no longer passes the rules it passed")
    return replace(table, reserve=None, near_misses={}, notes={}, child=own[evaluation.child[pairs]].astype(np.int32),
                   provider=evaluation.provider[pairs].astype(np.int32), scores=scores, total_score=total,
                   travel_minutes=evaluation.travel.minutes[pairs], distance_km=evaluation.travel.km[pairs],
                   placement_cost_gbp=evaluation.placement_cost_gbp[pairs],
                   transport_cost_gbp=evaluation.transport_cost_gbp[pairs],
                   priority=np.zeros(len(pairs), dtype=np.int8), uncertain=uncertain_pairs(evaluation, policy)[pairs])


def _table_of(people: dict[str, Any], parts: dict[str, list[np.ndarray]]) -> CandidateTable:
    """A table of the children and providers in ``people`` and the arcs of the blocks in ``parts``."""
    joined = _joined_in_order(parts, len(people["child_ids"]))
    return CandidateTable(
        **people,
        child=joined["child"].astype(np.int32), provider=joined["provider"].astype(np.int32),
        scores=joined["scores"].reshape(-1, len(CRITERIA)), total_score=joined["total"],
        travel_minutes=joined["minutes"], distance_km=joined["km"], placement_cost_gbp=joined["placement"],
        transport_cost_gbp=joined["transport"], priority=joined["priority"].astype(np.int8),
        uncertain=joined["uncertain"].astype(bool),
    )


def _joined_in_order(parts: dict[str, list[np.ndarray]], n_children: int) -> dict[str, np.ndarray]:
    """The blocks' arcs as one array each, by child then provider (the order solvers see); one array at a time,
    each block's arcs put straight where they belong and the blocks let go as they are placed, so a national table
    is never held twice over. A child's arcs all come from its one block, by provider."""
    blocks = parts.pop("child")
    count = np.zeros(n_children, dtype=np.int64)
    for child in blocks:
        count += np.bincount(child, minlength=n_children)
    cursor = np.cumsum(count) - count  # where each child's next arc goes
    places = [arc_places(child, cursor) for child in blocks]
    del blocks
    joined: dict[str, np.ndarray] = {"child": np.repeat(np.arange(n_children), count)}
    for name in list(parts):
        values = parts.pop(name)
        if not values:
            joined[name] = np.zeros(0)
            continue
        joined[name] = np.empty((len(joined["child"]), *values[0].shape[1:]), dtype=np.result_type(*values))
        columns = int(np.prod(values[0].shape[1:]))  # a field's arcs as rows of one column or more (views)
        rows = joined[name].reshape(len(joined[name]), columns)
        for at, block in zip(places, values, strict=True):
            put_rows(rows, at, block.astype(rows.dtype, copy=False).reshape(len(block), columns))
        del values
    return joined


def _add_block(parts: dict[str, list[np.ndarray]], reserve_parts: dict[str, list[np.ndarray]],
               near_misses: dict[int, list[tuple[int, str, float | None]]],
               notes: dict[int, str], block_children: list[Child], block: Children, positions: np.ndarray,
               index: ProviderIndex, pool: NeedPool, nearby_only: bool, best_arcs: int | None, policy: Policy,
               travel: TravelModel, costs: CostModel, known: ClassPasses | None,
               journeys_of: Callable[[np.ndarray, np.ndarray], TravelEstimate]) -> None:
    """Evaluate one block of children of one need (their records and ``block``, their arrays) and add their
    candidate arcs, notes and near misses (compiled where ``known`` is given, the classes of children already
    tested)."""
    child, provider, journeys = _block_pairs(block, pool, nearby_only, policy, travel, known, journeys_of)
    passed = np.full(len(child), FIRST_JOURNEY_RULE, dtype=np.int8)  # every rule that needs no journey
    evaluation = evaluate(block, pool.index, policy, travel, costs, child, provider, passed, journeys)
    pairs, scores, total = score_evaluation(evaluation, policy) if known is None else score_compiled(evaluation,
                                                                                                      policy)
    pair_child = evaluation.child[pairs]
    rows = pool.rows[evaluation.provider[pairs]]
    priority = np.zeros(len(pairs), dtype=np.int8)
    keep = np.ones(len(pairs), dtype=bool)
    wishful = (block.current != NO_PROVIDER) | np.array([bool(child.preferences) for child in block_children])
    for local in np.flatnonzero(wishful):
        mine = np.flatnonzero(pair_child == local)
        order = mine[np.argsort(rows[mine], kind="stable")]
        child_of = block_children[local]

        def reason_of(row: int, child_of: Child = child_of) -> str:
            return _reason_of(child_of, row, index, policy, travel, costs)

        wishes = apply_wishes(child_of, index, rows[order], total[order], evaluation.whole_cost_gbp[pairs[order]],
                              policy, reason_of)
        kept = order[np.isin(rows[order], wishes.rows)]
        keep[mine] = False
        keep[kept] = True
        priority[kept] = wishes.priority
        if wishes.note:
            notes[int(positions[local])] = wishes.note
    if best_arcs is not None:
        before = keep.copy()
        if known is None:
            drop_beyond_best(keep, pair_child, rows, total, ~wishful[pair_child], best_arcs)
        else:
            keep_best(keep, pair_child, total, ~wishful[pair_child], best_arcs)
        take_dropped = dropped_arcs if known is not None else dropped_arcs_reference
        for name, values in zip(RESERVE_PARTS, take_dropped(before, keep, positions, pair_child, rows, total,
                                                            float(SCORE_SCALE)), strict=True):
            reserve_parts[name].append(values)  # held small (int32), block by block
    has_candidate = np.zeros(len(block), dtype=bool)
    has_candidate[pair_child[keep]] = True
    for local in np.flatnonzero(~has_candidate):
        near_misses[int(positions[local])] = near_miss_list(block_children[local], index, policy, travel, costs)
    take_kept = kept_arcs if known is not None else kept_arcs_reference
    for name, values in zip(ARC_PARTS, take_kept(keep, pairs, positions, pair_child, rows, scores, total, priority,
                                                 evaluation.travel.minutes, evaluation.travel.km,
                                                 evaluation.placement_cost_gbp, evaluation.transport_cost_gbp,
                                                 uncertain_pairs(evaluation, policy)), strict=True):
        parts[name].append(values)


def _block_pairs(block: Children, pool: NeedPool, nearby_only: bool, policy: Policy, travel: TravelModel,
                 known: ClassPasses | None, journeys_of: Callable[[np.ndarray, np.ndarray], TravelEstimate],
                 ) -> tuple[np.ndarray, np.ndarray, TravelEstimate]:
    """A block's pairs (child, pool position) that pass every rule that needs no journey, and their journeys, each
    home's estimated once; compiled (``known``: the need's classes of children already tested), those that fail a
    rule that reads the journey left out too, so that costs are found for candidates alone."""
    origins, origin_of = homes_of(block)
    if known is None:  # the numpy reference: every pair laid out, then the rules that need no journey
        pair_origin, pair_provider = origin_pairs(pool, origins, travel, nearby_only)
        child, origin_pair = children_pairs(origin_of, pair_origin)
        passing = candidate_pairs(block, pool.index, policy, child, pair_provider[origin_pair])
        child, origin_pair = child[passing], origin_pair[passing]
        journeys = shared_journeys(travel, origins, pool, pair_origin, pair_provider, origin_pair)
        return child, pair_provider[origin_pair], journeys
    pair_origin, pair_provider = (nearby_pairs(pool, origins, travel) if nearby_only else
                                  origin_pairs(pool, origins, travel, nearby_only))
    class_of, passes = rule_classes(block, pool, policy, known)
    child, origin_pair = passing_pairs(origin_of, origin_starts(pair_origin, len(origins.easting)), pair_provider,
                                       class_of, passes)
    reached, journeys = reached_pairs(block, pool, policy, journeys_of, origins, origin_of, pair_origin, pair_provider,
                                      origin_pair)
    return child[reached], pair_provider[origin_pair[reached]], journeys


def _reason_of(child: Child, row: int, index: ProviderIndex, policy: Policy, travel: TravelModel,
               costs: CostModel) -> str:
    """The first rule one provider (a row of the full index) fails for one child."""
    single = evaluate(build_children([child], policy), index, policy, travel, costs, np.zeros(1, dtype=np.int64),
                      np.array([row]))
    return REASONS[single.reason_code[0]]
