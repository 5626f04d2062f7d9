"""Specialist Provision Packages and national price bands as configuration, and which settings can deliver each.

A package (the 2026 Schools White Paper's unit of an EHC plan) names the needs and levels it serves, whether it is
delivered in a mainstream school (with an inclusion base) or a specialist setting, and its price band. A band table
prices each band by kind of setting and attendance (day or residential). Contents, thresholds and bands are not yet
published, so all of it is configuration: ``scenarios.packages_config`` reads a council's YAML file into the
``Catalogue`` here (the engine reads no files).

The capability table (``capability_table``: provider x package, places) is derived, by default, from each setting's
kind and designations:
- a ``mainstream_only`` package: an inclusion base (``core.vocabulary.INCLUSION_BASE_KINDS``) designated for one
  of the package's needs;
- a ``specialist`` package: a special school or specialist post-16 institution designated for one of its needs, or
  a special school that publishes no designation ("not published: ask the setting");
- places: the setting's places shared evenly among the packages it can deliver (rounded down).
A council's own rows (``provider_id, package, places``; 0 places: cannot deliver) replace the derived ones.
"""

from typing import Annotated

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from core.errors import PlacewiseError
from core.vocabulary import (
    INCLUSION_BASE_KINDS,
    KIND_WORDS,
    KINDS,
    NEED_WORDS,
    SPECIAL_KINDS,
    Attendance,
    Kind,
    Need,
    PackageSetting,
    canonical_kind,
)

PACKAGE_ID_PATTERN = r"^[A-Za-z0-9_.-]{1,40}$"
PackageId = Annotated[str, Field(pattern=PACKAGE_ID_PATTERN)]
SPECIALIST_KINDS: frozenset[str] = SPECIAL_KINDS | {"specialist_post16"}
CAPABILITY_COLUMNS = ("provider_id", "package", "places", "source", "reason")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Package(Strict):
    """One Specialist Provision Package: the needs and levels it serves, where it is delivered, its band."""

    id: PackageId
    name: str = Field(min_length=1, max_length=200)
    needs: tuple[Need, ...] = Field(min_length=1, max_length=12)
    levels: tuple[Annotated[int, Field(ge=1, le=4)], ...] = Field(default=(1, 2, 3, 4), min_length=1)
    setting: PackageSetting
    band: str = Field(pattern=PACKAGE_ID_PATTERN)
    description: str = Field(default="", max_length=2_000)


class PriceBand(Strict):
    """The national price of a band at one kind of setting, by day or residential, in pounds a year."""

    band: str = Field(pattern=PACKAGE_ID_PATTERN)
    kind: Kind
    attendance: Attendance = "day"
    annual_cost_gbp: float = Field(gt=0, le=1_000_000)


class Catalogue(Strict):
    """A deployment's packages and band table (the YAML file's ``packages:`` and ``bands:``)."""

    illustrative: bool = False
    source: str = ""
    packages: tuple[Package, ...] = Field(min_length=1, max_length=200)
    bands: tuple[PriceBand, ...] = Field(default=(), max_length=2_000)

    @model_validator(mode="after")
    def _consistent(self) -> "Catalogue":
        ids = [package.id for package in self.packages]
        if len(set(ids)) != len(ids):
            raise ValueError("packages: each id once")
        keys = [(band.band, canonical_kind(band.kind), band.attendance) for band in self.bands]
        if len(set(keys)) != len(keys):
            raise ValueError("bands: each band, kind and attendance once (resourced_provision and sen_unit count "
                             "as inclusion_base)")
        return self

    def package(self, package_id: str) -> Package:
        for package in self.packages:
            if package.id == package_id:
                return package
        raise PlacewiseError(f"packages: {package_id} is not a package of the catalogue; use one of "
                             f"{', '.join(self.ids)}")

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(package.id for package in self.packages)

    def band_table(self) -> dict[tuple[str, str, str], float]:
        """(band, canonical kind, attendance) -> pounds a year."""
        return {(band.band, canonical_kind(band.kind), band.attendance): band.annual_cost_gbp for band in self.bands}

    def band_of(self, package_id: str, kind: str, attendance: str) -> float | None:
        """The price band of a package at a kind of setting, by day or residential; None where the table has none."""
        return self.band_table().get((self.package(package_id).band, canonical_kind(kind), attendance))

    def package_for_need(self, need: str, kind: str) -> Package | None:
        """The first package (in the file's order) serving a need and delivered at this kind of setting: how a
        child given no package is priced against the bands."""
        specialist = kind in SPECIALIST_KINDS
        for package in self.packages:
            if need in package.needs and (package.setting == "specialist") == specialist:
                return package
        return None


def check_child_packages(catalogue: Catalogue, packages: tuple[str, ...], where: str = "packages") -> None:
    """Every package a child is given must be in the catalogue (a clear error naming the field, not the child)."""
    unknown = [package for package in packages if package not in catalogue.ids]
    if unknown:
        raise PlacewiseError(f"{where}: {', '.join(unknown)} not in the packages catalogue; use "
                             f"{', '.join(catalogue.ids)}")


def _can_deliver(package: Package, kind: str, needs: tuple[str, ...]) -> tuple[bool, str]:
    """Whether a setting of this kind and designation can deliver the package, and the words that say why."""
    served = [need for need in package.needs if need in needs]
    words = KIND_WORDS[kind]
    if package.setting == "mainstream_only":
        if kind in INCLUSION_BASE_KINDS and served:
            return True, f"{words} designated for {', '.join(NEED_WORDS[need] for need in served)}"
        return False, ""
    if kind in SPECIALIST_KINDS and served:
        return True, f"{words} designated for {', '.join(NEED_WORDS[need] for need in served)}"
    if kind in SPECIAL_KINDS and not needs:
        return True, f"{words}; designations not published: ask the setting whether it can deliver this package"
    return False, ""


def capability_table(providers: pd.DataFrame, catalogue: Catalogue,
                     council_rows: pd.DataFrame | None = None) -> pd.DataFrame:
    """Provider x package rows that can deliver (``CAPABILITY_COLUMNS``): derived from kind and designations,
    places shared evenly; a council's rows (``provider_id, package, places``) replace the derived ones.

    Raises:
        PlacewiseError: a council's row naming a provider not in the register or a package not in the catalogue.
    """
    rows = []
    for provider_id, kind, needs, places in zip(providers.index, providers["kind"], providers["designated_needs"],
                                                pd.to_numeric(providers["places"], errors="coerce").astype(float),
                                                strict=True):
        able = [(package.id, reason) for package in catalogue.packages
                for can, reason in [_can_deliver(package, str(kind), tuple(needs))] if can]
        share = int(places // len(able)) if able and np.isfinite(places) else 0
        rows += [(int(provider_id), package_id, share, "derived", reason) for package_id, reason in able]
    table = pd.DataFrame(rows, columns=list(CAPABILITY_COLUMNS))
    if council_rows is None or council_rows.empty:
        return table
    unknown = ~council_rows["provider_id"].isin(providers.index)
    bad_package = ~council_rows["package"].isin(catalogue.ids)
    for mask, message in ((unknown, "provider_id not in the register; check the URN"),
                          (bad_package, f"package not in the catalogue ({', '.join(catalogue.ids)})")):
        if mask.any():
            numbers = ", ".join(str(row + 2) for row in council_rows.index[mask][:10])
            raise PlacewiseError(f"capability file rows {numbers}: {message}")
    given = council_rows.assign(
        source="council",
        reason=[f"{KIND_WORDS[str(providers.at[provider_id, 'kind'])]}; the council's capability file gives "
                f"{places} places for this package" for provider_id, places in
                zip(council_rows["provider_id"], council_rows["places"], strict=True)])
    keys = set(zip(given["provider_id"], given["package"], strict=True))
    kept = table[[key not in keys for key in zip(table["provider_id"], table["package"], strict=True)]]
    merged = pd.concat([kept, given[list(CAPABILITY_COLUMNS)]], ignore_index=True)
    return merged[merged["places"] > 0].sort_values(["provider_id", "package"]).reset_index(drop=True)


def pair_bands(catalogue: Catalogue, child_packages: list[tuple[str, ...]], child_needs: list[str],
               residential: np.ndarray, kind_code: np.ndarray, child: np.ndarray, fallback: bool = True) -> np.ndarray:
    """The price band of each (child, provider) pair, NaN where the table has none: the highest band of the child's
    packages at the provider's kind (a child with several packages is priced at its most specialist part), or,
    for a child given none (where ``fallback``), the band of the catalogue's package for its primary need at
    that kind."""
    table = catalogue.band_table()
    by_id = {package.id: package for package in catalogue.packages}
    cache: dict[tuple[int, int], float] = {}
    out = np.full(len(child), np.nan)
    for at, (position, code) in enumerate(zip(child.tolist(), kind_code.tolist(), strict=True)):
        key = (position, code)
        if key not in cache:
            kind = KINDS[code]
            attendance = "residential" if residential[position] else "day"
            chosen = [by_id[package] for package in child_packages[position] if package in by_id]
            if not chosen and fallback:
                fallback_package = catalogue.package_for_need(child_needs[position], kind)
                chosen = [fallback_package] if fallback_package is not None else []
            prices = [table.get((package.band, canonical_kind(kind), attendance)) for package in chosen]
            known = [price for price in prices if price is not None]
            cache[key] = max(known) if known else np.nan
        out[at] = cache[key]
    return out
