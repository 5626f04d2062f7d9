"""Postcodes to small areas, through the user's own ONS Postcode Directory (ONSPD) or NSPL file as published.

Only the LSOA a postcode lies in is ever used: a caseworker's postcode is turned into its LSOA here and then
forgotten (never stored, logged or echoed; errors name the field, not the value). The file is a CSV with
``pcds`` (or ``pcd``), ``doterm`` (the date a postcode was terminated; empty while live), ``oseast1m`` and
``osnrth1m``, and ``lsoa21`` or ``lsoa11``; ``ctry`` (E92000001 for England) where present. It is held as
sorted arrays (about 40 MB for the whole country), so a lookup is a binary search.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.errors import PlacewiseError
from geodata.tables import read_csv_checked

ENGLAND = "E92000001"
POSTCODE_PATTERN = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")
FIELD = "home_postcode"


def normalise(postcode: str) -> str:
    """A postcode in capitals without spaces (``NE1 4LP`` and ``ne14lp`` are one postcode)."""
    return re.sub(r"\s+", "", postcode).upper()


@dataclass(frozen=True, eq=False)
class PostcodeDirectory:
    """Postcodes (normalised, sorted) with the LSOA each lies in, whether it is terminated and in England."""

    postcodes: np.ndarray  # bytes, sorted
    lsoa_codes: np.ndarray  # the distinct LSOA codes
    lsoa: np.ndarray  # per postcode: a position in lsoa_codes, or -1 where none is given
    terminated: np.ndarray
    in_england: np.ndarray
    source: str

    def lsoa_of(self, postcode: str) -> str:
        """The LSOA code of a live English postcode.

        Raises:
            PlacewiseError: the postcode is malformed, unknown, terminated or outside England (never echoed).
        """
        key = normalise(postcode)
        if not POSTCODE_PATTERN.match(key):
            raise PlacewiseError(f"{FIELD}: not a postcode in the UK's format (such as NE1 4LP)")
        at = int(np.searchsorted(self.postcodes, key.encode()))
        if at >= len(self.postcodes) or self.postcodes[at] != key.encode():
            raise PlacewiseError(f"{FIELD}: not in the postcode directory ({self.source}); check it, or give "
                                 "home_lsoa instead")
        if self.terminated[at]:
            raise PlacewiseError(f"{FIELD}: that postcode has been terminated; give the current one, or home_lsoa")
        if not self.in_england[at] or self.lsoa[at] < 0:
            raise PlacewiseError(f"{FIELD}: that postcode is outside England; Placewise serves English councils")
        return str(self.lsoa_codes[self.lsoa[at]])


def load_postcode_directory(path: Path) -> PostcodeDirectory:
    """Read an ONSPD or NSPL CSV (as published) into a directory of postcodes.

    Raises:
        PlacewiseError: the file is missing, or lacks a postcode, termination or LSOA column (all named).
    """
    path = Path(path)
    header = read_csv_checked(path, [], nrows=0)
    columns = set(header.columns)
    postcode = "pcds" if "pcds" in columns else "pcd" if "pcd" in columns else None
    lsoa = "lsoa21" if "lsoa21" in columns else "lsoa11" if "lsoa11" in columns else None
    missing = [name for name, found in (("pcds (or pcd)", postcode), ("lsoa21 (or lsoa11)", lsoa),
                                        ("doterm", "doterm" in columns or None)) if found is None]
    if missing:
        raise PlacewiseError(f"{path}: missing column(s) {', '.join(missing)}; give the ONS Postcode Directory or "
                             "NSPL as published (a CSV with pcds, doterm, oseast1m, osnrth1m, lsoa21 ...)")
    assert postcode is not None and lsoa is not None
    wanted = [postcode, "doterm", lsoa, *(["ctry"] if "ctry" in columns else [])]
    table = read_csv_checked(path, wanted, usecols=wanted, dtype=str, keep_default_na=False)
    keys = table[postcode].map(normalise).to_numpy(dtype="S8")
    order = np.argsort(keys, kind="stable")
    areas = table[lsoa].str.strip()
    english_area = areas.str.startswith("E01")
    country = table["ctry"].str.strip().eq(ENGLAND) if "ctry" in table else english_area
    codes, positions = np.unique(areas.to_numpy(dtype=str), return_inverse=True)
    positions = np.where(english_area.to_numpy(), positions, -1)
    return PostcodeDirectory(
        postcodes=keys[order], lsoa_codes=codes, lsoa=positions[order].astype(np.int32),
        terminated=table["doterm"].str.strip().ne("").to_numpy()[order],
        in_england=(country & english_area).to_numpy()[order], source=path.name)

