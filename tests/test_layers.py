"""The house's layers import downward only: api -> scenarios -> matcher -> geodata -> core.

Within ``api``, the HTTP service never imports the command line (the command line may start the service), and
the settings module imports nothing of the project. Every import is read from the source, at any depth (imports
inside functions count too).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("core", "geodata", "matcher", "scenarios", "api")


def imports_of(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def modules() -> list[Path]:
    return sorted(path for layer in LAYERS for path in (ROOT / layer).rglob("*.py"))


def upward(path: Path) -> list[str]:
    here = path.relative_to(ROOT).parts
    rank = LAYERS.index(here[0])
    problems = []
    for line, module in imports_of(path):
        top = module.split(".")[0]
        if top in LAYERS and LAYERS.index(top) > rank:
            problems.append(f"{path.relative_to(ROOT)}:{line} imports {module}, a layer above {here[0]}")
        if here[:2] == ("api", "service") and module.startswith("api.cli"):
            problems.append(f"{path.relative_to(ROOT)}:{line} imports {module}: the service never needs the CLI")
        if here[:2] == ("api", "settings.py") and top in LAYERS:
            problems.append(f"{path.relative_to(ROOT)}:{line} imports {module}: settings stand alone")
    return problems


@pytest.mark.parametrize("path", modules(), ids=lambda path: str(path.relative_to(ROOT)))
def test_imports_point_down_only(path):
    assert upward(path) == []


def test_the_check_finds_an_import_that_points_up():
    bad = ROOT / "geodata" / "_upward_probe.py"
    bad.write_text("def f():\n    from matcher.policy import Policy\n    return Policy\n", encoding="utf-8")
    try:
        assert upward(bad) == ["geodata/_upward_probe.py:2 imports matcher.policy, a layer above geodata"]
    finally:
        bad.unlink()


def test_tests_share_helpers_only_through_tests_helpers():
    """A test module imports nothing from another test module: what tests share lives in ``tests/helpers``."""
    shared = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for line, module in imports_of(path):
            if module.startswith("tests.") and not module.startswith("tests.helpers"):
                shared.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert shared == []
