"""The docs match the code: every module path the docs name (``matcher/rules.py``, ``api/service/routes/``,
``matcher.rules.HARD_RULES``, ``matcher.candidates.ChildEvaluation.far``) exists, down to the name a dotted path ends
in and a class's attribute; in running text, in backticks or in a command of a code block alike."""

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").rglob("*.md"))]
PACKAGES = ("core", "geodata", "matcher", "scenarios", "api", "tests", "bench", "tools", "deploy")
_ROOTS = "|".join(PACKAGES)
#: A file or folder (``matcher/rules.py``, ``api/service/routes/``, ``api/cli/shortlists.py:shortlist``) or a dotted
#: name (``matcher.rules.HARD_RULES``) starting at one of the packages, not inside a longer path or name
#: (``../shared/data``, ``self.matcher``).
NAMED = re.compile(rf"(?<![\w/.-])((?:{_ROOTS})/(?:[\w.*-]+/)*[\w.*-]*(?:(?<=\.py):[A-Za-z_]\w*)?"
                   rf"|(?:{_ROOTS})(?:\.[A-Za-z_]\w*)+)")


def named_paths(text: str) -> list[str]:
    """The tokens that name a module, folder or name in one of the project's packages (a pattern such as
    ``matcher/*.py`` left out)."""
    return [token.rstrip(".,:;") for token in NAMED.findall(text) if "*" not in token]


@cache
def top_level_names(path: Path) -> frozenset[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {target.id for target in node.targets if isinstance(target, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.ImportFrom | ast.Import):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    return frozenset(names)


@cache
def class_attributes(path: Path) -> dict[str, frozenset[str] | None]:
    """Each top-level class's attributes: its methods, fields and constants (None where it inherits from a class
    of its own module or beyond, whose attributes are not read here)."""
    classes: dict[str, frozenset[str] | None] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if not isinstance(node, ast.ClassDef):
            continue
        names = {item.name for item in node.body if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef
                                                               | ast.ClassDef)}
        names |= {item.target.id for item in node.body
                  if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)}
        names |= {target.id for item in node.body if isinstance(item, ast.Assign)
                  for target in item.targets if isinstance(target, ast.Name)}
        plain = all(isinstance(base, ast.Name) and base.id in ("Protocol", "object") for base in node.bases)
        classes[node.name] = frozenset(names) if plain else None
    return classes


def missing(token: str) -> str | None:
    """Why the path a doc names does not exist, or None where it does."""
    if "/" in token:
        path, _, name = token.partition(":")
        if not (ROOT / path).exists():
            return "no such file or folder"
        return f"{path} has no {name}" if name and name not in top_level_names(ROOT / path) else None
    parts = token.split(".")
    for cut in range(len(parts), 0, -1):
        base = ROOT.joinpath(*parts[:cut])
        module = base.with_suffix(".py") if base.with_suffix(".py").is_file() else base / "__init__.py"
        if module.is_file():
            rest = parts[cut:]
            if rest and rest[0] not in top_level_names(module):
                return f"{'.'.join(parts[:cut])} has no {rest[0]}"
            attributes = class_attributes(module).get(rest[0]) if len(rest) > 1 else None
            if attributes is not None and rest[1] not in attributes:
                return f"{'.'.join(parts[:cut + 1])} has no {rest[1]}"
            return None
    return "no such module"


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_module_path_in_the_docs_exists(doc):
    problems = {token: why for token in named_paths(doc.read_text(encoding="utf-8")) if (why := missing(token))}
    assert problems == {}


def test_the_check_finds_a_path_that_moved():
    assert missing("matcher.vacancies.apply_vacancies") == "matcher has no vacancies"
    assert missing("matcher/planning.py") == "no such file or folder"
    assert missing("matcher.rules.HARD_RULES") is None and missing("matcher/rules.py") is None


def test_the_check_finds_an_attribute_a_class_no_longer_has():
    assert missing("matcher.pair_arrays.Children.of") == "matcher.pair_arrays.Children has no of"
    assert missing("matcher.candidates.ChildEvaluation.far") is None
    assert missing("matcher.travel.protocol.TravelModel.reach_km_of") is None


def test_paths_are_found_in_running_text_and_commands_as_well_as_in_backticks():
    text = ("Run `python tools/fit_travel.py` (see matcher/travel/national_formula.py, and\n"
            "```sh\n.venv/bin/python bench/same_runs.py runs/a runs/b\n```\n"
            "`matcher.rules.first_failures(...)`, ../shared/data, self.matcher.x, matcher/*.py, `geodata/`,\n"
            "`api/cli/shortlists.py:shortlist` and matcher/.")
    assert named_paths(text) == ["tools/fit_travel.py", "matcher/travel/national_formula.py", "bench/same_runs.py",
                                 "matcher.rules.first_failures", "geodata/", "api/cli/shortlists.py:shortlist",
                                 "matcher/"]
    assert missing("api/cli/shortlists.py:shortlist") is None
    assert missing("api/cli/shortlists.py:shortlists") == "api/cli/shortlists.py has no shortlists"
