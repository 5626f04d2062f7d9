"""Stability and parents' preferences: which of a child's candidate arcs an allocation must favour or keep.

- A child already placed keeps the current setting (the only arc left, with the highest priority) unless the
  policy allows moves, the child is at a phase transfer (``policy.transition_years``), or the setting is no
  longer a candidate (then the child moves, and the note says why).
- The first of the parents' preferences that is a candidate is honoured (a priority above every score) unless
  its whole cost exceeds that of the best-ranked other candidate by more than the policy's limit.
"""

from dataclasses import dataclass

import numpy as np

from matcher.evaluation import Evaluation
from matcher.policy import Policy
from matcher.provider_index import ProviderIndex
from matcher.rules import REASON_WORDS, REASONS

STAY, PREFERRED = 2, 1


@dataclass(frozen=True)
class Wishes:
    """The candidate rows kept, each row's priority (0, PREFERRED or STAY), and a note for the caseworker."""

    rows: np.ndarray
    priority: np.ndarray
    note: str


def apply_wishes(evaluation: Evaluation, index: ProviderIndex, rows: np.ndarray, total: np.ndarray,
                 policy: Policy) -> Wishes:
    """Decide stability and preferences for one child's candidate ``rows`` (ranked by ``total``)."""
    child = evaluation.child
    priority = np.zeros(len(rows), dtype=np.int8)
    current = index.position.get(child.current_provider_id) if child.current_provider_id is not None else None
    moves = ""
    if current is not None:
        at = np.flatnonzero(rows == current)
        transfer = child.ncy is not None and child.ncy in policy.transition_years
        if len(at) and not policy.allow_moves and not transfer:
            return Wishes(rows[at], np.array([STAY], dtype=np.int8), "stays in the current setting")
        if not len(at):
            reason = REASON_WORDS.get(REASONS[evaluation.reason_code[current]], "not a candidate")
            moves = f"moves: the current setting no longer suits ({reason}); "
    elif child.current_provider_id is not None:
        moves = "moves: the current setting is not in the register loaded; "
    wishes = _preferences(evaluation, index, rows, total, policy, priority)
    return Wishes(wishes.rows, wishes.priority, (moves + wishes.note).rstrip("; "))


def _preferences(evaluation: Evaluation, index: ProviderIndex, rows: np.ndarray, total: np.ndarray,
                 policy: Policy, priority: np.ndarray) -> Wishes:
    child = evaluation.child
    for provider_id in child.preferences:
        row = index.position.get(provider_id)
        at = np.flatnonzero(rows == row) if row is not None else np.array([], dtype=int)
        if not len(at):
            continue
        whole = evaluation.placement_cost_gbp[rows] + evaluation.transport_cost_gbp[rows]
        others = np.flatnonzero(rows != row)
        if len(others):
            best = others[np.argmax(total[others])]
            extra = float(whole[at[0]] - whole[best])
            if extra > policy.preference_cost_limit_gbp:
                return Wishes(rows, priority, f"preference {provider_id} not honoured: it costs £{extra:,.0f} a "
                                              f"year more than the best-ranked alternative, over the limit of "
                                              f"£{policy.preference_cost_limit_gbp:,.0f}")
        priority[at[0]] = PREFERRED
        return Wishes(rows, priority, f"preference {provider_id} honoured where it has room")
    note = "no preference is a suitable candidate" if child.preferences else ""
    return Wishes(rows, priority, note)
