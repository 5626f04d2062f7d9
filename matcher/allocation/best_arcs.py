"""Each child's best arcs alone: the cut for very large runs, the arcs left out kept as the table's reserve for the
pricing to bring back (``matcher.allocation.pricing``)."""

from dataclasses import replace

import numpy as np

from matcher.allocation.candidate_table import SCORE_SCALE, CandidateTable, ReserveArcs


def keep_best_arcs(table: CandidateTable, best: int) -> CandidateTable:
    """The table with each child's ``best`` highest-scoring arcs (a stay or a preference always kept), the rest
    held as its reserve: what ``build_candidate_table`` makes with ``best_arcs``, from a whole table."""
    keep = np.ones(len(table.child), dtype=bool)
    wishful = np.zeros(table.n_children, dtype=bool)
    wishful[table.child[table.priority > 0]] = True
    drop_beyond_best(keep, table.child, table.provider, table.total_score, ~wishful[table.child], best)
    left_out = np.flatnonzero(~keep)
    arc_of = {pair: arc for arc, pair in enumerate(zip(table.child.tolist(), table.provider.tolist(), strict=True))}

    def complete(child: np.ndarray, provider: np.ndarray) -> CandidateTable:
        return table.arcs(np.array([arc_of[pair] for pair in zip(child.tolist(), provider.tolist(), strict=True)],
                                   dtype=np.int64))

    reserve = ReserveArcs(table.child[left_out].astype(np.int32), table.provider[left_out].astype(np.int32),
                          np.rint(table.total_score[left_out] * SCORE_SCALE).astype(np.int32), complete)
    return replace(table.arcs(np.flatnonzero(keep)), near_misses=table.near_misses, notes=table.notes,
                   reserve=reserve)


def drop_beyond_best(keep: np.ndarray, pair_child: np.ndarray, rows: np.ndarray, total: np.ndarray,
                     limited: np.ndarray, best: int) -> None:
    """Drop every limited pair beyond its child's ``best`` highest totals (ties to the lower row), in place."""
    chosen = np.flatnonzero(keep & limited)  # pairs come by child, then row: a stable sort keeps rows in order
    order = chosen[np.argsort(pair_child[chosen] * 4.0 - total[chosen], kind="stable")]
    child_sorted = pair_child[order]
    starts = np.flatnonzero(np.r_[True, child_sorted[1:] != child_sorted[:-1]])
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    keep[order[rank >= best]] = False
