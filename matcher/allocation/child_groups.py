"""Interchangeable children share one supply node: the flow sends a group's ``n`` units, and the children are
given them back in a fixed order.

Two children are interchangeable when the table gives them the same arcs: the same providers with the same
priority, scores, costs, journeys and uncertainty, and the same need and home council (which the need caps and
council quotas read). The key is taken from the table itself, not from the child fields behind it (need set,
home, phase, cap, sex, ...), so whatever the rules and scores read, children with one key can never get
different arcs. Children with a stay or a preference keep a node of their own. A group's node has supply ``n``
and its arcs capacity ``n``; any flow of the grouped network splits into one arc a child, and any flow of one
node a child adds up to a grouped flow of the same cost, so both networks have the same optimum.

Assigned back: the group's units, by arc value (highest first) then provider id, go to its children in
position order.
"""

from dataclasses import dataclass

import numba
import numpy as np

from matcher.allocation.candidate_table import CandidateTable
from matcher.allocation.flow import Ends


@dataclass(frozen=True, eq=False)
class ChildGroups:
    """Children gathered into groups of identical arcs (group numbers follow the first member's position)."""

    group_of: np.ndarray  # per child: its group
    supply: np.ndarray  # per group: its children
    first_child: np.ndarray  # per group: its first child (ascending)
    first_arcs: np.ndarray  # the first children's arcs, ascending: the grouped table's arcs
    arc_in_group: np.ndarray  # per arc of the table: the position in ``first_arcs`` of the arc it matches
    ends: Ends  # the groups (as children) and their first children's arcs: the flow's supply nodes and arcs

    @property
    def n_groups(self) -> int:
        return len(self.supply)


def group_children(table: CandidateTable) -> ChildGroups:
    """Gather the children of ``table`` whose arcs are identical (a child with a stay or a preference alone)."""
    order = _arcs_by_child(table)
    count = np.bincount(table.child, minlength=table.n_children)
    start = np.cumsum(count) - count
    ends, words, scores = _arc_words(table)
    child_hash = _arc_set_hashes(order, start, count, ends, words, scores)
    wishful = np.zeros(table.n_children, dtype=bool)
    wishful[table.child[table.priority > 0]] = True
    positions = np.arange(table.n_children)
    _, need = np.unique(table.child_need.astype(str), return_inverse=True)
    _, council = np.unique(table.child_council.astype(str), return_inverse=True)
    alone = np.where(wishful, positions, -1)
    keys = np.lexsort((positions, child_hash, count, council, need, alone))  # by key, then position
    group_of = _runs(keys, (alone, need, council, count, child_hash))
    leader = _first_members(group_of)[group_of]
    differs = _differ_from_leader(order, start, count, leader, ends, words, scores)
    if differs.any():  # a hash shared by different arcs: those children keep a node each
        group_of[differs] = group_of.max() + 1 + np.arange(int(differs.sum()))
    first = _first_members(group_of)
    first_child = np.sort(first)
    number = np.empty(len(first), dtype=np.int64)
    number[np.argsort(first)] = np.arange(len(first))
    group_of = number[group_of]
    is_first = first_child[group_of[table.child]] == table.child
    first_arcs = np.flatnonzero(is_first)
    place = np.full(len(table.child), -1, dtype=np.int64)
    place[first_arcs] = np.arange(len(first_arcs))
    arc_in_group = _match_first_arcs(order, start, count, first_child[group_of], place)
    return ChildGroups(group_of, np.bincount(group_of, minlength=len(first)), first_child, first_arcs,
                       arc_in_group, Ends(group_of[table.child[first_arcs]], table.provider[first_arcs],
                                          table.child_need[first_child], table.child_council[first_child],
                                          table.provider_ids))


def _arcs_by_child(table: CandidateTable) -> np.ndarray:
    """The arcs by child, then provider (the candidate table's own order, where it is already so)."""
    key = table.child.astype(np.int64) * max(table.n_providers, 1) + table.provider
    if np.all(key[1:] > key[:-1]):
        return np.arange(len(key))
    return np.lexsort((table.provider, table.child))


def _arc_words(table: CandidateTable) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, ...],
                                                np.ndarray]:
    """Every arc field a child's placement is judged by: provider, priority and uncertainty as they are, the
    floats as 64-bit words (their exact bits), and the per-criterion scores likewise (read in place, no copy)."""
    floats = (table.total_score, table.travel_minutes, table.distance_km, table.placement_cost_gbp,
              table.transport_cost_gbp)
    words = tuple(np.require(values, np.float64, ["C", "W"]).view(np.uint64) for values in floats)
    ends = (table.provider, table.priority, table.uncertain_arcs)
    return ends, words, np.require(table.scores, np.float64, ["C", "W"]).view(np.uint64)  # one type for numba


def _runs(keys: np.ndarray, columns: tuple[np.ndarray, ...]) -> np.ndarray:
    """Per child, the number of its run of equal ``columns`` in the order ``keys``."""
    new = np.zeros(len(keys), dtype=bool)
    if len(keys):
        new[0] = True
    for column in columns:
        sorted_column = column[keys]
        new[1:] |= sorted_column[1:] != sorted_column[:-1]
    group_of = np.empty(len(keys), dtype=np.int64)
    group_of[keys] = np.cumsum(new) - 1
    return group_of


def _first_members(group_of: np.ndarray) -> np.ndarray:
    """Each group's first child (lowest position)."""
    first = np.full(group_of.max(initial=-1) + 1, len(group_of), dtype=np.int64)
    np.minimum.at(first, group_of, np.arange(len(group_of)))
    return first


@numba.njit(cache=True, nogil=True)
def _arc_set_hashes(order: np.ndarray, start: np.ndarray, count: np.ndarray, ends: tuple, words: tuple,
                    scores: np.ndarray) -> np.ndarray:
    """Each child's arcs hashed as a set: the wrapping sum of each arc's hash of its words and scores."""
    hashes = np.zeros(len(start), dtype=np.uint64)
    for child in range(len(start)):
        total = np.uint64(0)
        for rank in range(count[child]):
            arc = order[start[child] + rank]
            mixed = np.uint64(0)
            provider, priority, uncertain = ends
            mixed = _mix(mixed ^ np.uint64(provider[arc]))
            mixed = _mix(mixed ^ np.uint64(priority[arc]))
            mixed = _mix(mixed ^ np.uint64(uncertain[arc]))
            for column in words:
                mixed = _mix(mixed ^ column[arc])
            for criterion in range(scores.shape[1]):
                mixed = _mix(mixed ^ scores[arc, criterion])
            total += mixed
        hashes[child] = total
    return hashes


@numba.njit(cache=True, inline="always")
def _mix(value: np.uint64) -> np.uint64:
    value = value * np.uint64(0x9E3779B97F4A7C15)
    return value ^ (value >> np.uint64(29))


@numba.njit(cache=True, nogil=True)
def _differ_from_leader(order: np.ndarray, start: np.ndarray, count: np.ndarray, leader: np.ndarray, ends: tuple,
                        words: tuple, scores: np.ndarray) -> np.ndarray:
    """Children whose arcs differ from their group leader's in any word (arcs compared by child, then provider)."""
    differs = np.zeros(len(start), dtype=np.bool_)
    for child in range(len(start)):
        other = leader[child]
        if other == child:
            continue
        for rank in range(count[child]):
            arc, twin = order[start[child] + rank], order[start[other] + rank]
            same = True
            provider, priority, uncertain = ends
            same = provider[arc] == provider[twin] and priority[arc] == priority[twin] and (
                uncertain[arc] == uncertain[twin])
            for column in words:
                same = same and column[arc] == column[twin]
            for criterion in range(scores.shape[1]):
                same = same and scores[arc, criterion] == scores[twin, criterion]
            if not same:
                differs[child] = True
                break
    return differs


@numba.njit(cache=True, nogil=True)
def _match_first_arcs(order: np.ndarray, start: np.ndarray, count: np.ndarray, first: np.ndarray,
                      place: np.ndarray) -> np.ndarray:
    """Per arc: the position among the first children's arcs of its group's matching arc (same rank)."""
    matched = np.empty(len(order), dtype=np.int64)
    for child in range(len(start)):
        for rank in range(count[child]):
            matched[order[start[child] + rank]] = place[order[start[first[child]] + rank]]
    return matched


def gather_flow(groups: ChildGroups, flow: np.ndarray) -> np.ndarray:
    """The grouped flow from a flow of one node a child: each group arc carries its children's units."""
    return np.bincount(groups.arc_in_group, weights=flow, minlength=len(groups.first_arcs)).astype(np.int64)


def spread_flow(table: CandidateTable, groups: ChildGroups, values: np.ndarray, group_flow: np.ndarray,
                ) -> np.ndarray:
    """The 0/1 flow on each arc of ``table`` from the grouped flow (``values``: each group arc's value, as the
    grouped network was given them).

    A group's units, by arc value (highest first) then provider id, go to its children in position order.
    """
    used = np.flatnonzero(group_flow > 0)
    arcs = groups.first_arcs[used]
    group = groups.group_of[table.child[arcs]]
    used = used[np.lexsort((table.provider_ids[table.provider[arcs]], -values[used], group))]
    units = np.repeat(used, group_flow[used])
    unit_group = groups.group_of[table.child[groups.first_arcs[units]]]
    unit_start = np.searchsorted(unit_group, unit_group)  # the group's first unit (units come by group)
    members = np.argsort(groups.group_of, kind="stable")  # children by group, then position
    member_start = np.cumsum(groups.supply) - groups.supply
    child = members[member_start[unit_group] + np.arange(len(units)) - unit_start]
    # the arc of ``child`` matching the unit's group arc: arcs of one child match distinct group arcs
    lookup = np.lexsort((groups.arc_in_group, table.child))
    keys = table.child[lookup].astype(np.int64) * len(groups.first_arcs) + groups.arc_in_group[lookup]
    wanted = child.astype(np.int64) * len(groups.first_arcs) + units
    flow = np.zeros(len(table.child), dtype=np.int64)
    flow[lookup[np.searchsorted(keys, wanted)]] = 1
    return flow
