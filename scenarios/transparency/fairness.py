"""Fairness monitoring: a run's outcomes by council, need, sex and age group, with large differences flagged.

For each group: children, the share placed, mean travel (minutes each way), mean whole cost (placement and
transport) and the share placed outside the home council. A group of at least ``MIN_GROUP`` children is flagged
where its placed share or out-of-area share is more than ``SHARE_POINTS`` percentage points from the whole run's,
or its mean travel or whole cost more than ``RATIO`` times (or less than 1 / ``RATIO`` of) the whole run's.
Differences are not unfairness by themselves (needs differ in cost, councils in geography): a flag asks a person
to look. Only aggregates leave this module; no child's row does.
"""

import numpy as np
import pandas as pd

MIN_GROUP = 20
SHARE_POINTS = 10.0
RATIO = 1.5
AGE_GROUPS = ((0, 4, "0-4"), (5, 10, "5-10"), (11, 15, "11-15"), (16, 18, "16-18"), (19, 25, "19-25"))
COLUMNS = ("dimension", "group", "children", "placed_share", "travel_minutes_mean", "whole_cost_gbp_mean",
           "out_of_area_share", "flags")


def age_group(age: float) -> str:
    for low, high, label in AGE_GROUPS:
        if low <= age <= high:
            return label
    return "not recorded"


def fairness_table(assignments: pd.DataFrame, cohort: pd.DataFrame) -> pd.DataFrame:
    """One row per group of each dimension, and one for the whole run (``dimension`` all), with flags."""
    frame = assignments.set_index("child_id")
    people = cohort.reindex(frame.index)
    frame = frame.assign(
        sex=people["sex"].fillna("not recorded").astype(str) if "sex" in people else "not recorded",
        age_group=people["age"].map(age_group) if "age" in people else "not recorded",
        placed=frame["provider_id"].notna(),
        whole=frame["placement_cost_gbp"].astype(float) + frame["transport_cost_gbp"].astype(float),
        away=frame["provider_id"].notna() & (frame["host_council"] != frame["home_council"]))
    overall = _figures(frame)
    rows = [{"dimension": "all", "group": "all", **overall, "flags": ""}]
    for dimension, column in (("council", "home_council"), ("need", "primary_need"), ("sex", "sex"),
                              ("age_group", "age_group")):
        order = [label for _, _, label in AGE_GROUPS]
        groups = sorted(frame.groupby(column, sort=True), key=lambda item: order.index(item[0]) if item[0] in
                        order else len(order))
        for group, members in groups:
            figures = _figures(members)
            rows.append({"dimension": dimension, "group": str(group), **figures,
                         "flags": "; ".join(_flags(figures, overall))})
    return pd.DataFrame(rows, columns=list(COLUMNS))


def _figures(frame: pd.DataFrame) -> dict:
    placed = frame[frame["placed"]]
    return {"children": int(len(frame)), "placed_share": float(frame["placed"].mean()) if len(frame) else 0.0,
            "travel_minutes_mean": float(placed["travel_minutes"].mean()) if len(placed) else float("nan"),
            "whole_cost_gbp_mean": float(placed["whole"].mean()) if len(placed) else float("nan"),
            "out_of_area_share": float(placed["away"].mean()) if len(placed) else float("nan")}


def _flags(figures: dict, overall: dict) -> list[str]:
    if figures["children"] < MIN_GROUP:
        return []
    flags = []
    for name, words in (("placed_share", "placed share"), ("out_of_area_share", "out-of-area share")):
        gap = 100 * (figures[name] - overall[name])
        if np.isfinite(gap) and abs(gap) > SHARE_POINTS:
            flags.append(f"{words} {gap:+.0f} points from the whole run's")
    for name, words in (("travel_minutes_mean", "mean travel"), ("whole_cost_gbp_mean", "mean whole cost")):
        ratio = figures[name] / overall[name] if overall[name] else float("nan")
        if np.isfinite(ratio) and (ratio > RATIO or ratio < 1 / RATIO):
            flags.append(f"{words} {ratio:.2f} times the whole run's")
    return flags
