"""Alternative provision scenarios: a YAML file naming councils, the AP policy (time limit, returns by term, repeat
referrals) and the places, run term by term for each council (``scenarios.ap_flow``) from SEN2's AP counts.

For each council, the children with EHC plans in AP or a pupil referral unit in January of ``year`` (SEN2's
``ap_pru_total``) are in AP at the start, and the places are those children's (``places_per_child`` of them, plus
``extra_places``). Referrals a term keep that stock steady: the stock over the policy's mean stay in terms, grown by
``referral_growth_per_year`` (by default the council's own change in AP children over the year before, held to
-50%..+100%), spread as whole children (``floor`` of the running total). Returns by term come from the file
(``return_by_term``, a parameter) or from the council's own history of AP placements (``history``, a CSV:
``placement_id, council, started_on, ended_on, outcome`` with outcome ``returned``, ``specialist`` or ``ongoing``).

The results: each council's terms (``ap_terms.csv``) and KPIs with the sub-region's (``ap_kpis.json``): returned
within 1, 2 and 3 terms, the mean terms in AP, places freed, repeat placements, on to specialist, still waiting.
"""

import json
import math
from datetime import date
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.errors import PlacewiseError
from core.vocabulary import Council
from geodata.sen2 import load_placements
from geodata.tables import read_csv_checked
from geodata.yaml_files import read_yaml_mapping
from matcher.child import describe_validation_error
from scenarios.ap_flow import TERMS_FOLLOWED, APPolicy, run_ap_flow

TERM_DAYS = 91  # a school term of 13 weeks: history's dates become terms
TERMS_A_YEAR = 3
OUTCOMES = ("returned", "specialist", "ongoing")


class APScenario(BaseModel):
    """An AP scenario file (see the module)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    data: str = Field(description="A folder laid out like ../shared/data, relative to the file")
    councils: list[Council] = Field(min_length=1, max_length=153)
    year: int = Field(default=2025, ge=2019, le=2025, description="SEN2's January census year of the AP counts")
    terms: int = Field(default=9, ge=1, le=60)
    time_limit_terms: int = Field(default=3, ge=1, le=12)
    return_by_term: list[float] | None = None
    history: str | None = None
    repeat_share: float = Field(default=0.0, ge=0, le=1)
    repeat_after_terms: int = Field(default=2, ge=1, le=12)
    places_per_child: float = Field(default=1.0, gt=0, le=5)
    extra_places: dict[Council, int] = Field(default_factory=dict)
    referral_growth_per_year: float | None = Field(default=None, ge=-0.5, le=1.0)


def load_ap_scenario(path: Path) -> tuple[APScenario, Path]:
    """Read and check an AP scenario file; the scenario and its folder (for relative paths)."""
    document = read_yaml_mapping(Path(path), "AP scenario file not found; check the path", "the AP scenario",
                                 "an AP scenario is a mapping of name, data, councils and the policy")
    try:
        scenario = APScenario.model_validate(document)
    except ValidationError as error:
        raise PlacewiseError(f"{path}: {describe_validation_error(error)}") from None
    if (scenario.return_by_term is None) == (scenario.history is None):
        raise PlacewiseError(f"{path}: give either return_by_term (a parameter) or history (the council's own AP "
                             "placements), not both", field="return_by_term")
    return scenario, Path(path).resolve().parent


def return_shares_from_history(history: pd.DataFrame, time_limit_terms: int, as_of: date) -> tuple[float, ...]:
    """Cumulative shares returned to mainstream within 1..``time_limit_terms`` terms of starting, from past
    placements: for each k, among the placements that started at least k terms before ``as_of``, the share that
    ended ``returned`` within k terms (never falling, as cumulative shares must)."""
    started = pd.to_datetime(history["started_on"])
    ended = pd.to_datetime(history["ended_on"])
    terms_in = ((ended - started).dt.days / TERM_DAYS).apply(lambda days: math.ceil(days) if days == days else None)
    since = (pd.Timestamp(as_of) - started).dt.days / TERM_DAYS
    shares, best = [], 0.0
    for within in range(1, time_limit_terms + 1):
        followed = since >= within
        if not followed.any():
            raise PlacewiseError(f"history: no placement started {within} terms before {as_of.isoformat()}; give "
                                 "return_by_term instead, or a longer history", field="history")
        back = followed & (history["outcome"] == "returned") & (terms_in <= within)
        best = max(best, float(back.sum() / followed.sum()))
        shares.append(round(best, 4))
    return tuple(shares)


def load_history(path: Path) -> pd.DataFrame:
    """A council's AP placements: ``placement_id, council, started_on, ended_on, outcome``; bad rows named, all or
    nothing (no child's details: a placement id only)."""
    table = read_csv_checked(Path(path), ["placement_id", "council", "started_on", "ended_on", "outcome"], dtype=str)
    problems = []
    for number, row in enumerate(table.itertuples(index=False), start=2):
        started = _day(row.started_on)
        ended = _day(row.ended_on) if isinstance(row.ended_on, str) and row.ended_on.strip() else None
        if started is None:
            problems.append(f"row {number}: started_on must be a day, YYYY-MM-DD")
        elif row.outcome not in OUTCOMES:
            problems.append(f"row {number}: outcome must be one of {', '.join(OUTCOMES)}")
        elif (row.outcome == "ongoing") != (ended is None):
            problems.append(f"row {number}: ended_on is given for an ended placement, and only then")
        elif ended is not None and ended < started:
            problems.append(f"row {number}: ended_on is before started_on")
    if problems:
        raise PlacewiseError(f"{path}: " + "; ".join(problems[:10]) + "; nothing was read", field="history")
    return table


def history_flows(history: pd.DataFrame) -> pd.DataFrame:
    """AP flows by council and school year (September to August, ``2025/26``) from a council's own placements: into
    AP (placements begun), back to mainstream and on to specialist provision (placements ended so)."""
    started = pd.to_datetime(history["started_on"])
    ended = pd.to_datetime(history["ended_on"])
    frames = [pd.DataFrame({"council": history["council"], "school_year": _school_year(started), "flow": "into_ap"}),
              pd.DataFrame({"council": history["council"], "school_year": _school_year(ended),
                            "flow": history["outcome"].map({"returned": "back_to_mainstream",
                                                            "specialist": "on_to_specialist"})})]
    rows = pd.concat(frames).dropna()
    table = rows.groupby(["council", "school_year", "flow"]).size().unstack("flow", fill_value=0)
    return table.reindex(columns=["into_ap", "back_to_mainstream", "on_to_specialist"], fill_value=0).astype(int)


def _school_year(days: pd.Series) -> pd.Series:
    start = days.dt.year - (days.dt.month < 9).astype("Int64")
    return start.astype("Int64").astype(str).where(days.notna()) + "/" + ((start + 1) % 100).astype(
        "Int64").astype(str).str.zfill(2)


def _day(text: object) -> date | None:
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        return None


def run_ap_scenario(scenario: APScenario, folder: Path, data_dir: Path | None = None) -> dict:
    """Run the scenario for each council: its terms (a table) and its KPIs, and the sub-region's."""
    data = Path(data_dir) if data_dir is not None else (folder / scenario.data)
    counts = load_placements(data, scenario.year * 100 - 100 + scenario.year % 100)["ap_pru_total"]
    before = load_placements(data, (scenario.year - 1) * 100 - 100 + (scenario.year - 1) % 100)["ap_pru_total"]
    counts, before = counts.groupby(level=0).sum(min_count=1), before.groupby(level=0).sum(min_count=1)
    missing = [council for council in scenario.councils if pd.isna(counts.get(council))]
    if missing:
        raise PlacewiseError(f"councils: SEN2 has no AP count for {', '.join(missing)} in {scenario.year}",
                             field="councils")
    if scenario.history is not None:
        history = load_history(folder / scenario.history)
        as_of = pd.to_datetime(history["ended_on"].dropna()).max().date()
        shares = return_shares_from_history(history, scenario.time_limit_terms, as_of)
    else:
        shares = tuple(scenario.return_by_term or ())
    policy = APPolicy(scenario.time_limit_terms, shares, scenario.repeat_share, scenario.repeat_after_terms)
    frames, councils = [], {}
    for council in scenario.councils:
        stock = int(counts[council])
        growth = scenario.referral_growth_per_year
        if growth is None:
            previous = before.get(council)
            growth = min(max(stock / previous - 1, -0.5), 1.0) if previous and previous == previous else 0.0
        places = math.floor(stock * scenario.places_per_child + 1e-9) + scenario.extra_places.get(council, 0)
        referrals = _referrals(stock / policy.mean_stay_terms(), growth, scenario.terms)
        flow = run_ap_flow(policy, places, referrals, in_ap_at_start=min(stock, places))
        frames.append(flow.terms.assign(council=council))
        councils[council] = {"in_ap_at_start": stock, "places": places, "referral_growth_per_year": round(growth, 3),
                             **flow.kpis}
    return {"name": scenario.name, "policy": {"time_limit_terms": policy.time_limit_terms,
                                              "return_by_term": list(policy.return_by_term),
                                              "source": "history" if scenario.history else "parameter",
                                              "repeat_share": policy.repeat_share,
                                              "repeat_after_terms": policy.repeat_after_terms,
                                              "mean_stay_terms": round(policy.mean_stay_terms(), 3)},
            "sen2_year": scenario.year, "councils": councils, "sub_region": _totals(councils),
            "terms": pd.concat(frames, ignore_index=True)}


def _referrals(per_term: float, growth_per_year: float, terms: int) -> list[int]:
    """Whole referrals a term: the running total's floor, each term's rate grown by the yearly growth."""
    running, made, counts = 0.0, 0, []
    for term in range(terms):
        running += per_term * (1 + growth_per_year) ** (term / TERMS_A_YEAR)
        counts.append(math.floor(running + 1e-9) - made)
        made += counts[-1]
    return counts


def _totals(councils: dict[str, dict]) -> dict:
    """The sub-region's KPIs, from the councils' counts (shares recomputed, never averaged)."""
    added = ("in_ap_at_start", "places", "admitted", "returned", "on_to_specialist", "places_freed",
             "repeat_placements", "waiting_at_end", "terms_in_ap_of_leavers")
    totals: dict = {name: sum(kpis[name] for kpis in councils.values()) for name in added}
    for within in TERMS_FOLLOWED:
        followed = sum(kpis[f"followed_for_{within}_terms"] for kpis in councils.values())
        returned = sum(kpis[f"returned_within_{within}_terms"] for kpis in councils.values())
        totals[f"returned_within_{within}_terms_share"] = round(returned / followed, 3) if followed else None
        totals[f"returned_within_{within}_terms"], totals[f"followed_for_{within}_terms"] = returned, followed
    freed = totals["places_freed"]
    totals["mean_terms_in_ap"] = round(totals["terms_in_ap_of_leavers"] / freed, 3) if freed else None
    return totals


def write_ap_run(result: dict, out: Path) -> None:
    """``ap_terms.csv`` (each council's terms) and ``ap_kpis.json`` (everything else)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    result["terms"].to_csv(out / "ap_terms.csv", index=False)
    (out / "ap_kpis.json").write_text(json.dumps({key: value for key, value in result.items() if key != "terms"},
                                                 indent=2) + "\n", encoding="utf-8")
