"""A capacity plan and a sweep as a job keeps them: the sites chosen (where, whom each serves, by council and need),
the candidates, the flows of children by council, the totals with capital and payback, and the sweep's site
frequencies explained against the single plan's choice, with the numbers."""

import pandas as pd

from matcher.precision import round_record
from scenarios.finance import CAPITAL_COST_PER_PLACE_GBP, capital_and_payback
from scenarios.planning_run import PlanRun
from scenarios.sweep import SweepResult


def summarise_plan(run: PlanRun, capital_per_place_gbp: float = CAPITAL_COST_PER_PLACE_GBP) -> dict:
    """The plan's figures, sites and flows, JSON-ready and rounded as the output contract says."""
    plan, instance = run.plan, run.instance
    flows = plan.flows.join(instance.demand[["council", "need"]], on="demand_id")
    sited = flows[flows["kind"] == "site"]
    sites = []
    for site in plan.sites:
        row, served = instance.sites.loc[site], sited[sited["facility_id"] == site]
        sites.append({"site_id": str(site), "name": str(row["name"]), "easting": float(row["easting"]),
                      "northing": float(row["northing"]), "places": int(row["places"]),
                      "fixed_cost_gbp": float(row["fixed_cost_gbp"]), "place_cost_gbp": float(row["place_cost_gbp"]),
                      "children": int(served["children"].sum()),
                      "by_council": {str(k): int(v) for k, v in served.groupby("council")["children"].sum().items()},
                      "by_need": {str(k): int(v) for k, v in served.groupby("need")["children"].sum().items()},
                      "travel_minutes_mean": float((served["travel_minutes"] * served["children"]).sum()
                                                   / max(served["children"].sum(), 1))})
    traffic = flows.groupby(["council", "facility_id", "kind"])["children"].sum().reset_index()
    new_places = sum(int(site["places"]) for site in sites)  # type: ignore[call-overload]
    spec = run.scenario.plan
    summary = {
        "name": run.scenario.name, "councils": list(run.scenario.councils),
        "needs": list(spec.needs) if spec else [], "year": spec.year if spec else None,
        "max_sites": spec.max_sites if spec else None, "cap_minutes": spec.cap_minutes if spec else None,
        "status": plan.status, "search": plan.search, "children": int(instance.demand["children"].sum()),
        "forecast": run.forecast is not None,
        "total_cost_gbp": plan.total_cost_gbp, "baseline_cost_gbp": plan.baseline_cost_gbp,
        "saving_gbp": plan.saving_gbp, "placed_locally": plan.placed_locally,
        "fallback_children": plan.fallback_children, "baseline_fallback_children": plan.baseline_fallback_children,
        "fallback_cost_gbp": instance.fallback_cost_gbp, "sites": sites,
        "candidates": [{"site_id": str(site), "name": str(row["name"]), "easting": float(row["easting"]),
                        "northing": float(row["northing"])} for site, row in instance.sites.iterrows()],
        "flows": [{"council": str(row.council), "facility_id": str(row.facility_id), "kind": str(row.kind),
                   "children": float(row.children)} for row in traffic.itertuples()],
        "capital": capital_and_payback(new_places, plan.saving_gbp, capital_per_place_gbp)}
    return round_record(summary)  # type: ignore[return-value]


def summarise_sweep(result: SweepResult, plan: dict) -> dict:
    """The sweep's spread and site frequencies, and why the single plan's sites differ from the sweep's most
    chosen: how often each of the plan's sites is chosen in all variants and in those with the plan's own limits
    (sites and journey cap), the plan resting on the central forecast and the variants on draws from its range."""
    variants = result.variants
    names = {site["site_id"]: site["name"] for site in plan["candidates"]}
    same = variants[(variants["max_sites"] == plan["max_sites"]) & (variants["cap_minutes"] == plan["cap_minutes"])]
    chosen = same["sites"].str.split(";").explode()
    same_frequency = (chosen[chosen != ""].value_counts() / max(len(same), 1)) if len(same) else pd.Series(dtype=float)
    planned = [site["site_id"] for site in plan["sites"]]
    top = [str(site) for site in result.site_frequency.head(15).index]
    spread = variants[["total_cost_gbp", "fallback_children", "n_sites"]].quantile([0.05, 0.5, 0.95])
    return round_record({
        "variants": len(variants), "same_limits": len(same), "stopped": result.stopped,
        "frequency": [{"site_id": site, "name": names.get(site, site),
                       "share": float(result.site_frequency.get(site, 0.0)),
                       "share_same_limits": float(same_frequency.get(site, 0.0)), "in_plan": site in planned}
                      for site in dict.fromkeys([*planned, *top])],
        "spread": {str(key): {name: float(value) for name, value in row.items()}
                   for key, row in spread.T.to_dict().items()},
        "median_sites": float(variants["n_sites"].median())})  # type: ignore[return-value]
