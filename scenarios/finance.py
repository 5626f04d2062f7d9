"""Money in a finance officer's words: the cost basis every result rests on, what a budget did, and the capital
cost of new places with its payback.

- **Cost basis** (``cost_basis``): the s251 outturn year and SEN2 census the annual costs are calibrated from, the
  national figure for a place of each kind, the value-for-money band, the price bands where a packages file is
  used, and which of them are ILLUSTRATIVE (set by assumption, not published for this purpose).
- **Budget** (``budget_statement``): the budget, the whole cost committed, whether it binds (the allocation the
  places alone allow would cost more), the children it leaves unplaced that the places would take, what placing
  one more would need, and the shadow price of a pound (the Lagrange multiplier, as match score a £1,000).
- **Capital** (``capital_and_payback``): new places times a capital cost a place (configuration; the default is
  ILLUSTRATIVE: London Councils' "Do the Maths" 2018 average cost of creating a dedicated school place for a pupil
  with SEND, £67,043), and the years the annual saving takes to repay it.
"""

from collections.abc import Mapping, Sequence

from matcher.allocation.flow import SCORE_SCALE
from matcher.costs import NATIONAL, CostModel

S251_YEAR = "2023-24"
SEN2_CENSUS = "January 2024"
#: The capital cost of one new specialist place when no other is configured: ILLUSTRATIVE.
CAPITAL_COST_PER_PLACE_GBP = 67_043
CAPITAL_SOURCE = ("ILLUSTRATIVE: London Councils, Do the Maths 2018, the average cost of creating a dedicated school "
                  "place for a pupil with SEND (London, 2018 prices); set your own")
KIND_ORDER = ("special_maintained", "special_academy", "independent_special", "non_maintained_special",
              "mainstream", "resourced_provision", "sen_unit", "alternative_provision", "fe_college",
              "specialist_post16")


def cost_basis(costs: CostModel) -> dict:
    """What the run's annual costs rest on, with the illustrative parts named."""
    national = costs.kind_costs.loc[NATIONAL]
    councils = [str(code) for code in costs.kind_costs.index if code != NATIONAL]
    illustrative = []
    bands = None
    if costs.catalogue is not None:
        bands = {"source": costs.catalogue.source or "the packages file", "capped": costs.cap_at_band,
                 "illustrative": costs.catalogue.illustrative}
        if costs.catalogue.illustrative:
            illustrative.append("national price bands of Specialist Provision Packages")
    tariff = len(costs.tariffs) > 0
    return {
        "s251_year": S251_YEAR, "sen2_census": SEN2_CENSUS, "source": costs.source,
        "councils_with_own_figures": len(councils),
        "national_cost_by_kind_gbp": {kind: round(float(national[kind])) for kind in KIND_ORDER if kind in national},
        "transport_journey_gbp": round(float(costs.transport_gbp.get(NATIONAL, 0.0))),
        "value_band_gbp": round(float(costs.band_gbp.get(NATIONAL, 0.0))), "price_bands": bands,
        "tariff": tariff, "illustrative": illustrative,
    }


def budget_statement(kpis: Mapping, policy: Mapping) -> dict | None:
    """What the budget did (None for a run without one): size, committed, binds, children and pounds."""
    budget = policy.get("budget_gbp")
    if budget is None and not policy.get("council_budgets_gbp"):
        return None
    solver = kpis.get("solver", {})
    committed = float(kpis.get("annual_cost_gbp", 0.0))
    statement: dict = {"budget_gbp": budget, "council_budgets_gbp": dict(policy.get("council_budgets_gbp") or {}),
                       "committed_gbp": committed, "method": solver.get("method")}
    if budget is not None:
        statement["headroom_gbp"] = float(budget) - committed
    unbudgeted = solver.get("unbudgeted_cost_gbp")
    most = solver.get("most_placeable")
    if unbudgeted is not None and budget is not None:
        statement["binds"] = float(unbudgeted) > float(budget)
        statement["unbudgeted_cost_gbp"] = float(unbudgeted)
    if most is not None:
        statement["children_it_costs"] = max(int(most) - int(kpis.get("placed", 0)), 0)
    one_more = solver.get("one_more_child_gbp")
    if one_more is not None and budget is not None:
        statement["one_more_child_needs_gbp"] = max(float(one_more) - float(budget), 0.0)
    multiplier = solver.get("multiplier_value_per_pound")
    if multiplier is not None:  # value units a pound; scores are whole units of 1/SCORE_SCALE
        statement["shadow_score_per_1000_gbp"] = float(multiplier) * 1_000 / SCORE_SCALE
    return statement


def new_places(deltas: Sequence[Mapping]) -> int:
    """The places a scenario's changes add (new settings, expansions, places for a need); removals not counted."""
    places = 0
    for delta in deltas:
        if delta.get("open"):
            places += int(delta["open"].get("places", 0))
        for added in (delta.get("expand") or {}).values():
            places += max(int(added), 0)
        if delta.get("add_places"):
            places += int(delta["add_places"].get("places", 0))
    return places


def capital_and_payback(places: int, annual_saving_gbp: float,
                        per_place_gbp: float = CAPITAL_COST_PER_PLACE_GBP) -> dict | None:
    """The capital cost of ``places`` new places and the years the annual saving takes to repay it (None where
    there is no saving); None where no places are added."""
    if places <= 0:
        return None
    capital = places * per_place_gbp
    return {"places": places, "per_place_gbp": per_place_gbp, "capital_gbp": capital,
            "annual_saving_gbp": annual_saving_gbp,
            "payback_years": capital / annual_saving_gbp if annual_saving_gbp > 0 else None,
            "illustrative": per_place_gbp == CAPITAL_COST_PER_PLACE_GBP, "source": CAPITAL_SOURCE
            if per_place_gbp == CAPITAL_COST_PER_PLACE_GBP else "configured (capital_cost_per_place_gbp)"}
