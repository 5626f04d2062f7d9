"""Shared fixtures: factories for small providers tables and children, and Hypothesis run the same way on every
machine (derandomised: the examples are drawn from each test's own seed, never from the clock)."""

import os

import pytest
from hypothesis import settings

from tests.helpers.factories import make_child, make_providers

settings.register_profile("placewise", derandomize=True, deadline=None)
settings.load_profile("placewise")

#: Variables of the test suite itself, read when the test modules are imported; every other PLACEWISE_* variable is
#: a setting of the service, which a test gives explicitly.
TEST_VARIABLES = {"PLACEWISE_TEST_POSTGRES", "PLACEWISE_SCREENSHOTS"}


@pytest.fixture(autouse=True)
def settings_only_from_the_test(monkeypatch):
    """The service's settings come from each test, never from the environment of whoever runs the tests (a
    developer's PLACEWISE_DATA would otherwise load the real register where a test expects the demo)."""
    for name in [name for name in os.environ if name.startswith("PLACEWISE_") and name not in TEST_VARIABLES]:
        monkeypatch.delenv(name)


@pytest.fixture
def providers_factory():
    return make_providers


@pytest.fixture
def child_factory():
    return make_child
