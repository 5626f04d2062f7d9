"""The baseline: each child's setting today ("as is") against the run's proposed one, child by child and in total.

"As is" costs each child's current setting (``current_provider_id``) with the same travel model, costs and five
criteria as the run, and checks it against the same hard rules (``matcher.rules``): where today's placement
breaks one (a journey over the cap, a need the setting is not designated for, an age it does not take), the rule
is named. Then, per child: whether the run keeps the child there or moves it (under the policy's stability rules:
a child stays unless at a phase transfer, ``allow_moves``, or today's setting no longer suits), and why a move is
better, criterion by criterion and in whole cost. The totals compare the two on the same children: whole cost,
journeys, the share outside the home council, suitability and the match score. Places are not part of "as is":
today's children are where they are, whatever a setting's places.
"""

import numpy as np
import pandas as pd

from core.vocabulary import KINDS
from matcher.allocation.result import Allocation
from matcher.costs import CostModel
from matcher.criteria import CRITERIA, criterion_column, score_candidates
from matcher.evaluation import build_children, evaluate
from matcher.policy import Policy
from matcher.provider_index import ProviderIndex
from matcher.rules import REASON_WORDS, REASONS
from matcher.scoring import Scoring
from matcher.travel.protocol import TravelModel
from scenarios.cohort import children_from_frame

BETTER_BY = 0.05  # a criterion a move improves by at least this much is named in the reason
SIDES = ("as_is", "proposed")


def compare_with_today(cohort: pd.DataFrame, index: ProviderIndex, policy: Policy, travel: TravelModel,
                       costs: CostModel, allocation: Allocation) -> pd.DataFrame | None:
    """One row per child placed today at a setting of the run's providers: today's figures beside the proposed,
    the hard rule today's setting breaks (if any), and stay, move or unplaced with the reason; None where no child
    of the cohort has a current setting."""
    if "current_provider_id" not in cohort:
        return None
    current = pd.to_numeric(cohort["current_provider_id"], errors="coerce")
    rows = current.map(lambda urn: index.position.get(int(urn)) if pd.notna(urn) else None)
    known = cohort[rows.notna()]
    if known.empty:
        return None
    block = build_children(children_from_frame(known), policy)
    child = np.arange(len(known))
    provider = rows[rows.notna()].to_numpy(dtype=np.int64)
    today = evaluate(block, index, policy, travel, costs, child, provider)
    scores = score_candidates(Scoring(today), child)
    frame = pd.DataFrame({
        "child_id": known.index.to_numpy(), "home_council": known["home_council"].to_numpy(),
        "current_provider_id": index.provider_id[provider],
        "as_is_kind": np.asarray(KINDS, dtype=object)[index.kind_code[provider]],
        "as_is_host_council": index.host_council[provider], "as_is_travel_minutes": today.travel_minutes,
        "as_is_annual_cost_gbp": today.whole_cost_gbp,
        "as_is_breaks": [REASONS[code] if code else "" for code in today.reason_code],
        **{f"as_is_{name}_score": scores[:, criterion_column(name)] for name in CRITERIA},
        "as_is_total_score": scores @ np.array([policy.normalised_weights()[name] for name in CRITERIA]),
    })
    return _with_proposed(frame, allocation)


def _with_proposed(frame: pd.DataFrame, allocation: Allocation) -> pd.DataFrame:
    table = allocation.table
    position = pd.Series(np.arange(table.n_children), index=table.child_ids)
    arc = allocation.chosen_arc[position.reindex(frame["child_id"]).to_numpy()]
    placed = arc >= 0
    safe = np.where(placed, arc, 0)
    provider = table.provider[safe]

    def chosen(values: np.ndarray) -> np.ndarray:
        return np.where(placed, values[safe], np.nan)

    frame = frame.assign(
        proposed_provider_id=pd.array(np.where(placed, table.provider_ids[provider], 0), dtype="Int64"),
        proposed_host_council=np.where(placed, table.provider_council[provider], None),
        proposed_travel_minutes=chosen(table.travel_minutes),
        proposed_annual_cost_gbp=chosen(table.placement_cost_gbp + table.transport_cost_gbp),
        **{f"proposed_{name}_score": chosen(table.score(name)) for name in CRITERIA},
        proposed_total_score=chosen(table.total_score))
    frame.loc[~placed, "proposed_provider_id"] = pd.NA
    notes = pd.Series(allocation.assignments()["note"].to_numpy(), index=table.child_ids)
    frame["decision"] = np.where(~placed, "unplaced", np.where(
        frame["proposed_provider_id"].to_numpy(dtype=float) == frame["current_provider_id"].to_numpy(dtype=float),
        "stays", "moves"))
    frame["why"] = [_why(row, notes.get(row.child_id, "")) for row in frame.itertuples()]
    return frame


def _why(row: object, note: str) -> str:
    """Why the child stays or moves: today's broken rule, the criteria a move improves, and the cost."""
    decision = row.decision  # type: ignore[attr-defined]
    breaks = row.as_is_breaks  # type: ignore[attr-defined]
    broken = f"today's setting is {REASON_WORDS[breaks]}" if breaks else ""
    if decision == "stays":
        return "stays in today's setting" + (f"; {note}" if note and not note.startswith("stays") else "")
    if decision == "unplaced":
        return "; ".join(part for part in ("no place found in the run", broken) if part)
    better = [f"{name.replace('_', ' ')} {getattr(row, f'as_is_{name}_score'):.2f} to "
              f"{getattr(row, f'proposed_{name}_score'):.2f}" for name in CRITERIA
              if getattr(row, f"proposed_{name}_score") - getattr(row, f"as_is_{name}_score") >= BETTER_BY]
    change = row.proposed_annual_cost_gbp - row.as_is_annual_cost_gbp  # type: ignore[attr-defined]
    cost = f"whole cost £{abs(change):,.0f} a year {'less' if change < 0 else 'more'}"
    reasons = [broken or (note if note.startswith("moves") else ""), "better on " + ", ".join(better) if better else "",
               cost]
    return "moves: " + "; ".join(part.removeprefix("moves: ") for part in reasons if part)


def summarise_baseline(frame: pd.DataFrame, children: int) -> dict:
    """Today's and the proposed figures on the same children, side by side, with how many stay, move, are left
    unplaced, and break each hard rule today (``children``: the whole cohort, for those not in the register)."""
    summary: dict = {"children": int(len(frame)), "not_in_register": int(children - len(frame)),
                     "decisions": {str(k): int(v) for k, v in frame["decision"].value_counts().items()},
                     "as_is_breaks": {str(k): int(v) for k, v in
                                      frame.loc[frame["as_is_breaks"] != "", "as_is_breaks"].value_counts().items()}}
    for side in SIDES:
        placed = frame[frame[f"{side}_travel_minutes"].notna()] if side == "proposed" else frame
        minutes = placed[f"{side}_travel_minutes"].to_numpy(dtype=float)
        minutes = minutes[~np.isnan(minutes)]
        summary[side] = {
            "children": int(len(placed)), "annual_cost_gbp": float(placed[f"{side}_annual_cost_gbp"].sum()),
            "travel_minutes_mean": float(minutes.mean()) if len(minutes) else 0.0,
            "travel_minutes_p95": float(np.percentile(minutes, 95)) if len(minutes) else 0.0,
            "out_of_area_share": float((placed[f"{side}_host_council"] != placed["home_council"]).mean())
            if len(placed) else 0.0,
            "suitability_score_mean": float(placed[f"{side}_suitability_score"].mean()) if len(placed) else 0.0,
            "total_score_mean": float(placed[f"{side}_total_score"].mean()) if len(placed) else 0.0}
    return summary


#: The side-by-side rows, in order, with their words and how to print each.
BASELINE_ROWS = (
    ("children", "Children", "{:,.0f}"), ("annual_cost_gbp", "Whole cost a year", "£{:,.0f}"),
    ("travel_minutes_mean", "Average journey, minutes each way", "{:.1f}"),
    ("travel_minutes_p95", "Longest journeys (1 in 20), minutes", "{:.1f}"),
    ("out_of_area_share", "Share outside their home council", "{:.1%}"),
    ("suitability_score_mean", "Average suitability", "{:.3f}"), ("total_score_mean", "Average match score", "{:.3f}"),
)


def baseline_rows(summary: dict) -> list[tuple[str, str, str]]:
    """(words, as is, proposed) for people, from a run's ``kpis["baseline"]``."""
    return [(words, form.format(summary["as_is"][name]), form.format(summary["proposed"][name]))
            for name, words, form in BASELINE_ROWS]
