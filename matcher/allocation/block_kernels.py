"""The compiled steps of a cohort's candidate table, block by block: the pairs that pass the rules that need no
journey, found child by child from their home's providers within reach without laying out every pair; each
child's best arcs; and the arcs a block keeps and those its cut leaves out, taken in one pass each. Each has its
reference in numpy (``matcher.allocation.pairs.children_pairs`` with ``matcher.evaluation.candidate_pairs``;
``matcher.allocation.best_arcs.drop_beyond_best``; ``kept_arcs_reference`` and ``dropped_arcs_reference``), which
``build_candidate_table(..., compiled=False)`` uses, and tests hold the two to the same arrays.

The rules that need no journey read a child's need, year group, phase, sex, residential need and current setting
alone (``RULE_FIELDS``), so children alike in those pass them at the same providers: each such class is tested
once against its need's whole pool, by the rules' own table (``candidate_pairs``), and a child's pairs are looked
up in its class's row.
"""

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

import numba
import numpy as np

from matcher.allocation.pairs import Origins
from matcher.evaluation import candidate_pairs
from matcher.pair_arrays import Children
from matcher.policy import Policy
from matcher.pool_passes import within_reach
from matcher.provider_index import NeedPool
from matcher.rules import FIRST_JOURNEY_RULE, RuleInputs, first_failures
from matcher.travel.protocol import TravelEstimate, TravelModel

#: What the rules that need no journey read of a child (``matcher.rules``): children alike in these are alike to them.
RULE_FIELDS = ("need", "year_age", "post16", "other_sex", "requires_residential", "current")

T = TypeVar("T")
ClassPasses = dict[tuple[float, ...], np.ndarray]  # a class's fields -> whether it passes at each pool provider


def rule_classes(block: Children, pool: NeedPool, policy: Policy,
                 known: ClassPasses) -> tuple[np.ndarray, np.ndarray]:
    """Each child's class and, class by class, whether it passes the rules that need no journey at each provider of
    the pool (classes x pool positions); ``known`` keeps the classes already tested, between blocks of one need."""
    fields = np.column_stack([np.asarray(getattr(block, name), dtype=float) for name in RULE_FIELDS])
    fields = np.nan_to_num(fields, nan=-np.inf)  # a field not given: alike to the rules, which compare it false
    classes, first, class_of = np.unique(fields, axis=0, return_index=True, return_inverse=True)
    keys = [tuple(row) for row in classes.tolist()]
    new = [at for at, key in enumerate(keys) if key not in known]
    if new:
        size = len(pool.rows)
        child = np.repeat(first[new], size)
        provider = np.tile(np.arange(size), len(new))
        passes = np.zeros(len(new) * size, dtype=bool)
        passes[candidate_pairs(block, pool.index, policy, child, provider)] = True
        for row, at in enumerate(new):
            known[keys[at]] = passes[row * size:(row + 1) * size]
    return class_of.ravel(), np.stack([known[key] for key in keys])


def reached_pairs(block: Children, pool: NeedPool, policy: Policy,
                  journeys_of: Callable[[np.ndarray, np.ndarray], TravelEstimate], origins: Origins,
                  origin_of: np.ndarray, pair_origin: np.ndarray, pair_provider: np.ndarray,
                  origin_pair: np.ndarray) -> tuple[np.ndarray, TravelEstimate]:
    """Which of the children's pairs (their origin pairs) pass the rules that read the journey, and the journeys of
    those that do: each origin pair estimated and tested once (an origin is a home and a cap, all those rules read of
    a child), by the rules' own table, so costs are found for candidates alone. ``journeys_of(child, position)``
    gives the journeys from children's homes (positions in the block) to providers (positions in the pool)."""
    needed = np.zeros(len(pair_origin), dtype=bool)
    needed[origin_pair] = True
    estimated = np.flatnonzero(needed)
    one_child = np.zeros(len(origins.easting), dtype=np.int64)
    one_child[origin_of] = np.arange(len(origin_of))  # a child of each origin, to stand for it
    child = one_child[pair_origin[estimated]]
    journeys = journeys_of(child, pair_provider[estimated])
    unread = np.zeros(0)  # vacancies: a rule reading them here would fail loudly, not pass quietly
    inputs = RuleInputs(block, pool.index, policy, child, pair_provider[estimated], journeys, block.cap_minutes[child],
                        block.need[child], unread, unread)
    passes = first_failures(inputs, np.full(len(child), FIRST_JOURNEY_RULE, dtype=np.int8)) == 0
    rank = np.cumsum(needed, dtype=np.int64) - 1  # each needed origin pair's position among those estimated
    at = rank[origin_pair]
    reached = passes[at]
    return reached, journeys[at[reached]]


@numba.njit(cache=True, nogil=True)
def passing_pairs(origin_of: np.ndarray, origin_first: np.ndarray, pair_provider: np.ndarray,
                  class_of: np.ndarray, passes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each child's pairs that pass its class's rules, by child then provider: the child and its origin pair.

    ``origin_first[o]:origin_first[o + 1]`` are origin ``o``'s pairs (``pair_provider``: pool positions)."""
    count = 0
    for child in range(len(origin_of)):
        origin, row = origin_of[child], class_of[child]
        for pair in range(origin_first[origin], origin_first[origin + 1]):
            count += passes[row, pair_provider[pair]]
    children = np.empty(count, dtype=np.int64)
    pairs = np.empty(count, dtype=np.int64)
    at = 0
    for child in range(len(origin_of)):
        origin, row = origin_of[child], class_of[child]
        for pair in range(origin_first[origin], origin_first[origin + 1]):
            if passes[row, pair_provider[pair]]:
                children[at] = child
                pairs[at] = pair
                at += 1
    return children, pairs


def nearby_pairs(pool: NeedPool, origins: Origins, travel: TravelModel) -> tuple[np.ndarray, np.ndarray]:
    """``origin_pairs`` with ``nearby_only``, compiled: each origin's located providers of the pool within the
    travel model's reach of its cap (the squared distance, as the k-d trees find them), by origin then provider."""
    reach_km = travel.reach_km_of(origins.cap_minutes, origins.easting, origins.northing)
    east, north = pool.located_points
    return within_reach(origins.easting, origins.northing, reach_km * 1000.0, east, north, pool.located)


@numba.njit(cache=True, nogil=True)
def arc_places(child: np.ndarray, cursor: np.ndarray) -> np.ndarray:
    """Each arc's place in the whole table (children's arcs in turn, each child's in the order given), from
    ``cursor``, where each child's next arc goes (moved on in place)."""
    places = np.empty(len(child), dtype=np.int64)
    for arc in range(len(child)):
        places[arc] = cursor[child[arc]]
        cursor[child[arc]] += 1
    return places


@numba.njit(cache=True, nogil=True)
def put_rows(target: np.ndarray, places: np.ndarray, values: np.ndarray) -> None:
    """``target[places] = values`` for rows (both 2-D: arcs x columns), row by row in one pass: a block's arcs put
    where they belong in the whole table (its numpy reference is that assignment)."""
    columns = values.shape[1]
    for arc in range(values.shape[0]):
        place = places[arc]
        for column in range(columns):
            target[place, column] = values[arc, column]


@numba.njit(cache=True, nogil=True)
def kept_arcs(keep: np.ndarray, pairs: np.ndarray, positions: np.ndarray, pair_child: np.ndarray, rows: np.ndarray,
              scores: np.ndarray, total: np.ndarray, priority: np.ndarray, minutes: np.ndarray, km: np.ndarray,
              placement: np.ndarray, transport: np.ndarray, uncertain: np.ndarray) -> tuple[np.ndarray, ...]:
    """A block's kept arcs in one pass, field by field in ``ARC_PARTS``' order: each array taken at the ``keep``
    pairs (``scores``, ``total``, ``priority``, ``rows``, ``pair_child``, by pair) or at those pairs' evaluation
    positions (``pairs[keep]``: the journeys, costs and ``uncertain``), the children as their ``positions``. Its
    numpy reference: ``kept_arcs_reference``."""
    n = 0
    for pair in range(len(keep)):
        n += keep[pair]
    child = np.empty(n, dtype=positions.dtype)
    provider = np.empty(n, dtype=rows.dtype)
    kept_scores = np.empty((n, scores.shape[1]), dtype=scores.dtype)
    kept_total, kept_priority = np.empty(n, dtype=total.dtype), np.empty(n, dtype=priority.dtype)
    kept_minutes, kept_km = np.empty(n, dtype=minutes.dtype), np.empty(n, dtype=km.dtype)
    kept_placement, kept_transport = np.empty(n, dtype=placement.dtype), np.empty(n, dtype=transport.dtype)
    kept_uncertain = np.empty(n, dtype=uncertain.dtype)
    at = 0
    for pair in range(len(keep)):
        if not keep[pair]:
            continue
        evaluated = pairs[pair]
        child[at] = positions[pair_child[pair]]
        provider[at] = rows[pair]
        for column in range(scores.shape[1]):
            kept_scores[at, column] = scores[pair, column]
        kept_total[at] = total[pair]
        kept_priority[at] = priority[pair]
        kept_minutes[at] = minutes[evaluated]
        kept_km[at] = km[evaluated]
        kept_placement[at] = placement[evaluated]
        kept_transport[at] = transport[evaluated]
        kept_uncertain[at] = uncertain[evaluated]
        at += 1
    return (child, provider, kept_scores, kept_total, kept_minutes, kept_km, kept_placement, kept_transport,
            kept_priority, kept_uncertain)


@numba.njit(cache=True, nogil=True)
def dropped_arcs(before: np.ndarray, keep: np.ndarray, positions: np.ndarray, pair_child: np.ndarray,
                 rows: np.ndarray, total: np.ndarray, scale: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pairs kept ``before`` a cut and not after, as the reserve holds them: the child's position, the row and
    the total in points (``np.rint(total x scale)``), each as int32, in one pass. Its numpy reference:
    ``dropped_arcs_reference``."""
    n = 0
    for pair in range(len(keep)):
        n += before[pair] and not keep[pair]
    child = np.empty(n, dtype=np.int32)
    provider = np.empty(n, dtype=np.int32)
    points = np.empty(n, dtype=np.int32)
    at = 0
    for pair in range(len(keep)):
        if before[pair] and not keep[pair]:
            child[at] = positions[pair_child[pair]]
            provider[at] = rows[pair]
            points[at] = np.int32(np.rint(total[pair] * scale))
            at += 1
    return child, provider, points


def kept_arcs_reference(keep: np.ndarray, pairs: np.ndarray, positions: np.ndarray, pair_child: np.ndarray,
                        rows: np.ndarray, scores: np.ndarray, total: np.ndarray, priority: np.ndarray,
                        minutes: np.ndarray, km: np.ndarray, placement: np.ndarray, transport: np.ndarray,
                        uncertain: np.ndarray) -> tuple[np.ndarray, ...]:
    """``kept_arcs`` in numpy: masked gathers."""
    evaluated = pairs[keep]
    return (positions[pair_child[keep]], rows[keep], scores[keep], total[keep], minutes[evaluated], km[evaluated],
            placement[evaluated], transport[evaluated], priority[keep], uncertain[evaluated])


def dropped_arcs_reference(before: np.ndarray, keep: np.ndarray, positions: np.ndarray, pair_child: np.ndarray,
                           rows: np.ndarray, total: np.ndarray, scale: float,
                           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``dropped_arcs`` in numpy: masked gathers."""
    dropped = before & ~keep
    return (positions[pair_child[dropped]].astype(np.int32), rows[dropped].astype(np.int32),
            np.rint(total[dropped] * scale).astype(np.int32))


def origin_starts(pair_origin: np.ndarray, n_origins: int) -> np.ndarray:
    """Where each origin's pairs start (pairs by origin), with the end last."""
    return np.r_[0, np.cumsum(np.bincount(pair_origin, minlength=n_origins))].astype(np.int64)


@numba.njit(cache=True, nogil=True)
def keep_best(keep: np.ndarray, pair_child: np.ndarray, total: np.ndarray, limited: np.ndarray, best: int) -> None:
    """Drop every kept, limited pair beyond its child's ``best`` highest totals, in place, as ``drop_beyond_best``
    does (pairs by child; the same key, ``child x 4 - total``, ties to the earlier pair)."""
    start = 0
    n = len(pair_child)
    while start < n:
        end = start
        while end < n and pair_child[end] == pair_child[start]:
            end += 1
        chosen = np.empty(end - start, dtype=np.int64)
        size = 0
        for pair in range(start, end):
            if keep[pair] and limited[pair]:
                chosen[size] = pair
                size += 1
        if size > best:  # the ``best`` smallest keys, and of those tied with the last, the earliest
            key = np.empty(size, dtype=np.float64)
            for at in range(size):
                key[at] = pair_child[chosen[at]] * 4.0 - total[chosen[at]]
            if best <= 0 or np.isnan(key).any():  # none kept, or totals not known: the stable sort itself
                order = np.argsort(key, kind="mergesort")
                for rank in range(max(best, 0), size):
                    keep[chosen[order[rank]]] = False
            else:
                last = np.partition(key, best - 1)[best - 1]
                room = best  # how many of the keys equal to the last are kept
                for at in range(size):
                    room -= key[at] < last
                for at in range(size):
                    if key[at] > last or (key[at] == last and room <= 0):
                        keep[chosen[at]] = False
                    elif key[at] == last:
                        room -= 1
        start = end


def in_order(work: Callable[..., T], jobs: Sequence[tuple[Any, ...]], threads: int) -> Iterator[T]:
    """``work(*job)`` for each job, yielded in the jobs' order, on up to ``threads`` threads (at most that many
    results waiting at a time, so blocks do not pile up in memory)."""
    if threads <= 1:
        yield from (work(*job) for job in jobs)
        return
    with ThreadPoolExecutor(threads) as pool:
        waiting: deque[Future[T]] = deque()
        for job in jobs:
            waiting.append(pool.submit(work, *job))
            if len(waiting) >= threads:
                yield waiting.popleft().result()
        while waiting:
            yield waiting.popleft().result()
