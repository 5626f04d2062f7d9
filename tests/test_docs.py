"""The docs match the code: every module path the docs name (``matcher/rules.py``, ``api/service/routes/``,
``matcher.rules.HARD_RULES``) exists, down to the name a dotted path ends in."""

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").rglob("*.md"))]
PACKAGES = ("core", "geodata", "matcher", "scenarios", "api", "tests", "bench")
CODE = re.compile(r"`([^`\s]+)`")


def named_paths(text: str) -> list[str]:
    """The backticked tokens that name a module, folder or name in one of the project's packages."""
    found = []
    for token in CODE.findall(text):
        token = token.rstrip(".,:;")
        token = re.sub(r"\(.*$", "", token)  # a call such as `Policy.normalised_weights()`
        if "/" in token and token.split("/")[0] in PACKAGES:
            found.append(token)
        elif re.fullmatch(r"[a-z_]+(\.[A-Za-z_][A-Za-z0-9_]*)+", token) and token.split(".")[0] in PACKAGES:
            found.append(token)
    return found


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


def missing(token: str) -> str | None:
    """Why the path a doc names does not exist, or None where it does."""
    if "/" in token:
        return None if (ROOT / token.split(":")[0]).exists() else "no such file or folder"
    parts = token.split(".")
    for cut in range(len(parts), 0, -1):
        base = ROOT.joinpath(*parts[:cut])
        module = base.with_suffix(".py") if base.with_suffix(".py").is_file() else base / "__init__.py"
        if module.is_file():
            rest = parts[cut:]
            if not rest or rest[0] in top_level_names(module):
                return None
            return f"{'.'.join(parts[:cut])} has no {rest[0]}"
    return "no such module"


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_module_path_in_the_docs_exists(doc):
    problems = {token: why for token in named_paths(doc.read_text(encoding="utf-8")) if (why := missing(token))}
    assert problems == {}


def test_the_check_finds_a_path_that_moved():
    assert missing("matcher.vacancies.apply_vacancies") == "matcher has no vacancies"
    assert missing("matcher/planning.py") == "no such file or folder"
    assert missing("matcher.rules.HARD_RULES") is None and missing("matcher/rules.py") is None
