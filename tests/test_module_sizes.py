"""No module of the house (``core``, ``geodata``, ``matcher``, ``scenarios``, ``api``) runs over 300 lines: a longer one
has a second job to split off."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("core", "geodata", "matcher", "scenarios", "api")
MOST_LINES = 300
MODULES = sorted(path for layer in LAYERS for path in (ROOT / layer).rglob("*.py"))


def test_every_layer_has_modules_to_measure():
    assert {path.relative_to(ROOT).parts[0] for path in MODULES} == set(LAYERS)


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(ROOT)))
def test_a_module_is_at_most_300_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MOST_LINES
