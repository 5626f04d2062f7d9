"""Real open data: ../shared/data beside the project's root (or PLACEWISE_DATA); skipped where absent."""

import os
from pathlib import Path

import pytest

DATA_DIR = Path(os.environ.get("PLACEWISE_DATA", Path(__file__).resolve().parents[2].parent / "shared" / "data"))


@pytest.fixture(scope="session")
def data_dir() -> Path:
    if not (DATA_DIR / "gias").is_dir():
        pytest.skip(f"real open data not found at {DATA_DIR}: set PLACEWISE_DATA or lay out ../shared/data")
    return DATA_DIR


@pytest.fixture(scope="session")
def real_inputs(data_dir):
    from scenarios.inputs import load_inputs

    return load_inputs(data_dir)
