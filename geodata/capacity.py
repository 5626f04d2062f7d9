"""Places and vacancies from the best evidence there is, each with its source and a sentence saying how it was got.

Best evidence first:
1. a user's own capacity or vacancy file (applied over the register by ``scenarios.inputs``; source
   ``reported``);
2. a full GIAS extract's capacity fields (``SchoolCapacity``, ``ResourcedProvisionCapacity``,
   ``SenUnitCapacity``; source ``published``), with vacancies = capacity less pupils on roll;
3. estimates (source ``estimated``), from national rules that are the same for every council:
   - a whole school (special, alternative provision, college): places = its pupils on roll. Special schools run
     full: the DfE's school capacity survey (May 2023) counted 148,000 special school places for 152,000 pupils
     on roll, with about two thirds of special schools at or over capacity, so the pupils on roll are the
     places there are;
   - resourced provision and SEN units: the council's own SEN2 count of children in resourced provision and SEN
     units (January 2025), shared among its schools with such provision in proportion to their pupils with EHC
     plans (each share's weight kept within ``UNIT_WEIGHT_RANGE``, the range of typical units, since a school's
     count also holds plans outside its unit); without that count, the school's EHC plans within that range;
   - vacancies: about one place in twenty comes free each year (``TURNOVER``) as pupils leave; a flow, not a
     count of empty places, so it never excludes a setting;
4. none: an independent mainstream school whose GIAS record lists SEN provision is not SEN provision for a
   cohort: the list is evidence of the support it gives its own pupils, not of places a council can fill. It has
   no places (and the hard rule ``not_named_provision`` keeps it off every list) until a council's settings file
   (``--settings``: its kind and places) or designations file names it.

``PLACE_RULES`` writes every kind's rule down in one table: the source of its places, its evidence label (the
``places_note`` of each setting it sizes) and what a council's own file overrides.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

UNIT_KINDS = ("resourced_provision", "sen_unit")
UNIT_WEIGHT_RANGE = (8, 30)
TURNOVER = 0.05
SCAP_2023 = "special schools run full (DfE school capacity survey, May 2023: 148,000 places, 152,000 on roll)"
SUPPORT_ONLY_NOTE = ("none: an independent mainstream school's published SEN-provision list is evidence of support, "
                     "not of places; a council's settings or designations file names it as provision")
NAMED_NOTE = "estimated: pupils with EHC plans on roll (named as provision by the council's designations file)"


@dataclass(frozen=True)
class PlaceRule:
    """How one kind of setting gets its places: where they come from, the evidence label a setting carries, and
    which of a council's own files overrides them."""

    setting: str
    kinds: tuple[str, ...]
    source: str
    evidence: str
    council_overrides: str


PLACE_RULES: tuple[PlaceRule, ...] = (
    PlaceRule("special school", ("special_maintained", "special_academy", "non_maintained_special",
                                 "independent_special"),
              "pupils on roll (census)", f"estimated: pupils on roll; {SCAP_2023}",
              "--places or --settings (places); a full GIAS extract's SchoolCapacity is published capacity"),
    PlaceRule("resourced provision or SEN unit", UNIT_KINDS,
              "the council's SEN2 count of children in resourced provision and units, shared by pupils with EHC "
              "plans", "estimated: the council's SEN2 count of children in resourced provision and units, shared "
              "among its schools by their pupils with EHC plans",
              "--places or --settings (places); a full GIAS extract's ResourcedProvisionCapacity and "
              "SenUnitCapacity are published capacity"),
    PlaceRule("alternative provision, college or specialist post-16 institution",
              ("alternative_provision", "fe_college", "specialist_post16"),
              "pupils on roll (census)", "estimated: pupils on roll",
              "--places or --settings (places); a full GIAS extract's SchoolCapacity is published capacity"),
    PlaceRule("independent mainstream school with a published SEN-provision list", ("mainstream",),
              "none", SUPPORT_ONLY_NOTE,
              "--settings (kind, places, boarding, needs) names it as provision; so does --designations (places "
              "then from --places, else its pupils with EHC plans on roll)"),
)


def estimate_places(raw: pd.DataFrame, kind: pd.Series, council: pd.Series,
                    unit_children: pd.Series | None = None,
                    support_only: pd.Series | None = None) -> pd.DataFrame:
    """Places and vacancies of each raw register row, with ``places_source``, ``places_note`` and
    ``vacancies_source``; ``unit_children`` is SEN2's count of children in resourced provision and units by
    council, where known; ``support_only`` marks the independent mainstream schools that have no places (see
    the module)."""
    in_unit = kind.isin(UNIT_KINDS).to_numpy()
    unit_capacity = _summed(raw, "rp_capacity", "unit_capacity")
    unit_on_roll = _summed(raw, "rp_on_roll", "unit_on_roll")
    school_capacity = pd.to_numeric(raw["school_capacity"], errors="coerce").astype("Float64")
    capacity = pd.Series(np.where(in_unit, unit_capacity, school_capacity), index=raw.index, dtype="Float64")
    capacity = capacity.where(capacity > 0)
    on_roll_all = pd.to_numeric(raw["on_roll"], errors="coerce").astype("Float64")
    on_roll = pd.Series(np.where(in_unit, unit_on_roll, on_roll_all), index=raw.index, dtype="Float64")

    units = _unit_estimates(raw, in_unit, council, unit_children)
    estimate = pd.Series(np.where(in_unit, units["places"], on_roll_all), index=raw.index, dtype="Float64")
    places = capacity.fillna(estimate).round().astype("Int64")
    published = capacity.notna()
    places_source = pd.Series(np.where(published, "published", np.where(places.notna(), "estimated", "unknown")),
                              index=raw.index)
    notes = pd.Series(np.where(in_unit, units["note"], kind.map(PLACE_NOTES).fillna("estimated: pupils on roll")),
                      index=raw.index)
    notes[published] = "published capacity (GIAS)"
    notes[places.isna()] = "not published, and no pupils on roll to estimate from"
    if support_only is not None and support_only.any():
        places = places.mask(support_only.to_numpy(), 0)
        places_source[support_only.to_numpy()] = "estimated"
        notes[support_only.to_numpy()] = SUPPORT_ONLY_NOTE

    published_vacancies = (capacity - on_roll).clip(lower=0)
    if support_only is not None:
        published_vacancies = published_vacancies.mask(support_only.to_numpy())
    vacancies = published_vacancies.fillna(np.ceil(places.astype("Float64") * TURNOVER)).round().astype("Int64")
    vacancies_source = pd.Series(np.where(published_vacancies.notna(), "published",
                                          np.where(vacancies.notna(), "estimated", "unknown")), index=raw.index)
    return pd.DataFrame({"places": places, "places_source": places_source, "places_note": notes,
                         "vacancies": vacancies, "vacancies_source": vacancies_source}, index=raw.index)


def _summed(raw: pd.DataFrame, first: str, second: str) -> pd.Series:
    """The sum of two count columns, missing where both are."""
    a = pd.to_numeric(raw[first], errors="coerce").astype("Float64")
    b = pd.to_numeric(raw[second], errors="coerce").astype("Float64")
    return (a.fillna(0) + b.fillna(0)).where(a.notna() | b.notna())


def _unit_estimates(raw: pd.DataFrame, in_unit: np.ndarray, council: pd.Series,
                    unit_children: pd.Series | None) -> pd.DataFrame:
    """Estimated places of each resourced provision or unit, with the sentence that says how."""
    ehcp = pd.to_numeric(raw["ehcp_on_roll"], errors="coerce").astype("Float64")
    weight = ehcp.clip(*UNIT_WEIGHT_RANGE).fillna(UNIT_WEIGHT_RANGE[0])
    clipped = ehcp.clip(*UNIT_WEIGHT_RANGE)
    places = clipped.astype(float).to_numpy(copy=True)
    note = np.full(len(raw), "estimated: the school's pupils with EHC plans, kept within 8 to 30 (a typical unit)",
                   dtype=object)
    if unit_children is not None and in_unit.any():
        frame = pd.DataFrame({"council": council.to_numpy(), "weight": weight.to_numpy(dtype=float)})[in_unit]
        share = frame["weight"] / frame.groupby("council")["weight"].transform("sum")
        count = frame["council"].map(unit_children)
        known = count.notna().to_numpy() & (count.fillna(0) > 0).to_numpy()
        rows = np.flatnonzero(in_unit)[known]
        places[rows] = np.maximum(np.rint((share * count).to_numpy()[known]), 1.0)
        note[rows] = [f"estimated: the council's SEN2 count of {int(total):,} children in resourced provision and "
                      "units, shared among its schools by their pupils with EHC plans"
                      for total in count.to_numpy()[known]]
    return pd.DataFrame({"places": places, "note": note}, index=raw.index)


#: Each kind's evidence label, from ``PLACE_RULES`` (units are labelled by ``_unit_estimates``).
PLACE_NOTES: dict[str, str] = {kind: rule.evidence for rule in PLACE_RULES for kind in rule.kinds
                               if kind not in UNIT_KINDS and kind != "mainstream"}
