"""An independent checker: re-verify an allocation from the raw tables, sharing no code with the solvers.

Checks: each child at most once; every placement is a candidate arc; places per provider; per provider and
need; each council's quota and the unreserved rest; the total and council budgets; the out-of-area cap.
Returns every violation found, as sentences; an empty list means the allocation holds.
"""

import numpy as np
import pandas as pd

from matcher.policy import Policy

BUDGET_TOLERANCE_GBP = 0.5  # per placed child: costs are budgeted in whole pounds


def check_allocation(assignments: pd.DataFrame, candidates: pd.DataFrame, providers: pd.DataFrame,
                     policy: Policy) -> list[str]:
    """Check ``assignments`` (child_id, home_council, primary_need, provider_id) against the raw tables.

    ``candidates`` holds the arcs allowed (child_id, provider_id, annual_cost_gbp); ``providers`` is indexed by
    provider_id with ``vacancies`` and, where present, ``need_vacancies`` and ``quotas`` (dicts).
    """
    problems: list[str] = []
    repeated = assignments["child_id"][assignments["child_id"].duplicated()]
    problems += [f"child {child} appears more than once" for child in repeated.unique()]
    placed = assignments.dropna(subset=["provider_id"]).astype({"provider_id": "int64"})
    joined = placed.merge(_arcs_of_placed_pairs(placed, candidates), on=["child_id", "provider_id"], how="left",
                          indicator=True)
    problems += [f"child {row.child_id} placed at {row.provider_id}, which is not one of its candidates"
                 for row in joined[joined["_merge"] == "left_only"].itertuples()]
    per_provider = placed.groupby("provider_id").size()
    room = pd.to_numeric(providers["vacancies"], errors="coerce").fillna(0).clip(lower=0)
    over = per_provider[per_provider > room.reindex(per_provider.index).fillna(0)]
    problems += [f"provider {provider}: {count} placed, over its {int(room.get(provider, 0))} places"
                 for provider, count in over.items()]
    problems += _need_caps(placed, providers) + _quotas(placed, providers, room)
    problems += _budgets(joined, policy) + _out_of_area(placed, providers, policy)
    return problems


def _arcs_of_placed_pairs(placed: pd.DataFrame, candidates: pd.DataFrame) -> pd.DataFrame:
    """The candidate arcs (child_id, provider_id, annual_cost_gbp) whose (child, provider) pair is placed: the
    merge's answer unchanged (no other arc can match), found by comparing codes instead of hashing each arc's child
    id and provider id together, which takes seconds on millions of arcs. Where each child is placed once, every
    arc's child code looks up the code of the provider its child is placed at (one gather over the arcs, no arc
    copied but those kept); a child placed more than once has its pairs compared as one number each."""
    arcs = candidates[["child_id", "provider_id", "annual_cost_gbp"]]
    arc_child, placed_child = _numbered_alike(arcs["child_id"], placed["child_id"])
    arc_provider, placed_provider = _numbered_alike(arcs["provider_id"], placed["provider_id"])
    # codes start at -1 (missing), so each is shifted by one: a child's slot, or a pair's number
    slots = int(max(arc_child.max(initial=-1), placed_child.max(initial=-1))) + 2
    if len(np.unique(placed_child)) == len(placed_child):
        placed_at = np.full(slots, -2, dtype=np.int64)  # -2: no provider code (those of the arcs start at -1)
        placed_at[placed_child + 1] = placed_provider
        kept = arcs[placed_at[arc_child + 1] == arc_provider]
    else:
        span = int(max(arc_provider.max(initial=-1), placed_provider.max(initial=-1))) + 2
        pair = (arc_child + 1) * span + arc_provider + 1
        kept = arcs[pd.Series(pair, copy=False).isin((placed_child + 1) * span + placed_provider + 1).to_numpy()]
    categorical = {name: kept[name].cat.categories.dtype for name in ("child_id", "provider_id")
                   if isinstance(kept[name].dtype, pd.CategoricalDtype)}
    return kept.astype(categorical)  # joined on the ids themselves, as given


def _numbered_alike(arcs: pd.Series, placed: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Both columns' values as codes numbered alike: equal values get equal codes, a missing value -1 on both
    sides (as the merge pairs missing with missing), a placed value among no arc's a code of its own."""
    if isinstance(arcs.dtype, pd.CategoricalDtype):  # the arcs' own codes; the placed values looked up among them
        categories = arcs.cat.categories
        placed_codes = categories.get_indexer(placed).astype(np.int64)
        placed_codes[(placed_codes < 0) & placed.notna().to_numpy()] = len(categories)
        return arcs.cat.codes.to_numpy(dtype=np.int64), placed_codes
    codes, _ = pd.factorize(pd.concat([arcs, placed], ignore_index=True))
    return codes[:len(arcs)].astype(np.int64), codes[len(arcs):].astype(np.int64)


def _need_caps(placed: pd.DataFrame, providers: pd.DataFrame) -> list[str]:
    if "need_vacancies" not in providers:
        return []
    problems = []
    counts = placed.groupby(["provider_id", "primary_need"]).size()
    caps_of = providers["need_vacancies"].to_dict()  # by provider_id, the providers' index
    for (provider, need), count in counts.items():
        caps = caps_of.get(provider)
        if isinstance(caps, dict) and need in caps and count > max(int(caps[need]), 0):
            problems.append(f"provider {provider}: {count} placed for {need}, over its {caps[need]} places")
    return problems


def _quotas(placed: pd.DataFrame, providers: pd.DataFrame, room: pd.Series) -> list[str]:
    if "quotas" not in providers:
        return []
    problems = []
    for provider, quotas in providers["quotas"].items():
        if not isinstance(quotas, dict) or not quotas:
            continue
        here = placed[placed["provider_id"] == provider]
        by_council = here.groupby("home_council").size()
        for council, quota in quotas.items():
            if by_council.get(council, 0) > quota:
                problems.append(f"provider {provider}: {by_council[council]} placed from {council}, over its "
                                f"quota of {quota}")
        others = int(by_council[~by_council.index.isin(list(quotas))].sum())
        unreserved = max(int(room.get(provider, 0)) - sum(quotas.values()), 0)
        if others > unreserved:
            problems.append(f"provider {provider}: {others} placed from councils without a quota, over the "
                            f"{unreserved} unreserved places")
    return problems


def _budgets(joined: pd.DataFrame, policy: Policy) -> list[str]:
    problems = []
    cost = joined["annual_cost_gbp"].fillna(0)
    if policy.budget_gbp is not None and cost.sum() > policy.budget_gbp + BUDGET_TOLERANCE_GBP * len(joined):
        problems.append(f"total annual cost £{cost.sum():,.0f} over the budget of £{policy.budget_gbp:,.0f}")
    by_council = cost.groupby(joined["home_council"]).sum()
    counts = joined.groupby("home_council").size()
    for council, budget in policy.council_budgets_gbp.items():
        if by_council.get(council, 0) > budget + BUDGET_TOLERANCE_GBP * counts.get(council, 0):
            problems.append(f"council {council}: £{by_council[council]:,.0f} over its budget of £{budget:,.0f}")
    return problems


def _out_of_area(placed: pd.DataFrame, providers: pd.DataFrame, policy: Policy) -> list[str]:
    if policy.max_out_of_area_share is None or placed.empty:
        return []
    host = providers["host_council"].reindex(placed["provider_id"]).to_numpy()
    out = pd.Series(host != placed["home_council"].to_numpy(), index=placed.index)
    share = out.groupby(placed["home_council"]).mean()
    return [f"council {council}: {value:.1%} placed out of area, over the cap of {policy.max_out_of_area_share:.0%}"
            for council, value in share.items() if value > policy.max_out_of_area_share + 1e-9]
