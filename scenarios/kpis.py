"""Key figures of a scenario run, and the side-by-side comparison of two runs."""

import numpy as np
import pandas as pd

from core.errors import PlacewiseError
from core.vocabulary import KINDS, MAINSTREAM_KINDS, SPECIAL_KINDS
from matcher.allocation.result import Allocation
from matcher.costs import CostModel
from scenarios.calibration import Sen2Reference, summarise_truth

INDEPENDENT_KINDS = ("independent_special", "non_maintained_special")
#: The KPIs ``compare`` shows, in order, with how to print each.
HEADLINE = (
    ("children", "{:,.0f}"), ("placed", "{:,.0f}"), ("unplaced", "{:,.0f}"),
    ("travel_minutes_mean", "{:.1f}"), ("travel_minutes_p95", "{:.1f}"),
    ("annual_cost_gbp", "£{:,.0f}"), ("placement_cost_gbp", "£{:,.0f}"), ("transport_cost_gbp", "£{:,.0f}"),
    ("independent_share", "{:.1%}"), ("mainstream_share", "{:.1%}"), ("special_state_share", "{:.1%}"),
    ("out_of_area_share", "{:.1%}"), ("mean_score", "{:.3f}"),
)

#: Each headline KPI in words, for reports, pages and the command line.
KPI_WORDS = {
    "children": "Children", "placed": "Children placed", "unplaced": "Children not placed",
    "travel_minutes_mean": "Average journey, minutes each way", "travel_minutes_p95": "Longest journeys (1 in 20), "
    "minutes", "annual_cost_gbp": "Whole cost a year", "placement_cost_gbp": "Placements a year",
    "transport_cost_gbp": "Transport a year", "independent_share": "Share in independent or non-maintained special "
    "schools", "mainstream_share": "Share in mainstream settings", "special_state_share": "Share in state special "
    "schools", "out_of_area_share": "Share placed outside their home council", "mean_score": "Average match score",
}
assert set(KPI_WORDS) == {name for name, _ in HEADLINE}


def compute_kpis(allocation: Allocation, cohort: pd.DataFrame, providers: pd.DataFrame | None = None,
                 reference: Sen2Reference | None = None) -> dict:
    """Children placed and unplaced (by reason), travel, cost split, mix of settings, out-of-area by council; for a
    cohort drawn from SEN2 (``drawn_as``), the measures of ``scenarios.calibration`` against ``reference``."""
    rows = allocation.assignments()
    placed = rows.dropna(subset=["provider_id"])
    count = max(len(placed), 1)
    minutes = placed["travel_minutes"].to_numpy(dtype=float)
    out_of_area = placed["host_council"] != placed["home_council"]
    by_council = {}
    for council, group in rows.groupby("home_council"):
        council_placed = group.dropna(subset=["provider_id"])
        by_council[str(council)] = {
            "children": int(len(group)), "placed": int(len(council_placed)),
            "out_of_area_share": float((council_placed["host_council"] != council).mean()) if len(council_placed)
            else 0.0,
            "annual_cost_gbp": float((council_placed["placement_cost_gbp"] + council_placed["transport_cost_gbp"]
                                      ).sum()),
        }
    objective = allocation.objective()
    kpis = {
        "children": int(len(rows)), "placed": int(len(placed)), "unplaced": int(len(rows) - len(placed)),
        "unplaced_by_reason": {str(k): int(v) for k, v in allocation.unplaced["reason"].value_counts().items()},
        "travel_minutes_mean": float(minutes.mean()) if len(minutes) else 0.0,
        "travel_minutes_p95": float(np.percentile(minutes, 95)) if len(minutes) else 0.0,
        "placement_cost_gbp": objective["placement_cost_gbp"], "transport_cost_gbp": objective["transport_cost_gbp"],
        "annual_cost_gbp": objective["placement_cost_gbp"] + objective["transport_cost_gbp"],
        "independent_share": float(placed["kind"].isin(INDEPENDENT_KINDS).sum() / count),
        "mainstream_share": float(placed["kind"].isin(MAINSTREAM_KINDS).sum() / count),
        "special_state_share": float((placed["kind"].isin(SPECIAL_KINDS)
                                      & ~placed["kind"].isin(INDEPENDENT_KINDS)).sum() / count),
        "out_of_area_share": float(out_of_area.mean()) if len(placed) else 0.0,
        "mean_score": float(placed["total_score"].mean()) if len(placed) else 0.0,
        "preferences_honoured": int(objective["preferences_honoured"]),
        "by_council": by_council,
        "solver": {"method": allocation.method, "status": allocation.status, "gap": allocation.gap,
                   "wall_seconds": round(allocation.wall_seconds, 3), **allocation.parameters},
    }
    if "placement_type" in cohort and cohort["placement_type"].isin(KINDS).all():
        kpis["calibration"] = calibration_table(rows, cohort["placement_type"])
    if "drawn_as" in cohort and cohort["drawn_as"].isin(KINDS).all() and providers is not None:
        kpis["truth"] = summarise_truth(rows, cohort, providers["residential"], reference)
    kpis["journeys"] = journey_kpis(rows, allocation)
    return kpis


#: Journey thresholds the KPIs count children over: the statutory guidance's 45 and 75 minutes, and 80 km by road.
JOURNEY_MINUTES_THRESHOLDS = (45, 75)
JOURNEY_KM_THRESHOLD = 80


def journey_figures(placed: pd.DataFrame) -> dict:
    """The journeys of placed children (rows of an allocation's assignments): p50/p90/p95 minutes and km, the
    shares over 45 and 75 minutes and over 80 km, and the share over each child's own cap (on the central
    estimate, as ``travel_minutes`` is)."""
    minutes = placed["travel_minutes"].to_numpy(dtype=float)
    km = placed["distance_km"].to_numpy(dtype=float)
    figures: dict = {"placed": int(len(placed))}
    if not len(placed):
        return figures
    for name, values in (("minutes", minutes), ("km", km)):
        for percentile in (50, 90, 95):
            figures[f"travel_{name}_p{percentile}" if name == "minutes" else f"distance_km_p{percentile}"] = float(
                np.percentile(values, percentile))
    for threshold in JOURNEY_MINUTES_THRESHOLDS:
        figures[f"share_over_{threshold}_minutes"] = float(np.mean(minutes > threshold))
    figures[f"share_over_{JOURNEY_KM_THRESHOLD}_km"] = float(np.mean(km > JOURNEY_KM_THRESHOLD))
    if "travel_cap_minutes" in placed:
        figures["share_over_cap"] = float(np.mean(minutes > placed["travel_cap_minutes"].to_numpy(dtype=float)))
    if "uncertain_journey" in placed:
        figures["placed_through_uncertain_journey"] = int(placed["uncertain_journey"].astype(bool).sum())
    return figures


def transport_against_s251(assignments: pd.DataFrame, costs: CostModel) -> dict:
    """Each home council's modelled transport cost for the run's placed children beside its s251 SEN transport
    spend, with the counts that spend rests on (``scenarios.transport_calibration``): the ratio, and the ratio at
    the run's share (the spend times the run's children over the eligible children); then the median council, the
    share of councils within 0.5-2.0, and all the councils together."""
    evidence = costs.transport_evidence
    if evidence is None:
        return {"note": "no s251 spend loaded (the embedded demo): nothing to compare with"}
    modelled = assignments.dropna(subset=["provider_id"]).groupby("home_council")["transport_cost_gbp"].sum()
    children = assignments.groupby("home_council").size()
    councils = [council for council in children.index if council in evidence.index]
    by_council = {}
    for council in councils:
        row = evidence.loc[council]
        spend, eligible = float(row["spend_gbp"]), float(row["eligible"])
        cost = float(modelled.get(council, 0.0))
        by_council[str(council)] = {
            "modelled_gbp": cost, "s251_gbp": spend, "ratio": cost / spend, "eligible": int(eligible),
            "run_children": int(children[council]), "ratio_at_run_share": cost / (spend * children[council] /
                                                                                  eligible),
            "average_journey_gbp": float(costs.transport_for(np.array([council]))[0]),
            "average_journey_km": float(costs.journey_km_for(np.array([council]))[0]), "spend_per_child": str(
                row["used"])}
    if not by_council:
        return {"note": "none of the run's councils has s251 transport spend", "by_council": {}}
    ratios = np.array([row["ratio"] for row in by_council.values()])
    return {"median_ratio": float(np.median(ratios)),
            "share_within_0_5_to_2": float(np.mean((ratios >= 0.5) & (ratios <= 2.0))),
            "overall_ratio": float(sum(row["modelled_gbp"] for row in by_council.values())
                                   / sum(row["s251_gbp"] for row in by_council.values())),
            "exponent": costs.transport_exponent, "by_council": by_council}


def journey_kpis(assignments: pd.DataFrame, allocation: Allocation) -> dict:
    """The journeys overall and by home council (``journey_figures``), with the children placed only through an
    uncertain journey (over the cap, kept as a flagged exception, with no candidate within it)."""
    placed = assignments.dropna(subset=["provider_id"])
    only = allocation.placed_only_through_uncertain()
    only_council = pd.Series(allocation.table.child_council[only], dtype=object).value_counts()
    by_council = {}
    for council, group in placed.groupby("home_council"):
        by_council[str(council)] = {**journey_figures(group),
                                    "placed_only_through_uncertain_journey": int(only_council.get(council, 0))}
    return {**journey_figures(placed), "placed_only_through_uncertain_journey": int(len(only)),
            "by_council": by_council}


#: The groups a calibration compares, each a set of provider kinds (``unplaced`` is the rest).
CALIBRATION_GROUPS = {
    "independent_and_non_maintained_special": INDEPENDENT_KINDS,
    "state_special": tuple(kind for kind in SPECIAL_KINDS if kind not in INDEPENDENT_KINDS),
    "mainstream_with_resourced_provision_and_units": MAINSTREAM_KINDS,
}


def calibration_table(assignments: pd.DataFrame, placement_type: pd.Series) -> dict:
    """The run's shares of all its children by group of setting (and unplaced) beside SEN2's for the same
    children (where SEN2 places them today), in percentage points apart."""
    kinds = assignments["kind"].where(assignments["provider_id"].notna())
    run = {group: float(kinds.isin(members).mean()) for group, members in CALIBRATION_GROUPS.items()}
    grouped = [kind for members in CALIBRATION_GROUPS.values() for kind in members]
    run["other_settings"] = float((kinds.notna() & ~kinds.isin(grouped)).mean())
    run["unplaced"] = float(kinds.isna().mean())
    sen2 = {group: float(placement_type.isin(members).mean()) for group, members in CALIBRATION_GROUPS.items()}
    sen2["other_settings"] = float((~placement_type.isin(grouped)).mean())
    sen2["unplaced"] = 0.0
    return {"note": "shares of all the run's children, beside where SEN2 (January 2025) counts the same children "
                    "placed today",
            "rows": [{"group": group, "run_share": run[group], "sen2_share": sen2[group],
                      "difference_points": round(100 * (run[group] - sen2[group]), 2)} for group in run]}


def compare_kpis(first: dict, second: dict) -> list[tuple[str, str, str, str]]:
    """Rows of (KPI, first, second, difference) for the headline figures, formatted for people (differences of
    shares in percentage points)."""
    rows = []
    for name, form in HEADLINE:
        a, b = first.get(name), second.get(name)
        if a is None or b is None:
            continue
        if not all(isinstance(value, int | float) and not isinstance(value, bool) for value in (a, b)):
            raise PlacewiseError(f"kpis.json: {name} is not a number in both runs; run the scenarios again")
        difference = b - a
        sign = "+" if difference > 0 else ""
        if name.endswith("_share"):  # a difference of two shares is in percentage points, not a percentage
            shown = f"{100 * difference:+.1f} points" if round(100 * difference, 1) else "0.0 points"
        else:
            shown = sign + form.format(difference).replace("£-", "-£")
        rows.append((name, form.format(a), form.format(b), shown))
    return rows
