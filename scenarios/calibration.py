"""Measures of a run against SEN2 that the cohort does not build in: where each child lands, and with whom.

The placement shares of ``scenarios.kpis.calibration_table`` are close to SEN2's by construction (places per kind
are sized from the same counts the cohort is drawn from). These are not:

- **per-child agreement**: the share of children placed in the group of setting SEN2 had them in (the type of
  placement each was drawn from, ``drawn_as``): independent or non-maintained special school, state special
  school, or an inclusion base (resourced provision or unit) in a mainstream school; and, stricter, the exact kind;
- **need mix**: within each group (and each kind), the run's children by primary need against SEN2's plans by need
  in that type of placement for the same councils (the "Type of placement" breakdown of
  ``sen_needs_all_plans.csv``);
- **residential share**: children placed needing a residential place (at a setting that boards, or whose boarding
  status is not published), against SEN2's share of the same councils' specialist placements that are residential
  (``residential_settings.csv``). The cohort draws who needs one from those counts, so this measures whether the
  matcher places them, not the draw.

``PARAMETERS`` names what moves each measure and what each is evidence for.
"""

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from core.vocabulary import INDEPENDENT_KINDS, SPECIAL_KINDS
from scenarios.sen2_fill import Sen2Counts

#: The groups of setting a child is counted in, each a set of provider kinds.
GROUPS: dict[str, tuple[str, ...]] = {
    "independent_and_non_maintained_special": INDEPENDENT_KINDS,
    "state_special": tuple(sorted(SPECIAL_KINDS - set(INDEPENDENT_KINDS))),
    "inclusion_base": ("resourced_provision", "sen_unit", "inclusion_base"),
}
#: A need is held to the need-mix target where it is more than this share of the group's children in SEN2.
NEED_MIX_FLOOR = 0.05

PARAMETERS: dict[str, list[str]] = {
    "per_child_agreement": [
        "cohort.need_levels: need levels drawn by type of placement (an assumption; SEN2 publishes none)",
        "matcher.criteria level penalty: less 0.2 for a mainstream setting at need level 3-4, less 0.1 for a special "
        "school at level 1 (evidence: a mainstream base is for needs met with mainstream teaching)",
        "matcher.criteria value_for_money and policy weights: independent places cost more, so are used last",
        "geodata.capacity.PLACE_RULES: places by kind (pupils on roll; SEN2 unit counts)",
        "scenarios.provider_pool beyond shares: places of settings outside the sub-region, from SEN2 flows",
    ],
    "need_mix": [
        "designated needs (GIAS SEN-provision lists, or a council's designations or settings file)",
        "the cohort's need mix by type of placement (SEN2 sen_needs_all_plans.csv, Type of placement)",
        "policy include_unpublished_designations (special schools publishing none take any need)",
    ],
    "residential_share": [
        "the cohort's residential draw (SEN2 residential_settings.csv by council and type of placement)",
        "boarding status: a full GIAS extract's Boarders, or a council's settings file (boarding yes/no/unknown)",
        "matcher.criteria.RESIDENTIAL_UNKNOWN_PENALTY: less 0.2 suitability where boarding is not published",
    ],
}


@dataclass(frozen=True)
class Sen2Reference:
    """SEN2's need mix and residential counts by type of placement, summed over a run's councils."""

    need_by_group: pd.DataFrame  # index need, one column a group: plans
    need_by_kind: pd.DataFrame  # index need, one column a kind of specialist placement: plans
    residential: float  # plans in residential settings, specialist placements
    plans: float  # plans in specialist placements


def load_reference(data_dir: Path, councils: tuple[str, ...], cache_dir: Path | None = None) -> Sen2Reference:
    """SEN2's figures for these councils (2024/25), by group of setting (from the SEN2 counts the cohort is drawn
    from, kept in the cache folder where one is given)."""
    counts = Sen2Counts.load(data_dir, cache_dir)
    needs = counts.need_by_placement
    needs = needs[(needs["level"] == "council") & needs["area"].isin(councils)]
    by_group = pd.DataFrame({group: needs[needs["placement_type"].isin(kinds)].groupby("need")["count"].sum()
                             for group, kinds in GROUPS.items()}).fillna(0.0)
    by_kind = needs.pivot_table(index="need", columns="placement_type", values="count", aggfunc="sum").fillna(0.0)
    homes = counts.residential  # empty without SEN2's residential file
    residential = 0.0 if homes.empty else float(
        homes[(homes["level"] == "council") & homes["area"].isin(councils)]["residential"].sum())
    return Sen2Reference(by_group, by_kind, residential, float(needs["count"].sum()))


def group_of(kinds: pd.Series) -> pd.Series:
    """Each kind's group (missing for kinds in none, and for the unplaced)."""
    lookup = {kind: group for group, members in GROUPS.items() for kind in members}
    return kinds.map(lookup)


def summarise_truth(assignments: pd.DataFrame, cohort: pd.DataFrame, boarding: pd.Series,
                    reference: Sen2Reference | None) -> dict:
    """Per-child agreement, need mix by group and residential share of a run, beside SEN2's (see the module);
    ``boarding`` is each provider's residential status (True, False, or missing where not published)."""
    rows = assignments.set_index("child_id")
    rows = rows.assign(residential=rows["provider_id"].map(boarding.astype("boolean")))
    drawn = cohort["drawn_as"].reindex(rows.index)
    kind = rows["kind"].where(rows["provider_id"].notna())
    placed_group, drawn_group = group_of(kind), group_of(drawn)
    agree = placed_group.eq(drawn_group) & placed_group.notna()
    result: dict = {
        "per_child_agreement": float(agree.mean()),
        "per_child_exact_kind_agreement": float((kind == drawn).mean()),
        "agreement_by_group": {group: float(agree[drawn_group == group].mean())
                               for group in GROUPS if (drawn_group == group).any()},
        "parameters": PARAMETERS,
    }
    if reference is not None:
        need = cohort["primary_need"].reindex(rows.index)
        result["need_mix"] = _need_mix(placed_group, need, reference.need_by_group)
        result["need_mix_by_kind"] = _need_mix(kind, need, reference.need_by_kind)
        result["residential"] = _residential(rows, cohort, reference)
    return result


def _need_mix(placed_group: pd.Series, need: pd.Series, table: pd.DataFrame) -> dict:
    """By group (or kind) of setting: the run's children by need against SEN2's plans by need (``table``: index
    need, one column a group), and the largest gap among needs over ``NEED_MIX_FLOOR`` of the group in SEN2."""
    mix = {}
    for group in table.columns:
        sen2 = table[group]
        run = need[placed_group == group].value_counts()
        if sen2.sum() <= 0 or run.sum() <= 0:
            continue
        sen2_share, run_share = sen2 / sen2.sum(), run / run.sum()
        gaps = {str(code): round(100 * (float(run_share.get(code, 0.0)) - float(share)), 2)
                for code, share in sen2_share.items()}
        rows = [{"need": str(code), "run_share": float(run_share.get(code, 0.0)), "sen2_share": float(share),
                 "difference_points": gaps[str(code)], "held_to_target": bool(share > NEED_MIX_FLOOR)}
                for code, share in sen2_share.items()]
        held = [abs(gaps[str(code)]) for code, share in sen2_share.items() if share > NEED_MIX_FLOOR]
        mix[group] = {"children": int(run.sum()), "largest_gap_points": max(held) if held else 0.0, "needs": rows}
    return mix


def _residential(rows: pd.DataFrame, cohort: pd.DataFrame, reference: Sen2Reference) -> dict:
    needs_one = cohort["requires_residential"].reindex(rows.index).fillna(False).astype(bool)
    placed = rows["provider_id"].notna()
    boarding = rows["residential"]
    at_boarding = placed & needs_one & ~boarding.eq(False).fillna(False)
    sen2 = reference.residential / reference.plans if reference.plans > 0 else 0.0
    run = float(at_boarding.mean())
    return {"run_share": run, "sen2_share": float(sen2), "difference_points": round(100 * (run - sen2), 2),
            "needing_one": int(needs_one.sum()),
            "placed_where_boarding_known": int((placed & needs_one & boarding.eq(True).fillna(False)).sum()),
            "placed_where_boarding_not_published": int((placed & needs_one & boarding.isna()).sum())}
