"""An allocation's result: who goes where, the objective's terms, how it was solved, and why anyone is unplaced.

Reasons for an unplaced child, in the order they are tested:
- ``no_candidate_within_cap``: every setting that passes the other hard rules is over the travel cap; names the
  nearest of them and its journey.
- ``no_candidate``: no setting passes the hard rules; the nearest exclusions say which rule failed where.
- ``budget`` / ``policy_constraint``: some suitable setting had room, but placing the child would break the budget
  or the out-of-area cap (only possible where the policy has one).
- ``capacity``: every suitable setting is full; says how many were competing for them and how many of those
  had fewer options than this child.
- ``no_solution``: the solver found no allocation within its limits.
"""

from dataclasses import dataclass
from functools import cached_property
from typing import Literal, get_args

import numpy as np
import pandas as pd

from core.arrays import unique_sorted
from matcher.allocation.candidate_table import CandidateTable
from matcher.allocation.capacity import GroupFamily
from matcher.allocation.wishes import PREFERRED
from matcher.criteria import CRITERIA
from matcher.policy import Policy

#: How a solve ended: a status, never an exception (``invalid``: the independent checker found a problem).
SolveStatus = Literal["optimal", "feasible", "infeasible", "no_solution_within_limit", "cancelled", "invalid"]
SOLVE_STATUSES: tuple[str, ...] = get_args(SolveStatus)
UnplacedReason = Literal["no_candidate_within_cap", "no_candidate", "budget", "policy_constraint", "capacity",
                         "no_solution"]
UNPLACED_REASONS: tuple[str, ...] = get_args(UnplacedReason)
UNPLACED_COLUMNS = ["child_id", "home_council", "primary_need", "reason", "detail"]
LISTED_PROVIDERS = 5


@dataclass(frozen=True, eq=False)
class Allocation:
    """One provider or unplaced per child of a candidate table, with the solve's status and parameters."""

    table: CandidateTable
    chosen_arc: np.ndarray  # per child: the arc chosen, or -1
    status: SolveStatus
    method: str
    parameters: dict
    gap: float
    bound: float | None
    wall_seconds: float
    unplaced: pd.DataFrame

    @property
    def placed_arcs(self) -> np.ndarray:
        return self.chosen_arc[self.chosen_arc >= 0]

    def objective(self) -> dict[str, float]:
        """The objective's terms: children placed, priority points, scores, and the annual cost split."""
        arcs, table = self.placed_arcs, self.table
        terms = {"children": float(table.n_children), "placed": float(len(arcs)),
                 "unplaced": float(table.n_children - len(arcs)),
                 "preferences_honoured": float((table.priority[arcs] == PREFERRED).sum()),
                 "total_score": float(table.total_score[arcs].sum())}
        terms.update({f"score_{name}": float(table.score(name)[arcs].sum()) for name in CRITERIA})
        terms.update(placement_cost_gbp=float(table.placement_cost_gbp[arcs].sum()),
                     transport_cost_gbp=float(table.transport_cost_gbp[arcs].sum()))
        return terms

    def assignments(self) -> pd.DataFrame:
        """One row per child: the provider chosen (missing where unplaced), travel, costs and score."""
        return self._assignments.copy()

    def placed_only_through_uncertain(self) -> np.ndarray:
        """Children (positions) placed through an uncertain journey who had no candidate within the cap."""
        table = self.table
        certain = np.zeros(table.n_children, dtype=bool)
        certain[table.child[~table.uncertain_arcs]] = True
        arcs = self.placed_arcs
        through = table.child[arcs[table.uncertain_arcs[arcs]]]
        return through[~certain[through]]

    @cached_property
    def _assignments(self) -> pd.DataFrame:
        table = self.table
        children = pd.DataFrame({
            "child_id": table.child_ids, "home_council": table.child_council, "primary_need": table.child_need,
            "travel_cap_minutes": (table.child_cap_minutes if table.child_cap_minutes is not None
                                   else np.full(table.n_children, np.nan)),
        })
        arcs = self.placed_arcs
        provider = table.provider[arcs]
        placed = pd.DataFrame({
            "child_id": table.child_ids[table.child[arcs]],
            "provider_id": pd.array(table.provider_ids[provider], dtype="Int64"),
            "kind": table.provider_kind[provider], "host_council": table.provider_council[provider],
            "travel_minutes": table.travel_minutes[arcs], "distance_km": table.distance_km[arcs],
            "placement_cost_gbp": table.placement_cost_gbp[arcs], "transport_cost_gbp": table.transport_cost_gbp[arcs],
            "total_score": table.total_score[arcs], "uncertain_journey": table.uncertain_arcs[arcs],
        })
        frame = children.merge(placed, on="child_id", how="left", sort=False)
        cap = frame.pop("travel_cap_minutes")
        frame.insert(frame.columns.get_loc("distance_km") + 1, "travel_cap_minutes", cap)
        frame["note"] = self._notes()
        return frame

    def _notes(self) -> list[str]:
        """The stability and preference decisions, with whether an honoured preference found room."""
        table = self.table
        notes = [table.notes.get(position, "") for position in range(table.n_children)]
        wished = np.flatnonzero(table.priority == PREFERRED)
        for arc, child in zip(wished.tolist(), table.child[wished].tolist(), strict=True):
            provider_id = table.provider_ids[table.provider[arc]]
            notes[child] = (f"preference {provider_id} honoured" if self.chosen_arc[child] == arc else
                            f"preference {provider_id} not met: its places went to children with stronger claims")
        return notes


def explain_unplaced(table: CandidateTable, families: list[GroupFamily], chosen: np.ndarray,
                     policy: Policy, solved: bool = True) -> pd.DataFrame:
    """Give every unplaced child a reason and a detail a commissioner can act on."""
    unplaced = np.flatnonzero(chosen < 0)
    if not len(unplaced):
        return pd.DataFrame(columns=UNPLACED_COLUMNS)
    if not solved:
        return pd.DataFrame({"child_id": table.child_ids[unplaced], "home_council": table.child_council[unplaced],
                             "primary_need": table.child_need[unplaced], "reason": "no_solution",
                             "detail": "the solver found no allocation within its limits; see the run's status"})
    placed_arcs = chosen[chosen >= 0]
    spare = [family.cap - np.bincount(family.group[placed_arcs][family.group[placed_arcs] >= 0],
                                      minlength=len(family.cap)) for family in families]
    options = np.bincount(table.child, minlength=table.n_children)
    arcs_of = np.split(np.argsort(table.child, kind="stable"), np.cumsum(options)[:-1])
    side_reason = ("budget" if policy.budget_gbp is not None or policy.council_budgets_gbp else
                   "policy_constraint" if policy.max_out_of_area_share is not None else None)
    placed_provider = table.provider[placed_arcs]
    order = np.lexsort((options[table.child[placed_arcs]], placed_provider))
    starts = np.searchsorted(placed_provider[order], np.arange(table.n_providers + 1))
    span = int(options.max(initial=0)) + 1
    # the placed children by provider, then by their options, as one sorted key
    rival_keys = placed_provider[order].astype(np.int64) * span + options[table.child[placed_arcs]][order]
    records = []
    for position in unplaced.tolist():
        arcs = arcs_of[position]
        reason, detail = _reason(table, families, spare, arcs, (starts, rival_keys, span), int(options[position]),
                                 position, side_reason)
        records.append((table.child_ids[position], table.child_council[position], table.child_need[position],
                        reason, detail))
    return pd.DataFrame.from_records(records, columns=UNPLACED_COLUMNS)


def _reason(table: CandidateTable, families: list[GroupFamily], spare: list[np.ndarray], arcs: np.ndarray,
            rivals: tuple[np.ndarray, np.ndarray, int], own_options: int, position: int,
            side_reason: str | None) -> tuple[str, str]:
    if not len(arcs):
        misses = table.near_misses.get(position, [])
        over_cap = [(provider_id, minutes) for provider_id, rule, minutes in misses if rule == "travel_over_cap"]
        if over_cap:
            provider_id, minutes = min(over_cap, key=lambda miss: (miss[1] is None, miss[1] or 0.0))
            journey = f"{minutes:.1f} minutes" if minutes is not None else "not reachable by road"
            return "no_candidate_within_cap", (f"no setting within the travel cap; nearest suitable: {provider_id} "
                                               f"at {journey}")
        nearest = ", ".join(f"{provider_id} ({rule})" for provider_id, rule, _ in misses)
        return "no_candidate", f"no setting passes the hard rules; nearest: {nearest or 'none'}"
    has_room = np.ones(len(arcs), dtype=bool)
    for family, left in zip(families, spare, strict=True):
        group = family.group[arcs]
        has_room &= (group < 0) | (left[np.maximum(group, 0)] > 0)
    if has_room.any() and side_reason:
        words = "the budget" if side_reason == "budget" else "the out-of-area cap"
        return side_reason, f"{int(has_room.sum())} suitable settings had room, but {words} did not allow it"
    full = unique_sorted(table.provider[arcs])
    starts, rival_keys, span = rivals  # the placed children's (provider, options), sorted; where each provider starts
    competing = int((starts[full + 1] - starts[full]).sum())
    fewer = int((np.searchsorted(rival_keys, full.astype(np.int64) * span + own_options) - starts[full]).sum())
    listed = ", ".join(str(table.provider_ids[p]) for p in full[:LISTED_PROVIDERS])
    more = f" and {len(full) - LISTED_PROVIDERS} more" if len(full) > LISTED_PROVIDERS else ""
    settings = "the only suitable setting is full" if len(full) == 1 else f"all {len(full)} suitable settings are full"
    children = "1 child placed there" if competing == 1 else f"{competing} children placed there"
    limits = sorted({family.label[group] for family, left in zip(families[1:], spare[1:], strict=True)
                     for group in family.group[arcs].tolist() if group >= 0 and left[group] <= 0})
    binding = f"; limits reached: {', '.join(limits[:LISTED_PROVIDERS])}" if limits else ""
    return "capacity", (f"{settings} ({listed}{more}){binding}; {children}, {fewer} with fewer options than this "
                        "child")
