"""Shared fixtures: factories for small providers tables and children, and Hypothesis run the same way on every
machine (derandomised: the examples are drawn from each test's own seed, never from the clock)."""

import pytest
from hypothesis import settings

from tests.helpers.factories import make_child, make_providers

settings.register_profile("placewise", derandomize=True, deadline=None)
settings.load_profile("placewise")


@pytest.fixture
def providers_factory():
    return make_providers


@pytest.fixture
def child_factory():
    return make_child
