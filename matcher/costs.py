"""Annual placement and transport costs: calibrated from councils' s251 outturn and SEN2 plan counts.

Derivation (financial year 2023-24 spend over plans in the January 2024 SEN2 census, national and by council;
lines are those of the s251 outturn, columns its phases):

- independent_special, non_maintained_special: 1.2.3 top-up to non-maintained and independent providers,
  special-school column, over plans in independent and non-maintained special schools (fees are all top-up).
- special_maintained: 1.0.2 place funding + 1.2.1 top-up to maintained schools, special-school columns, over
  plans in maintained special schools.
- special_academy: 1.2.2 top-up to academies, special-school column, over plans in special academies and free
  schools, plus the national £10,000 place funding that the ESFA pays academies directly (not in s251).
- mainstream and inclusion bases (resourced_provision, sen_unit, inclusion_base): 1.2.1 + 1.2.2 top-up, primary
  and secondary columns, over plans in state mainstream schools, plus the £6,000 a school meets from its notional
  SEN budget (or the £6,000 place funding of a resourced provision). The outturn does not split units from other
  mainstream plans.
- alternative_provision: the state special school figure; AP spend covers many pupils without plans, so a
  cost per plan from it would mislead.
- fe_college: 1.2.2 top-up, post-16 column, over plans in general FE colleges, plus £6,000.
- specialist_post16: 1.2.3, post-16 column, over plans in specialist post-16 institutions.
- Transport: SEN transport lines 2.1.4, 2.1.6 and 2.1.7 over plans in special schools and AP, the cost of the
  average special-school journey of 9 miles (14.5 km); ``scenarios.transport_calibration`` then prices each
  council's own average journey (its spend per eligible child, special, unit and AP plans) at its own average km,
  and ``matcher.transport`` scales a journey by distance with the exponent fitted across councils.
- The band (for value for money): the cost of a state special school place, maintained and academy together.

A council's own figure is used where it has at least ``MIN_PLANS`` plans of that kind and lies within half to
twice the national figure (outside that, the council's lines are taken to be recorded differently); else the
national one.
A user's tariff (``provider_id`` or ``kind``, optional ``need`` and ``need_level``, ``annual_cost_gbp``)
overrides both; the most specific row wins.
"""

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from core.errors import PlacewiseError
from core.vocabulary import KINDS, NEEDS
from matcher.packages import Catalogue

NATIONAL = "national"
#: The average special-school journey (9 miles) the national transport figure is the cost of, where a council's own
#: average journey is not known.
AVERAGE_JOURNEY_KM = 14.5
MIN_PLANS = 30
PLAUSIBLE_RATIO = (0.5, 2.0)
SPECIAL_PLACE_FUNDING_GBP = 10_000.0
MAINSTREAM_ELEMENT_GBP = 6_000.0

#: National figures from ``calibrate_costs`` on the 2023-24 outturn and SEN2 2024 (checked against the real
#: data in tests/real): the embedded demo, which has no finance files, uses them.
NATIONAL_COSTS_2023_24 = {
    "independent_special": 61_448.0, "non_maintained_special": 61_448.0, "special_maintained": 26_373.0,
    "special_academy": 25_188.0, "mainstream": 14_045.0, "resourced_provision": 14_045.0, "sen_unit": 14_045.0,
    "inclusion_base": 14_045.0, "alternative_provision": 25_856.0, "fe_college": 11_246.0,
    "specialist_post16": 32_806.0,
}
#: The national average journey's cost, its km and the distance exponent (``scenarios.transport_calibration`` on the
#: same data, checked in tests/real): the national component at England's mean council journey.
NATIONAL_TRANSPORT_2023_24_GBP = 7_878.0
NATIONAL_TRANSPORT_KM_2023_24 = 9.76
NATIONAL_TRANSPORT_EXPONENT_2023_24 = 0.253
NATIONAL_BAND_2023_24_GBP = 25_856.0


@dataclass(frozen=True)
class CostModel:
    """Annual costs by council and provider kind, transport per journey, the band, and any user tariff."""

    kind_costs: pd.DataFrame  # index council (and "national"), one column per kind, pounds a year
    transport_gbp: pd.Series  # index council (and "national"): cost of its average journey a year (transport_km)
    band_gbp: pd.Series  # index council (and "national")
    tariffs: pd.DataFrame = field(default_factory=lambda: empty_tariffs())
    source: str = "national defaults (s251 2023-24, SEN2 2024)"
    #: The deployment's packages and national price bands: value for money is judged against a child's package
    #: band, and with ``cap_at_band`` (the scenario delta ``cap_prices``) no placement costs more than its band.
    catalogue: "Catalogue | None" = None
    cap_at_band: bool = False
    #: The transport cost's shape (``matcher.transport``): a journey of km costs the council's average journey x
    #: (km / transport_km[council]) ** transport_exponent; with the s251 spend and the eligible children it rests
    #: on, by council, for the calibration the runs report.
    transport_km: pd.Series = field(default_factory=lambda: pd.Series({NATIONAL: AVERAGE_JOURNEY_KM}))
    transport_exponent: float = 1.0
    transport_evidence: pd.DataFrame | None = None
    #: A transport-cost file's annual cost of an average journey by mode (index council or "national", columns
    #: modes; NaN where not given): over the modelled figure.
    mode_costs: pd.DataFrame | None = None

    def council_row(self, council: str) -> str:
        return council if council in self.kind_costs.index else NATIONAL

    @cached_property
    def kind_table(self) -> np.ndarray:
        """Cost of every kind (columns, in the order of KINDS) for each council row (``council_rows``)."""
        return self.kind_costs[list(KINDS)].to_numpy(dtype=float)

    @cached_property
    def _row_of(self) -> dict[str, int]:
        return {str(council): row for row, council in enumerate(self.kind_costs.index)}

    def council_rows(self, councils: np.ndarray) -> np.ndarray:
        """The cost table's row of each council (the national row for a council without figures of its own)."""
        national = self._row_of[NATIONAL]
        return np.array([self._row_of.get(str(council), national) for council in councils], dtype=np.int64)

    def kind_cost(self, kind: str, council: str = NATIONAL) -> float:
        """The annual cost of a place of one kind for a council (the national figure by default)."""
        return float(self.kind_table[self.council_rows(np.array([council]))[0], KINDS.index(kind)])

    @cached_property
    def _bands(self) -> dict[str, float]:
        return {str(council): float(value) for council, value in self.band_gbp.items()}

    @cached_property
    def _journeys(self) -> dict[str, float]:
        return {str(council): float(value) for council, value in self.transport_gbp.items()}

    def band_for(self, council: str) -> float:
        """The band (a state special place) for a council, else the national one."""
        return self._bands.get(council, self._bands[NATIONAL])

    def bands_for(self, councils: np.ndarray) -> np.ndarray:
        national = self._bands[NATIONAL]
        return np.array([self._bands.get(str(council), national) for council in councils], dtype=float)

    def transport_for(self, councils: np.ndarray) -> np.ndarray:
        """The cost a year of each council's average journey (the national one where it has none)."""
        national = self._journeys[NATIONAL]
        return np.array([self._journeys.get(str(council), national) for council in councils], dtype=float)

    @cached_property
    def _journey_km(self) -> dict[str, float]:
        return {str(council): float(value) for council, value in self.transport_km.items()}

    def journey_km_for(self, councils: np.ndarray) -> np.ndarray:
        """The km of each council's average journey, the one ``transport_for`` prices."""
        national = self._journey_km.get(NATIONAL, AVERAGE_JOURNEY_KM)
        return np.array([self._journey_km.get(str(council), national) for council in councils], dtype=float)

    def with_mode_costs(self, mode_costs: pd.DataFrame) -> "CostModel":
        """Return a copy whose journeys by mode a transport-cost file prices (``load_transport_cost_file``)."""
        return replace(self, mode_costs=mode_costs, source=self.source + " + transport costs by mode")

    def with_tariffs(self, tariffs: pd.DataFrame) -> "CostModel":
        """Return a copy whose costs a user's tariff table overrides (columns as in ``empty_tariffs``)."""
        return replace(self, tariffs=tariffs, source=self.source + " + tariff")

    def with_catalogue(self, catalogue: "Catalogue", cap_at_band: bool = False) -> "CostModel":
        """Return a copy judging value for money against the catalogue's price bands (and, with ``cap_at_band``,
        pricing no placement above its band)."""
        words = " + price bands" + (" (prices capped at the band)" if cap_at_band else "")
        return replace(self, catalogue=catalogue, cap_at_band=cap_at_band, source=self.source + words)


def empty_tariffs() -> pd.DataFrame:
    return pd.DataFrame({"provider_id": pd.Series(dtype="Int64"), "kind": pd.Series(dtype="object"),
                         "need": pd.Series(dtype="object"), "need_level": pd.Series(dtype="Int64"),
                         "annual_cost_gbp": pd.Series(dtype=float)})


def default_costs() -> CostModel:
    """Return the national cost model embedded in the code (for data folders without finance files)."""
    kind_costs = pd.DataFrame([NATIONAL_COSTS_2023_24], index=pd.Index([NATIONAL], name="council"))[list(KINDS)]
    return CostModel(kind_costs, pd.Series({NATIONAL: NATIONAL_TRANSPORT_2023_24_GBP}),
                     pd.Series({NATIONAL: NATIONAL_BAND_2023_24_GBP}),
                     transport_km=pd.Series({NATIONAL: NATIONAL_TRANSPORT_KM_2023_24}),
                     transport_exponent=NATIONAL_TRANSPORT_EXPONENT_2023_24)


def calibrate_costs(spend: pd.DataFrame, placements: pd.DataFrame) -> CostModel:
    """Calibrate costs per council and kind from s251 spend (``geodata.finance``) and SEN2 plans (``geodata.sen2``).

    Parameters:
        spend: one row per council and s251 line, with ``council``, ``line`` and phase columns in pounds.
        placements: plans by placement type, indexed by council.
    """
    by_line = spend.pivot_table(index="council", columns="line", values=[
        "primary_schools", "secondary_schools", "sen_and_special_schools", "post_16"], aggfunc="sum", fill_value=0.0)
    councils = by_line.index.intersection(placements.index)
    by_line, plans = by_line.loc[councils], placements.loc[councils].fillna(0.0)
    national_spend, national_plans = by_line.sum(), plans.sum()

    def line(table: Any, phase: str, number: str) -> Any:
        return table[(phase, number)]

    def figures(money: Any, count: Any, transport_money: Any) -> dict[str, tuple[Any, Any]]:  # kind -> (spend, plans)
        mainstream_top_up = sum(line(money, phase, number) for phase in ("primary_schools", "secondary_schools")
                                for number in ("1.2.1", "1.2.2"))
        state_mainstream = count["mainstream_total"] - count["mainstream_independent"]
        maintained = line(money, "sen_and_special_schools", "1.0.2") + line(money, "sen_and_special_schools", "1.2.1")
        academy = line(money, "sen_and_special_schools", "1.2.2")
        return {
            "independent_special": (line(money, "sen_and_special_schools", "1.2.3"),
                                    count["special_independent"] + count["special_non_maintained"]),
            "special_maintained": (maintained, count["special_la_maintained"]),
            "special_academy": (academy + SPECIAL_PLACE_FUNDING_GBP * count["special_academy_free"],
                                count["special_academy_free"]),
            "mainstream": (mainstream_top_up + MAINSTREAM_ELEMENT_GBP * state_mainstream, state_mainstream),
            "fe_college": (line(money, "post_16", "1.2.2")
                           + MAINSTREAM_ELEMENT_GBP * count["general_fe_tertiary_colleges"],
                           count["general_fe_tertiary_colleges"]),
            "specialist_post16": (line(money, "post_16", "1.2.3"), count["specialist_post_16_institutions"]),
            "band": (maintained + academy + SPECIAL_PLACE_FUNDING_GBP * count["special_academy_free"],
                     count["special_la_maintained"] + count["special_academy_free"]),
            "transport": (transport_money, count["special_total"] + count["ap_pru_total"]),
        }

    transport = _transport_spend(spend, councils)
    with np.errstate(divide="ignore", invalid="ignore"):  # a kind with no plans gets no figure
        national = {name: money / count
                    for name, (money, count) in figures(national_spend, national_plans, transport.sum()).items()}
    local = pd.DataFrame({name: (money / count).where((count >= MIN_PLANS) & (money / count).between(
                              PLAUSIBLE_RATIO[0] * national[name], PLAUSIBLE_RATIO[1] * national[name]))
                          for name, (money, count) in figures(by_line, plans, transport).items()})
    table = pd.concat([local, pd.DataFrame([national], index=[NATIONAL])]).fillna(national)
    for kind, same_as in (("non_maintained_special", "independent_special"), ("resourced_provision", "mainstream"),
                          ("sen_unit", "mainstream"), ("inclusion_base", "mainstream"),
                          ("alternative_provision", "band")):
        table[kind] = table[same_as]
    table.index.name = "council"
    return CostModel(table[list(KINDS)].round(0), table["transport"].round(0), table["band"].round(0),
                     source="calibrated by council from s251 2023-24 and SEN2 2024")


def _transport_spend(spend: pd.DataFrame, councils: pd.Index) -> pd.Series:
    lines = spend[spend["line"].isin(["2.1.4", "2.1.6", "2.1.7"])]
    return lines.groupby("council")["net_expenditure"].sum().reindex(councils, fill_value=0.0)


def check_tariffs(tariffs: pd.DataFrame, provider_ids: pd.Index) -> pd.DataFrame:
    """Check a tariff table against the register: each row names a known provider or kind, a cost above zero.

    Raises:
        PlacewiseError: naming the rows (1-based, after the header) and what to fix.
    """
    problems = []
    row = tariffs.index.to_series() + 2
    by_provider = tariffs["provider_id"].notna()
    unknown = by_provider & ~tariffs["provider_id"].isin(provider_ids)
    bad_kind = ~by_provider & ~tariffs["kind"].isin(KINDS)
    bad_need = tariffs["need"].notna() & ~tariffs["need"].isin(NEEDS)
    bad_cost = ~(tariffs["annual_cost_gbp"] > 0)
    for mask, message in ((unknown, "provider_id not in the register"),
                          (bad_kind, f"give a provider_id or a kind ({', '.join(KINDS)})"),
                          (bad_need, f"need must be one of {', '.join(NEEDS)} or empty"),
                          (bad_cost, "annual_cost_gbp must be a number above zero")):
        if mask.any():
            problems.append(f"rows {', '.join(map(str, row[mask].head(10)))}: {message}")
    if problems:
        raise PlacewiseError("tariff file: " + "; ".join(problems))
    return tariffs
