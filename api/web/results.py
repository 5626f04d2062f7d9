"""A finished scenario job's results and two runs compared, shaped for people: councils and settings by name,
KPIs in words, the unplaced with their reasons, the cost of each extra child placed."""

import pandas as pd

from api.service.register import RegisterView
from api.service.run_records import run_name
from api.service.store.models import Job
from matcher.rules import REASON_WORDS as RULE_WORDS
from scenarios.kpis import HEADLINE, KPI_WORDS
from scenarios.reports.names import change_words, rules_worded, settings_named

REASON_WORDS = {"no_candidate": "No setting passes the rules", "capacity": "Suitable settings are full",
                "budget": "The budget did not allow it", "policy_constraint": "A policy limit did not allow it",
                "no_solution": "The solver found no allocation"}
UNPLACED_SHOWN = 100


def _names(view: RegisterView) -> dict[int, str]:
    return {int(urn): str(name) for urn, name in view.inputs.providers["name"].items()}


def results_frames(view: RegisterView, job: Job) -> dict[str, pd.DataFrame]:
    """The job's results as tables with names: KPIs, by council, the allocation, the unplaced."""
    result, names = job.result or {}, _names(view)
    kpis = result.get("kpis", {})
    headline = pd.DataFrame([{"figure": KPI_WORDS[name], "value": form.format(kpis[name])}
                             for name, form in HEADLINE if isinstance(kpis.get(name), int | float)])
    councils = pd.DataFrame([{"council": view.council_name(code), "code": code, "children": row["children"],
                              "placed": row["placed"], "share placed outside the council": row["out_of_area_share"],
                              "whole cost a year £": row["annual_cost_gbp"]}
                             for code, row in kpis.get("by_council", {}).items()])
    allocation = pd.DataFrame(result.get("allocation", []), columns=["child_id", "home_council", "provider_id",
                                                                      "travel_minutes"])
    providers = view.inputs.providers
    placed = allocation["provider_id"].fillna(-1).astype(int)
    allocation = allocation.assign(
        provider_id=placed.where(placed >= 0), setting=placed.map(names),
        host_council=placed.map(providers["host_council"]), council=allocation["home_council"].map(view.council_name))
    unplaced = pd.DataFrame(result.get("unplaced", []))
    if len(unplaced):
        unplaced = unplaced.assign(
            council=unplaced.get("home_council", pd.Series(dtype=str)).map(view.council_name),
            why=unplaced["reason"].map(lambda reason: REASON_WORDS.get(str(reason), str(reason))),
            detail=unplaced.get("detail", pd.Series("", index=unplaced.index)).fillna("").map(
                lambda text: rules_worded(settings_named(str(text), names), RULE_WORDS)))
    return {"Key figures": headline, "By council": councils, "Allocation": allocation, "Unplaced": unplaced}


def results_view(view: RegisterView, job: Job) -> dict:
    frames = results_frames(view, job)
    unplaced = frames["Unplaced"]
    spec = job.spec or {}
    return {"headline": frames["Key figures"].to_dict("records"), "by_council": frames["By council"].to_dict("records"),
            "unplaced": unplaced.head(UNPLACED_SHOWN).to_dict("records") if len(unplaced) else [],
            "unplaced_count": len(unplaced), "changes": [change_words(delta, _names(view))
                                                         for delta in spec.get("deltas") or []],
            "councils": ", ".join(view.council_name(code) for code in job.councils),
            "solver": (job.result or {}).get("kpis", {}).get("solver", {})}


def comparison(view: RegisterView, first: Job, second: Job, rows: list[dict]) -> dict:
    """Two runs side by side: headline KPIs, per council differences, what changed, and the cost of each extra
    child placed (the difference in whole cost over the difference in children placed)."""
    names = _names(view)
    kpis = [(job.result or {}).get("kpis", {}) for job in (first, second)]
    councils = []
    for code in dict.fromkeys([*kpis[0].get("by_council", {}), *kpis[1].get("by_council", {})]):
        one, two = (figures.get("by_council", {}).get(code, {}) for figures in kpis)
        councils.append({"council": view.council_name(code), **{
            key: (one.get(key), two.get(key), (two.get(key) or 0) - (one.get(key) or 0))
            for key in ("children", "placed", "out_of_area_share", "annual_cost_gbp")}})
    extra = kpis[1].get("placed", 0) - kpis[0].get("placed", 0)
    more_cost = kpis[1].get("annual_cost_gbp", 0) - kpis[0].get("annual_cost_gbp", 0)
    changes = [[change_words(delta, names) for delta in (job.spec or {}).get("deltas") or []]
               for job in (first, second)]
    policy = [(job.spec or {}).get("policy") or {} for job in (first, second)]
    policy_changes = [f"{key.replace('_', ' ')}: {policy[0].get(key, 'default')} → {policy[1].get(key, 'default')}"
                      for key in sorted(set(policy[0]) | set(policy[1])) if policy[0].get(key) != policy[1].get(key)]
    return {"first": first, "second": second, "names": [run_name(job) for job in (first, second)],
            "rows": [{**row, "words": KPI_WORDS.get(row["kpi"], row["kpi"])} for row in rows], "councils": councils,
            "changes": changes, "policy_changes": policy_changes, "extra_placed": extra, "extra_cost": more_cost,
            "cost_per_extra_child": more_cost / extra if extra > 0 else None}
