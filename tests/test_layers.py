"""The house's layers import downward only: api -> scenarios -> matcher -> geodata -> core.

Within ``api``, the two doors (``api.service``, the JSON API, and ``api.web``, the pages) never import each other;
``api.app`` builds the app over both. Below them, the use cases (``api.records``) never import a door, the command
line or the app, and the platform (``api.platform``: store, jobs, security) imports no use case either. The HTTP
service never imports the command line (the command line may start the service), and the settings module imports
nothing of the project. Within a layer, no modules import each other in a circle. Every
import is read from the source, at any depth (imports inside functions and type-only imports under
``TYPE_CHECKING`` count too).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("core", "geodata", "matcher", "scenarios", "api")
#: The rooms of ``api`` each room may not import: a door never the other door, and nothing below a door any door.
DOORS = ("api.service", "api.web", "api.cli", "api.app")
ABOVE = {"service": ("api.web", "api.cli"), "web": ("api.service", "api.cli"), "records": DOORS,
         "platform": (*DOORS, "api.records")}


def imports_of(path: Path, names: bool = False) -> list[tuple[int, str]]:
    """Each import's line and module; with ``names``, each ``from m import n`` also as ``m.n`` (which is the module
    imported where ``n`` is a submodule)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            if names:
                found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
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
        if here[0] == "api" and len(here) > 2 and any(module == room or module.startswith(room + ".")
                                                       for room in ABOVE.get(here[1], ())):
            problems.append(f"{path.relative_to(ROOT)}:{line} imports {module}, a room above or beside {here[1]}")
    return problems


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(paths: list[Path], root: Path) -> dict[str, set[str]]:
    """Each module's imports of modules of its own layer (a package's ``__init__`` by the package's name)."""
    named = {module_name(path, root): path for path in paths}
    return {name: {module for _, module in imports_of(path, names=True) if module in named and module != name
                   and module.split(".")[0] == name.split(".")[0]} for name, path in named.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The circles of imports: every group of two or more modules each reachable from every other (Tarjan's
    strongly connected components), each sorted, in order."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(module: str) -> None:
        order[module] = low[module] = len(order)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph[module]):
            if imported not in order:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], order[imported])
        if low[module] == order[module]:
            group = []
            while not group or group[-1] != module:
                group.append(stack.pop())
                on_stack.discard(group[-1])
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in order:
            visit(module)
    return sorted(found)


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


def test_the_check_finds_a_door_importing_the_other_and_a_use_case_importing_a_door():
    pages, records = ROOT / "api" / "web" / "_door_probe.py", ROOT / "api" / "records" / "_door_probe.py"
    pages.write_text("from api.service.errors import api_routes\n", encoding="utf-8")
    records.write_text("import api.web.render\nfrom api.platform.refusals import status_of\n", encoding="utf-8")
    try:
        assert upward(pages) == ["api/web/_door_probe.py:1 imports api.service.errors, a room above or beside web"]
        assert upward(records) == ["api/records/_door_probe.py:1 imports api.web.render, a room above or beside "
                                   "records"]
    finally:
        pages.unlink()
        records.unlink()


@pytest.mark.parametrize("layer", LAYERS)
def test_no_modules_of_a_layer_import_each_other_in_a_circle(layer):
    paths = sorted((ROOT / layer).rglob("*.py"))
    assert circles(import_graph(paths, ROOT)) == []


def test_the_check_finds_a_circle_through_a_type_only_import(tmp_path):
    (tmp_path / "matcher" / "allocation").mkdir(parents=True)
    files = {"matcher/__init__.py": "",
             "matcher/allocation/__init__.py": "",
             "matcher/evaluation.py": "from matcher.costs import CostModel\n",
             "matcher/costs.py": ("from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
                                  "    from matcher.evaluation import Children\n"),
             "matcher/allocation/table.py": "from matcher.allocation import pricing\nfrom matcher.costs import x\n",
             "matcher/allocation/pricing.py": "import matcher.allocation.table\n",
             "matcher/leaf.py": "import numpy\nfrom geodata.density import DensityGrid\n"}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    graph = import_graph(sorted(tmp_path.rglob("*.py")), tmp_path)
    assert graph["matcher.leaf"] == set()
    assert circles(graph) == [["matcher.allocation.pricing", "matcher.allocation.table"],
                              ["matcher.costs", "matcher.evaluation"]]


def test_tests_share_helpers_only_through_tests_helpers():
    """A test module imports nothing from another test module: what tests share lives in ``tests/helpers``."""
    shared = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for line, module in imports_of(path):
            if module.startswith("tests.") and not module.startswith("tests.helpers"):
                shared.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert shared == []
