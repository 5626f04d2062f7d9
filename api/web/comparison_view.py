"""Two runs compared, for people and for a download: headline figures with units, by council, what changed, the
cost of each extra child placed, the capital cost of new places with its payback, and the difference decomposed by
change where a decomposition has been run ("of the £X, £Y comes from the closure")."""

import pandas as pd

from api.platform.store.models import Job
from api.records.register import RegisterView
from api.records.run_records import run_name
from api.web.results import cost_basis_frame, kpi_number, kpi_unit
from scenarios.finance import capital_and_payback, new_places
from scenarios.kpis import KPI_WORDS
from scenarios.reports.charts import paired_bars
from scenarios.reports.names import change_words

#: The decomposition's figures in words and units, for the page and the download.
DECOMPOSED = (("annual_cost_gbp", "Whole cost a year", "£"), ("placed", "Children placed", "children"),
              ("transport_cost_gbp", "Transport a year", "£"), ("travel_minutes_mean", "Average journey", "minutes"),
              ("out_of_area_share", "Placed outside their council", "points"))


def _names(view: RegisterView) -> dict[int, str]:
    return {int(urn): str(name) for urn, name in view.inputs.providers["name"].items()}


def _only_second(first: list, second: list) -> list:
    spare = list(first)
    extra = []
    for delta in second:
        if delta in spare:
            spare.remove(delta)
        else:
            extra.append(delta)
    return extra


def comparison(view: RegisterView, first: Job, second: Job, rows: list[dict], per_place_gbp: float,
               decomposition: Job | None = None) -> dict:
    """Two runs side by side: headline KPIs, per council differences, what changed, the cost of each extra child
    placed (the difference in whole cost over the difference in children placed), the capital of new places and
    its payback, and the decomposition by change where one has succeeded."""
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
    deltas = [list((job.spec or {}).get("deltas") or []) for job in (first, second)]
    changes = [[change_words(delta, names) for delta in job_deltas] for job_deltas in deltas]
    policy = [(job.spec or {}).get("policy") or {} for job in (first, second)]
    policy_changes = [f"{key.replace('_', ' ')}: {policy[0].get(key, 'default')} → {policy[1].get(key, 'default')}"
                      for key in sorted(set(policy[0]) | set(policy[1])) if policy[0].get(key) != policy[1].get(key)]
    capital = capital_and_payback(new_places(_only_second(deltas[0], deltas[1])), -more_cost, per_place_gbp)
    return {"first": first, "second": second, "names": [run_name(job) for job in (first, second)],
            "rows": [{**row, "words": KPI_WORDS.get(row["kpi"], row["kpi"])} for row in rows], "councils": councils,
            "changes": changes, "policy_changes": policy_changes, "extra_placed": extra, "extra_cost": more_cost,
            "cost_per_extra_child": more_cost / extra if extra > 0 else None, "capital": capital,
            "decomposition_job": decomposition,
            "chart": _cost_chart(councils, [run_name(job) for job in (first, second)]),
            "decomposition": decomposition_view(decomposition) if decomposition is not None else None}


def _cost_chart(councils: list[dict], names: list[str]) -> dict | None:
    """Side-by-side bars of the two runs' whole cost a year by home council, with its words."""
    if not councils:
        return None
    labels = names if names[0] != names[1] else ["First run", "Second run"]
    table = pd.DataFrame({labels[0]: [(row["annual_cost_gbp"][0] or 0) / 1e6 for row in councils],
                          labels[1]: [(row["annual_cost_gbp"][1] or 0) / 1e6 for row in councils]},
                         index=[row["council"] for row in councils])
    words = "; ".join(f"{council}: £{one:,.1f} million, then £{two:,.1f} million"
                      for council, (one, two) in zip(table.index, table.to_numpy(), strict=True))
    return {"image": paired_bars(table, "Whole cost a year by home council", "£ million a year"),
            "words": f"Whole cost a year by home council, first run then second: {words}"}


def decomposition_view(job: Job) -> dict | None:
    """A succeeded decomposition in words: each change's pounds and children alone and in order, and sentences
    "of the £X, £Y comes from ..."."""
    found = (job.result or {}).get("decomposition") if job.status == "succeeded" else None
    if not found:
        return None
    total = found["total"]["annual_cost_gbp"]
    sentences = [f"Of the {_signed(total)} a year, {_signed(row['in_order']['annual_cost_gbp'])} comes from this "
                 f"change: {row['change']}" for row in found["rows"]]
    explained = sum(row["in_order"]["annual_cost_gbp"] for row in found["rows"])
    return {**found, "sentences": sentences, "explained": explained, "figures": DECOMPOSED}


def _decomposed(name: str, value: float) -> float | int:
    """A decomposed difference as a download holds it: shares in points (0.1), pounds and children whole."""
    if name.endswith("_share"):
        return round(100 * value, 1)
    return round(value, 1) if name.endswith("_mean") else int(round(value))


def _signed(pounds: float) -> str:
    return f"-£{-pounds:,.0f}" if pounds < 0 else f"£{pounds:,.0f}"


def comparison_frames(view: RegisterView, compared: dict, bases: list[dict | None]) -> dict[str, pd.DataFrame]:
    """The comparison as tables with numbers as numbers and units: key figures, by council, changes, the
    decomposition, capital and payback, and each run's cost basis."""
    first, second = (compared[key].result.get("kpis", {}) for key in ("first", "second"))
    key_figures = pd.DataFrame([{
        "figure": row["words"], "first": kpi_number(row["kpi"], row["first"]),
        "second": kpi_number(row["kpi"], row["second"]),
        "difference": round(kpi_number(row["kpi"], row["second"]) - kpi_number(row["kpi"], row["first"]), 3),
        "unit": kpi_unit(row["kpi"]) if not row["kpi"].endswith("_share") else "% (difference in points)"}
        for row in compared["rows"]], columns=["figure", "first", "second", "difference", "unit"])
    councils = pd.DataFrame([{
        "council": row["council"], "placed, first (children)": row["placed"][0],
        "placed, second (children)": row["placed"][1], "placed, difference (children)": row["placed"][2],
        "outside the council, difference (points)": round(100 * row["out_of_area_share"][2], 1),
        "whole cost a year, difference (£)": round(row["annual_cost_gbp"][2])} for row in compared["councils"]])
    changes = pd.DataFrame([{"run": compared["names"][number], "change": words}
                            for number, words_list in enumerate(compared["changes"]) for words in words_list]
                           + [{"run": "policy", "change": words} for words in compared["policy_changes"]],
                           columns=["run", "change"])
    frames = {"Key figures": key_figures, "By council": councils, "Changes": changes}
    found = compared.get("decomposition")
    if found:
        rows = [(row["change"], row["alone"], row["in_order"]) for row in found["rows"]]
        rows += [("Total difference", None, found["total"]),
                 ("Unexplained: a re-run of the second scenario less the stored second run", None,
                  found["unexplained"])]
        frames["Decomposition"] = pd.DataFrame([{"change": change, **{
            f"{words}, {how} ({unit})": _decomposed(name, figures[name]) if figures else None
            for name, words, unit in DECOMPOSED for how, figures in (("alone", alone), ("in order", in_order))}}
            for change, alone, in_order in rows])
    if compared.get("capital"):
        capital = compared["capital"]
        frames["Capital and payback"] = pd.DataFrame([
            {"item": "New places", "value": capital["places"], "unit": "places", "note": ""},
            {"item": "Capital cost a place", "value": round(capital["per_place_gbp"]), "unit": "£",
             "note": capital["source"]},
            {"item": "Capital cost", "value": round(capital["capital_gbp"]), "unit": "£", "note": ""},
            {"item": "Saving a year", "value": round(capital["annual_saving_gbp"]), "unit": "£ a year", "note": ""},
            {"item": "Payback", "value": round(capital["payback_years"], 1) if capital["payback_years"] else None,
             "unit": "years", "note": "" if capital["payback_years"] else "no saving: no payback in money"}])
    for number, basis in enumerate(bases):
        frames[f"Cost basis, run {number + 1}"] = cost_basis_frame(basis)
    return frames
