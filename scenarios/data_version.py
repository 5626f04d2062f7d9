"""The data version a decision rests on: the publications its answers come from (the register's and SEN2's, as the
publishers date them), and the SHA-256 of every file read.

A decision records it so that a tribunal (or the council, years later) can tell exactly which published files and
which configuration the list and the scores came from. The version is the publication's own date, from
``PUBLICATIONS`` (which file is which publication), never a server's folder or the day the files were copied; files
are named relative to the data folder. The embedded demo is code, and says so.
"""

import fnmatch
import hashlib
from pathlib import Path

from scenarios.inputs import Inputs

#: The folders of a data folder whose files answers rest on (roads and travel tables are read only when asked).
HASHED_FOLDERS = ("gias", "finance", "sen2", "lookups", "centroids", "boundaries")
#: Each publication a data folder's files come from: (file pattern, what, publisher, publication as dated by it).
PUBLICATIONS: tuple[tuple[str, str, str, str], ...] = (
    ("gias/School_Characteristics_with_Coordinates.csv", "the schools register (Get Information About Schools)",
     "Department for Education", "spring 2025"),
    ("gias/Simplified_SEN_Provision_List.csv", "SEN provision of each school (Get Information About Schools)",
     "Department for Education", "spring 2025"),
    ("gias/england_school_information_2023-24.csv", "school performance tables, school information",
     "Department for Education", "2023 to 2024 school year"),
    ("gias/england_census_2023-24.csv", "school census: pupils and their characteristics",
     "Department for Education", "January 2024"),
    ("gias/gias_establishment_types_*.csv", "establishment types (Get Information About Schools)",
     "Department for Education", "9 January 2025"),
    ("sen2/ehcp_2025/*", "Education, health and care plans (SEN2), reporting year 2025",
     "Department for Education", "June 2025"),
    ("finance/*", "section 251 outturn 2023-24: high needs and SEN transport", "Department for Education",
     "2023 to 2024 financial year"),
    ("boundaries/*", "council and region boundaries", "Office for National Statistics", "December 2023"),
    ("centroids/*", "population-weighted centroids of small areas", "Office for National Statistics",
     "2011 and 2021 censuses"),
    ("lookups/*", "council and small-area code lookups", "Office for National Statistics", "2023"),
)
DEMO = "the embedded demo (synthetic, generated from a seed)"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def publications(names: list[str]) -> list[dict]:
    """The publications the files (named relative to the data folder) come from, each once, in the table's order;
    a file no publication claims is listed as such, by name."""
    found, claimed = [], set()
    for pattern, what, publisher, published in PUBLICATIONS:
        matched = [name for name in names if fnmatch.fnmatch(name, pattern)]
        if matched:
            found.append({"data": what, "publisher": publisher, "published": published, "files": len(matched)})
            claimed.update(matched)
    found.extend({"data": name, "publisher": "not recorded", "published": "not recorded", "files": 1}
                 for name in names if name not in claimed and not name.startswith("configuration/"))
    return found


def data_version(inputs: Inputs, configuration: tuple[Path, ...] = ()) -> dict:
    """The register's and SEN2's publications, and ``{file: sha256}`` for the data folder's files (relative names)
    and the configuration (by file name)."""
    files: dict[str, str] = {}
    if inputs.data_dir is not None:
        root = Path(inputs.data_dir)
        for folder in HASHED_FOLDERS:
            for path in sorted((root / folder).rglob("*")) if (root / folder).is_dir() else []:
                if path.is_file() and not path.name.startswith("."):
                    files[path.relative_to(root).as_posix()] = file_sha256(path)
    found = publications(sorted(files)) if inputs.data_dir is not None else []
    register = next((item for item in found if item["data"].startswith("the schools register")), None)
    sen2 = next((item for item in found if "SEN2" in item["data"]), None)
    for path in configuration:
        files[f"configuration/{Path(path).name}"] = file_sha256(Path(path))
    return {"register_source": "Get Information About Schools (DfE)" if register else DEMO,
            "register_date": register["published"] if register else DEMO,
            "sen2_date": sen2["published"] if sen2 else DEMO if inputs.data_dir is None else "not in the data",
            "publications": found, "files": files}
