"""A council's SEN2 person-level return as a cohort: checked row by row, pseudonymised, located, in Placewise's own
cohort fields (``matcher.child.Child``), with the children's real placements as the baseline.

Kept of each person with a plan active on the census day whose main placement is a specialist place of the
register (a special school, resourced provision or unit): a pseudonymous ``child_id`` (a keyed hash, HMAC-SHA256,
of the council and the person's UPN, else ULN, else name and birth date: the return has no case-management id;
the key is the ``pseudonym_key`` setting, never written beside the output); ``age`` on 31 August before the census
day and the ``ncy`` that follows (the phase-transfer years 0, 7 and 12 are the policy's ``transition_years``);
``sex``; the needs by rank; ``current_provider_id`` (the URN), ``current_kind`` (its kind) and
``current_attendance`` (residential where ``RES`` says so); ``requires_residential`` where the plan names a
residential setting (``PlanRes``); ``home_lsoa`` from the postcode through the user's ONSPD or NSPL. The names,
birth date, UPN, ULN and postcode are dropped here: nothing after this module sees them.
"""

import datetime as dt
import hashlib
import hmac
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from core.errors import PlacewiseError
from geodata.councils import load_council_codes
from geodata.demo import DEMO_LA_CODES, build_demo
from geodata.gias_published import load_establishment_urns
from geodata.postcodes import PostcodeDirectory
from geodata.register import load_register
from geodata.sen2_return import Person, Sen2Return, parse_date
from scenarios.sen2_checks import (
    Problem,
    check_dates,
    check_needs,
    current_placement,
    placement_setting,
    requires_residential,
    sex_of,
)

MAX_PROBLEMS_SHOWN = 10
MIN_KEY_LENGTH = 32
UPN_PATTERN_LENGTH = 13
COHORT_COLUMNS = ["child_id", "home_council", "home_lsoa", "age", "ncy", "primary_need", "secondary_needs", "sex",
                  "requires_residential", "current_provider_id", "current_kind", "current_attendance"]


@dataclass(frozen=True)
class Register:
    """What a return is checked against: the register's providers' kinds, every GIAS URN, and the councils'
    3-digit DfE codes (``lea`` -> ONS code)."""

    kinds: dict[int, str]
    urns: frozenset[int]
    councils_by_lea: dict[int, str]


@dataclass(frozen=True)
class Sen2Import:
    """The cohort, the rows left out as invalid (with ``skip_invalid``), and how many were out of scope, why."""

    council: str
    year: int
    persons: int
    cohort: pd.DataFrame
    skipped: pd.DataFrame  # position, item, problem: never a value
    out_of_scope: dict[str, int] = field(default_factory=dict)

    def summary(self) -> dict:
        """What the import did, in figures (no child's data)."""
        transfer = int(self.cohort["ncy"].isin((0, 7, 12)).sum()) if len(self.cohort) else 0
        return {"council": self.council, "year": self.year, "persons_in_return": self.persons,
                "imported": int(len(self.cohort)), "skipped_invalid": int(self.skipped["position"].nunique()),
                "out_of_scope": dict(self.out_of_scope), "at_phase_transfer": transfer,
                "by_current_kind": {str(k): int(v) for k, v in
                                      self.cohort["current_kind"].value_counts().items()} if len(self.cohort)
                else {}}


def pseudonym_key(secret: str | None) -> bytes:
    """The key of the pseudonymous ids, from the ``pseudonym_key`` setting.

    Raises:
        PlacewiseError: the setting is missing or too short to be a secret.
    """
    if secret is None or len(secret) < MIN_KEY_LENGTH:
        raise PlacewiseError(f"pseudonym_key: set PLACEWISE_PSEUDONYM_KEY to a secret of at least {MIN_KEY_LENGTH} "
                             "characters (keep it apart from the outputs; the same key gives the same ids next "
                             "year)", field="pseudonym_key")
    return secret.encode("utf-8")


def import_return(sen2: Sen2Return, council: str, register: Register, postcodes: PostcodeDirectory | None,
                  key: bytes, skip_invalid: bool = False) -> Sen2Import:
    """Check the return against the council named and the register, and build its cohort.

    Raises:
        PlacewiseError: the return is another council's; no postcode directory is loaded; or, unless
            ``skip_invalid``, any person breaks a rule (up to ten problems named; nothing is imported).
    """
    header = sen2.header
    named = register.councils_by_lea.get(header.lea)
    if named != council:
        raise PlacewiseError(f"LEA: the return is another council's, not {council}'s; import each council's own "
                             "return with its own code", field="LEA")
    if postcodes is None:
        raise PlacewiseError("postcodes: give the ONS Postcode Directory or NSPL file (--postcodes, or the "
                             "postcodes setting) to place homes at their LSOA", field="postcodes")
    rows, problems, scope = [], [], Counter[str]()
    seen: dict[str, int] = {}
    for person in sen2.persons:
        row, found, why = _person_row(person, header.reference_date, council, register, postcodes, key)
        if row is not None and not found and row["child_id"] in seen:
            found = [Problem(person.position, "UPN", f"the same person as position {seen[row['child_id']]}; "
                             "return each person once")]
        if found:
            problems.extend(found)
        elif why is not None:
            scope[why] += 1
        elif row is not None:
            seen[row["child_id"]] = person.position
            rows.append(row)
    skipped = pd.DataFrame([vars(problem) for problem in problems], columns=["position", "item", "problem"])
    if problems and not skip_invalid:
        raise PlacewiseError(_problems_message(problems), field="return")
    cohort = pd.DataFrame(rows, columns=COHORT_COLUMNS)
    return Sen2Import(council, header.year, len(sen2.persons), cohort, skipped, dict(scope))


def _person_row(person: Person, census: dt.date, council: str, register: Register, postcodes: PostcodeDirectory,
                key: bytes) -> tuple[dict | None, list[Problem], str | None]:
    """One person's cohort row, or the problems that keep it out, or why it is out of scope."""
    problems = check_dates(person)
    if not person.active_plans:
        return None, problems, "no plan active on the census day"
    if len(person.active_plans) > 1:
        problems.append(Problem(person.position, "ActivePlans", "more than one active plan; return one"))
        return None, problems, None
    plan = person.active_plans[0]
    needs, need_problems = check_needs(person, plan)
    placement, placement_problems = current_placement(person, plan, census)
    residential, plan_problems = requires_residential(person)
    problems += need_problems + placement_problems + plan_problems
    setting = None
    if placement is not None:
        setting, setting_problems = placement_setting(person, placement, register.kinds, register.urns)
        problems += setting_problems
    age, age_problems = _age(person, census)
    person_key, key_problems = _person_key(person)
    home, home_problems = _home(person, postcodes)
    problems += age_problems + key_problems + home_problems
    if problems:
        return None, problems, None
    if placement is None or setting is None:
        return None, [], "no placement open on the census day (awaiting a place)"
    if setting.out_of_scope is not None:
        return None, [], setting.out_of_scope
    assert age is not None
    return {"child_id": _pseudonym(key, council, person_key), "home_council": council, "home_lsoa": home,
            "age": age, "ncy": min(max(age - 4, -2), 14), "primary_need": needs[0],
            "secondary_needs": needs[1:12], "sex": sex_of(person), "requires_residential": residential,
            "current_provider_id": setting.provider_id, "current_kind": setting.kind,
            "current_attendance": setting.attendance}, [], None


def _age(person: Person, census: dt.date) -> tuple[int | None, list[Problem]]:
    """Age on 31 August before the census day (the school year's age, as SEN2 counts it)."""
    birth = parse_date(person.birth_date)
    if birth is None:
        return None, [Problem(person.position, "PersonBirthDate", "missing or not a date (YYYY-MM-DD)")]
    august = dt.date(census.year if census.month >= 9 else census.year - 1, 8, 31)
    age = august.year - birth.year - ((august.month, august.day) < (birth.month, birth.day))
    if not 0 <= age <= 25:
        return None, [Problem(person.position, "PersonBirthDate", "gives an age outside 0 to 25 on the census "
                                                                   "day; check it")]
    return age, []


def _person_key(person: Person) -> tuple[str, list[Problem]]:
    """What identifies the person: the UPN, else the ULN, else name and birth date."""
    if person.upn is not None:
        upn = person.upn.upper()
        if len(upn) != UPN_PATTERN_LENGTH or not upn[0].isalpha() or not upn[1:12].isdigit():
            return "", [Problem(person.position, "UPN", "not a UPN (a letter, 11 digits and a digit or letter)")]
        return f"UPN:{upn}", []
    if person.uln is not None:
        if not (person.uln.isdigit() and len(person.uln) == 10):
            return "", [Problem(person.position, "UniqueLearnerNumber", "not a 10-digit ULN")]
        return f"ULN:{person.uln}", []
    if person.forename and person.surname and person.birth_date:
        return f"NAME:{person.forename.casefold()}|{person.surname.casefold()}|{person.birth_date}", []
    return "", [Problem(person.position, "UPN", "no UPN, ULN, or name and birth date to know the person by")]


def _home(person: Person, postcodes: PostcodeDirectory) -> tuple[str | None, list[Problem]]:
    if person.postcode is None:
        return None, [Problem(person.position, "PostCode", "missing; give the home's postcode")]
    try:
        return postcodes.lsoa_of(person.postcode), []
    except PlacewiseError as error:  # the directory's messages name the field, never the postcode
        return None, [Problem(person.position, "PostCode", str(error).split(": ", 1)[-1])]


def _pseudonym(key: bytes, council: str, person_key: str) -> str:
    digest = hmac.new(key, f"{council}|{person_key}".encode(), hashlib.sha256).hexdigest()
    return f"S2-{digest[:20]}"


def _problems_message(problems: list[Problem]) -> str:
    shown = "; ".join(f"person {problem.position}: {problem.item}: {problem.problem}"
                      for problem in problems[:MAX_PROBLEMS_SHOWN])
    more = f" (and {len(problems) - MAX_PROBLEMS_SHOWN} more)" if len(problems) > MAX_PROBLEMS_SHOWN else ""
    persons = len({problem.position for problem in problems})
    return (f"return: {persons} persons break the SEN2 rules: {shown}{more}; nothing was imported (fix them, or "
            "import with --skip-invalid to leave them out with a report)")


def write_cohort(frame: pd.DataFrame, path: Path) -> Path:
    """Write a cohort as the project's cohort CSV (lists separated by ``;``)."""
    out = frame.copy()
    out["secondary_needs"] = out["secondary_needs"].map(lambda needs: ";".join(needs))
    out["current_provider_id"] = out["current_provider_id"].astype("Int64")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(path, index=False)
    return path


def checks_register(data_dir: Path | None, providers: pd.DataFrame | None = None) -> Register:
    """What returns are checked against: the register's kinds (``providers``, else the data folder's register or
    the embedded demo's), every GIAS URN and the councils' DfE codes; the demo's invented codes without a folder."""
    if providers is None:
        providers = load_register(Path(data_dir)).providers if data_dir is not None else build_demo().providers
    kinds = {int(urn): str(kind) for urn, kind in providers["kind"].items()}
    if data_dir is None:
        return Register(kinds, frozenset(kinds), dict(DEMO_LA_CODES))
    codes = load_council_codes(Path(data_dir))["council"]
    return Register(kinds, load_establishment_urns(Path(data_dir)), {int(k): str(v) for k, v in codes.items()})


def import_returns(returns: list[tuple[Sen2Return, str]], register: Register, postcodes: PostcodeDirectory | None,
                   key: bytes, skip_invalid: bool = False) -> list[Sen2Import]:
    """Import several councils' returns together (each checked against its own council): all, or none."""
    imports, failures = [], []
    for sen2, council in returns:
        try:
            imports.append(import_return(sen2, council, register, postcodes, key, skip_invalid))
        except PlacewiseError as error:
            failures.append(f"{council}: {error}")
    if failures:
        raise PlacewiseError("; ".join(failures), field="return")
    return imports
