"""The candidate table of a cohort: one arc per (child, provider) pair that passes every hard rule, scored.

Built with the same evaluation, rules and scores as a shortlist (``matcher.evaluation``), so the allocation and
the shortlist can never disagree about who is suitable; by need, in blocks of children, from the providers within
each child's reach; arrays throughout, ready for a solver.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from core.vocabulary import KINDS
from matcher.allocation.pairs import children_pairs, homes_of, origin_pairs, shared_journeys, z_order
from matcher.allocation.wishes import apply_wishes
from matcher.candidates import near_miss_list, score_evaluation, uncertain_pairs
from matcher.child import Child
from matcher.costs import CostModel
from matcher.criteria import CRITERIA, criterion_column
from matcher.evaluation import build_children, candidate_pairs, evaluate, travel_cap_minutes
from matcher.pair_arrays import NO_PROVIDER, Evaluation
from matcher.policy import Policy
from matcher.provider_index import NEED_COLUMN, NeedPool, ProviderIndex
from matcher.rules import FIRST_JOURNEY_RULE, REASONS
from matcher.travel.protocol import TravelModel

SCORE_SCALE = 10_000  # an arc's weighted score in whole units of 1/10,000, as the solvers see it


@dataclass(frozen=True, eq=False)
class ReserveArcs:
    """Arcs a best-arcs cut left out, kept small to price them (``matcher.allocation.pricing``): each arc's child
    and provider positions and its score points; ``complete`` gives the full arcs of some (child, provider) pairs
    when the pricing brings them in. None of them is a stay or a preference (those are never cut)."""

    child: np.ndarray  # int32
    provider: np.ndarray  # int32
    points: np.ndarray  # int32: round(total score x SCORE_SCALE)
    complete: "Callable[[np.ndarray, np.ndarray], CandidateTable]"

    def subset(self, positions: np.ndarray) -> "ReserveArcs":
        return ReserveArcs(self.child[positions], self.provider[positions], self.points[positions], self.complete)


@dataclass(frozen=True, eq=False)
class CandidateTable:
    """Children, providers and the arcs between them (arc ``a`` joins ``child[a]`` to ``provider[a]``).

    Children and providers are held by position; ``child_ids`` and ``provider_ids`` map positions to ids.
    """

    child_ids: np.ndarray
    child_council: np.ndarray
    child_need: np.ndarray
    provider_ids: np.ndarray
    provider_council: np.ndarray
    provider_kind: np.ndarray
    child: np.ndarray
    provider: np.ndarray
    scores: np.ndarray  # arcs x criteria, in the order of CRITERIA
    total_score: np.ndarray
    travel_minutes: np.ndarray
    distance_km: np.ndarray
    placement_cost_gbp: np.ndarray
    transport_cost_gbp: np.ndarray
    priority: np.ndarray  # 0, or wishes.PREFERRED / wishes.STAY
    near_misses: dict[int, list[tuple[int, str, float | None]]] = field(default_factory=dict)  # children without a
    # candidate: their nearest exclusions (provider id, rule, minutes)
    uncertain: np.ndarray | None = None  # arcs kept only as uncertain journeys (``matcher.travel_caps``)
    child_cap_minutes: np.ndarray | None = None  # each child's travel cap, where known
    notes: dict[int, str] = field(default_factory=dict)  # stability and preference decisions, by child
    reserve: ReserveArcs | None = None  # arcs left out by a best-arcs cut, kept to price them

    @property
    def n_children(self) -> int:
        return len(self.child_ids)

    @property
    def n_providers(self) -> int:
        return len(self.provider_ids)

    def score(self, criterion: str) -> np.ndarray:
        """Each arc's score on one criterion."""
        return self.scores[:, criterion_column(criterion)]

    @property
    def whole_cost_gbp(self) -> np.ndarray:
        return self.placement_cost_gbp + self.transport_cost_gbp

    def part(self, children: np.ndarray, arcs: np.ndarray) -> "CandidateTable":
        """The table of some children (positions, ascending) and their arcs (ascending), with every provider."""
        position = np.full(self.n_children, -1, dtype=np.int64)
        position[children] = np.arange(len(children))
        return CandidateTable(
            child_cap_minutes=None if self.child_cap_minutes is None else self.child_cap_minutes[children],
            child_ids=self.child_ids[children], child_council=self.child_council[children],
            child_need=self.child_need[children], provider_ids=self.provider_ids,
            provider_council=self.provider_council, provider_kind=self.provider_kind,
            child=position[self.child[arcs]].astype(np.int32), provider=self.provider[arcs],
            scores=self.scores[arcs], total_score=self.total_score[arcs], travel_minutes=self.travel_minutes[arcs],
            distance_km=self.distance_km[arcs], placement_cost_gbp=self.placement_cost_gbp[arcs],
            transport_cost_gbp=self.transport_cost_gbp[arcs], priority=self.priority[arcs],
            uncertain=self.uncertain_arcs[arcs])

    @property
    def uncertain_arcs(self) -> np.ndarray:
        """Each arc: kept only as an uncertain journey (none where the table says nothing of it)."""
        return self.uncertain if self.uncertain is not None else np.zeros(len(self.child), dtype=bool)

    def arcs(self, positions: np.ndarray) -> "CandidateTable":
        """The same children and providers with only the arcs at ``positions`` (in that order), no reserve."""
        chosen: dict[str, Any] = {name: getattr(self, name)[positions] for name in ARC_FIELDS}
        return replace(self, reserve=None, uncertain=self.uncertain_arcs[positions], **chosen)

    def arcs_frame(self) -> pd.DataFrame:
        """The arcs as a table with ids, for reports and for the independent checker."""
        return pd.DataFrame({
            "child_id": self.child_ids[self.child], "provider_id": self.provider_ids[self.provider],
            "total_score": self.total_score, "travel_minutes": self.travel_minutes,
            "annual_cost_gbp": self.whole_cost_gbp,
        })


def build_candidate_table(children: Sequence[Child], index: ProviderIndex, policy: Policy, travel: TravelModel,
                          costs: CostModel, progress: Callable[[str, int, int], None] | None = None,
                          nearby_only: bool = True, best_arcs: int | None = None) -> CandidateTable:
    """Apply the hard rules, scores, stability and preferences to every located child of a cohort.

    Children are taken by need, in blocks of ``BLOCK``, against their need's pool. With ``nearby_only`` a block's
    pairs come from a k-d tree of the pool's providers, within the straight-line reach of each child's cap (the
    travel model's ``reach_km``, an upper bound), so no child is ever checked against a setting it cannot reach;
    without it, against the whole pool (the same table, slower: tests compare the two). ``progress``, where
    given, hears ("candidates", done, total) after each block. ``best_arcs``, where given, keeps only each child's
    that many best-scoring arcs (a stay or a preference always kept): an approximation for very large runs, whose
    effect ``bench/national.py`` measures; without it every arc is kept and the allocation is exact.
    """
    parts: dict[str, list[np.ndarray]] = {name: [] for name in ARC_PARTS}
    reserve_parts: dict[str, list[np.ndarray]] = {name: [] for name in RESERVE_PARTS}
    near_misses: dict[int, list[tuple[int, str, float | None]]] = {}
    notes: dict[int, str] = {}
    need = np.array([NEED_COLUMN[child.primary_need] for child in children], dtype=np.int64)
    home = np.array([(child.easting, child.northing) for child in children], dtype=float).reshape(-1, 2)
    travel.remember_destinations(np.r_[index.easting, home[:, 0]], np.r_[index.northing, home[:, 1]])
    done = 0
    for column in np.unique(need):
        pool = index.pools[column]
        positions = np.flatnonzero(need == column)  # blocks of neighbours, who share homes and nearby providers
        positions = positions[np.argsort(z_order(home[positions]), kind="stable")]
        for start in range(0, len(positions), BLOCK):
            block = positions[start:start + BLOCK]
            _add_block(parts, reserve_parts, near_misses, notes, [children[position] for position in block], block,
                       index, pool, nearby_only, best_arcs, policy, travel, costs)
            done += len(block)
            if progress is not None:
                progress("candidates", done, len(children))
    people: dict[str, Any] = {
        "child_ids": np.array([child.child_id for child in children], dtype=object),
        "child_council": np.array([child.home_council for child in children], dtype=object),
        "child_need": np.array([child.primary_need for child in children], dtype=object),
        "provider_ids": index.provider_id,
        "provider_council": index.host_council,
        "provider_kind": np.asarray(KINDS, dtype=object)[index.kind_code],
        "child_cap_minutes": np.array([travel_cap_minutes(child, policy) for child in children], dtype=float),
    }
    table = replace(_table_of(people, parts), near_misses=near_misses, notes=notes)
    if best_arcs is None:
        return table

    def complete(child: np.ndarray, provider: np.ndarray) -> CandidateTable:
        return evaluated_arcs(table, children, child, provider, index, policy, travel, costs)

    child, provider, points = (np.concatenate(reserve_parts[name]).astype(np.int32) if reserve_parts[name] else
                               np.zeros(0, dtype=np.int32) for name in RESERVE_PARTS)
    reserve = ReserveArcs(child, provider, points, complete)
    return replace(table, reserve=reserve)


def evaluated_arcs(table: CandidateTable, children: Sequence[Child], child: np.ndarray, provider: np.ndarray,
                   index: ProviderIndex, policy: Policy, travel: TravelModel, costs: CostModel) -> CandidateTable:
    """The full arcs of some (child position, provider row) pairs that passed every rule when the table was built
    (a pair's scores never depend on the block it is evaluated in), with no priority: the arcs a cut left out."""
    own = np.unique(child)
    local = np.searchsorted(own, child)
    evaluation = evaluate(build_children([children[position] for position in own], policy), index, policy, travel,
                          costs, local, provider.astype(np.int64))
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
    joined = _joined_in_order(parts)
    return CandidateTable(
        **people,
        child=joined["child"].astype(np.int32), provider=joined["provider"].astype(np.int32),
        scores=joined["scores"].reshape(-1, len(CRITERIA)), total_score=joined["total"],
        travel_minutes=joined["minutes"], distance_km=joined["km"], placement_cost_gbp=joined["placement"],
        transport_cost_gbp=joined["transport"], priority=joined["priority"].astype(np.int8),
        uncertain=joined["uncertain"].astype(bool),
    )


ARC_FIELDS = ("child", "provider", "scores", "total_score", "travel_minutes", "distance_km", "placement_cost_gbp",
              "transport_cost_gbp", "priority")


def join_arcs(table: CandidateTable, extra: CandidateTable, keep_order: bool = False) -> CandidateTable:
    """``table`` with ``extra``'s arcs too (same children and providers): by child then provider, or with
    ``keep_order`` the table's arcs first and then ``extra``'s. The reserve is not carried."""
    joined: dict[str, Any] = {name: np.concatenate([getattr(table, name), getattr(extra, name)])
                              for name in ARC_FIELDS}
    joined["uncertain"] = np.concatenate([table.uncertain_arcs, extra.uncertain_arcs])
    if not keep_order:
        order = np.lexsort((joined["provider"], joined["child"]))
        joined = {name: values[order] for name, values in joined.items()}
    return replace(table, reserve=None, **joined)


BLOCK = 2_000


def _joined_in_order(parts: dict[str, list[np.ndarray]]) -> dict[str, np.ndarray]:
    """The blocks' arcs as one array each, by child then provider (the order solvers see); one array at a time,
    the blocks let go as they are joined, so a national table is never held twice over. Each child's arcs are
    already together and by provider within its block, so only the children's runs need ordering."""
    child = np.concatenate(parts.pop("child")) if parts["child"] else np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, child[1:] != child[:-1]]) if len(child) else np.zeros(0, dtype=np.int64)
    lengths = np.diff(np.r_[starts, len(child)])
    runs = np.argsort(child[starts], kind="stable")
    offsets = np.cumsum(lengths[runs]) - lengths[runs]
    order = np.repeat(starts[runs] - offsets, lengths[runs]) + np.arange(len(child))
    joined = {"child": child[order]}
    del child
    for name in list(parts):
        blocks = parts.pop(name)
        joined[name] = np.concatenate(blocks)[order] if blocks else np.zeros(0)
        del blocks
    return joined


ARC_PARTS = ("child", "provider", "scores", "total", "minutes", "km", "placement", "transport", "priority",
             "uncertain")
RESERVE_PARTS = ("child", "provider", "points")


def _add_block(parts: dict[str, list[np.ndarray]], reserve_parts: dict[str, list[np.ndarray]],
               near_misses: dict[int, list[tuple[int, str, float | None]]],
               notes: dict[int, str], block_children: list[Child], positions: np.ndarray, index: ProviderIndex,
               pool: NeedPool, nearby_only: bool, best_arcs: int | None, policy: Policy, travel: TravelModel,
               costs: CostModel) -> None:
    """Evaluate one block of children of one need and add their candidate arcs, notes and near misses."""
    block = build_children(block_children, policy)
    origins, origin_of = homes_of(block)
    pair_origin, pair_provider = origin_pairs(pool, origins, travel, nearby_only)
    child, origin_pair = children_pairs(origin_of, pair_origin)
    provider = pair_provider[origin_pair]
    passing = candidate_pairs(block, pool.index, policy, child, provider)  # journeys only where they can matter
    journeys = shared_journeys(travel, origins, pool, pair_origin, pair_provider, origin_pair[passing])
    passed = np.full(len(passing), FIRST_JOURNEY_RULE, dtype=np.int8)  # every rule that needs no journey
    evaluation = evaluate(block, pool.index, policy, travel, costs, child[passing], provider[passing], passed,
                          journeys)
    pairs, scores, total = score_evaluation(evaluation, policy)
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
        _keep_best(keep, pair_child, rows, total, ~wishful[pair_child], best_arcs)
        dropped = before & ~keep
        reserve_parts["child"].append(positions[pair_child[dropped]])
        reserve_parts["provider"].append(rows[dropped])
        reserve_parts["points"].append(np.rint(total[dropped] * SCORE_SCALE))
    has_candidate = np.zeros(len(block), dtype=bool)
    has_candidate[pair_child[keep]] = True
    for local in np.flatnonzero(~has_candidate):
        near_misses[int(positions[local])] = near_miss_list(block_children[local], index, policy, travel, costs)
    _add_arcs(parts, positions, pairs, pair_child, rows, scores, total, priority, evaluation,
              uncertain_pairs(evaluation, policy), keep)


def _add_arcs(parts: dict[str, list[np.ndarray]], positions: np.ndarray, pairs: np.ndarray, pair_child: np.ndarray,
              rows: np.ndarray, scores: np.ndarray, total: np.ndarray, priority: np.ndarray, evaluation: Evaluation,
              uncertain: np.ndarray, chosen: np.ndarray) -> None:
    """Add the ``chosen`` pairs of a block to ``parts`` (``uncertain``: each of the evaluation's pairs kept only as
    an uncertain journey)."""
    chosen_pairs = pairs[chosen]
    parts["child"].append(positions[pair_child[chosen]])
    parts["provider"].append(rows[chosen])
    parts["scores"].append(scores[chosen])
    parts["total"].append(total[chosen])
    parts["minutes"].append(evaluation.travel.minutes[chosen_pairs])
    parts["km"].append(evaluation.travel.km[chosen_pairs])
    parts["placement"].append(evaluation.placement_cost_gbp[chosen_pairs])
    parts["transport"].append(evaluation.transport_cost_gbp[chosen_pairs])
    parts["priority"].append(priority[chosen])
    parts["uncertain"].append(uncertain[chosen_pairs])


def keep_best_arcs(table: CandidateTable, best: int) -> CandidateTable:
    """The table with each child's ``best`` highest-scoring arcs (a stay or a preference always kept), the rest
    held as its reserve: what ``build_candidate_table`` makes with ``best_arcs``, from a whole table."""
    keep = np.ones(len(table.child), dtype=bool)
    wishful = np.zeros(table.n_children, dtype=bool)
    wishful[table.child[table.priority > 0]] = True
    _keep_best(keep, table.child, table.provider, table.total_score, ~wishful[table.child], best)
    left_out = np.flatnonzero(~keep)
    arc_of = {pair: arc for arc, pair in enumerate(zip(table.child.tolist(), table.provider.tolist(), strict=True))}

    def complete(child: np.ndarray, provider: np.ndarray) -> CandidateTable:
        return table.arcs(np.array([arc_of[pair] for pair in zip(child.tolist(), provider.tolist(), strict=True)],
                                   dtype=np.int64))

    reserve = ReserveArcs(table.child[left_out].astype(np.int32), table.provider[left_out].astype(np.int32),
                          np.rint(table.total_score[left_out] * SCORE_SCALE).astype(np.int32), complete)
    return replace(table.arcs(np.flatnonzero(keep)), near_misses=table.near_misses, notes=table.notes,
                   reserve=reserve)


def _keep_best(keep: np.ndarray, pair_child: np.ndarray, rows: np.ndarray, total: np.ndarray, limited: np.ndarray,
               best: int) -> None:
    """Drop every limited pair beyond its child's ``best`` highest totals (ties to the lower row), in place."""
    chosen = np.flatnonzero(keep & limited)  # pairs come by child, then row: a stable sort keeps rows in order
    order = chosen[np.argsort(pair_child[chosen] * 4.0 - total[chosen], kind="stable")]
    child_sorted = pair_child[order]
    starts = np.flatnonzero(np.r_[True, child_sorted[1:] != child_sorted[:-1]])
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    keep[order[rank >= best]] = False


def _reason_of(child: Child, row: int, index: ProviderIndex, policy: Policy, travel: TravelModel,
               costs: CostModel) -> str:
    """The first rule one provider (a row of the full index) fails for one child."""
    single = evaluate(build_children([child], policy), index, policy, travel, costs, np.zeros(1, dtype=np.int64),
                      np.array([row]))
    return REASONS[single.reason_code[0]]


def candidate_table_from_arcs(children: pd.DataFrame, providers: pd.DataFrame, arcs: pd.DataFrame) -> CandidateTable:
    """Build a candidate table from plain tables (synthetic instances, benchmarks and tests).

    ``children``: index child_id, columns home_council, primary_need. ``providers``: index provider_id, columns
    host_council, kind. ``arcs``: child_id, provider_id, total_score, annual costs and travel; optional
    per-criterion scores (default: the total) and ``priority``.
    """
    child_position = pd.Series(np.arange(len(children)), index=children.index)
    provider_position = pd.Series(np.arange(len(providers)), index=providers.index)
    total = arcs["total_score"].to_numpy(dtype=float)
    scores = np.column_stack([arcs[name].to_numpy(dtype=float) if name in arcs else total for name in CRITERIA])
    return CandidateTable(
        child_ids=children.index.to_numpy(dtype=object),
        child_council=children["home_council"].to_numpy(dtype=object),
        child_need=children["primary_need"].to_numpy(dtype=object),
        provider_ids=providers.index.to_numpy(dtype=np.int64),
        provider_council=providers["host_council"].to_numpy(dtype=object),
        provider_kind=providers["kind"].to_numpy(dtype=object),
        child=child_position.reindex(arcs["child_id"]).to_numpy(dtype=np.int32),
        provider=provider_position.reindex(arcs["provider_id"]).to_numpy(dtype=np.int32),
        scores=scores, total_score=total,
        travel_minutes=arcs.get("travel_minutes", pd.Series(0.0, index=arcs.index)).to_numpy(dtype=float),
        distance_km=arcs.get("distance_km", pd.Series(0.0, index=arcs.index)).to_numpy(dtype=float),
        placement_cost_gbp=arcs.get("placement_cost_gbp", pd.Series(0.0, index=arcs.index)).to_numpy(dtype=float),
        transport_cost_gbp=arcs.get("transport_cost_gbp", pd.Series(0.0, index=arcs.index)).to_numpy(dtype=float),
        priority=arcs.get("priority", pd.Series(0, index=arcs.index)).to_numpy(dtype=np.int8),
        uncertain=arcs.get("uncertain", pd.Series(False, index=arcs.index)).to_numpy(dtype=bool),
    )
