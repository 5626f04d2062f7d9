"""No module of the engine (``matcher/``) runs over 300 lines: a longer one has a second job to split off."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MOST_LINES = 300


@pytest.mark.parametrize("path", sorted((ROOT / "matcher").rglob("*.py")), ids=lambda path: str(path.relative_to(ROOT)))
def test_an_engine_module_is_at_most_300_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MOST_LINES
