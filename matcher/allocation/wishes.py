"""Stability and parents' preferences: which of a child's candidate arcs an allocation must favour or keep.

- A child already placed keeps the current setting (the only arc left, with the highest priority) unless the
  policy allows moves, the child is at a phase transfer (``policy.transition_years``), or the setting is no
  longer a candidate (then the child moves, and the note says why).
- The first of the parents' preferences that is a candidate is honoured (a priority above every score) unless
  its whole cost exceeds that of the best-ranked other candidate by more than the policy's limit.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from matcher.child import Child
from matcher.policy import Policy
from matcher.provider_index import ProviderIndex
from matcher.rules import REASON_WORDS

STAY, PREFERRED = 2, 1


@dataclass(frozen=True)
class Wishes:
    """The candidate rows kept, each row's priority (0, PREFERRED or STAY), and a note for the caseworker."""

    rows: np.ndarray
    priority: np.ndarray
    note: str


def apply_wishes(child: Child, index: ProviderIndex, rows: np.ndarray, total: np.ndarray, whole: np.ndarray,
                 policy: Policy, reason_of: Callable[[int], str]) -> Wishes:
    """Decide stability and preferences for one child whose candidates are ``rows`` of the full index, ascending,
    with their weighted totals and whole costs; ``reason_of(row)`` names the rule a setting that is not among
    them fails."""
    priority = np.zeros(len(rows), dtype=np.int8)
    current = index.position.get(child.current_provider_id) if child.current_provider_id is not None else None
    moves = ""
    if current is not None:
        at = np.flatnonzero(rows == current)
        transfer = child.ncy is not None and child.ncy in policy.transition_years
        if len(at) and not policy.allow_moves and not transfer:
            return Wishes(rows[at], np.array([STAY], dtype=np.int8), "stays in the current setting")
        if not len(at):
            reason = REASON_WORDS.get(reason_of(current), "not a candidate")
            moves = f"moves: the current setting no longer suits ({reason}); "
    elif child.current_provider_id is not None:
        moves = "moves: the current setting is not in the register loaded; "
    wishes = _preferences(child, index, rows, total, whole, policy, priority)
    return Wishes(wishes.rows, wishes.priority, (moves + wishes.note).rstrip("; "))


def _preferences(child: Child, index: ProviderIndex, rows: np.ndarray, total: np.ndarray, whole: np.ndarray,
                 policy: Policy, priority: np.ndarray) -> Wishes:
    for provider_id in child.preferences:
        row = index.position.get(provider_id)
        at = np.flatnonzero(rows == row) if row is not None else np.array([], dtype=int)
        if not len(at):
            continue
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
