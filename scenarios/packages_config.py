"""Read a deployment's packages file (YAML: packages and price bands) and a council's capability file (CSV).

The packages file is validated by ``matcher.packages.Catalogue`` (pydantic): an unknown need, kind or band, a
package named twice, each is one clear error naming the file, the line where known and the field. The capability
file has the columns ``provider_id, package, places``; its rows are checked against the register and the catalogue
when the table is built (``matcher.packages.capability_table``). Without a file, the shipped ILLUSTRATIVE set.
"""

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from pydantic import ValidationError

from core.errors import PlacewiseError
from geodata.tables import read_csv_checked
from geodata.yaml_files import read_yaml_mapping
from matcher.child import describe_validation_error
from matcher.packages import Catalogue, capability_table

ILLUSTRATIVE = Path(__file__).resolve().parent / "library" / "packages" / "illustrative.yaml"


@dataclass(frozen=True, eq=False)
class PackageSetup:
    """The catalogue, the capability table over a register, and the files they came from (for the record)."""

    catalogue: Catalogue
    capability: pd.DataFrame
    files: tuple[Path, ...]


def load_catalogue(path: Path | None = None) -> Catalogue:
    """The packages and price bands of a YAML file (the shipped illustrative set without one)."""
    path = Path(path) if path is not None else ILLUSTRATIVE
    document = read_yaml_mapping(path, "packages file not found; check the path", "the packages file",
                                 "a packages file is a YAML mapping (packages:, bands:)")
    try:
        return Catalogue.model_validate({"source": str(path), **document})
    except ValidationError as error:
        raise PlacewiseError(f"{path}: " + describe_validation_error(error)) from None


def load_capability_file(path: Path) -> pd.DataFrame:
    """A council's capability rows: ``provider_id, package, places`` (whole numbers, 0 for cannot deliver)."""
    table = read_csv_checked(Path(path), ["provider_id", "package", "places"], dtype=str)
    provider_id = pd.to_numeric(table["provider_id"], errors="coerce")
    places = pd.to_numeric(table["places"], errors="coerce")
    package = table["package"].fillna("").str.strip()
    for mask, message in ((provider_id.isna() | (provider_id % 1 != 0), "provider_id must be a whole number"),
                          (places.isna() | (places < 0) | (places % 1 != 0), "places must be a whole number, 0 "
                                                                              "or more"),
                          (package.eq(""), "package must name a package of the catalogue")):
        if mask.any():
            numbers = ", ".join(str(row + 2) for row in table.index[mask][:10])
            raise PlacewiseError(f"{path} rows {numbers}: {message}")
    frame = pd.DataFrame({"provider_id": provider_id.astype(int), "package": package, "places": places.astype(int)})
    if frame.duplicated(["provider_id", "package"]).any():
        raise PlacewiseError(f"{path}: the same provider and package appear twice; keep one row")
    return frame


def package_setup(providers: pd.DataFrame, packages_file: Path | None = None,
                  capability_file: Path | None = None) -> PackageSetup:
    """The catalogue and the capability table over the register's providers."""
    catalogue = load_catalogue(packages_file)
    council_rows = load_capability_file(capability_file) if capability_file is not None else None
    files = tuple(Path(path) for path in (packages_file or ILLUSTRATIVE, capability_file) if path is not None)
    return PackageSetup(catalogue, capability_table(providers, catalogue, council_rows), files)
