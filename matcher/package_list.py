"""The package list: every setting within reach that can deliver a child's packages, each with its reason.

The list is what the council gives the family to choose from (the 2026 White Paper's list of settings able to
deliver the child's Specialist Provision Packages). It is built on the engine's own evaluation
(``matcher.candidates.evaluate_child``: the hard rules of ``matcher.rules``, travel, costs) and scores
(``score_evaluation``); a setting is on it when it passes every hard rule and the capability table says it can
deliver every one of the child's packages. Its order is stable and deliberately not a ranking (by name, then URN):
the ranked shortlist stays beside it as advice. The parents' named settings are weighed as the statute asks:
whether each can deliver the packages, its whole cost above the best-ranked setting on the list, and the
efficient-use test (``Policy.preference_cost_limit_gbp``).
"""

from collections import defaultdict

import numpy as np
import pandas as pd

from core.errors import PlacewiseError
from core.vocabulary import KIND_WORDS, KINDS
from matcher.candidates import evaluate_child, score_evaluation
from matcher.child import Child
from matcher.criteria import CRITERIA, explain
from matcher.packages import Catalogue, check_child_packages
from matcher.scoring import Scoring
from matcher.shortlist import Shortlister

ORDER_WORDS = "alphabetical by setting name, then URN: the list is not a ranking (the shortlist beside it is advice)"
MAX_NOT_LISTED = 10


def package_list(shortlister: Shortlister, child: Child, catalogue: Catalogue, capability: pd.DataFrame,
                 k: int = 10) -> dict:
    """The package list of a located child, the ranked shortlist beside it, and the parents' preferences weighed.

    Raises:
        PlacewiseError: the child has no packages, or names one the catalogue does not hold.
    """
    if not child.packages:
        raise PlacewiseError("packages: give the child's Specialist Provision Packages (ids of the catalogue)")
    check_child_packages(catalogue, child.packages)
    if child.easting is None or child.northing is None:
        raise PlacewiseError("child: locate the child first (easting/northing from home_lsoa)")
    able: dict[int, dict[str, tuple[int, str, str]]] = defaultdict(dict)
    for row in capability.itertuples(index=False):
        able[int(row.provider_id)][str(row.package)] = (int(row.places), str(row.source), str(row.reason))
    policy = shortlister.policy
    checked = evaluate_child(child, shortlister.index, policy, shortlister.travel, shortlister.costs)
    evaluation = checked.evaluation
    pairs, scores, total = score_evaluation(evaluation, policy)
    rank = np.empty(len(pairs), dtype=np.int64)
    order = np.lexsort((evaluation.index.provider_id[evaluation.provider[pairs]], evaluation.travel.minutes[pairs],
                        -total))
    rank[order] = np.arange(1, len(pairs) + 1)
    scoring = Scoring(evaluation)
    listed, not_listed = [], []
    for at, pair in enumerate(pairs.tolist()):
        provider_id = int(evaluation.index.provider_id[evaluation.provider[pair]])
        missing = [package for package in child.packages if package not in able.get(provider_id, {})]
        if missing:
            not_listed.append((float(evaluation.travel.minutes[pair]), provider_id, pair, missing))
            continue
        listed.append(_entry(scoring, pair, int(rank[at]), scores[at], float(total[at]), child, catalogue,
                             able[provider_id]))
    listed.sort(key=lambda entry: (entry["name"].casefold(), entry["provider_id"]))
    not_listed.sort()
    return {
        "child_id": child.child_id,
        "packages": [catalogue.package(package).model_dump(mode="json") for package in child.packages],
        "catalogue": {"source": catalogue.source, "illustrative": catalogue.illustrative},
        "order": ORDER_WORDS,
        "settings": listed,
        "not_listed": [{"provider_id": provider_id, "name": str(evaluation.index.name[evaluation.provider[pair]]),
                        "reason": "cannot deliver " + ", ".join(catalogue.package(p).name for p in missing)
                        + " (capability table)"}
                       for _, provider_id, pair, missing in not_listed[:MAX_NOT_LISTED]],
        "warnings": _level_warnings(child, catalogue),
        "preferences": weigh_preferences(child, listed, policy.preference_cost_limit_gbp),
        "shortlist": shortlister.shortlist(child, k).to_dict(),
    }


def _entry(scoring: Scoring, pair: int, rank: int, scores: np.ndarray, total: float, child: Child,
           catalogue: Catalogue, able: dict[str, tuple[int, str, str]]) -> dict:
    evaluation = scoring.evaluation
    row, index = evaluation.provider[pair], evaluation.index
    kind = KINDS[index.kind_code[row]]
    minutes, cap = float(evaluation.travel.minutes[pair]), float(evaluation.cap_minutes[pair])
    placement, transport = float(evaluation.placement_cost_gbp[pair]), float(evaluation.transport_cost_gbp[pair])
    priced = bool(evaluation.price_band[pair]) if evaluation.price_band is not None else False
    band = float(evaluation.band_gbp[pair]) - transport  # the price band itself (the evaluation adds the journey)
    delivers = [{"package": package, "name": catalogue.package(package).name, "places": able[package][0],
                 "source": able[package][1], "because": able[package][2]} for package in child.packages]
    whole = placement + transport
    within = placement <= band if priced else None
    value = (f"placement £{placement:,.0f} a year, {'within' if within else 'above'} the national price band of "
             f"£{band:,.0f} (£{whole:,.0f} with transport)" if priced
             else f"£{whole:,.0f} a year; no national price band for this kind of setting")
    journey = f"about {minutes:.0f} minutes each way, " + (
        f"within the {cap:.0f}-minute cap" if round(minutes) <= cap
        else f"which may be over the {cap:.0f}-minute cap: check the route")
    reason = ("On the list because it can deliver " + "; ".join(
        f"{item['name']} ({item['because']}, {item['places']} place{'' if item['places'] == 1 else 's'})"
        for item in delivers) + f", and it meets every rule: {journey}.")
    return {"provider_id": int(index.provider_id[row]), "name": str(index.name[row]), "kind": kind,
            "kind_words": KIND_WORDS[kind], "host_council": str(index.host_council[row]),
            "travel_minutes": round(minutes, 1), "distance_km": round(float(evaluation.travel.km[pair]), 2),
            "placement_cost_gbp": round(placement), "transport_cost_gbp": round(transport),
            "annual_cost_gbp": round(whole), "price_band_gbp": round(band) if priced else None,
            "within_price_band": within, "value_for_money": value, "packages": delivers, "reason": reason,
            "rank": rank, "total_score": round(total, 4),
            "scores": {criterion: round(float(scores[column]), 4) for column, criterion in enumerate(CRITERIA)},
            "reasons": explain(scoring, pair)}


def _level_warnings(child: Child, catalogue: Catalogue) -> list[str]:
    warnings = []
    for package_id in child.packages:
        package = catalogue.package(package_id)
        if child.need_level is not None and child.need_level not in package.levels:
            warnings.append(f"{package.name} serves need levels {', '.join(map(str, package.levels))}; the child's "
                            "level is not among them: check the plan")
        if child.primary_need not in package.needs and not set(child.secondary_needs) & set(package.needs):
            warnings.append(f"{package.name} serves none of the child's recorded needs: check the plan")
    return warnings


def weigh_preferences(child: Child, listed: list[dict], limit_gbp: float) -> list[dict]:
    """Each setting the parents named: whether it is on the list; if so, its whole cost above the best-ranked
    other setting on the list and whether it passes the efficient-use test (no more than ``limit_gbp`` above)."""
    by_id = {entry["provider_id"]: entry for entry in listed}
    weighed = []
    for provider_id in child.preferences:
        entry = by_id.get(provider_id)
        if entry is None:
            weighed.append({"provider_id": provider_id, "on_list": False, "efficient_use": None,
                            "message": "not on the list: it cannot deliver the child's packages, or fails a rule "
                                       "(see the shortlist's preferences for the rule)"})
            continue
        others = sorted((other for other in listed if other["provider_id"] != provider_id),
                        key=lambda other: other["rank"])
        if not others:
            weighed.append({"provider_id": provider_id, "on_list": True, "efficient_use": True, "extra_cost_gbp": 0,
                            "message": "on the list, and the only setting on it"})
            continue
        best = others[0]
        extra = entry["annual_cost_gbp"] - best["annual_cost_gbp"]
        passes = extra <= limit_gbp
        weighed.append({"provider_id": provider_id, "on_list": True, "alternative_id": best["provider_id"],
                        "alternative_name": best["name"], "extra_cost_gbp": extra, "limit_gbp": round(limit_gbp),
                        "efficient_use": passes,
                        "message": f"on the list; costs £{abs(extra):,.0f} a year {'more' if extra > 0 else 'less'} "
                                   f"than {best['name']}, the best-ranked other setting on it, which "
                                   + ("is within" if passes else "is beyond")
                                   + f" the policy's prompt of £{limit_gbp:,.0f} (a prompt for the efficient-use "
                                     "test, which the officer applies case by case)"})
    return weighed


def missing_packages(capability: pd.DataFrame, provider_ids: set[int], packages: tuple[str, ...]) -> dict[int, list]:
    """For each setting, the child's packages the capability table says it cannot deliver (none: it can)."""
    rows = capability[capability["provider_id"].isin(sorted(provider_ids))]
    able = {(int(provider), str(package)) for provider, package in zip(rows["provider_id"], rows["package"],
                                                                       strict=True)}
    return {provider: [package for package in packages if (provider, package) not in able]
            for provider in provider_ids}
